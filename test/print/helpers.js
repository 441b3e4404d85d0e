// Shared rig for the printer-port tests: a fake event loop with the SDK Timer's semantics (virtual ms, nothing
// sleeps), a simulated GPIO board bound to it, and a tiny spool that feeds a job the way the real spool does.

import { GpioBoard, SimClock } from "../../simulator/io/gpio.js";
import { createDigitalBankClass } from "../../simulator/io/digitalbank.js";
import { createDigitalClass } from "../../simulator/io/digital.js";

globalThis.trace ??= (text) => process.stderr.write(String(text));

/**
 * Timers ordered by due time then arming order; one-shots die when they fire, as in the SDK
 * ($(MODDABLE)/modules/base/timer/modTimer.c, xs_timer_callback).
 */
export class FakeLoop {
  now = 0;
  fired = 0;
  #seq = 0;
  #timers = new Set();

  Timer = Object.freeze({
    set: (callback, delay = 0, repeat = 0) => {
      const timer = { callback, at: this.now + delay, repeat, seq: ++this.#seq, armed: true, dead: false };
      this.#timers.add(timer);
      return timer;
    },
    repeat: (callback, ms) => this.Timer.set(callback, ms, ms),
    schedule: (timer, delay, repeat = 0) => {
      if (timer.dead) throw new SyntaxError("invalid timer");
      if (delay === undefined) { timer.armed = false; return; }
      timer.at = this.now + delay;
      timer.repeat = repeat;
      timer.seq = ++this.#seq;
      timer.armed = true;
    },
    clear: (timer) => {
      if (!timer) return;
      timer.armed = false;
      timer.dead = true;
      this.#timers.delete(timer);
    },
    delay: () => { throw new Error("Timer.delay blocks the VM: not allowed here"); },
  });

  scheduler = Object.freeze({ set: (fn, ms) => this.Timer.set(fn, ms), clear: (handle) => this.Timer.clear(handle) });

  get pending() { let n = 0; for (const t of this.#timers) if (t.armed) n++; return n; }

  step(notAfter = Infinity) {
    let next;
    for (const timer of this.#timers) {
      if (!timer.armed) continue;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    if (!next || next.at > notAfter) return false;
    if (next.at > this.now) this.now = next.at;
    if (next.repeat) { next.at = this.now + next.repeat; next.seq = ++this.#seq; }
    else { next.armed = false; next.dead = true; this.#timers.delete(next); }
    this.fired++;
    next.callback(next);
    return true;
  }

  /** Runs timers until `until()` is true (checked between timers) or virtual time passes `maxMs`. */
  run(until = () => false, maxMs = 600_000) {
    const limit = this.now + maxMs;
    while (!until()) {
      if (!this.step()) return false;
      if (this.now > limit) return false;
    }
    return true;
  }

  /** Lets virtual time pass, running what falls due. */
  advance(ms) {
    const end = this.now + ms;
    while (this.step(end));
    this.now = end;
  }
}

/** A board whose clock is the loop's ms plus `callCostNs` per GPIO call, and Digital/DigitalBank bound to it. */
export function makeBoard(loop, { callCostNs = 1000 } = {}) {
  const clock = new SimClock({ callCostNs, timeSourceMs: () => loop.now });
  const board = new GpioBoard({ clock, scheduler: loop.scheduler });
  const DigitalBank = createDigitalBankClass(board);
  const Digital = createDigitalClass(board, DigitalBank);
  return { board, clock, DigitalBank, Digital };
}

/** A deterministic job: every byte value, in a pattern that changes the data lines a lot. */
export function makeJob(length, seed = 1) {
  const job = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; job[i] = x & 0xff; }
  return job;
}

/**
 * The spool's side of the PrinterPort contract: offer chunks, keep what was not taken, offer it again after
 * onWritable, end the job when all is taken. Records states and checks the rules (no onWritable inside write).
 */
export function feedJob(port, loop, job, { chunkBytes = 4096, jobId = 1 } = {}) {
  const feed = { offset: 0, done: false, states: [], writes: 0, shortWrites: 0, onWritables: 0, violations: [] };
  let inWrite = false;
  const pump = () => {
    while (feed.offset < job.length) {
      const count = Math.min(chunkBytes, job.length - feed.offset);
      inWrite = true;
      const taken = port.write(job, feed.offset, count);
      inWrite = false;
      feed.writes++;
      if (!(taken >= 0 && taken <= count)) feed.violations.push(`write took ${taken} of ${count}`);
      feed.offset += taken;
      if (taken < count) { feed.shortWrites++; return; }
    }
    if (!feed.done) { feed.done = true; port.endJob(true); }
  };
  port.attach({
    onWritable() {
      if (inWrite) feed.violations.push("onWritable from inside write");
      feed.onWritables++;
      if (!feed.done) pump();
    },
    onStateChanged(state) { feed.states.push({ state, atMs: loop.now, offset: feed.offset }); },
  });
  port.beginJob(jobId, "job.prn");
  pump();
  return feed;
}
