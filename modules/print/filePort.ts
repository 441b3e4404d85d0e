// A printer port that writes each job to its own file through the SDK's file module: the printer of the Moddable
// simulator (which has no GPIO) and of our Node simulator's `--printer file`. A speed limit makes it behave like a
// slow printer, so backpressure and queueing can be watched.
// DOUBT: the SDK's File.write takes whole ArrayBuffers only (a Uint8Array throws on lin:
// $(MODDABLE)/modules/files/file/lin/modFile.c, xs_file_write takes each item through xsmcToArrayBuffer), so each
// write copies its range into a new ArrayBuffer. That is a simulator printer's cost; the device's ports take views.

import { File } from "file";
import Timer from "timer";
import { PrinterState, type PrinterPort, type PrinterPortEvents } from "./port.js";

/** Speed-limit granularity: the allowance is refilled this often. */
const refillMs = 10;

export class FilePort implements PrinterPort {
  readonly description: string;
  readonly state: PrinterState = PrinterState.Ready;
  readonly #directory: string;
  readonly #bytesPerRefill: number;
  #events: PrinterPortEvents | undefined;
  #file: File | undefined;
  #allowance = 0;
  #refill: Timer | undefined;

  /** `bytesPerSecond` 0 means as fast as the file system goes. */
  constructor(directory: string, bytesPerSecond: number) {
    this.#directory = directory.endsWith("/") ? directory : directory + "/";
    this.#bytesPerRefill = bytesPerSecond > 0 ? Math.max(1, Math.round((bytesPerSecond * refillMs) / 1000)) : 0;
    this.description = `capture to ${this.#directory}` + (bytesPerSecond > 0 ? ` at ${bytesPerSecond} bytes/s` : "");
  }

  attach(events: PrinterPortEvents): void {
    this.#events = events;
  }

  beginJob(jobId: number, name: string): void {
    this.#closeFile();
    const path = `${this.#directory}${String(jobId).padStart(5, "0")}-${safeFileName(name)}`;
    // new File(path, true) does not truncate: xs_File in $(MODDABLE)/modules/files/file/lin/modFile.c opens "rb+"
    // (and "wb+" only when the file is missing).
    if (File.exists(path)) File.delete(path);
    this.#file = new File(path, true);
    this.#allowance = this.#bytesPerRefill;
  }

  write(bytes: Uint8Array, at: number, count: number): number {
    const file = this.#file;
    if (!file) return count;                       // no job open: nothing to keep (never happens with the spool)
    if (this.#bytesPerRefill > 0) {
      count = Math.min(count, this.#allowance);
      this.#allowance -= count;
      if (this.#allowance === 0) this.#waitForRefill();
      if (count === 0) return 0;
    }
    file.write((bytes.buffer as ArrayBuffer).slice(bytes.byteOffset + at, bytes.byteOffset + at + count));
    return count;
  }

  endJob(): void {
    this.#closeFile();
  }

  close(): void {
    this.#closeFile();
    if (this.#refill) Timer.clear(this.#refill);
    this.#refill = undefined;
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
    this.#file?.close();
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
