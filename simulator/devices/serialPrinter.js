// A virtual serial printer: a small receive buffer emptied at printing speed, with XON/XOFF or a busy (DTR/CTS)
// line for flow control, and every lost byte recorded. Engine-neutral: times are given by the caller, in ns.

const XON = 0x11, XOFF = 0x13;

/**
 * The printer stops the host when its buffer holds `highWater` bytes (XOFF, or busy line high) and lets it go
 * again at `lowWater`. The gap above highWater must cover what the host already has in flight: on an ESP32 that
 * is the whole 128-byte TX FIFO, which no flow control can call back. A byte that finds the buffer full is lost
 * and recorded as an "overrun" violation.
 */
export class SerialPrinter {
  bufferBytes;
  highWater;
  lowWater;
  printNs;
  flow;
  jobIdleNs;
  onJob;
  #uart;              // { transmit(byte, t) } to the host's RX
  #fill = 0;
  #nextPrintNs = Infinity;
  #stopped = false;
  #offlineUntilNs = -Infinity;
  #printed = new Uint8Array(64 * 1024);
  #count = 0;         // bytes received into the buffer (printed or waiting)
  #jobStart = 0;
  #lastByteNs = -Infinity;
  jobs = [];
  violations = [];
  xoffSent = 0;
  xonSent = 0;
  stops = 0;          // times it told the host to wait (XOFF or busy line high), whatever the flow control

  constructor({ bufferBytes = 1024, highWater, lowWater = 256, bytesPerSecond = 2000, flow = "xonxoff",
    jobIdleMs = 2000, onJob } = {}) {
    this.bufferBytes = bufferBytes;
    this.highWater = highWater ?? bufferBytes - 256;
    this.lowWater = lowWater;
    this.printNs = 1e9 / bytesPerSecond;
    this.flow = flow;
    this.jobIdleNs = jobIdleMs * 1e6;
    this.onJob = onJob;
  }

  /** The UART end of the cable: XON/XOFF go out through uart.transmit(byte, timeNs). */
  attach(uart) { this.#uart = uart; }

  receive(byte, t) {
    this.advance(t);
    if (this.#fill >= this.bufferBytes) {
      this.violations.push({ kind: "overrun", atNs: t, byteIndex: this.#count });
      return;
    }
    if (this.#count > this.#jobStart && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
    this.#store(byte);
    this.#lastByteNs = t;
    if (this.#fill++ === 0 && this.#nextPrintNs === Infinity) this.#nextPrintNs = Math.max(t, this.#offlineUntilNs) + this.printNs;
    if (this.#fill >= this.highWater) this.#stop(t);
  }

  /** Prints what is due by time t, and says XON when the buffer has drained. */
  advance(t) {
    while (this.#fill > 0 && this.#nextPrintNs <= t) {
      const at = this.#nextPrintNs;
      this.#fill--;
      this.#nextPrintNs = this.#fill > 0 ? at + this.printNs : Infinity;
      if (this.#stopped && this.#fill <= this.lowWater && at >= this.#offlineUntilNs) this.#go(at);
    }
    if (this.#stopped && this.#fill <= this.lowWater && t >= this.#offlineUntilNs) this.#go(this.#offlineUntilNs > -Infinity ? this.#offlineUntilNs : t);
  }

  #stop(t) {
    if (this.#stopped) return;
    this.#stopped = true;
    this.stops++;
    if (this.flow === "xonxoff") { this.xoffSent++; this.#uart?.transmit(XOFF, t); }
  }

  #go(t) {
    this.#stopped = false;
    if (this.flow === "xonxoff") { this.xonSent++; this.#uart?.transmit(XON, t); }
  }

  /** The busy line (high = stop), for flow "busy". */
  busy(t) { this.advance(t); return this.#stopped ? 1 : 0; }

  nextChangeNs(t) {
    let next = this.#nextPrintNs;
    if (t < this.#offlineUntilNs && this.#offlineUntilNs < next) next = this.#offlineUntilNs;
    return next;
  }

  /** Stops printing and the host for `forNs` (the panel's on-line button). */
  goOffline(t, forNs = Infinity) {
    this.advance(t);
    this.#offlineUntilNs = t + forNs;
    if (this.#nextPrintNs !== Infinity) this.#nextPrintNs = Math.max(this.#nextPrintNs, this.#offlineUntilNs);
    this.#stop(t);
  }

  goOnline(t) {
    this.#offlineUntilNs = -Infinity;
    if (this.#fill > 0) this.#nextPrintNs = Math.min(this.#nextPrintNs, t + this.printNs);
    this.advance(t);
  }

  get stopped() { return this.#stopped; }
  get fill() { return this.#fill; }
  get count() { return this.#count; }

  #store(byte) {
    if (this.#count === this.#printed.length) {
      const bigger = new Uint8Array(this.#printed.length * 2);
      bigger.set(this.#printed);
      this.#printed = bigger;
    }
    this.#printed[this.#count++] = byte;
  }

  bytes() { return this.#printed.slice(0, this.#count); }

  /** Bytes [from, to) of everything printed so far (a copy; `to` is capped at what was printed). */
  slice(from, to) { return this.#printed.slice(from, Math.min(to, this.#count)); }

  flushJob() {
    if (this.#count === this.#jobStart) return undefined;
    const job = this.#printed.slice(this.#jobStart, this.#count);
    this.#jobStart = this.#count;
    this.jobs.push(job);
    this.onJob?.(job, this.jobs.length - 1);
    return job;
  }

  checkIdle(t) {
    if (this.#count > this.#jobStart && t - this.#lastByteNs > this.jobIdleNs) this.flushJob();
  }
}
