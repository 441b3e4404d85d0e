// The virtual printer's printout shelf, Node side: keeps one printout per job, named by the firmware's job id
// (job-12.prn, its preview job-12.txt or job-12.png, and job-12.json, what the page lists), however the printer ran
// the jobs together or apart. The printer knows nothing of jobs; the firmware's shelf (hosts/sim/printouts.ts)
// writes a journal into the capture folder, one JSON line when a job starts at the printer port and one when it
// ends, each with its place in the one byte stream the port was given (`at`, `end`). The printer's own printouts
// (a pause of 2 s ends one) only decide what the page says: "printed in 2 parts", "printed together with job 13".
// Bytes no job claimed (no journal: a firmware without it, or a test driving the printer alone) go to printed-N,
// numbered after the highest printed-N already there. Node only.

import { existsSync, openSync, readSync, closeSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderPreview } from "./preview.js";

/** Written by hosts/sim/printouts.ts (the same name is spelled there). */
export const journalName = "journal.jsonl";

export class PrintoutShelf {
  #folder;
  #printer;
  #gs;
  #log;
  #journalRead = 0;
  #journalSize = -1;
  #partial = "";
  /** id → { id, name, source, start, end, outcome, written, shown, kind, preview, note } */
  #jobs = new Map();
  /** Where the printer ended its printouts, in bytes of the stream (ascending). */
  #boundaries = [];
  #nextPrinted;

  /**
   * folder: the capture folder. printer: the model ({ count, slice(from, to) }). gs: the Ghostscript command.
   * log(line): where the shelf says what it kept.
   */
  constructor({ folder, printer, gs = "gs", log = () => {} }) {
    this.#folder = folder;
    this.#printer = printer;
    this.#gs = gs;
    this.#log = log;
    let highest = 0;
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const match = /^printed-(\d+)\./.exec(name);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    this.#nextPrinted = highest + 1;
    // A journal already there is an earlier run's: its byte counts started from another zero. The firmware removes
    // it too when it starts (after us), but the watcher may look before that.
    rmSync(join(folder, journalName), { force: true });
  }

