// The seam between an IPP document's bytes and the spool: each document format names the converter that turns it
// into what the printer takes. Formats the printer itself understands pass through unchanged, straight into the
// spool's ring; the raster formats (image/pwg-raster, image/urf) get a converter of their own (modules/raster)
// that offers its own input views and writes the printer's language into the ring. Allocates one small sink per
// document, nothing per chunk.

import type { PrintJob } from "print/job";
import type { IntakeTarget } from "print/socketIntake";
import type { Spool } from "print/spool";

/** Where one document's bytes go while it is at the printer (its job is the spool's head, the ring is its own). */
export interface DocumentSink {
  /** What the socket intake reads the document into. */
  readonly target: IntakeTarget;
  /** `count` bytes were read into target. */
  received(count: number): void;
  /** Document bytes read already (with the request's last attributes): takes what fits now, returns how many. */
  write(bytes: Uint8Array, at: number, count: number): number;
  /** The spool's ring has room again: a converter moves the output it holds into it (the pass-through holds none). */
  ringHasRoom(): void;
  /**
   * The document's bytes are all in. The sink calls spool.finish(job) once everything it made is in the ring: a
   * converter may still hold output, which goes on at each ringHasRoom() (the job record keeps the sink till then).
   */
  end(): void;
  /** The job left the printer early (canceled, its client gone): drop what is held, never touch the ring again. */
  abandon(): void;
  /**
   * Why the document is bad ("" while it is not): a converter that found its input bad takes no more of it (the
   * exchange drains the rest and answers client-error-document-format-error), ends the page and resets the
   * printer, then finishes the spool job as aborted.
   */
  readonly failure: string;
}

/** Turns one document format into printer bytes. */
export interface DocumentConverter {
  /**
   * A sink for a document of `job`, called when the job reaches the printer. `wake`: the connection looks again at
   * its sink (its failure, room for more input) when the sink moved on by itself (a converter's later turn).
   */
  open(spool: Spool, job: PrintJob, wake: () => void): DocumentSink;
}

export interface DocumentFormat {
  /** As document-format-supported lists it (compared without regard to case). */
  readonly mimeType: string;
  /** text/plain: a bare LF goes to the printer as CRLF, as FTP's TYPE A and LPD's "text" queue do. */
  readonly lineEnds: boolean;
  readonly converter: DocumentConverter;
  /** Listed in DNS-SD's pdl key (every format but application/octet-stream, which is no language). */
  readonly pdl: boolean;
  /** The printer-device-id CMD: name of the language, if it is one. */
  readonly command: string;
}

/** Pass-through: the document's bytes are the printer's, into the spool's ring as they come. */
class PassThroughSink implements DocumentSink {
  readonly target: IntakeTarget;
  readonly #spool: Spool;
  readonly #job: PrintJob;

  constructor(spool: Spool, job: PrintJob) {
    this.#spool = spool;
    this.#job = job;
    this.target = spool.ring;
  }

  received(count: number): void {
    this.#spool.received(this.#job, count);
  }

  write(bytes: Uint8Array, at: number, count: number): number {
    const ring = this.#spool.ring;
    let taken = 0;
    while (taken < count) {
      const view = ring.receiveView(count - taken);    // once per request: these views are not on the data path
      if (!view) break;
      view.set(bytes.subarray(at + taken, at + taken + view.byteLength));
      ring.commit(view.byteLength);
      taken += view.byteLength;
    }
    if (taken > 0) this.#spool.received(this.#job, taken);
    return taken;
  }

  ringHasRoom(): void {}

  end(): void {
    this.#spool.finish(this.#job);
  }

  abandon(): void {}

  get failure(): string {
    return "";
  }
}

export const passThrough: DocumentConverter = Object.freeze({
  open: (spool: Spool, job: PrintJob): DocumentSink => new PassThroughSink(spool, job),
});

export const documentFormat = (mimeType: string, lineEnds: boolean, pdl: boolean, command: string, converter = passThrough): DocumentFormat =>
  Object.freeze({ mimeType, lineEnds, converter, pdl, command });

/**
 * What the printer is sent as it is: application/octet-stream (the default: whatever the client made for it),
 * PCL, PostScript and plain text. The raster formats (ipp/rasterSink) come after these; start.ts leaves PCL out
 * for a printer that speaks ESC/P 2 (printerLanguage).
 */
export const passThroughFormats: readonly DocumentFormat[] = Object.freeze([
  documentFormat("application/octet-stream", false, false, ""),
  documentFormat("application/vnd.hp-PCL", false, true, "PCL"),
  documentFormat("application/postscript", false, true, "POSTSCRIPT"),
  documentFormat("text/plain", true, true, "TEXT"),
]);

/**
 * The format a request names, if supported: MIME types compare without regard to case (RFC 2045 §5.1), and a
 * parameter ("text/plain; charset=utf-8") does not change the format.
 */
export function findFormat(formats: readonly DocumentFormat[], mimeType: string): DocumentFormat | undefined {
  const semicolon = mimeType.indexOf(";");
  const wanted = (semicolon < 0 ? mimeType : mimeType.slice(0, semicolon)).trim().toLowerCase();
  return formats.find((candidate) => candidate.mimeType.toLowerCase() === wanted);
}
