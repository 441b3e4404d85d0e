// An HTTP/1.1 request body's framing (RFC 9112 §6-7): content-length, or transfer-encoding chunked (which CUPS
// uses whenever it does not know a document's size). Tells the reader how many body bytes come before the next
// framing bytes, and takes those framing bytes one at a time (a chunk-size line, the CRLF after a chunk, the last
// chunk and its trailer). Pure: no IO, no allocation.

import { ippFramingLineBytes } from "./limits.js";

const Size = 0, Extension = 1, DataEnd = 2, TrailerStart = 3, TrailerLine = 4, LineFeed = 5;
// The lines that end with CRLF (or, leniently, a bare LF): what their end means.
const SizeLine = 0, AfterData = 1, LastLine = 2;

export class BodyFraming {
  #chunked = false;
  #state = Size;
  #size = 0;
  #digits = 0;
  #lineBytes = 0;
  /** In LineFeed: the line its LF ends. */
  #line = SizeLine;
  /** Body bytes before the next framing bytes: the rest of a chunk, or of a content-length body. */
  runLeft = 0;
  /** The whole body has been read. */
  ended = false;
  /** The chunked framing is malformed; what follows cannot be trusted. */
  failed = false;
  /** Body bytes so far (framing not counted). */
  bodyBytes = 0;

  /** A content-length body of `length` bytes. */
  startLength(length: number): void {
    this.#reset();
    this.runLeft = length;
    this.ended = length === 0;
  }

  startChunked(): void {
    this.#reset();
    this.#chunked = true;
  }

  #reset(): void {
    this.#chunked = false;
    this.#state = Size;
    this.#size = this.#digits = this.#lineBytes = this.runLeft = this.bodyBytes = 0;
    this.ended = this.failed = false;
  }

  /** Framing bytes come next (a chunk's size line, its CRLF, the trailer): read them one at a time into byte(). */
  get needsFramingBytes(): boolean {
    return this.#chunked && !this.ended && !this.failed && this.runLeft === 0;
  }

  /** `count` body bytes were read (at most runLeft). */
  took(count: number): void {
    this.runLeft -= count;
    this.bodyBytes += count;
    if (this.runLeft > 0) return;
    if (this.#chunked) this.#state = DataEnd;
    else this.ended = true;
  }

  /** One framing byte. Lenient where RFC 9112 §7.1 allows it: chunk extensions and trailer fields are skipped. */
  byte(b: number): void {
    switch (this.#state) {
      case Size: {
        const digit = hexDigit(b);
        if (digit >= 0) {
          if (++this.#digits > 8) return this.#fail();              // over 4 GiB in one chunk: not a real client
          this.#size = this.#size * 16 + digit;
          return;
        }
        if (this.#digits === 0) return this.#fail();
        if (this.#lineEnd(b, SizeLine)) return;
        if (b === 0x3b || b === 0x20 || b === 0x09) { this.#state = Extension; this.#lineBytes = this.#digits; }
        else this.#fail();
        return;
      }
      case Extension:
        if (!this.#lineEnd(b, SizeLine) && ++this.#lineBytes > ippFramingLineBytes) this.#fail();
        return;
      case DataEnd:
        if (!this.#lineEnd(b, AfterData)) this.#fail();
        return;
      case TrailerStart:
        if (!this.#lineEnd(b, LastLine)) { this.#state = TrailerLine; this.#lineBytes = 1; }
        return;
      case TrailerLine:
        if (b === 0x0a) this.#state = TrailerStart;
        else if (++this.#lineBytes > ippFramingLineBytes) this.#fail();
        return;
      case LineFeed:
        if (b === 0x0a) this.#lineEnded(this.#line);
        else this.#fail();
        return;
    }
  }

  /** A CR (its LF comes next) or a bare LF ends `line`; false for any other byte. */
  #lineEnd(b: number, line: number): boolean {
    if (b === 0x0d) {
      this.#state = LineFeed;
      this.#line = line;
      return true;
    }
    if (b !== 0x0a) return false;
    this.#lineEnded(line);
    return true;
  }

  #lineEnded(line: number): void {
    if (line === SizeLine) this.#sizeLine();
    else if (line === AfterData) this.#nextChunk();
    else this.ended = true;
  }

  #sizeLine(): void {
    if (this.#size === 0) {
      this.#state = TrailerStart;                                    // the last chunk: the trailer, then the end
      return;
    }
    this.runLeft = this.#size;
  }

  #nextChunk(): void {
    this.#state = Size;
    this.#size = this.#digits = this.#lineBytes = 0;
  }

  #fail(): void {
    this.failed = true;
  }
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}
