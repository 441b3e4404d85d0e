// The spool: one printer, many sessions. Jobs print one at a time in arrival order (FIFO) and never interleave;
// the head job's bytes flow socket → ring → printer, and the others wait with their sockets unread, so TCP flow
// control holds their clients back instead of our memory. Allocates nothing per chunk: the ring is made once.

import { LineEndFilter, carriageReturn } from "./asciiFilter.js";
import { JobOutcome, JobState, jobHistoryLength, jobOutcomeWords, type JobRecord, type PrintJob } from "./job.js";
import { PrinterState, printerStateNames, type PrinterPort } from "./port.js";
import { Reentry } from "./reentry.js";
import { ByteRing } from "./ring.js";

/**
 * Told where each job's bytes begin and end in the one stream of bytes the printer port took (`atByte` counts them
 * from start, as `bytesPrinted` does), so that something looking at what the printer made (the simulator's printout
 * shelf) can tell the jobs apart. Called per job, never per chunk; a hook that throws is ignored.
 */
export interface SpoolObserver {
  /** The job reached the printer port: its first byte will be byte `atByte` of the stream. */
  jobStarted(job: PrintJob, atByte: number): void;
  /** The job left the port, printed or cut short: its bytes are those before `atByte`. */
  jobEnded(job: PrintJob, outcome: JobOutcome, atByte: number): void;
}

export interface SpoolOptions {
  /** The first job's id (default 1): the simulator continues after the printouts it already has. */
  firstJobId?: number;
  observer?: SpoolObserver | undefined;
  /** Milliseconds, for the progress lines of long jobs (default Date.now). */
  now?: () => number;
  /** A job printing longer than this logs "job N: X bytes printed of Y received" at most this often (default 5000). */
  progressIntervalMs?: number;
}

/** The clock is read only after this many more bytes printed, so the data path costs one comparison per write. */
export const progressCheckBytes = 16384;

export class Spool {
  readonly port: PrinterPort;
  readonly ring: ByteRing;
  readonly #log: (line: string) => void;
  readonly #lineEnds = new LineEndFilter();
  /** Jobs in order; queue[0] is the one printing. At most one per session slot. */
  readonly #queue: PrintJob[] = [];
  readonly #history: JobRecord[] = [];
  #historyNext = 0;
  #nextJobId = 1;
  /** The port returned a short write and has not called onWritable yet. */
  #awaitingPort = false;
  readonly #pumping = new Reentry();
  readonly #pumpPass = (): boolean => this.#pumpOnce();
  readonly #observer: SpoolObserver | undefined;
  readonly #now: () => number;
  readonly #progressIntervalMs: number;
  /** The head job's bytesPrinted at which the clock is looked at next, and when its last progress line was. */
  #progressCheckAt = 0;
  #progressLoggedMs = 0;

  jobsPrinted = 0;
  jobsAborted = 0;
  jobsClientLost = 0;
  jobsRemoved = 0;
  bytesPrinted = 0;
  printerState: PrinterState;

  constructor(port: PrinterPort, log: (line: string) => void, ringChunkBytes: number, ringChunkCount: number,
    options: SpoolOptions = {}) {
    this.port = port;
    this.#log = log;
    this.#nextJobId = options.firstJobId !== undefined && options.firstJobId >= 1 ? Math.floor(options.firstJobId) : 1;
    this.#observer = options.observer;
    this.#now = options.now ?? Date.now;
    this.#progressIntervalMs = options.progressIntervalMs ?? 5000;
    this.ring = new ByteRing(ringChunkBytes, ringChunkCount);
    this.printerState = port.state;
    for (let i = 0; i < jobHistoryLength; i++)
      this.#history.push({ id: 0, name: "", owner: "", source: "", bytesReceived: 0, bytesPrinted: 0, outcome: JobOutcome.Printed });
    port.attach({
      onWritable: () => {
        this.#awaitingPort = false;
        this.#pump();
      },
      onStateChanged: (state) => {
        if (state === this.printerState) return;
        this.printerState = state;
        this.#log(`printer ${printerStateNames[state]}`);
      },
    });
  }

  /** The job printing now, if any. */
  get current(): PrintJob | undefined {
    return this.#queue[0];
  }

  get queueLength(): number {
    return this.#queue.length;
  }

