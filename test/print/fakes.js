// Test doubles for the spool: a printer port and a data-connection feeder that keep the PrinterPort and JobFeeder
// contracts (modules/print/port.ts, job.ts) on a manual event queue, so "later" is a step the test takes, not a timer.

import { PrinterState } from "../../build/modules/print/port.js";

/** Callbacks that run "on a later turn": nothing runs until the test calls run(). */
export class EventQueue {
  #pending = [];
  later(callback) { this.#pending.push(callback); }
  get size() { return this.#pending.length; }
  /** Runs events (and the events they queue) until none is left; returns how many ran. */
  run(limit = 1_000_000) {
    let ran = 0;
    while (this.#pending.length) {
      if (++ran > limit) throw new Error("event queue never drains");
      this.#pending.shift()();
    }
    return ran;
  }
}

/**
 * A printer port that takes at most `bytesPerWrite` bytes per write (Infinity: all), or nothing while stalled.
 * After a short write it queues exactly one onWritable() on `queue`, never calling it from inside write().
 */
export class FakePort {
  description = "fake printer";
  state = PrinterState.Ready;
  /** Every call the spool made, in order: ["beginJob", id, name], ["endJob", complete]. Writes are not listed. */
  calls = [];
  /** Bytes printed per job, in beginJob order: { id, name, bytes: number[], complete }. */
  jobs = [];
  writes = 0;
  shortWrites = 0;
  stalled = false;
  #events;

  constructor(queue, bytesPerWrite = Infinity) {
    this.queue = queue;
    this.bytesPerWrite = bytesPerWrite;
  }

  attach(events) { this.#events = events; }

  beginJob(id, name) {
    this.calls.push(["beginJob", id, name]);
    this.jobs.push({ id, name, bytes: [], complete: undefined });
  }

  write(bytes, at, count) {
    if (count <= 0) throw new Error("write of nothing");
    if (at < 0 || at + count > bytes.length) throw new Error("write outside the buffer");
    this.writes++;
    const job = this.jobs.at(-1);
    if (!job || job.complete !== undefined) throw new Error("write outside a job");
    const taken = this.stalled ? 0 : Math.min(count, this.bytesPerWrite);
    for (let i = 0; i < taken; i++) job.bytes.push(bytes[at + i]);
    if (taken < count) {
      this.shortWrites++;
      if (!this.stalled) this.queue.later(() => this.#events.onWritable());
    }
    return taken;
  }

  endJob(complete) {
    this.calls.push(["endJob", complete]);
    this.jobs.at(-1).complete = complete;
  }

  close() {}

  /** The printer can go on after a stall: one onWritable on a later turn. */
  resume() {
    this.stalled = false;
    this.queue.later(() => this.#events.onWritable());
  }

  changeState(state) {
    this.state = state;
    this.#events.onStateChanged(state);
  }

  /** What the printer got for the job with this id, as a string of bytes. */
  printed(id) {
    const job = this.jobs.find((j) => j.id === id);
    return job ? String.fromCharCode(...job.bytes) : undefined;
  }
}

/**
 * The data connection of one upload, modelled on modules/ftp/dataChannel.ts: bytes "arrive" (arrive()), are read
 * into the ring only while the spool lets the job read (after jobStarted), through receiveView() and commit(), and
 * reported with received(); ringHasRoom() reads again, re-entering the spool. close() is the client's end of file.
 */
export class SocketFeeder {
  /** Feeder callbacks in order: "jobStarted", "ringHasRoom", "jobPrinted". */
  calls = [];
  #buffered = [];
  #reading = false;
  #closed = false;
  #finished = false;

  constructor(spool) {
    this.spool = spool;
  }

  /** Bytes the client sent: buffered in the "socket", read at once if the job may read. */
  arrive(text) {
    for (const c of text) this.#buffered.push(c.charCodeAt(0));
    this.#pull();
  }

  /** The client closed the data connection after what it sent (reported once everything buffered was read). */
  close() {
    this.#closed = true;
    this.#pull();
  }

  get buffered() { return this.#buffered.length; }

  jobStarted() {
    this.calls.push("jobStarted");
    this.#reading = true;
    this.#pull();
  }

  ringHasRoom() {
    this.calls.push("ringHasRoom");
    this.#pull();
  }

  jobPrinted() {
    this.calls.push("jobPrinted");
    this.#reading = false;
  }

  jobRemoved() {
    this.calls.push("jobRemoved");
    this.#reading = false;
    this.#finished = true;
  }

  #pull() {
    if (!this.#reading || this.#finished) return;
    const ring = this.spool.ring;
    let received = 0;
    while (this.#buffered.length > 0) {
      const view = ring.receiveView(this.#buffered.length);
      if (!view) break;
      for (let i = 0; i < view.length; i++) view[i] = this.#buffered[i];
      this.#buffered.splice(0, view.length);
      ring.commit(view.length);
      received += view.length;
    }
    if (received > 0) this.spool.received(this.job, received);
    if (this.#closed && this.#buffered.length === 0 && !this.#finished) {
      this.#finished = true;
      this.spool.finish(this.job);
    }
  }
}

/** A feeder that only records its callbacks; the test moves bytes itself. */
export class RecordingFeeder {
  calls = [];
  jobStarted() { this.calls.push("jobStarted"); }
  ringHasRoom() { this.calls.push("ringHasRoom"); }
  jobPrinted() { this.calls.push("jobPrinted"); }
  jobRemoved() { this.calls.push("jobRemoved"); }
}
