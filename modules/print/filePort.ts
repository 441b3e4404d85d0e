// A printer port that writes each job to its own file through the SDK's file module: the printer of the Moddable
// simulator (which has no GPIO) and of our Node simulator's `--printer file`. A speed limit makes it behave like a
// slow printer, so backpressure and queueing can be watched.
// A file that cannot be made or written (a folder gone, read-only or full) is a printer fault, as paper out is on
// a real printer: the port reports Error, takes nothing, and tries again every retryMs; it never throws.
// DOUBT: the SDK's File.write takes whole ArrayBuffers only (a Uint8Array throws on lin:
// $(MODDABLE)/modules/files/file/lin/modFile.c, xs_file_write takes each item through xsmcToArrayBuffer), so each
// write copies its range into a new ArrayBuffer. That is a simulator printer's cost; the device's ports take views.
// DOUBT: where a failed File.write leaves the file's position is not documented; the port sets it back to the
// bytes it knows are written before trying again (checked on our simulator's file module and on mcsim's).

import { File } from "file";
import Timer from "timer";
import { ParkedTimer } from "./parkedTimer.js";
import { PrinterState, type PrinterPort, type PrinterPortEvents } from "./port.js";
import { PortReporter } from "./portEvents.js";

/** Speed-limit granularity: the allowance is refilled this often. */
const refillMs = 10;
/** How often a port in fault tries its file again. */
const defaultRetryMs = 1000;

export interface FilePortOptions {
  /** Where the reason for a fault goes (the spool logs only "printer error"). */
  log?: (line: string) => void;
  retryMs?: number;
}

export class FilePort implements PrinterPort {
  readonly description: string;
  readonly #reporter: PortReporter;
  readonly #directory: string;
  readonly #bytesPerRefill: number;
  readonly #log: (line: string) => void;
  readonly #retryMs: number;
  /** The job's file, "" when no job is open. */
  #path = "";
  #file: File | undefined;
  /** Bytes of this job known to be in its file: where a write goes on after a failed one. */
  #written = 0;
  #failedWrite = false;
  #allowance = 0;
  /** Refills the speed limit's allowance; armed when it ran out. */
  readonly #refill: ParkedTimer;
  /** Tries a faulted file again; armed while in fault. */
  readonly #retry: ParkedTimer;

  /** `bytesPerSecond` 0 means as fast as the file system goes. */
  constructor(directory: string, bytesPerSecond: number, options: FilePortOptions = {}) {
    this.#directory = directory.endsWith("/") ? directory : directory + "/";
    this.#bytesPerRefill = bytesPerSecond > 0 ? Math.max(1, Math.round((bytesPerSecond * refillMs) / 1000)) : 0;
    this.#log = options.log ?? (() => {});
    this.#retryMs = options.retryMs ?? defaultRetryMs;
    this.#reporter = new PortReporter("capture", this.#log);
    // Each fires once per arm, with the spool told it may write again (and so the port tries again).
    this.#retry = new ParkedTimer(Timer, () => this.#writableAgain("retry"));
    this.#refill = new ParkedTimer(Timer, () => {
      this.#allowance = this.#bytesPerRefill;
      this.#writableAgain("refill");
    });
    this.description = `capture to ${this.#directory}` + (bytesPerSecond > 0 ? ` at ${bytesPerSecond} bytes/s` : "");
  }

  get state(): PrinterState {
    return this.#reporter.state;
  }

  attach(events: PrinterPortEvents): void {
    this.#reporter.attach(events);
  }

  beginJob(jobId: number, name: string): void {
    this.#closeFile();
    this.#path = `${this.#directory}${String(jobId).padStart(5, "0")}-${safeFileName(name)}`;
    this.#written = 0;
    this.#failedWrite = false;
    this.#allowance = this.#bytesPerRefill;
    this.#open();                                  // an empty job still leaves its (empty) file
  }

  write(bytes: Uint8Array, at: number, count: number): number {
    if (!this.#path) return count;                 // no job open: nothing to keep (never happens with the spool)
    const file = this.#file ?? this.#open();
    if (!file) return 0;                           // in fault: #retry calls onWritable
    if (this.#bytesPerRefill > 0) {
      count = Math.min(count, this.#allowance);
      if (count === 0) return 0;                   // #refill calls onWritable
    }
    try {
      if (this.#failedWrite) file.position = this.#written;
      file.write((bytes.buffer as ArrayBuffer).slice(bytes.byteOffset + at, bytes.byteOffset + at + count));
    } catch (error) {
      this.#failedWrite = true;
      this.#fault(`cannot write ${this.#path}`, error);
      return 0;
    }
    this.#failedWrite = false;
    this.#written += count;
    if (this.#bytesPerRefill > 0) {
      this.#allowance -= count;
      if (this.#allowance === 0) this.#waitForRefill();
    }
    this.#recovered();
    return count;
  }

  endJob(complete: boolean): void {
    // A complete job whose file never opened had no bytes (write() takes none without the file): say it is missing.
    if (complete && !this.#file && this.#path) this.#log(`capture: ${this.#path} was not made (an empty job)`);
    this.#closeFile();
    this.#path = "";
    this.#retry.park();
  }

  close(): void {
    this.#closeFile();
    this.#path = "";
    this.#refill.clear();
    this.#retry.clear();
  }

  /** Opens (and empties) the job's file; undefined, and the port in fault, when it cannot be made. */
  #open(): File | undefined {
    try {
      // new File(path, true) does not truncate: xs_File in $(MODDABLE)/modules/files/file/lin/modFile.c opens "rb+"
      // (and "wb+" only when the file is missing).
      if (File.exists(this.#path)) File.delete(this.#path);
      this.#file = new File(this.#path, true);
    } catch (error) {
      this.#fault(`cannot create ${this.#path}`, error);
      return undefined;
    }
    this.#recovered();
    return this.#file;
  }

  /** Error state, the reason logged once per fault, and a retry armed. */
  #fault(what: string, error: unknown): void {
    if (this.#reporter.state !== PrinterState.Error) {
      this.#log(`capture: ${what} (${String(error)}); trying again every ${this.#retryMs} ms`);
      this.#reporter.change(PrinterState.Error);
    }
    if (!this.#retry.armed) this.#retry.arm(this.#retryMs);
  }

  #recovered(): void {
    if (this.#reporter.state !== PrinterState.Error) return;
    this.#retry.park();
    this.#reporter.change(PrinterState.Ready);
  }



  #waitForRefill(): void {
    if (!this.#refill.armed) this.#refill.arm(refillMs);
  }

  #writableAgain(why: string): void {
    try {
      this.#reporter.writable();
    } catch (error) {
      this.#reporter.failed(why, error);    // nothing may escape a timer callback
    }
  }


  #closeFile(): void {
    try {
      this.#file?.close();
    } catch { /* a file that cannot be closed has nothing more to give */ }
    this.#file = undefined;
  }
}

/** The client's file name, reduced to characters every file system accepts. */
function safeFileName(name: string): string {
  let safe = "";
  for (let i = 0; i < name.length && safe.length < 40; i++) {
    const c = name[i];
    safe += /[A-Za-z0-9._-]/.test(c) ? c : "_";
  }
  return safe || "job";
}
