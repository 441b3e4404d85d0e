// IPP's jobs: a fixed table of records made at start, each with the PrintJob it puts in the one spool, so a job
// allocates nothing. A record outlives its connection (Get-Job-Attributes after the job printed), and its
// document may come on another connection than the one that made it (Create-Job, then Send-Document): the
// record is the spool's feeder and hands the spool's calls to whichever connection is delivering its document.

import { JobOutcome, JobState, PrintJob, type JobFeeder } from "print/job";
import { IppJobState } from "./constants.js";

export const JobStage = Object.freeze({
  Free: 0,
  /** Made by Create-Job: no document yet (job-state pending, job-incoming). */
  AwaitingDocument: 1,
  /** In the spool: queued or printing. */
  Spooled: 2,
  Completed: 3,
  Canceled: 4,
  Aborted: 5,
} as const);
export type JobStage = (typeof JobStage)[keyof typeof JobStage];

/** The connection delivering a job's document, while it does (exchange.ts). */
export interface DocumentFeed {
  jobStarted(): void;
  ringHasRoom(): void;
  /** The spool took the job out (Cancel-Job on another connection, the page, LPD's remove): stop, drop the rest. */
  jobRemoved(): void;
}

/** Up-time in seconds (printer-up-time's clock) and the wall clock in ms (for the dateTime attributes). */
export interface JobClock {
  upTime(): number;
  now(): number;
}

export class IppJob implements JobFeeder {
  readonly printJob: PrintJob;
  readonly #clock: JobClock;
  #feed: DocumentFeed | undefined;
  stage: JobStage = JobStage.Free;
  id = 0;
  name = "";
  user = "";
  format = "";
  media = "";
  /** Up-time seconds and epoch ms of creation, of reaching the printer, of ending (0: not yet). */
  createdAt = 0;
  createdMs = 0;
  processingAt = 0;
  processingMs = 0;
  completedAt = 0;
  completedMs = 0;
  /** A Create-Job job takes Send-Document (and Close-Job) until its last document. */
  open = false;
  /** Its document has printed; while still open it stays processing (waiting for Close-Job or the time-out). */
  printed = false;
  documents = 0;
  /** The document's bytes as the client sent them (job-k-octets): a raster document's printer bytes differ. */
  documentBytes = 0;
  /** job-state-reasons of a canceled or aborted job. */
  endReason = "";
  /** Multiple-operation time-out: up-time by which a Create-Job job must have its document. */
  documentDueAt = 0;

  constructor(clock: JobClock) {
    this.#clock = clock;
    this.printJob = new PrintJob(this, "ipp");
  }

  /** Starts the record over for a new job (the spool gives the id at submit, or Create-Job reserves one). */
  begin(id: number, name: string, user: string, format: string, media: string): void {
    this.stage = JobStage.AwaitingDocument;
    this.id = id;
    this.name = name;
    this.user = user;
    this.format = format;
    this.media = media;
    this.createdAt = this.#clock.upTime();
    this.createdMs = this.#clock.now();
    this.processingAt = this.processingMs = this.completedAt = this.completedMs = 0;
    this.open = this.printed = false;
    this.documents = this.documentBytes = 0;
    this.endReason = "";
    this.documentDueAt = 0;
    this.#feed = undefined;
  }

  get finished(): boolean {
    return this.stage >= JobStage.Completed;
  }

  /** The connection now delivering the document (undefined: none). */
  attach(feed: DocumentFeed | undefined): void {
    this.#feed = feed;
  }

  /** Ended by us: canceled (Cancel-Job, a job with nothing to print) or aborted (client gone, no document in time). */
  end(stage: typeof JobStage.Canceled | typeof JobStage.Aborted | typeof JobStage.Completed, reason: string): void {
    if (this.finished) return;
    this.stage = stage;
    this.endReason = reason;
    this.#ended();
    this.#feed = undefined;
  }

