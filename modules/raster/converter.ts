// A raster job (image/pwg-raster or image/urf) turned into the printer's language (PCL 5, PCL 3 or ESC/P 2) while
// it streams: bytes in by feed(), printer bytes out by output/outputAt/outputCount/taken(), one line held at most.
// Must not: allocate per line (the buffers are made at the first page, again only for a page that needs larger
// ones), hold the engine for more than rowsPerFeed rows per call, or throw for bad input: a bad job is a state
// (status Failed, `error` says why), and its output still ends the page and resets the printer.

import type { PrinterLanguage } from "./languages.js";
import { readPwgHeader, readUrfHeader, pwgWindowEnd, pwgWindowStart, type RasterPage } from "./headers.js";
import {
  encodeDeltaRow, encodePackBits, encodeRunLength, ditherCarry, ditherInk, firstLineWord, setStateWord as setWord,
  stateBytes, stateWord as word, wordAt, wordConvert, wordError, wordInk, wordInkLiteralAt, wordInputBytes, wordKeep,
  wordLiteralAt, wordOut, wordSkip, wordUnits, wordWhite,
} from "./kernelState.js";
import { defaultMargins, layoutPage, resolutionPrintable, type Margins, type PageLayout } from "./layout.js";
import { defaultOutputBytes, defaultRowsPerFeed, pwgHeaderBytes, urfFileHeaderBytes, urfHeaderBytes } from "./limits.js";
import { RasterOutput } from "./output.js";

/**
 * The per-pixel work, in TypeScript (raster/scriptKernel) or C (raster/native/rasterKernel.c): the manifest maps the
 * specifier "raster/kernel" to one or the other. Every array is the caller's; see scriptKernel.ts for each.
 */
export interface RasterKernel {
  readonly kernelName: string;
  decodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, line: Uint8Array): number;
  transcodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, out: Uint8Array): number;
  ditherLine(line: Uint8Array, from: number, count: number, errors: Int8Array, bits: Uint8Array, row: number): number;
  encodeLine(method: number, bits: Uint8Array, from: number, count: number, seed: Uint8Array, out: Uint8Array): number;
}

export type RasterFormat = "image/pwg-raster" | "image/urf";

export interface ConverterOptions {
  format: RasterFormat;
  language: PrinterLanguage;
  /** The margins honoured (hundredths of a mm); the language's defaults (layout.ts) otherwise. */
  margins?: Margins;
  rowsPerFeed?: number;
  outputBytes?: number;
}

export const ConverterStatus = Object.freeze({ Converting: 0, Finished: 1, Failed: 2 } as const);
export type ConverterStatus = (typeof ConverterStatus)[keyof typeof ConverterStatus];

/** What the converter waits for. */
const awaitingFileHeader = 0, awaitingPageHeader = 1, startingPage = 2, awaitingLineRepeat = 3, decodingLine = 4,
  makingRows = 5, endingPage = 6, endingJob = 7, finished = 8, failed = 9;

const pwgSync = "RaS2", urfMagic = "UNIRAST\0";
/** Room kept for what a page start, a page end and the job's end write (the longest PCL page start is ~70 bytes). */
const pageStartRoom = 128, closingRoom = 16;
/** Room for the sequences around one row: ESC*b#Y, ESC*b#M, ESC*b#W, or ESC ( v, ESC $, ESC . 1 and CR. */
const rowCommandRoom = 40;

export class RasterConverter {
  readonly #kernel: RasterKernel;
  readonly #format: RasterFormat;
  readonly #language: PrinterLanguage;
  readonly #margins: Margins;
  readonly #rowsPerFeed: number;
  readonly #output: RasterOutput;
  readonly #state = new Uint8Array(stateBytes);
  /** The file header (sync word; URF: magic and page count) and the part of each page header that is read. */
  readonly #header = new Uint8Array(pwgWindowEnd - pwgWindowStart);
  #phase: number = awaitingFileHeader;
  #headerAt = 0;
  #inputEnded = false;
  #error = "";
  #pagesAnnounced = 0;
  #pagesDone = 0;
  #jobStarted = false;
  #pageOpen = false;

