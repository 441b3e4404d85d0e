// The simulator's printout shelf, firmware side: tells the virtual printer where each job begins and ends in the
// byte stream (a journal in the capture folder, one JSON line per job start and end), and lists for the page what
// it made of them (simulator/devices/shelf.js keeps job-N.prn, its preview job-N.txt or .png and job-N.json per job).
// Reads and writes with the SDK's `file` module; no Node imports. Called per job and per page request, never per chunk.

import { File, Iterator } from "file";
import { jobOutcomeWords, type JobOutcome, type PrintJob } from "print/job";
import type { SpoolObserver } from "print/spool";
import type { BodySource, Printout, PrintoutShelf } from "web/printouts";
import { isPrintoutName } from "web/printouts";

/** Written here, read by simulator/devices/shelf.js (the same names are spelled there). */
export const journalName = "journal.jsonl";
const noteName = "preview.note";    // simulator/devices/preview.js writes it when Ghostscript is missing
/** Ended jobs remembered for pending(). */
const recentlyEndedCount = 8;

interface Entry {
  name: string;
  length?: number;
}

export class CapturedPrintouts implements PrintoutShelf, SpoolObserver {
  readonly #folder: string;
  readonly #printer: string;
  readonly #journal: boolean;
  /** The spool's first job id: after every job id already in the folder, so nothing is overwritten after a restart. */
  readonly firstJobId: number;
  readonly #ended: number[] = [];
  #endedNext = 0;

  /**
   * `journal`: a virtual printer is behind the port (our Node simulator's parallel or serial printer), so job marks
   * are worth writing. The journal of an earlier run is removed: its byte counts started from another zero.
   */
  constructor(folder: string, printer: string, journal: boolean) {
    this.#folder = folder.endsWith("/") ? folder : folder + "/";
    this.#printer = printer;
    this.#journal = journal;
    for (let i = 0; i < recentlyEndedCount; i++) this.#ended.push(0);
    let highest = 0;
    for (const entry of this.#entries()) {
      // job-12.prn and its previews; the file port's 00012-name (print/filePort) is numbered by job id too.
      const match = /^job-(\d{1,9})\./.exec(entry.name) ?? /^(\d{5,9})-/.exec(entry.name);
      if (match && Number(match[1]) > highest) highest = Number(match[1]);
    }
    this.firstJobId = highest + 1;
    if (journal && File.exists(this.#folder + journalName)) File.delete(this.#folder + journalName);
  }

  jobStarted(job: PrintJob, atByte: number): void {
    this.#append(JSON.stringify({ job: job.id, at: atByte, name: job.name.slice(0, 64), source: job.source }));
  }

  jobEnded(job: PrintJob, outcome: JobOutcome, atByte: number): void {
    this.#append(JSON.stringify({ job: job.id, end: atByte, outcome: jobOutcomeWords[outcome]?.name ?? "?" }));
    if (job.bytesPrinted > 0) {
      this.#ended[this.#endedNext] = job.id;
      this.#endedNext = (this.#endedNext + 1) % recentlyEndedCount;
    }
  }

  pending(): number {
    let count = 0;
    for (const id of this.#ended) if (id > 0 && !File.exists(`${this.#folder}job-${id}.json`)) count++;
    return count;
  }

  list(limit: number): Printout[] {
    const jobs: number[] = [];
    const others: number[] = [];
    for (const entry of this.#entries()) {
      const match = /^(job|printed)-(\d{1,9})\.json$/.exec(entry.name);
      if (match) (match[1] === "job" ? jobs : others).push(Number(match[2]));
    }
    jobs.sort((a, b) => b - a);
    others.sort((a, b) => b - a);
    const printouts: Printout[] = [];
    for (const name of jobs.map((n) => `job-${n}`).concat(others.map((n) => `printed-${n}`))) {
      if (printouts.length >= limit) break;
      const printout = this.#read(name);
      if (printout) printouts.push(printout);
    }
    return printouts;
  }

  note(): string | undefined {
    // --printer file: the firmware's FilePort writes the raw jobs; there is no virtual printer and so no paper.
    if (this.#printer === "file" || this.#printer === "discard")
      return `The ${this.#printer} printer port has no virtual printer behind it, so there is nothing to preview (start the simulator with --printer parallel or serial).`;
    if (!File.exists(this.#folder + noteName)) return undefined;
    return this.#text(noteName);
  }

  open(name: string): BodySource | undefined {
    if (!isPrintoutName(name) || !File.exists(this.#folder + name)) return undefined;
    const file = new File(this.#folder + name);
    return {
      byteLength: file.length,
      read(at: number, count: number): ArrayBuffer {
        file.position = at;
        return file.read(ArrayBuffer, count) as ArrayBuffer;
      },
      close: () => file.close(),
    };
  }

  #entries(): Iterable<Entry> {
    try {
      return new Iterator(this.#folder) as unknown as Iterable<Entry>;
    } catch {
      return [];    // no folder (yet): nothing printed
    }
  }

  #text(name: string): string {
    const file = new File(this.#folder + name);
    try {
      return String(file.read(String));
    } finally {
      file.close();
    }
  }

  /** job-N.json (or printed-N.json), checked field by field: it is a file, not our own memory. */
  #read(stem: string): Printout | undefined {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(this.#text(stem + ".json")) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const text = (key: string): string => (typeof value[key] === "string" ? value[key] as string : "");
    const count = (key: string): number => (typeof value[key] === "number" && (value[key] as number) >= 0 ? value[key] as number : 0);
    const file = (key: string): string => (isPrintoutName(text(key)) ? text(key) : "");
    const together = Array.isArray(value.printedWith) ? value.printedWith.filter((id): id is number => typeof id === "number") : [];
    return { job: count("job"), name: text("name"), bytes: count("bytes"), kind: text("kind"), file: file("file"),
      preview: file("preview"), note: text("note"), parts: Math.max(1, count("parts")), printedWith: together };
  }

  #append(line: string): void {
    if (!this.#journal) return;
    const file = new File(this.#folder + journalName, true);
    try {
      file.position = file.length;
      file.write(line + "\n");
    } finally {
      file.close();
    }
  }
}