  /** The jobs in order, the one printing first. Read-only: change the queue through submit(), cancel(), remove(). */
  get jobs(): readonly PrintJob[] {
    return this.#queue;
  }

  /** 0 while printing, n when n jobs are ahead of it, -1 when not queued. */
  positionOf(job: PrintJob): number {
    return this.#queue.indexOf(job);
  }

  /**
   * Takes the next job id for a job that will be submitted later: IPP's Create-Job names its job before any of its
   * data comes, and passes the id to submit() then.
   */
  reserveJobId(): number {
    return this.#nextJobId++;
  }

  /**
   * Queues a job; it starts at once (feeder.jobStarted) when the printer is free. Returns its queue position.
   * `reservedId`: an id from reserveJobId(), else the next one is taken.
   */
  submit(job: PrintJob, name: string, lineEnds: boolean, reservedId = 0): number {
    job.id = reservedId > 0 ? reservedId : this.#nextJobId++;
    job.name = name;
    job.lineEnds = lineEnds;
    job.bytesReceived = 0;
    job.bytesPrinted = 0;
    job.endOfData = false;
    job.finishedAs = JobOutcome.Printed;
    job.state = JobState.Waiting;
    this.#queue.push(job);
    const position = this.#queue.length - 1;
    this.#log(`job ${job.id} "${name}" queued${position ? `, ${position} ahead` : ""}`);
    if (position === 0) this.#start(job);
    return position;
  }

  /** The head job's feeder put `count` more bytes into the ring (through receiveView() and commit()). */
  received(job: PrintJob, count: number): void {
    job.bytesReceived += count;
    this.#pump();
  }

  /**
   * The job's data connection reached its end: print what is in the ring, then feeder.jobPrinted(). `outcome`
   * Aborted: its sender found the document bad and ended it early, the bytes in the ring still go to the printer.
   */
  finish(job: PrintJob, outcome: typeof JobOutcome.Printed | typeof JobOutcome.Aborted = JobOutcome.Printed): void {
    job.endOfData = true;
    job.finishedAs = outcome;
    if (job.state !== JobState.Receiving) return;   // a waiting job (an empty upload) still waits for its turn
    job.state = JobState.Draining;
    this.#pump();
  }

  /** Ends a job early; bytes the printer has not taken are dropped. Safe for a job not in the queue. */
  cancel(job: PrintJob, outcome: JobOutcome): void {
    const position = this.#queue.indexOf(job);
    if (position < 0) return;
    this.#queue.splice(position, 1);
    if (position === 0) {
      this.ring.clear();
      this.#lineEnds.reset();
      this.port.endJob(false);
      this.#notifyEnded(job, outcome);
    }
    this.#record(job, outcome);
    if (position === 0 && this.#queue.length > 0) this.#start(this.#queue[0]);
  }

  /**
   * Takes job `id` out of the queue for someone other than its sender (LPD's remove-jobs, the setup page): it is
   * recorded as Removed and its feeder drops the connection. Returns whether the job was queued.
   */
  remove(id: number): boolean {
    const job = this.#queue.find((queued) => queued.id === id);
    if (!job) return false;
    this.cancel(job, JobOutcome.Removed);
    job.feeder.jobRemoved();
    return true;
  }

  /** The last jobs, oldest first. */
  history(): JobRecord[] {
    const records: JobRecord[] = [];
    for (let i = 0; i < jobHistoryLength; i++) {
      const record = this.#history[(this.#historyNext + i) % jobHistoryLength];
      if (record.id) records.push(record);
    }
    return records;
  }

  #start(job: PrintJob): void {
    job.state = job.endOfData ? JobState.Draining : JobState.Receiving;
    this.ring.clear();
    this.#lineEnds.reset();
    this.#awaitingPort = false;                      // a new job may be offered at once; a late onWritable is harmless
    this.port.beginJob(job.id, job.name);
    this.#log(`job ${job.id} printing`);
    this.#progressCheckAt = progressCheckBytes;
    this.#progressLoggedMs = this.#now();
    if (this.#observer) {
      try {
        this.#observer.jobStarted(job, this.bytesPrinted);
      } catch {
        // what the printout shelf does with a job is no reason to stop printing it
      }
    }
    if (job.state === JobState.Receiving) job.feeder.jobStarted();
    else this.#pump();
  }