  // The page being converted.
  #page: RasterPage | undefined;
  #layout: PageLayout | undefined;
  /** PCL 3 and black_1: the line's runs go straight to mode 2 (transcodeLine). */
  #transcode = false;
  #lineIndex = 0;
  #repeats = 0;
  #repeatsDone = 0;
  /** Rows dithered on this page, for the serpentine's direction. */
  #ditherRow = 0;
  /** The error row holds something other than 0 (ditherCarry). */
  #carry = false;
  /** PCL: blank rows not yet skipped with ESC*b#Y; ESC/P 2: rows to advance before the next printed one. */
  #pendingRows = 0;
  #pclMode = -1;

  /** What pump() feeds (an empty array of the job's, not a module-level one: a preloaded one would be read-only). */
  readonly #empty = new Uint8Array(0);
  // Buffers, made at the first page and again only for a page that needs larger ones.
  #line = this.#empty;
  #bits = this.#empty;
  #seed = this.#empty;
  #rowA = this.#empty;
  #rowB = this.#empty;
  #errors = new Int8Array(0);
  /** Times the page buffers were made: once for a job whose pages are alike. */
  buffersMade = 0;
  rowsPrinted = 0;
  rowsBlank = 0;

  constructor(kernel: RasterKernel, options: ConverterOptions) {
    this.#kernel = kernel;
    this.#format = options.format;
    this.#language = options.language;
    this.#margins = options.margins ?? defaultMargins(options.language);
    this.#rowsPerFeed = options.rowsPerFeed ?? defaultRowsPerFeed;
    this.#output = new RasterOutput(options.outputBytes ?? defaultOutputBytes);
  }

