// IPP's raster formats (image/pwg-raster, image/urf) through the raster converter into the spool: the socket intake
// reads the document into a small input ring of this file's, the converter (modules/raster) takes it from there and
// writes the printer's language (the printerLanguage setting), which is copied into the spool's ring as far as it
// has room. Nothing is held whole: the input ring waits while the converter's output waits for the print ring, and
// the socket waits for the input ring (TCP holds the client back). Made once per server: the input ring and one
// timer; per job: the sink and its converter (converter.ts: its output, and line buffers made at the first page).
// Nothing is allocated per chunk.

import Timer from "timer";
import { JobOutcome, type PrintJob } from "print/job";
import { ByteRing } from "print/ring";
import type { Spool } from "print/spool";
import { ConverterStatus, type RasterConverter, type RasterFormat } from "raster/converter";
import type { PrinterLanguage } from "raster/languages";
import type { Margins } from "raster/layout";
import { documentFormat, type DocumentFormat, type DocumentSink } from "./documentSink.js";
import { rasterFeedsPerTurn, rasterInputChunkBytes, rasterInputChunks } from "./limits.js";

export interface RasterPipelineOptions {
  language: PrinterLanguage;
  /** The margins the printer attributes state (media-*-margin-supported), honoured on the page. */
  margins: Margins;
  /** A converter for one job (raster/platform's newRasterConverter: the C kernel on the SDK's builds). */
  newConverter(format: RasterFormat, language: PrinterLanguage, margins: Margins): RasterConverter;
  /** source[from, from + count) into target at `at`, no view made (raster/platform's copyRasterBytes). */
  copyBytes(source: Uint8Array, from: number, count: number, target: Uint8Array, at: number): void;
  log(line: string): void;
}

const languageNames: Readonly<Record<PrinterLanguage, string>> = Object.freeze({ pcl5: "PCL 5", pcl3: "PCL 3", escp2: "ESC/P 2" });

/**
 * What the two raster formats share: the input ring and the continuation timer. One document converts at a time,
 * since the spool has one job at the printer and opens its sink only then.
 */
export class RasterPipeline {
  readonly input: ByteRing;
  readonly options: RasterPipelineOptions;
  readonly #timer: Timer;
  #timerArmed = false;
  #active: RasterSink | undefined;