  /**
   * Moves bytes ring → printer and socket → ring until neither can move. Guarded against re-entry: a feeder that
   * calls received() from ringHasRoom(), or a job that completes and starts the next, just runs the loop again.
   */
  #pump(): void {
    this.#pumping.run(this.#pumpPass);
  }

  /** One pass of the pump; true when there is nothing to move. */
  #pumpOnce(): boolean {
    const job = this.#queue[0];
    if (!job || job.state === JobState.Waiting) return true;
    this.#feedPrinter(job);
    if (job.state === JobState.Receiving && this.ring.free > 0) job.feeder.ringHasRoom();
    else if (job.state === JobState.Draining && this.ring.filled === 0 && !this.#lineEnds.crOwed) this.#complete(job);
    return false;
  }

  #feedPrinter(job: PrintJob): void {
    const ring = this.ring, port = this.port, lineEnds = this.#lineEnds;
    while (!this.#awaitingPort && (ring.filled > 0 || lineEnds.crOwed)) {
      if (lineEnds.crOwed) {
        if (port.write(carriageReturn, 0, 1) === 0) { this.#awaitingPort = true; return; }
        lineEnds.tookCr();
        job.bytesPrinted++;
        this.bytesPrinted++;
        continue;
      }
      const at = ring.readAt;
      let count = ring.contiguousFilled();
      if (job.lineEnds) {
        count = lineEnds.safeRun(ring.bytes, at, count);
        if (count === 0) continue;                   // a bare LF: its CR goes first
      }
      const taken = port.write(ring.bytes, at, count);
      if (taken > 0) {
        if (job.lineEnds) lineEnds.took(ring.bytes, at, taken);
        ring.consume(taken);
        job.bytesPrinted += taken;
        this.bytesPrinted += taken;
      }
      if (job.bytesPrinted >= this.#progressCheckAt) this.#progress(job);
      if (taken < count) { this.#awaitingPort = true; return; }
    }
  }

  /** Every progressCheckBytes: a line for a job that has been printing a while (cheap: no clock read per chunk). */
  #progress(job: PrintJob): void {
    this.#progressCheckAt = job.bytesPrinted + progressCheckBytes;
    const now = this.#now();
    if (now - this.#progressLoggedMs < this.#progressIntervalMs) return;
    this.#progressLoggedMs = now;
    this.#log(`job ${job.id}: ${job.bytesPrinted} bytes printed of ${job.bytesReceived} received`);
  }

  #notifyEnded(job: PrintJob, outcome: JobOutcome): void {
    if (!this.#observer) return;
    try {
      this.#observer.jobEnded(job, outcome, this.bytesPrinted);
    } catch {
      // as in #start
    }
  }

  #complete(job: PrintJob): void {
    this.#queue.shift();
    this.port.endJob(true);
    this.#notifyEnded(job, job.finishedAs);
    this.#record(job, job.finishedAs);
    job.feeder.jobPrinted();
    // jobPrinted() may run the session's next command, and a STOR whose data connection is already up submits at
    // once; into an empty queue, submit() has started that job itself. Starting it again would call beginJob and
    // jobStarted twice and clear the bytes it had already read into the ring, so only a job still waiting starts.
    const next = this.#queue[0];
    if (next && next.state === JobState.Waiting) this.#start(next);
    this.#pumping.again();
  }

  #record(job: PrintJob, outcome: JobOutcome): void {
    job.state = JobState.Idle;
    const record = this.#history[this.#historyNext];
    this.#historyNext = (this.#historyNext + 1) % jobHistoryLength;
    record.id = job.id;
    record.name = job.name;
    record.owner = job.owner;
    record.source = job.source;
    record.bytesReceived = job.bytesReceived;
    record.bytesPrinted = job.bytesPrinted;
    record.outcome = outcome;
    if (outcome === JobOutcome.Printed) this.jobsPrinted++;
    else if (outcome === JobOutcome.Aborted) this.jobsAborted++;
    else if (outcome === JobOutcome.Removed) this.jobsRemoved++;
    else this.jobsClientLost++;
    this.#log(`job ${job.id} "${job.name}" ${jobOutcomeWords[outcome]!.logged}: ${job.bytesReceived} bytes received, ${job.bytesPrinted} printed`);
  }
}
