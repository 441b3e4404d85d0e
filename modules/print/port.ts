// The printer-port interface: what the spool needs from anything that puts bytes on paper
// (IEEE 1284 parallel by GPIO, a UART, a file capture). Types and constants only, no IO.

/** What the printer reports through its status lines, or what the port knows of it. */
export const PrinterState = Object.freeze({
  Ready: 0,
  Busy: 1,
  Offline: 2,
  PaperOut: 3,
  Error: 4,
} as const);
export type PrinterState = (typeof PrinterState)[keyof typeof PrinterState];

/** The one print queue, JetDirect's name for its port: the FTP folder, the LPD queue DNS-SD names (rp). */
export const queueName = "PORT1";

export const printerStateNames: readonly string[] = Object.freeze(["ready", "busy", "offline", "paper out", "error"]);

/** Installed by the spool with attach(); the port calls these, never the other way round. */
export interface PrinterPortEvents {
  /** The port can take bytes again after a write() that took fewer than offered. Called at most once per such write. */
  onWritable(): void;
  /** The printer's state changed (shown by STAT, the status file and the log). */
  onStateChanged(state: PrinterState): void;
}

/**
 * Rules every port keeps, so that nothing is lost, nothing printed twice and the network never stalls:
 *  - write() copies nothing it does not print: the bytes it reports as taken are its responsibility from then
 *    on, the rest stay with the caller, who offers them again after onWritable();
 *  - write() holds the CPU for one short slice at most (a few ms) and then returns what it took; whenever it
 *    returns less than `count` it calls onWritable() later, on a later turn of the event loop (never from inside write);
 *    write() may still be called before that onWritable() (a new job starts): it then simply takes what it can,
 *    and an onWritable() that comes when nothing is waiting is harmless;
 *  - a printer that is busy, offline or out of paper makes write() take 0 and onWritable() come once it can go on;
 *  - no method throws for printer trouble: that is a state, not an exception.
 */
export interface PrinterPort {
  /** For STAT, the status file and the log: "IEEE 1284 parallel", "UART 9600 8N1", "capture /tmp/jobs". */
  readonly description: string;
  readonly state: PrinterState;
  attach(events: PrinterPortEvents): void;
  /** A job starts; its bytes follow through write(). `name` is the file name the client gave. */
  beginJob(jobId: number, name: string): void;
  /** Offers bytes[at, at + count). Returns how many the port took now, 0 ... count. */
  write(bytes: Uint8Array, at: number, count: number): number;
  /**
   * The job ends: `complete` when its last byte was taken, otherwise it was cancelled or cut short
   * and the port drops anything it holds that has not reached the printer yet.
   */
  endJob(complete: boolean): void;
  /** Releases pins, files and timers. */
  close(): void;
}
