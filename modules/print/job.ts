// A print job as the spool and the status report see it. One PrintJob per session slot, made at start and reused,
// so queueing a job allocates nothing.

/** Finished jobs kept for the status file. */
export const jobHistoryLength = 8;

export const JobState = Object.freeze({
  Idle: 0,
  /** In the queue behind another job: its data connection is open but not read, so TCP holds the client back. */
  Waiting: 1,
  /** Its bytes flow from the data socket through the ring to the printer. */
  Receiving: 2,
  /** The client closed the data connection; the ring is draining into the printer. */
  Draining: 3,
} as const);
export type JobState = (typeof JobState)[keyof typeof JobState];

export const JobOutcome = Object.freeze({
  /** The printer took every byte; the client got 226. */
  Printed: 0,
  /** ABOR: bytes not yet taken by the printer were dropped; or the document was bad (IPP's raster), ended early. */
  Aborted: 1,
  /** The control connection went away before the data was complete: bytes not yet taken were dropped. */
  ClientLost: 2,
  /** Taken out of the queue by someone else (LPD's remove-jobs, the setup page): bytes not yet taken were dropped. */
  Removed: 3,
} as const);
export type JobOutcome = (typeof JobOutcome)[keyof typeof JobOutcome];

/** What an outcome is called, in JobOutcome's order. */
export interface OutcomeWords {
  /** Where it is shown: the status file, the page, status.json. */
  readonly name: string;
  /** In the spool's end-of-job log line (tests and the bench wait for these). */
  readonly logged: string;
}

/** The one table of job outcome names, indexed by JobOutcome. */
export const jobOutcomeWords: readonly OutcomeWords[] = Object.freeze([
  Object.freeze({ name: "printed", logged: "printed" }),
  Object.freeze({ name: "aborted", logged: "aborted" }),
  Object.freeze({ name: "client lost", logged: "cut short, client gone" }),
  Object.freeze({ name: "removed", logged: "removed" }),
]);

/** What the spool asks of the job's data connection. Implemented by the session's data channel. */
export interface JobFeeder {
  /** The job reached the head of the queue: start reading the data socket into the spool's ring. */
  jobStarted(): void;
  /** The printer freed room in the ring: read more if the socket has bytes. */
  ringHasRoom(): void;
  /** After finish(): the printer took the job's last byte. */
  jobPrinted(): void;
  /**
   * Spool.remove() took the job out of the queue (it is recorded as Removed already): stop reading, drop the
   * connection, and tell the client if the protocol can.
   */
  jobRemoved(): void;
}

export class PrintJob {
  id = 0;
  name = "";
  /** Who sent it, for the queue listings: the FTP user, the LPD user, or the raw client's address. */
  owner = "";
  /** How it came: "ftp", "raw" or "lpd" (fixed per feeder). */
  readonly source: string;
  /** TYPE A: bare LF becomes CRLF on the way to the printer. */
  lineEnds = false;
  state: JobState = JobState.Idle;
  bytesReceived = 0;
  bytesPrinted = 0;
  /** The data connection has ended (its bytes may still be on their way to the printer). */
  endOfData = false;
  /**
   * How the job is recorded once the printer took its last byte: Printed, or Aborted when its sender found the
   * document bad but still had bytes for the printer (a raster converter ends the page and resets the printer).
   */
  finishedAs: JobOutcome = JobOutcome.Printed;
  readonly feeder: JobFeeder;

  constructor(feeder: JobFeeder, source: string) {
    this.feeder = feeder;
    this.source = source;
  }
}

/** A finished job, as kept for the status file. */
export interface JobRecord {
  id: number;
  name: string;
  owner: string;
  source: string;
  bytesReceived: number;
  bytesPrinted: number;
  outcome: JobOutcome;
}
