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
import { PrinterState, type PrinterPort, type PrinterPortEvents } from "./port.js";

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
  #state: PrinterState = PrinterState.Ready;
  readonly #directory: string;
  readonly #bytesPerRefill: number;
  readonly #log: (line: string) => void;
  readonly #retryMs: number;
  #events: PrinterPortEvents | undefined;
  /** The job's file, "" when no job is open. */
  #path = "";
  #file: File | undefined;
  /** Bytes of this job known to be in its file: where a write goes on after a failed one. */
  #written = 0;
  #failedWrite = false;
  #allowance = 0;
  #refill: Timer | undefined;
  #retry: Timer | undefined;

  /** `bytesPerSecond` 0 means as fast as the file system goes. */
  constructor(directory: string, bytesPerSecond: number, options: FilePortOptions = {}) {
    this.#directory = directory.endsWith("/") ? directory : directory + "/";
    this.#bytesPerRefill = bytesPerSecond > 0 ? Math.max(1, Math.round((bytesPerSecond * refillMs) / 1000)) : 0;
    this.#log = options.log ?? (() => {});
    this.#retryMs = options.retryMs ?? defaultRetryMs;
    this.description = `capture to ${this.#directory}` + (bytesPerSecond > 0 ? ` at ${bytesPerSecond} bytes/s` : "");
  }

  get state(): PrinterState {
    return this.#state;
  }

  attach(events: PrinterPortEvents): void {
    this.#events = events;
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
    this.#clearRetry();
  }

  close(): void {
    this.#closeFile();
    this.#path = "";
    this.#clearRetry();
    if (this.#refill) Timer.clear(this.#refill);
    this.#refill = undefined;
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
    if (this.#state !== PrinterState.Error) {
      this.#state = PrinterState.Error;
      this.#log(`capture: ${what} (${String(error)}); trying again every ${this.#retryMs} ms`);
      this.#events?.onStateChanged(PrinterState.Error);
    }
    this.#retry ??= Timer.set(() => {
      try {
        this.#retry = undefined;
        this.#events?.onWritable();                // the spool writes again, and so the port tries again
      } catch { /* the spool guards itself; nothing may escape a timer callback */ }
    }, this.#retryMs);
  }

  #recovered(): void {
    if (this.#state !== PrinterState.Error) return;
    this.#state = PrinterState.Ready;
    this.#clearRetry();
    this.#events?.onStateChanged(PrinterState.Ready);
  }

  #clearRetry(): void {
    if (this.#retry) Timer.clear(this.#retry);
    this.#retry = undefined;
  }

  #waitForRefill(): void {
    if (this.#refill) return;
    this.#refill = Timer.set(() => {
      try {
        this.#refill = undefined;
        this.#allowance = this.#bytesPerRefill;
        this.#events?.onWritable();
      } catch { /* the spool guards itself; nothing may escape a timer callback */ }
    }, refillMs);
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
