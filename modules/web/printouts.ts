// The optional hook through which a host shows what its printer printed (the simulator's virtual printer renders
// each job to text or an image; a device has no such thing and provides none). Types and the name check only.

/** One rendered printout, newest first in a listing. */
export interface Printout {
  /** A file name such as "printed-3.txt" or "printed-3.png". */
  readonly name: string;
  readonly kind: "text" | "image";
  readonly bytes: number;
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
}

/**
 * SECURITY: the only names a request may ask for, so a path can never leave the printouts' folder. The RegExp is
 * made per call: one at the top of a preloaded module would live in flash, frozen (facts §0.6).
 */
export function isPrintoutName(name: string): boolean {
  return /^printed-\d{1,9}\.(txt|png)$/.test(name);
}
