// A printer port for the scenario host: takes a settable number of bytes per event-loop turn, can stall in any
// PrinterState and come back, and records every job's bytes exactly as offered. Engine-neutral (no Node API).
// It keeps the PrinterPort rules of modules/print/port.ts to the letter, and checks the spool keeps its side:
// a rule broken by either side is recorded in `violations`, which the host asserts empty after each scenario.

const Ready = 0; // PrinterState.Ready; the numbers are part of the port contract (modules/print/port.ts)

export class VirtualPrinter {
  /**
   * loop: the scenario's event loop (its defer() is "a later turn");
   * bytesPerTurn: how much the printer takes before it needs a turn to recover (Infinity = no limit).
   */
  constructor(loop, { bytesPerTurn = 4096 } = {}) {
    this.loop = loop;
    this.bytesPerTurn = bytesPerTurn;
    this.description = "virtual printer";
    this.state = Ready;
    /** Every job the spool began: { id, name, bytes: Uint8Array, complete: boolean | undefined (still open) }. */
    this.jobs = [];
    this.violations = [];
    this.closed = false;
    this.writes = 0;
    this.events = undefined;
    this.budget = bytesPerTurn;
    this.owesWritable = false;   // a short write happened: exactly one onWritable must follow, on a later turn
    this.refillPending = false;
    this.chunks = [];            // the open job's bytes, joined when it ends
    this.open = undefined;
  }

  attach(events) {
    if (this.events) this.violations.push("attach() called twice");
    this.events = events;
  }

  beginJob(jobId, name) {
    if (this.open) this.violations.push(`beginJob(${jobId}) while job ${this.open.id} is still open`);
    this.open = { id: jobId, name, bytes: undefined, complete: undefined };
    this.jobs.push(this.open);
    this.chunks = [];
  }

  write(bytes, at, count) {
    this.writes++;
    if (!this.open) {
      this.violations.push(`write(${count} bytes) outside a job`);
      return 0;
    }
    if (!(bytes instanceof Uint8Array) || at < 0 || count < 0 || at + count > bytes.length) {
      this.violations.push(`write() with bad arguments: at ${at}, count ${count}, length ${bytes?.length}`);
      return 0;
    }
    let taken = this.state === Ready ? Math.min(count, this.budget) : 0;
    if (taken > 0) {
      // A copy: the spool reuses its ring, and what counts is what reached "paper" at the moment it was taken.
      this.chunks.push(bytes.slice(at, at + taken));
      this.budget -= taken;
    }
    if (taken < count) this.owesWritable = true;
    // The budget is per turn: whatever was taken, it comes back on the next turn (and onWritable with it if owed).
    if (taken > 0 || taken < count) this.#scheduleRefill();
    return taken;
  }

  endJob(complete) {
    if (!this.open) {
      this.violations.push("endJob() with no job open");
      return;
    }
    this.open.bytes = joinChunks(this.chunks);
    this.open.complete = complete;
    this.open = undefined;
    this.chunks = [];
  }

  close() {
    this.closed = true;
  }

  // --- what a scenario does to the printer ---

  /** The printer stops taking bytes (Busy, Offline, PaperOut, Error) and says so. */
  stall(state) {
    this.state = state;
    this.events?.onStateChanged(state);
  }

  /** The printer is back: it says so and, if a write was cut short, the spool hears onWritable on a later turn. */
  resume() {
    this.state = Ready;
    this.events?.onStateChanged(Ready);
    this.budget = this.bytesPerTurn;
    if (this.owesWritable) this.#scheduleRefill();
  }

  /** Bytes of the job still open (printed so far), for assertions mid-job. */
  openJobBytes() {
    return joinChunks(this.chunks);
  }

  #scheduleRefill() {
    if (this.refillPending || this.state !== Ready) return;
    this.refillPending = true;
    this.loop.defer(() => {
      this.refillPending = false;
      if (this.closed) return;
      this.budget = this.bytesPerTurn;
      if (this.state !== Ready || !this.owesWritable) return;
      this.owesWritable = false;
      this.events.onWritable();
    });
  }
}

function joinChunks(chunks) {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