  #ended(): void {
    this.completedAt = this.#clock.upTime();
    this.completedMs = this.#clock.now();
  }

  // ---- the spool's side (JobFeeder) ----

  jobStarted(): void {
    this.processingAt = this.#clock.upTime();
    this.processingMs = this.#clock.now();
    this.#feed?.jobStarted();
  }

  ringHasRoom(): void {
    this.#feed?.ringHasRoom();
  }

  jobPrinted(): void {
    this.#feed = undefined;
    if (this.printJob.finishedAs === JobOutcome.Aborted) {
      // Its converter found the document bad (the page it was on ended, the printer reset): aborted (PWG 5100.7).
      this.open = false;
      this.stage = JobStage.Aborted;
      this.endReason = "document-format-error";
      this.#ended();
      return;
    }
    this.printed = true;
    if (this.open) return;                             // a later Close-Job (or the time-out) completes it
    this.stage = JobStage.Completed;
    this.#ended();
  }

  /** No more documents (Close-Job, an empty last Send-Document, the time-out): a printed job is complete now. */
  close(): void {
    this.open = false;
    if (this.printed && this.stage === JobStage.Spooled) {
      this.stage = JobStage.Completed;
      this.#ended();
    }
  }

  jobRemoved(): void {
    // Removed through the spool: by IPP's Cancel-Job (which set the reason first), the page or LPD (an operator).
    this.stage = JobStage.Canceled;
    this.endReason ||= "job-canceled-by-operator";
    this.#ended();
    const feed = this.#feed;
    this.#feed = undefined;
    feed?.jobRemoved();
  }
}

/** job-state (RFC 8011 §5.3.7) from where the job is; `printerStopped`: paper out, offline or in error. */
export function ippJobState(job: IppJob, printerStopped: boolean): number {
  switch (job.stage) {
    case JobStage.AwaitingDocument: return IppJobState.pending;
    case JobStage.Spooled:
      if (job.printed) return IppJobState.processing;
      if (job.printJob.state === JobState.Waiting) return IppJobState.pending;
      return printerStopped ? IppJobState.processingStopped : IppJobState.processing;
    case JobStage.Completed: return IppJobState.completed;
    case JobStage.Canceled: return IppJobState.canceled;
    default: return IppJobState.aborted;
  }
}

/** job-state-reasons (RFC 8011 §5.3.8, PWG 5100.7). */
export function ippJobStateReasons(job: IppJob, printerStopped: boolean): string[] {
  switch (job.stage) {
    case JobStage.AwaitingDocument: return ["job-incoming"];
    case JobStage.Spooled:
      if (job.printed) return ["job-incoming"];        // printed, open for more (multiple-operation-time-out)
      if (job.printJob.state === JobState.Waiting) return ["job-queued"];
      return printerStopped ? ["job-printing", "printer-stopped"] : ["job-printing"];
    case JobStage.Completed: return [job.endReason || "job-completed-successfully"];
    default: return [job.endReason || "aborted-by-system"];
  }
}

export class JobTable {
  readonly #jobs: readonly IppJob[];

  constructor(count: number, clock: JobClock) {
    const jobs: IppJob[] = [];
    for (let i = 0; i < count; i++) jobs.push(new IppJob(clock));
    this.#jobs = Object.freeze(jobs);
  }

  get all(): readonly IppJob[] {
    return this.#jobs;
  }

  /** A record for a new job: a free one, else the one that finished longest ago; undefined when all are live. */
  allocate(): IppJob | undefined {
    let oldest: IppJob | undefined;
    for (const job of this.#jobs) {
      if (job.stage === JobStage.Free) return job;
      if (job.finished && (!oldest || job.completedMs < oldest.completedMs || (job.completedMs === oldest.completedMs && job.id < oldest.id)))
        oldest = job;
    }
    return oldest;
  }

  find(id: number): IppJob | undefined {
    if (!(id > 0)) return undefined;
    return this.#jobs.find((job) => job.stage !== JobStage.Free && job.id === id);
  }
}