  constructor(options: RasterPipelineOptions) {
    this.options = options;
    this.input = new ByteRing(rasterInputChunkBytes, rasterInputChunks);
    const pipeline = this;
    this.#timer = Timer.repeat(() => {
      pipeline.#pause();
      try {
        pipeline.#active?.pump(true);
      } catch (error) {
        options.log(`ipp: raster conversion failed (${String(error)})`);
      }
    }, 1000);
    Timer.schedule(this.#timer);
  }

  get active(): RasterSink | undefined {
    return this.#active;
  }

  open(spool: Spool, job: PrintJob, format: RasterFormat, wake: () => void): RasterSink {
    this.#active?.abandon();
    this.input.clear();
    const options = this.options;
    const sink = new RasterSink(this, spool, job, format, options.newConverter(format, options.language, options.margins), wake);
    this.#active = sink;
    return sink;
  }

  /** The sink stopped before its input was all converted (it yields the engine): another turn soon. */
  again(): void {
    if (this.#timerArmed) return;
    this.#timerArmed = true;
    Timer.schedule(this.#timer, 0, 1000);
  }

  released(sink: RasterSink): void {
    if (this.#active !== sink) return;
    this.#active = undefined;
    this.#pause();
  }

  #pause(): void {
    if (!this.#timerArmed) return;
    this.#timerArmed = false;
    Timer.schedule(this.#timer);
  }

  close(): void {
    this.#active?.abandon();
    Timer.clear(this.#timer);
  }
}

/** One raster document at the printer: its bytes come into the pipeline's input ring, its converter's output goes into the spool's ring. */
export class RasterSink implements DocumentSink {
  readonly target: ByteRing;
  readonly format: RasterFormat;
  readonly #pipeline: RasterPipeline;
  readonly #spool: Spool;
  readonly #job: PrintJob;
  readonly #converter: RasterConverter;
  readonly #wake: () => void;
  /** Document bytes taken (the spool's bytesReceived counts the printer's). */
  documentBytes = 0;
  #ended = false;
  #converterEnded = false;
  /** Finished (spool.finish called) or abandoned: the ring is not touched again. */
  #done = false;
  #pumping = false;
  #again = false;

  constructor(pipeline: RasterPipeline, spool: Spool, job: PrintJob, format: RasterFormat, converter: RasterConverter, wake: () => void) {
    this.#pipeline = pipeline;
    this.#wake = wake;
    this.#spool = spool;
    this.#job = job;
    this.format = format;
    this.#converter = converter;
    this.target = pipeline.input;
  }

  get converter(): RasterConverter {
    return this.#converter;
  }

  get failure(): string {
    return this.#converter.status === ConverterStatus.Failed ? this.#converter.error : "";
  }

  received(count: number): void {
    this.documentBytes += count;
    this.pump();
  }

  write(bytes: Uint8Array, at: number, count: number): number {
    const input = this.target;
    let taken = 0;
    while (taken < count && !this.#done && this.failure === "") {
      const writeAt = (input.readAt + input.filled) % input.capacity;
      const room = Math.min(input.free, input.capacity - writeAt, count - taken);
      if (room === 0) break;
      const into = input.bytes;
      this.#pipeline.options.copyBytes(bytes, at + taken, room, into, writeAt);
      input.commit(room);
      taken += room;
      this.documentBytes += room;
      this.pump();
    }
    return taken;
  }

  ringHasRoom(): void {
    this.pump();
  }

  end(): void {
    this.#ended = true;
    this.pump();
  }

  abandon(): void {
    if (this.#done) return;
    this.#done = true;
    this.#converter.cancel();
    this.#pipeline.released(this);
  }

  /**
   * Input → converter → the spool's ring, until the ring is full, the input is used up, or rasterFeedsPerTurn
   * feeds were made (then the pipeline's timer brings the rest a turn later). The spool is told of every byte put
   * in its ring, and of input used with none (received 0): its pump then asks the document's connection for more
   * (ringHasRoom through the job record), which resumes the socket intake into the freed input ring. `ownTurn`:
   * called by the pipeline's timer, with nothing of anyone else's below on the stack.
   */
  pump(ownTurn = false): void {
    if (this.#done) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    const converter = this.#converter, input = this.target, spool = this.#spool, job = this.#job;
    let feeds = 0, progressed = false;
    try {
      do {
        this.#again = false;
        let moved = 0, used = 0;
        for (;;) {
          moved += this.#moveOutput();
          if (converter.outputCount > 0 || converter.status !== ConverterStatus.Converting) break;
          const available = input.contiguousFilled();
          if (available === 0 && !converter.busy) {
            if (!this.#ended || this.#converterEnded) break;
            this.#converterEnded = true;    // only once the input ring is empty: end() judges what was fed
            converter.end();
            continue;
          }
          if (feeds === rasterFeedsPerTurn) {
            this.#pipeline.again();
            break;
          }
          feeds++;
          const at = input.readAt, next = converter.feed(input.bytes, at, at + available);
          if (next > at) {
            input.consume(next - at);
            used += next - at;
          } else if (!converter.busy && converter.outputCount === 0) break;
        }
        const over = converter.status !== ConverterStatus.Converting && converter.outputCount === 0;
        if (used > 0 || converter.status === ConverterStatus.Failed) progressed = true;
        if (moved > 0 || (used > 0 && !over)) spool.received(job, moved);
        if (over && !this.#done) {
          // On a turn of its own: spool.finish() may start the next job (its sink, its connection) inside this
          // call, and this one may come from deep in the printer's or the socket's callbacks (XS's stack is small:
          // mcsim aborted with "JavaScript stack overflow" when a raster job started from inside another's end).
          if (ownTurn) this.#finish();
          else this.#pipeline.again();
          break;
        }
      } while (this.#again && !this.#done);
    } finally {
      this.#pumping = false;
    }
    // Input room, or a failure, found on a turn of our own (the timer, the printer's room): the connection looks
    // again, since no socket event may come while its client waits for its window (or its answer).
    if (progressed) this.#wake();
  }

  /** The converter's waiting output into the spool's ring, as far as it has room; returns the bytes moved. */
  #moveOutput(): number {
    const converter = this.#converter, ring = this.#spool.ring;
    let moved = 0;
    while (converter.outputCount > 0 && ring.free > 0) {
      const writeAt = (ring.readAt + ring.filled) % ring.capacity;
      const count = Math.min(converter.outputCount, ring.free, ring.capacity - writeAt);
      this.#pipeline.options.copyBytes(converter.output, converter.outputAt, count, ring.bytes, writeAt);
      ring.commit(count);
      converter.taken(count);
      moved += count;
    }
    return moved;
  }

  /** The converter finished or failed and its last bytes are in the ring: the spool prints them and ends the job. */
  #finish(): void {
    const converter = this.#converter, job = this.#job, failed = converter.status === ConverterStatus.Failed;
    this.#done = true;
    this.#pipeline.released(this);
    const what = `${converter.pagesDone} page${converter.pagesDone === 1 ? "" : "s"} of ${this.format} as ${languageNames[this.#pipeline.options.language]}`;
    this.#pipeline.options.log(failed
      ? `ipp: job ${job.id}: bad raster after ${what}: ${converter.error}`
      : `ipp: job ${job.id}: ${what}, ${this.documentBytes} bytes in, ${converter.bytesOut} out (${converter.kernelName} kernel)`);
    this.#spool.finish(job, failed ? JobOutcome.Aborted : JobOutcome.Printed);
  }
}

/**
 * image/pwg-raster (PWG 5102.4: IPP Everywhere's) and image/urf (Apple raster: AirPrint's), through `pipeline`.
 * The printer-device-id command names are the ones IPP Everywhere and AirPrint printers give (PWGRaster, URF).
 */
export function rasterFormats(pipeline: RasterPipeline): readonly DocumentFormat[] {
  const through = (format: RasterFormat) =>
    Object.freeze({ open: (spool: Spool, job: PrintJob, wake: () => void) => pipeline.open(spool, job, format, wake) });
  return Object.freeze([
    documentFormat("image/pwg-raster", false, true, "PWGRaster", through("image/pwg-raster")),
    documentFormat("image/urf", false, true, "URF", through("image/urf")),
  ]);
}