  /** Reads new journal lines and keeps every job whose last byte the printer has printed. Call it now and then. */
  poll() {
    this.#readJournal();
    const count = this.#printer.count;
    for (const job of this.#jobs.values()) if (!job.written && job.end !== undefined && count >= job.end) this.#keep(job);
  }

  /** The printer ended a printout: bytes [from, to) of the stream. */
  printoutEnded(from, to) {
    this.#boundaries.push(to);
    this.poll();
    for (const [start, end] of this.#unclaimed(from, to)) this.#keepUnclaimed(start, end);
    // What the page says about jobs in that printout may have changed (another job joined it, or it was cut).
    for (const job of this.#jobs.values()) if (job.shown && job.start < to && job.end > from) this.#writeMeta(job);
  }

  /** At exit: a job the printer got only part of is kept as it is. */
  close() {
    this.poll();
    const count = this.#printer.count;
    for (const job of this.#jobs.values()) {
      if (job.written || count <= job.start) continue;
      job.end = count;
      job.outcome ??= "incomplete";
      this.#keep(job);
    }
  }

  #readJournal() {
    const file = join(this.#folder, journalName);
    let size;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    if (size === this.#journalSize) return;
    if (size < this.#journalRead) this.#journalRead = 0;    // a new journal (the firmware started again)
    this.#journalSize = size;
    const bytes = Buffer.alloc(size - this.#journalRead);
    const fd = openSync(file, "r");
    try {
      readSync(fd, bytes, 0, bytes.length, this.#journalRead);
    } finally {
      closeSync(fd);
    }
    this.#journalRead = size;
    const lines = (this.#partial + bytes.toString("utf8")).split("\n");
    this.#partial = lines.pop();
    for (const line of lines) {
      let mark;
      try {
        mark = JSON.parse(line);
      } catch {
        continue;
      }
      if (!Number.isInteger(mark?.job) || mark.job <= 0) continue;
      if (Number.isInteger(mark.at)) {
        this.#jobs.set(mark.job, { id: mark.job, name: String(mark.name ?? ""), source: String(mark.source ?? ""), start: mark.at,
          end: undefined, outcome: undefined, written: false, shown: false, kind: "", preview: "", note: "" });
      } else if (Number.isInteger(mark.end) && this.#jobs.has(mark.job)) {
        const job = this.#jobs.get(mark.job);
        job.end = mark.end;
        job.outcome = String(mark.outcome ?? "");
      }
    }
  }

  /** The job's bytes to job-N.prn, then its preview and job-N.json. A job that printed nothing gets no printout. */
  #keep(job) {
    job.written = true;
    const bytes = this.#printer.slice(job.start, job.end);
    if (bytes.length === 0) return;
    const file = join(this.#folder, `job-${job.id}.prn`);
    if (existsSync(file)) {
      // Job ids continue after those on the shelf (hosts/sim/printouts.ts), so this is another run's printout.
      this.#log(`virtual printer: job ${job.id}: ${file} is an earlier printout, left as it was`);
      return;
    }
    if (!this.#write(file, bytes)) return;
    this.#log(`virtual printer: job ${job.id}, ${bytes.length} bytes, printed to ${file}`);
    this.#render(file, bytes).then(({ kind, preview, note }) => {
      Object.assign(job, { kind, preview: preview ? `job-${job.id}.${preview.endsWith(".png") ? "png" : "txt"}` : "", note, shown: true });
      if (!this.#writeMeta(job)) return;
      // The jobs it shares a printout with learn it now too, not only when the printer ends that printout.
      for (const id of this.#layout(job).printedWith) if (this.#jobs.get(id)?.shown) this.#writeMeta(this.#jobs.get(id));
      if (preview) this.#log(`virtual printer: preview ${preview}`);
      this.#log(`virtual printer: job ${job.id} on the shelf`);
    });
  }

  #writeMeta(job) {
    const { parts, printedWith } = this.#layout(job);
    return this.#write(join(this.#folder, `job-${job.id}.json`), JSON.stringify({ job: job.id, name: job.name, source: job.source,
      outcome: job.outcome, bytes: job.end - job.start, kind: job.kind, file: `job-${job.id}.prn`, preview: job.preview,
      note: job.note, parts, printedWith }) + "\n");
  }

  /** A folder that refuses a file costs that printout only (logged), never the simulator. */
  #write(file, data) {
    try {
      writeFileSync(file, data);
      return true;
    } catch (error) {
      this.#log(`virtual printer: could not write ${file}: ${error.code ?? error.message}`);
      return false;
    }
  }

  #render(file, bytes) {
    let rendering;
    try {
      rendering = renderPreview(file, bytes, { gs: this.#gs, log: this.#log });
    } catch (error) {
      rendering = Promise.reject(error);    // the text preview is written at once, and may be refused at once
    }
    return rendering.catch((error) => {
      this.#log(`virtual printer: no preview of ${file}: ${error.code ?? error.message}`);
      return { kind: "", preview: undefined, note: "no preview (the capture folder refused it)" };
    });
  }

  /** The printer's printout a byte of the stream is in: how many printouts had ended before it. */
  #printoutOf(at) {
    let index = 0;
    while (index < this.#boundaries.length && this.#boundaries[index] <= at) index++;
    return index;
  }

  /** How many printouts the job is in, and which other jobs share one of them. */
  #layout(job) {
    const first = this.#printoutOf(job.start), last = this.#printoutOf(job.end - 1);
    const printedWith = [];
    const count = this.#printer.count;
    for (const other of this.#jobs.values()) {
      if (other === job) continue;
      const end = Math.min(other.end ?? count, count);
      if (end <= other.start) continue;    // nothing of it printed (yet)
      if (this.#printoutOf(other.start) <= last && this.#printoutOf(end - 1) >= first) printedWith.push(other.id);
    }
    return { parts: last - first + 1, printedWith: printedWith.sort((a, b) => a - b) };
  }

  /** The ranges of [from, to) that no job in the journal covers. */
  #unclaimed(from, to) {
    const count = this.#printer.count;
    const claimed = [...this.#jobs.values()].map((job) => [job.start, job.end ?? count]).sort((a, b) => a[0] - b[0]);
    const gaps = [];
    let at = from;
    for (const [start, end] of claimed) {
      if (end <= at) continue;
      if (start >= to) break;
      if (start > at) gaps.push([at, start]);
      at = Math.max(at, end);
    }
    if (at < to) gaps.push([at, to]);
    return gaps;
  }

  #keepUnclaimed(start, end) {
    const number = this.#nextPrinted++;
    const bytes = this.#printer.slice(start, end);
    const file = join(this.#folder, `printed-${number}.prn`);
    if (!this.#write(file, bytes)) return;
    this.#log(`virtual printer: ${bytes.length} bytes of no job printed to ${file}`);
    this.#render(file, bytes).then(({ kind, preview, note }) => {
      this.#write(join(this.#folder, `printed-${number}.json`), JSON.stringify({ job: 0, name: "", bytes: bytes.length, kind,
        file: `printed-${number}.prn`, preview: preview ? `printed-${number}.${preview.endsWith(".png") ? "png" : "txt"}` : "",
        note: note || "bytes no job announced", parts: 1, printedWith: [] }) + "\n");
      if (preview) this.#log(`virtual printer: preview ${preview}`);
    });
  }
}