  get status(): ConverterStatus {
    return this.#phase === finished ? ConverterStatus.Finished : this.#phase === failed ? ConverterStatus.Failed : ConverterStatus.Converting;
  }
  /** Why the job failed ("" while it has not). */
  get error(): string { return this.#error; }
  get pagesDone(): number { return this.#pagesDone; }
  get kernelName(): string { return this.#kernel.kernelName; }
  /** Printer bytes waiting: output[outputAt, outputAt + outputCount). Call taken() with what was sent. */
  get output(): Uint8Array { return this.#output.bytes; }
  get outputAt(): number { return this.#output.start; }
  get outputCount(): number { return this.#output.count; }
  get bytesOut(): number { return this.#output.total; }
  taken(count: number): void { this.#output.taken(count); }
  /** Bytes the job holds in buffers: the output, the line, the error row, the row buffers and the state. */
  get bufferBytes(): number {
    return this.#output.bytes.length + this.#line.length + this.#errors.length + this.#bits.length + this.#seed.length +
      this.#rowA.length + this.#rowB.length + this.#state.length + this.#header.length;
  }

  /**
   * Work is waiting that needs no more input, only room in the output or another turn: call pump() (or feed())
   * again once output was taken. False when finished, failed, or waiting for input.
   */
  get busy(): boolean {
    const phase = this.#phase;
    if (phase === finished || phase === failed) return false;
    return phase === startingPage || phase === makingRows || phase === endingPage || phase === endingJob || this.#inputEnded;
  }

  /** No more input comes: the job ends once what is waiting is converted (check status after pump()). */
  end(): void {
    this.#inputEnded = true;
    this.pump();
  }

  /**
   * The job is cancelled: no more input is taken, and the page is ended and the printer reset after what waits
   * in the output (not dropped: the port may have taken part of a row, whose rest must follow before ESC*rC means
   * anything to the printer). At most a few KB more reach the printer.
   */
  cancel(): void {
    if (this.#phase === finished || this.#phase === failed) return;
    this.#fail("cancelled");
  }

  pump(): void {
    this.feed(this.#empty, 0, 0);
  }

  /**
   * Converts input[at, end) as far as the output's room and rowsPerFeed allow; returns the index of the first
   * byte not consumed (the caller offers the rest again). Never throws for bad input: see status and error.
   */
  feed(input: Uint8Array, at: number, end: number): number {
    let rows = 0;
    for (;;) {
      switch (this.#phase) {
        case awaitingFileHeader:
        case awaitingPageHeader:
          if (at >= end) {
            if (!this.#inputEnded || !this.#inputEndedAt()) return at;
            break;
          }
          at = this.#phase === awaitingFileHeader ? this.#readFileHeader(input, at, end) : this.#readPageHeader(input, at, end);
          break;
        case startingPage:
          if (!this.#output.makeRoom(pageStartRoom + closingRoom)) return at;
          this.#startPage();
          break;
        case awaitingLineRepeat:
          if (at >= end) {
            if (this.#inputEnded) this.#fail(`page ${this.#pagesDone + 1} is cut short at line ${this.#lineIndex} of ${this.#page!.height}`);
            return at;
          }
          this.#startLine(input[at++]!);
          break;
        case decodingLine:
          if (at >= end) {
            if (this.#inputEnded) this.#fail(`page ${this.#pagesDone + 1} is cut short in line ${this.#lineIndex} of ${this.#page!.height}`);
            return at;
          }
          at = this.#decode(input, at, end);
          break;
        case makingRows:
          if (rows >= this.#rowsPerFeed) return at;
          if (!this.#output.makeRoom(this.#rowA.length + rowCommandRoom + closingRoom)) return at;
          if (this.#makeRow()) rows++;
          break;
        case endingPage:
          if (!this.#output.makeRoom(closingRoom * 2)) return at;
          this.#endPage();
          break;
        case endingJob:
          if (!this.#output.makeRoom(closingRoom)) return at;
          this.#closeJob();
          this.#phase = finished;
          return at;
        default:
          return at;    // finished or failed: nothing more is taken
      }
    }
  }

  /** No more input between pages: true when the job ends well (endingJob), false when it failed. */
  #inputEndedAt(): boolean {
    if (this.#phase === awaitingFileHeader)
      this.#fail(this.#headerAt === 0 ? "no raster data" : "the raster ended in its file header");
    else if (this.#headerAt > 0)
      this.#fail(`page ${this.#pagesDone + 1}'s header is cut short (${this.#headerAt} of ${this.#pageHeaderBytes()} bytes)`);
    else if (this.#pagesDone === 0) this.#fail("no pages");
    else if (this.#pagesAnnounced > 0 && this.#pagesDone < this.#pagesAnnounced)
      this.#fail(`the URF header announced ${this.#pagesAnnounced} pages and ${this.#pagesDone} came`);
    else {
      this.#phase = endingJob;
      return true;
    }
    return false;
  }

  #pageHeaderBytes(): number {
    return this.#format === "image/urf" ? urfHeaderBytes : pwgHeaderBytes;
  }

  #readFileHeader(input: Uint8Array, at: number, end: number): number {
    const urf = this.#format === "image/urf";
    const size = urf ? urfFileHeaderBytes : pwgSync.length;
    while (at < end && this.#headerAt < size) this.#header[this.#headerAt++] = input[at++]!;
    if (this.#headerAt < size) return at;
    const expected = urf ? urfMagic : pwgSync;
    let same = true;
    for (let i = 0; i < expected.length; i++) if (this.#header[i] !== expected.charCodeAt(i)) same = false;
    if (!same) {
      this.#fail(urf ? "not URF: the file does not begin with UNIRAST" : this.#wrongSync());
      return at;
    }
    if (urf) this.#pagesAnnounced = ((this.#header[8]! << 24) | (this.#header[9]! << 16) | (this.#header[10]! << 8) | this.#header[11]!) >>> 0;
    this.#headerAt = 0;
    this.#phase = awaitingPageHeader;
    return at;
  }

  /** CUPS's other sync words (cups/raster-stream.c): v1, v3 and the byte-swapped forms are not PWG raster. */
  #wrongSync(): string {
    let word = "";
    for (let i = 0; i < 4; i++) {
      const byte = this.#header[i]!;
      word += byte >= 32 && byte < 127 ? String.fromCharCode(byte) : "?";
    }
    if (word === "RaSt" || word === "RaS3" || word === "tSaR" || word === "2SaR" || word === "3SaR")
      return `CUPS raster "${word}", not PWG raster (RaS2)`;
    return `not PWG raster: the sync word is "${word}", not "RaS2"`;
  }

  #readPageHeader(input: Uint8Array, at: number, end: number): number {
    if (this.#pagesAnnounced > 0 && this.#pagesDone === this.#pagesAnnounced) {
      this.#fail(`data after the ${this.#pagesAnnounced} pages the URF header announced`);
      return at;
    }
    const urf = this.#format === "image/urf";
    const size = urf ? urfHeaderBytes : pwgHeaderBytes;
    const windowStart = urf ? 0 : pwgWindowStart, windowEnd = urf ? urfHeaderBytes : pwgWindowEnd;
    const take = Math.min(end - at, size - this.#headerAt);
    // Only the bytes of the window are kept; the rest of the header goes by.
    const first = Math.max(this.#headerAt, windowStart), last = Math.min(this.#headerAt + take, windowEnd);
    for (let i = first; i < last; i++) this.#header[i - windowStart] = input[at + i - this.#headerAt]!;
    this.#headerAt += take;
    at += take;
    if (this.#headerAt < size) return at;
    this.#headerAt = 0;
    const page = urf ? readUrfHeader(this.#header) : readPwgHeader(this.#header);
    if (typeof page === "string") this.#fail(`page ${this.#pagesDone + 1}: ${page}`);
    else if (!resolutionPrintable(this.#language, page.dpi))
      this.#fail(`page ${this.#pagesDone + 1}: ${page.dpi} dpi is not a resolution ${this.#language} prints`);
    else this.#preparePage(page);
    return at;
  }

  #preparePage(page: RasterPage): void {
    const layout = layoutPage(this.#language, page, this.#margins);
    const cropBytes = layout.cropWidth >> 3;
    const rowBytes = 2 * cropBytes + 8;
    if (this.#output.bytes.length < rowBytes + rowCommandRoom + closingRoom + pageStartRoom) {
      this.#fail(`page ${this.#pagesDone + 1}: rows of ${cropBytes} bytes need a larger output buffer than ${this.#output.bytes.length} bytes`);
      return;
    }
    this.#page = page;
    this.#layout = layout;
    this.#transcode = this.#language === "pcl3" && page.blackOneBit;
    // Only what this page's path uses; each grows to the largest a page of the job has needed, never shrinks, so
    // that alternating pages do not remake them.
    const pcl5 = this.#language === "pcl5", gray = !page.oneBit;
    let grown = false;
    const grow = <T extends Uint8Array | Int8Array>(buffer: T, needed: number, make: (length: number) => T): T => {
      if (buffer.length >= needed) return buffer;
      grown = true;
      return make(needed);
    };
    const bytes = (length: number) => new Uint8Array(length);
    this.#line = grow(this.#line, this.#transcode ? 0 : page.units, bytes);
    this.#rowA = grow(this.#rowA, rowBytes, bytes);
    this.#rowB = grow(this.#rowB, pcl5 ? rowBytes : 0, bytes);
    this.#seed = grow(this.#seed, pcl5 ? cropBytes : 0, bytes);
    this.#bits = grow(this.#bits, gray ? cropBytes : 0, bytes);
    this.#errors = grow(this.#errors, gray ? layout.cropWidth + 2 : 0, (length) => new Int8Array(length));
    if (grown) this.buffersMade++;
    this.#errors.fill(0);
    this.#seed.fill(0);    // all of it: a delta row compares with the seed's first cropBytes, which must start at 0
    this.#carry = false;
    this.#ditherRow = 0;
    this.#pendingRows = 0;
    this.#pclMode = -1;
    this.#lineIndex = 0;
    const state = this.#state;
    state.fill(0);
    setWord(state, wordUnits, page.units);
    setWord(state, wordInputBytes, page.inputBytes);
    setWord(state, wordConvert, page.convert);
    setWord(state, wordWhite, page.oneBit ? 0 : 255);
    setWord(state, wordSkip, cropBytes > 0 ? layout.cropLeft >> 3 : 0);    // a page narrower than its margins prints nothing
    setWord(state, wordKeep, cropBytes);
    this.#phase = startingPage;
  }

  #startPage(): void {
    const out = this.#output, layout = this.#layout!, dpi = this.#page!.dpi;
    if (!this.#jobStarted) {
      this.#jobStarted = true;
      if (this.#language === "escp2") {
        out.text("\x1b@");                   // initialize
        out.text("\x1b(G\x01\x00\x01");      // graphics mode
      } else out.text("\x1bE");             // reset
    }
    if (this.#language === "escp2") {
      out.text("\x1b(U\x01\x00");            // unit: 1/dpi inch
      out.byte(3600 / dpi);
      out.text("\x1b(C\x02\x00");            // page length
      out.word16(layout.escpPageLength);
      out.text("\x1b(c\x04\x00");            // top and bottom margins, from the top edge
      out.word16(layout.escpTopMargin);
      out.word16(layout.escpBottomMargin);
    } else {
      out.text("\x1b&l");                    // page size, portrait, top margin 0 (Y = 0 at the top edge), no perforation skip
      out.decimal(layout.media.pclSize);
      out.text("a0o0e0L\x1b*t");
      out.decimal(dpi);
      out.text("R\x1b*r");
      out.decimal(layout.cropWidth);
      out.text("S\x1b*p");
      out.decimal(layout.pclX);
      out.text("x");
      out.decimal(layout.pclY);
      out.text("Y\x1b*r1A");                 // raster graphics at the cursor
      if (this.#language === "pcl3") {
        out.text("\x1b*b2M");
        this.#pclMode = 2;
      }
    }
    this.#pageOpen = true;
    this.#phase = awaitingLineRepeat;
  }

  #startLine(repeatByte: number): void {
    const repeats = repeatByte + 1, page = this.#page!;
    if (this.#lineIndex + repeats > page.height) {
      this.#fail(`page ${this.#pagesDone + 1}: line ${this.#lineIndex} repeats ${repeats} times, past the page's ${page.height} lines`);
      return;
    }
    this.#repeats = repeats;
    this.#repeatsDone = 0;
    const state = this.#state;
    state.fill(0, firstLineWord * 4, stateBytes);
    setWord(state, wordLiteralAt, -1);
    setWord(state, wordInkLiteralAt, -1);
    this.#phase = decodingLine;
  }

  #decode(input: Uint8Array, at: number, end: number): number {
    const state = this.#state;
    at = this.#transcode
      ? this.#kernel.transcodeLine(state, input, at, end, this.#rowA)
      : this.#kernel.decodeLine(state, input, at, end, this.#line);
    if (word(state, wordError) !== 0)
      this.#fail(`page ${this.#pagesDone + 1}, line ${this.#lineIndex}: a run goes past the end of the line`);
    else if (word(state, wordAt) === word(state, wordUnits)) this.#phase = makingRows;
    return at;
  }

  /** One output row from the decoded line (it repeats #repeats times); true when it cost dithering or encoding. */
  #makeRow(): boolean {
    const layout = this.#layout!, y = this.#lineIndex;
    let worked = false;
    if (y >= layout.cropTop && y < layout.cropBottom && layout.cropWidth > 0) {
      worked = true;
      this.#printRow();
    }
    this.#lineIndex++;
    if (++this.#repeatsDone === this.#repeats)
      this.#phase = this.#lineIndex === this.#page!.height ? endingPage : awaitingLineRepeat;
    return worked;
  }

  #printRow(): void {
    const kernel = this.#kernel, layout = this.#layout!, cropBytes = layout.cropWidth >> 3;
    let bits: Uint8Array, from: number;
    if (this.#transcode) {
      const length = word(this.#state, wordInk) !== 0 ? word(this.#state, wordOut) : 0;
      if (length === 0) this.#blankRow();
      else this.#pclRow(2, this.#rowA, length);
      return;
    }
    if (this.#page!.oneBit) {
      bits = this.#line;
      from = layout.cropLeft >> 3;
    } else {
      if (word(this.#state, wordInk) === 0 && !this.#carry) {
        this.#ditherRow++;
        this.#blankRow();    // white, and nothing carried from above: no dots
        return;
      }
      const result = kernel.ditherLine(this.#line, layout.cropLeft, layout.cropWidth, this.#errors, this.#bits, this.#ditherRow++);
      this.#carry = (result & ditherCarry) !== 0;
      if ((result & ditherInk) === 0) {
        this.#blankRow();
        return;
      }
      bits = this.#bits;
      from = 0;
    }
    if (this.#language === "escp2") {
      const length = kernel.encodeLine(encodeRunLength, bits, from, cropBytes, this.#seed, this.#rowA);
      if (length < 0) this.#blankRow();
      else this.#escpRow(length);
    } else if (this.#language === "pcl3") {
      const length = kernel.encodeLine(encodePackBits, bits, from, cropBytes, this.#seed, this.#rowA);
      if (length < 0) this.#blankRow();
      else this.#pclRow(2, this.#rowA, length);
    } else {
      // PCL 5: delta row (mode 3) or PackBits (mode 2), whichever is shorter counting the mode change. Blank rows
      // before this one will be skipped by ESC*b#Y, which zeroes the printer's seed row: so must ours be.
      if (this.#pendingRows > 0) this.#seed.fill(0);
      const delta = kernel.encodeLine(encodeDeltaRow, bits, from, cropBytes, this.#seed, this.#rowA);
      if (delta < 0) {
        this.#blankRow();
        return;
      }
      const packed = kernel.encodeLine(encodePackBits, bits, from, cropBytes, this.#seed, this.#rowB);
      const change = 5;    // ESC*b#M
      const deltaCost = delta + (this.#pclMode === 3 ? 0 : change), packedCost = packed + (this.#pclMode === 2 ? 0 : change);
      if (packedCost < deltaCost || (packedCost === deltaCost && this.#pclMode === 2)) this.#pclRow(2, this.#rowB, packed);
      else this.#pclRow(3, this.#rowA, delta);
    }
  }

  #blankRow(): void {
    this.rowsBlank++;
    this.#pendingRows++;
  }

  #pclRow(mode: number, row: Uint8Array, length: number): void {
    const out = this.#output;
    if (this.#pendingRows > 0) {
      out.text("\x1b*b");                  // Y offset: skips blank rows, and zeroes the printer's seed row
      out.decimal(this.#pendingRows);
      out.text("Y");
      this.#pendingRows = 0;
    }
    if (mode !== this.#pclMode) {
      out.text("\x1b*b");
      out.decimal(mode);
      out.text("M");
      this.#pclMode = mode;
    }
    out.text("\x1b*b");
    out.decimal(length);
    out.text("W");
    out.append(row, length);
    this.rowsPrinted++;
  }

  #escpRow(length: number): void {
    const out = this.#output, layout = this.#layout!, density = 3600 / this.#page!.dpi;
    let advance = this.#pendingRows;
    while (advance > 0) {
      const step = advance > 32767 ? 32767 : advance;
      out.text("\x1b(v\x02\x00");            // relative vertical move, in units (rows)
      out.word16(step);
      advance -= step;
    }
    out.text("\x1b$");                       // absolute horizontal position, in units
    out.word16(layout.escpX);
    out.text("\x1b.\x01");                   // raster graphics, run-length compressed
    out.byte(density);
    out.byte(density);
    out.byte(1);
    out.word16(layout.cropWidth);
    out.append(this.#rowA, length);
    out.byte(13);
    this.#pendingRows = 1;                   // the next row is one below this one
    this.rowsPrinted++;
  }

  #endPage(): void {
    this.#closePage();
    this.#pagesDone++;
    this.#phase = awaitingPageHeader;
  }

  #closePage(): void {
    if (!this.#pageOpen) return;
    this.#pageOpen = false;
    const out = this.#output;
    if (this.#language === "pcl5") out.text("\x1b*rC");
    else if (this.#language === "pcl3") out.text("\x1b*rB");    // DOUBT: ESC*rC is PCL 5's; older DeskJets know only B
    out.byte(12);
  }

  #closeJob(): void {
    if (!this.#jobStarted) return;
    this.#output.text(this.#language === "escp2" ? "\x1b@" : "\x1bE");
  }

  /** The job is bad: the page is ended and the printer reset (room for both is always kept), then nothing more. */
  #fail(message: string): void {
    this.#error = message;
    this.#closePage();
    this.#closeJob();
    this.#phase = failed;
  }
}
