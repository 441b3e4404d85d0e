// A virtual IEEE 1284 compatibility-mode printer: what a printer's interface electronics do with the lines,
// judged in simulated nanoseconds, with every protocol violation recorded. Engine-neutral (no Node API, no
// timers): the caller tells it the time with every input change and asks for its outputs at a given time.

const GrowStep = 64 * 1024;

/**
 * Timing model (one byte): nSTROBE falls at t0 → the byte is latched and BUSY rises at t0; the printer works on it
 * for `cycleNs` (1e9 / bytesPerSecond); nACK is low during the last `ackNs` of that time and BUSY drops when nACK
 * rises again, so a host that waits for BUSY low has also seen the acknowledge. Faults hold BUSY high:
 *   paper out: PE high, nERROR low;  offline: SELECT low, nERROR low;  error: nERROR low.
 * Violations: data changing while nSTROBE is low, set-up (data stable → nSTROBE falls) or hold (nSTROBE rises →
 * data changes) or strobe width shorter than `minPulseNs`, a strobe while BUSY is high (that byte is dropped),
 * and an nINIT pulse shorter than `minInitNs`.
 */
export class Printer1284 {
  // settings
  cycleNs;
  ackNs;
  minPulseNs;
  minInitNs;
  jobIdleNs;
  paperOutAt;          // paper runs out once this many bytes are printed (0 = never)
  offlineAt;           // goes offline once this many bytes are printed (0 = never)...
  offlineForNs;        // ...for this long
  onJob;               // (bytes: Uint8Array, index) when a job is complete (idle gap or flushJob())

  // line state as the printer sees it
  #data = 0;
  #dataChangedNs = -Infinity;
  #strobe = 1;
  #strobeFellNs = -Infinity;
  #strobeRoseNs = -Infinity;
  #init = 1;
  #initFellNs = -Infinity;
  selectIn = 1;
  autoFeed = 1;

  // what the printer is doing
  #cycleEndNs = -Infinity;
  #paperOut = false;
  #offlineUntilNs = -Infinity; // Infinity = offline until goOnline()
  #error = false;
  #holdBusyUntilNs = -Infinity;

  // what it printed
  #printed = new Uint8Array(GrowStep);
  #count = 0;
  #jobStart = 0;
  #lastByteNs = -Infinity;
  jobs = [];
  violations = [];
  dropped = 0;
  initPulses = 0;
  strobes = 0;

  constructor({ bytesPerSecond = 150_000, ackNs = 1000, minPulseNs = 500, minInitNs = 50_000, jobIdleMs = 2000,
    paperOutAt = 0, offlineAt = 0, offlineForMs = 0, onJob } = {}) {
    this.setSpeed(bytesPerSecond);
    this.ackNs = Math.min(ackNs, this.cycleNs);
    this.minPulseNs = minPulseNs;
    this.minInitNs = minInitNs;
    this.jobIdleNs = jobIdleMs * 1e6;
    this.paperOutAt = paperOutAt;
    this.offlineAt = offlineAt;
    this.offlineForNs = offlineForMs * 1e6;
    this.onJob = onJob;
  }

  setSpeed(bytesPerSecond) { this.cycleNs = 1e9 / bytesPerSecond; }

  // ---- inputs (host → printer) ----

