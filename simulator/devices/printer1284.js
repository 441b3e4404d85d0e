// A virtual IEEE 1284 compatibility-mode printer: what a printer's interface electronics do with the lines,
// judged in simulated nanoseconds, with every protocol violation recorded. Engine-neutral (no Node API, no
// timers): the caller tells it the time with every input change and asks for its outputs at a given time.

const GrowStep = 64 * 1024;

/**
 * With an input buffer (`bufferSize` > 0, the default: 4096 bytes, as compatibility-mode printers have a receive
 * buffer of a few KB): nSTROBE falls at t0 → the byte is latched into the buffer and BUSY rises at t0 for
 * `acceptNs` (a few µs), nACK is low during the last `ackNs` of that, and BUSY drops again if the buffer has room.
 * When that byte filled the buffer, BUSY stays high until the print engine takes the next byte out of it, then nACK
 * pulses for `ackNs` and BUSY drops. The print engine prints the buffer in order, one byte per `cycleNs`, and stops
 * while paper is out, offline, nERROR is asserted or nINIT is held low (the buffer keeps its bytes; they print when
 * the fault ends). `count`, `bytes()`, the jobs and the fault trigger points (paperOutAt, offlineAt) are about bytes
 * the engine has printed; `received` counts bytes latched. `engineBusyNs` is the engine's total printing time.
 * The model is lazy (no timers): every call that tells or asks the time first runs the engine up to that time, and
 * the caller must call `advance(t)` now and then while nobody looks at the lines (simulator/devices/index.js does).
 *
 * Without a buffer (`bufferSize: 0`): nSTROBE falls at t0 → the byte is latched and BUSY rises at t0; the printer works on it
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
  bufferSize;          // input buffer in bytes (0: none, BUSY for the whole print time of each byte)
  acceptNs;            // with a buffer: BUSY time to take a byte into it

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

  // the input buffer and the print engine (bufferSize > 0)
  #queue;                      // ring of bufferSize bytes latched, not yet taken by the engine
  #queueHead = 0;
  #queueLength = 0;
  #received = 0;               // bytes latched into the buffer
  #ackEndNs = -Infinity;       // BUSY falls (and nACK rises) at this time...
  #ackWaiting = false;         // ...unless the buffer is full: then it is set when the engine takes a byte
  #ackLatchedNs = -Infinity;   // when the byte that filled the buffer was latched
  #printing = false;           // the engine is printing #printingByte from #printingStartNs to #printingEndNs
  #printingByte = 0;
  #printingStartNs = 0;
  #printingEndNs = -Infinity;
  #engineFreeNs = -Infinity;   // the engine can start its next byte no earlier than this
  #resumeAtNextLook = false;   // a fault ended without a time: the engine resumes at the next advance()
  #engineBusyNs = 0;
  #lastPrintEndNs = -Infinity;
  #lastActivityNs = -Infinity; // last latch or last byte the engine finished (for the idle gap that ends a job)
  #advancedNs = -Infinity;
  #engineFaultNs = -Infinity;  // when the engine last ran out of paper or went offline at its byte count
  #busyReadNs = -Infinity;     // the last time anyone (the host) read BUSY

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
    paperOutAt = 0, offlineAt = 0, offlineForMs = 0, onJob, bufferSize = 4096, acceptNs = 2000 } = {}) {
    this.setSpeed(bytesPerSecond);
    this.bufferSize = bufferSize;
    this.acceptNs = acceptNs;
    this.#queue = new Uint8Array(Math.max(bufferSize, 0));
    this.ackNs = Math.min(ackNs, bufferSize > 0 ? acceptNs : this.cycleNs);
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
      if (this.#busyAt(t) && !this.#raceWithEngineFault(t)) {
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
    if (this.bufferSize > 0) this.advance(t);
    if (level === 0) { this.#initFellNs = t; return; }
    this.initPulses++;
    if (t - this.#initFellNs < this.minInitNs) this.#violation(`nINIT pulse ${t - this.#initFellNs} ns`, t);
    this.#cycleEndNs = Math.min(this.#cycleEndNs, t); // a reset abandons the byte in progress (it was latched)
    if (this.bufferSize > 0) {
      // A reset empties the buffer (its bytes are dropped); the engine restarts from now.
      this.dropped += this.#queueLength;
      this.#queueLength = 0;
      this.#ackWaiting = false;
      this.#ackEndNs = Math.min(this.#ackEndNs, t);
      this.#engineFreeNs = Math.max(this.#engineFreeNs, t);
    }
  }

  #latch(t) {
    if (this.bufferSize > 0) { this.#latchBuffered(t); return; }
    this.#engineBusyNs += this.cycleNs;
    this.#lastPrintEndNs = t + this.cycleNs;
    this.#received++;
    if (this.#count > 0 && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
    this.#store(this.#data);
    this.#lastByteNs = t;
    this.#cycleEndNs = t + this.cycleNs;
    if (this.paperOutAt > 0 && this.#count === this.paperOutAt) this.#paperOut = true;
    if (this.offlineAt > 0 && this.#count === this.offlineAt) this.#offlineUntilNs = this.#cycleEndNs + this.offlineForNs;
  }

  // With a buffer, the engine runs out of paper or goes offline at its own time, so BUSY can rise between the
  // host's BUSY read and its strobe. Like the interface logic of a real printer, the buffer still takes that byte
  // (it has room) and it is no violation: the host has not read BUSY since the fault came. One byte per fault: a host
  // that strobes on without reading BUSY is caught.
  #raceWithEngineFault(t) {
    if (this.bufferSize <= 0 || this.#queueLength >= this.bufferSize) return false;
    if (this.#error || this.#init === 0 || this.#ackWaiting || t < this.#ackEndNs || t < this.#holdBusyUntilNs) return false;
    if (!(this.#engineFaultNs > this.#busyReadNs)) return false;
    this.#busyReadNs = t;
    return true;
  }

  #latchBuffered(t) {
    this.advance(t);
    if (this.#count > this.#jobStart && t - this.#lastActivityNs > this.jobIdleNs) this.flushJob();
    this.#lastActivityNs = t;
    this.#lastByteNs = t;
    this.#received++;
    if (!this.#printing && this.#queueLength === 0) this.#engineFreeNs = Math.max(this.#engineFreeNs, t);
    this.#queue[(this.#queueHead + this.#queueLength) % this.bufferSize] = this.#data;
    this.#queueLength++;
    if (this.#queueLength < this.bufferSize) this.#ackEndNs = t + this.acceptNs;
    else { this.#ackWaiting = true; this.#ackLatchedNs = t; }
    this.advance(t);
  }

  /** The engine's earliest start for the next byte, or Infinity while it is stopped (paper out, error, reset). */
  #nextStartNs() {
    if (this.#paperOut || this.#error || this.#init === 0) return Infinity;
    return Math.max(this.#engineFreeNs, this.#offlineUntilNs);
  }

  /**
   * Runs the print engine (buffered model) up to time t: finishes bytes, triggers paper out and offline at their
   * byte counts, takes bytes out of the buffer and frees BUSY when the buffer gets room. Times before the last
   * advance are ignored (the clock is monotonic).
   */
  advance(t) {
    if (this.bufferSize <= 0) return;
    if (this.#resumeAtNextLook) {
      this.#resumeAtNextLook = false;
      this.#engineFreeNs = Math.max(this.#engineFreeNs, t);
    }
    if (t < this.#advancedNs) return;
    this.#advancedNs = t;
    for (;;) {
      if (this.#printing) {
        if (this.#printingEndNs > t) return;
        const end = this.#printingEndNs;
        this.#printing = false;
        this.#engineBusyNs += end - this.#printingStartNs;
        this.#store(this.#printingByte);
        this.#engineFreeNs = end;
        this.#lastPrintEndNs = end;
        if (end > this.#lastActivityNs) this.#lastActivityNs = end;
        if (this.paperOutAt > 0 && this.#count === this.paperOutAt) { this.#paperOut = true; this.#engineFaultNs = end; }
        if (this.offlineAt > 0 && this.#count === this.offlineAt) {
          this.#offlineUntilNs = end + this.offlineForNs;
          this.#engineFaultNs = end;
        }
        continue;
      }
      if (this.#queueLength === 0) return;
      const start = this.#nextStartNs();
      if (start > t) return;
      this.#printingByte = this.#queue[this.#queueHead];
      this.#queueHead = (this.#queueHead + 1) % this.bufferSize;
      this.#queueLength--;
      this.#printing = true;
      this.#printingStartNs = start;
      this.#printingEndNs = start + this.cycleNs;
      if (this.#ackWaiting) {
        this.#ackWaiting = false;
        this.#ackEndNs = Math.max(this.#ackLatchedNs + this.acceptNs, start + this.ackNs);
      }
    }
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
    if (t > this.#busyReadNs) this.#busyReadNs = t;
    return this.#busyAt(t);
  }

  #busyAt(t) {
    if (this.bufferSize > 0) {
      this.advance(t);
      return this.#paperOut || this.offline(t) || this.#error || this.#init === 0 || this.#ackWaiting
        || t < this.#ackEndNs || t < this.#holdBusyUntilNs;
    }
    return this.#paperOut || this.offline(t) || this.#error || this.#init === 0 || t < this.#cycleEndNs
      || t < this.#holdBusyUntilNs;
  }

  /** nACK: low during the last ackNs of a byte's cycle. */
  nAck(t) {
    if (this.bufferSize > 0) {
      this.advance(t);
      return !this.#ackWaiting && t >= this.#ackEndNs - this.ackNs && t < this.#ackEndNs ? 0 : 1;
    }
    return t >= this.#cycleEndNs - this.ackNs && t < this.#cycleEndNs ? 0 : 1; }
  paperEnd(t) { if (t !== undefined) this.advance(t); return this.#paperOut ? 1 : 0; }
  select(t) { this.advance(t); return this.offline(t) ? 0 : 1; }
  nFault(t) { this.advance(t); return this.#paperOut || this.#error || this.offline(t) ? 0 : 1; }

  /** When the outputs next change by themselves (Infinity: only an input or a fault call will change them). */
  nextChangeNs(t) {
    if (this.bufferSize > 0) return this.#nextChangeBufferedNs(t);
    let next = Infinity;
    if (t < this.#cycleEndNs - this.ackNs) next = this.#cycleEndNs - this.ackNs;
    else if (t < this.#cycleEndNs) next = this.#cycleEndNs;
    if (t < this.#offlineUntilNs && this.#offlineUntilNs < next) next = this.#offlineUntilNs;
    if (t < this.#holdBusyUntilNs && this.#holdBusyUntilNs < next) next = this.#holdBusyUntilNs;
    return next;
  }

  #nextChangeBufferedNs(t) {
    this.advance(t);
    let next = Infinity;
    const consider = (when) => { if (when > t && when < next) next = when; };
    if (this.#ackWaiting) {
      const start = this.#printing ? this.#printingEndNs : this.#nextStartNs();
      consider(start);
      consider(start + this.ackNs);
    } else {
      consider(this.#ackEndNs - this.ackNs);
      consider(this.#ackEndNs);
    }
    consider(this.#offlineUntilNs);
    consider(this.#holdBusyUntilNs);
    // The byte that runs out of paper or goes offline changes PE/SELECT/nERROR (if nothing stops the engine first).
    if (this.#printing) {
      for (const at of [this.paperOutAt, this.offlineAt]) {
        const ahead = at - this.#count - 1;   // bytes after the one printing now
        if (ahead >= 0 && ahead <= this.#queueLength) consider(this.#printingEndNs + ahead * this.cycleNs);
      }
    }
    return next;
  }

  // ---- fault injection ----
  // t (optional with a buffer): when it happens; the engine runs up to then first, and resumes from then. Without
  // it the engine stops where it was last advanced to, and resumes at the next advance().

  #at(t) { if (t !== undefined) this.advance(t); }
  #resume(t) {
    if (this.bufferSize <= 0) return;
    if (t === undefined) this.#resumeAtNextLook = true;
    else this.#engineFreeNs = Math.max(this.#engineFreeNs, t);
  }

  runOutOfPaper(t) { this.#at(t); this.#paperOut = true; }
  loadPaper(t) { this.#at(t); this.#paperOut = false; this.#resume(t); }
  goOffline(t, forNs = Infinity) { this.#at(t); this.#offlineUntilNs = t + forNs; }
  goOnline(t) {
    this.#at(t);
    if (this.#offlineUntilNs === Infinity || t === undefined || t < this.#offlineUntilNs) this.#resume(t);
    this.#offlineUntilNs = -Infinity;
  }
  setError(asserted, t) {
    this.#at(t);
    if (this.#error && !asserted) this.#resume(t);
    this.#error = !!asserted;
  }
  /** BUSY stays high for a while with good status lines (buffer full while the head moves). */
  holdBusy(t, forNs) { this.#holdBusyUntilNs = t + forNs; }
  get paperOut() { return this.#paperOut; }

  // ---- what was printed ----

  /** Bytes printed (by the engine, with a buffer; latched, without). */
  get count() { return this.#count; }
  /** Bytes latched from the host (count plus what the buffer holds and the byte printing). */
  get received() { return this.#received; }
  /** Bytes in the buffer or printing, not yet printed. */
  get buffered() { return this.#queueLength + (this.#printing ? 1 : 0); }
  /** Total time the print engine spent printing (without a buffer: cycleNs per byte latched). */
  get engineBusyNs() { return this.#engineBusyNs; }
  /** When the engine finished (or, without a buffer, will finish) the last byte it printed. */
  get lastPrintEndNs() { return this.#lastPrintEndNs; }

  /** Everything printed so far, all jobs (a copy). */
  bytes() { return this.#printed.slice(0, this.#count); }

  /** Bytes [from, to) of everything printed so far (a copy; `to` is capped at what was printed). */
  slice(from, to) { return this.#printed.slice(from, Math.min(to, this.#count)); }

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
    if (this.bufferSize > 0) {
      this.advance(t);
      if (this.#count > this.#jobStart && t - this.#lastActivityNs > this.jobIdleNs) this.flushJob();
      return;
    }
    if (this.#count > this.#jobStart && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
  }
}
