// The optional hook through which a host shows what its printer printed (the simulator's virtual printer keeps one
// printout per job and renders it to text or an image; a device has no such thing and provides none). Types and the
// name check only.

/** One job as the printer printed it, newest first in a listing. */
export interface Printout {
  /** The spool's job id; 0 for bytes that no job announced (a printout named printed-N). */
  readonly job: number;
  /** The job's name as its client gave it ("" when unknown). */
  readonly name: string;
  /** Bytes the printer printed for it. */
  readonly bytes: number;
  /** "text", "postscript", "binary" (not previewed) or "" (not known yet). */
  readonly kind: string;
  /** The raw bytes on the shelf ("job-12.prn"). */
  readonly file: string;
  /** Its preview ("job-12.txt" laid out, "job-12.png" rendered), or "" when there is none. */
  readonly preview: string;
  /** What to say about the preview ("first 3 of 9 pages", "binary, not previewed"), or "". */
  readonly note: string;
  /** How many printouts the printer made of this job: more than 1 when it paused inside the job long enough to
   * end a printout (waiting out paper out, offline, a slow sender). */
  readonly parts: number;
  /** Jobs the printer ran into the same printout with no pause between them (sent back to back). */
  readonly printedWith: readonly number[];
}

/** A response body read in pieces, so a large file never sits in memory whole. */
export interface BodySource {
  readonly byteLength: number;
  /** `count` bytes from `at` (the caller never asks past the end). */
  read(at: number, count: number): ArrayBuffer;
  close(): void;
}

export interface PrintoutShelf {
  list(limit: number): Printout[];
  /** Something the page should say about the printouts (e.g. no Ghostscript here), or undefined. */
  note(): string | undefined;
  open(name: string): BodySource | undefined;
  /** Jobs that ended at the printer port and whose printout is not on the shelf yet (the page refreshes meanwhile). */
  pending?(): number;
}

/**
 * SECURITY: the only names a request may ask for, so a path can never leave the printouts' folder. The RegExp is
 * made per call: one at the top of a preloaded module would live in flash, frozen ($(MODDABLE)/xs/tools/xslSlot.c,
 * fxPrepareHeap freezes the preloaded heap's RegExp instances).
 */
export function isPrintoutName(name: string): boolean {
  return /^(job|printed)-\d{1,9}\.(txt|png|prn)$/.test(name);
}