  setData(byte, t) {
    byte &= 0xff;
    if (byte === this.#data) return;
    if (this.#strobe === 0) this.#violation("data changed while nSTROBE low", t);
    else if (t - this.#strobeRoseNs < this.minPulseNs) this.#violation(`hold ${t - this.#strobeRoseNs} ns`, t);
    this.#data = byte;
    this.#dataChangedNs = t;
  }

  setStrobe(level, t) {
    level = level ? 1 : 0;
    if (level === this.#strobe) return;
    this.#strobe = level;
    if (level === 0) {
      this.#strobeFellNs = t;
      this.strobes++;
      if (t - this.#dataChangedNs < this.minPulseNs) this.#violation(`set-up ${t - this.#dataChangedNs} ns`, t);
      if (this.busy(t)) {
        this.#violation("strobe while BUSY", t);
        this.dropped++;
        return;
      }
      if (this.#init === 0) { this.dropped++; return; } // held in reset
      this.#latch(t);
    } else {
      this.#strobeRoseNs = t;
      if (t - this.#strobeFellNs < this.minPulseNs) this.#violation(`strobe width ${t - this.#strobeFellNs} ns`, t);
    }
  }

  setInit(level, t) {
    level = level ? 1 : 0;
    if (level === this.#init) return;
    this.#init = level;
    if (level === 0) { this.#initFellNs = t; return; }
    this.initPulses++;
    if (t - this.#initFellNs < this.minInitNs) this.#violation(`nINIT pulse ${t - this.#initFellNs} ns`, t);
    this.#cycleEndNs = Math.min(this.#cycleEndNs, t); // a reset abandons the byte in progress (it was latched)
  }

  #latch(t) {
    if (this.#count > 0 && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
    this.#store(this.#data);
    this.#lastByteNs = t;
    this.#cycleEndNs = t + this.cycleNs;
    if (this.paperOutAt > 0 && this.#count === this.paperOutAt) this.#paperOut = true;
    if (this.offlineAt > 0 && this.#count === this.offlineAt) this.#offlineUntilNs = this.#cycleEndNs + this.offlineForNs;
  }

  #store(byte) {
    if (this.#count === this.#printed.length) {
      const bigger = new Uint8Array(this.#printed.length * 2);
      bigger.set(this.#printed);
      this.#printed = bigger;
    }
    this.#printed[this.#count++] = byte;
  }

  #violation(kind, t) {
    this.violations.push({ kind, atNs: t, byteIndex: this.#count });
  }

  // ---- outputs (printer → host), electrical levels ----

  offline(t) { return t < this.#offlineUntilNs; }

  busy(t) {
    return this.#paperOut || this.offline(t) || this.#error || this.#init === 0 || t < this.#cycleEndNs
      || t < this.#holdBusyUntilNs;
  }

  /** nACK: low during the last ackNs of a byte's cycle. */
  nAck(t) { return t >= this.#cycleEndNs - this.ackNs && t < this.#cycleEndNs ? 0 : 1; }
  paperEnd() { return this.#paperOut ? 1 : 0; }
  select(t) { return this.offline(t) ? 0 : 1; }
  nFault(t) { return this.#paperOut || this.#error || this.offline(t) ? 0 : 1; }

  /** When the outputs next change by themselves (Infinity: only an input or a fault call will change them). */
  nextChangeNs(t) {
    let next = Infinity;
    if (t < this.#cycleEndNs - this.ackNs) next = this.#cycleEndNs - this.ackNs;
    else if (t < this.#cycleEndNs) next = this.#cycleEndNs;
    if (t < this.#offlineUntilNs && this.#offlineUntilNs < next) next = this.#offlineUntilNs;
    if (t < this.#holdBusyUntilNs && this.#holdBusyUntilNs < next) next = this.#holdBusyUntilNs;
    return next;
  }

  // ---- fault injection ----

  runOutOfPaper() { this.#paperOut = true; }
  loadPaper() { this.#paperOut = false; }
  goOffline(t, forNs = Infinity) { this.#offlineUntilNs = t + forNs; }
  goOnline() { this.#offlineUntilNs = -Infinity; }
  setError(asserted) { this.#error = !!asserted; }
  /** BUSY stays high for a while with good status lines (buffer full while the head moves). */
  holdBusy(t, forNs) { this.#holdBusyUntilNs = t + forNs; }
  get paperOut() { return this.#paperOut; }

  // ---- what was printed ----

  get count() { return this.#count; }

  /** Everything printed so far, all jobs (a copy). */
  bytes() { return this.#printed.slice(0, this.#count); }

  /** Closes the current job (if it has bytes): it goes to `jobs` and `onJob`. */
  flushJob() {
    if (this.#count === this.#jobStart) return undefined;
    const job = this.#printed.slice(this.#jobStart, this.#count);
    this.#jobStart = this.#count;
    this.jobs.push(job);
    this.onJob?.(job, this.jobs.length - 1);
    return job;
  }

  /** Closes the current job if no byte came for jobIdleMs (call it now and then; the printer has no timer). */
  checkIdle(t) {
    if (this.#count > this.#jobStart && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
  }
}
