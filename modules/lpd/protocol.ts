// The LPD protocol (RFC 1179) without sockets: the byte-level reader of a connection's input (command and
// subcommand lines, the control file, the zero byte after each file, a removed job's files dropped), command lines
// split into words, the control file read line by line through a fixed buffer, the queue listing text, and which
// queued jobs a remove-jobs command names. Pure: the socket adapter (connection.ts) reads what the reader asks for
// and acts on what it reports. Unit-tested directly (test/lpd).

import { lpdControlReadBytes, lpdLineBytes } from "./limits.js";

/** The first byte of a command line (RFC 1179 §5). */
export const LpdCommand = Object.freeze({
  PrintWaiting: 0x01,
  ReceiveJob: 0x02,
  QueueShort: 0x03,
  QueueLong: 0x04,
  RemoveJobs: 0x05,
} as const);

/** The first byte of a subcommand line within receive-job (RFC 1179 §6). */
export const LpdSubcommand = Object.freeze({
  AbortJob: 0x01,
  ControlFile: 0x02,
  DataFile: 0x03,
} as const);

/** A command or subcommand line: its code, then the rest split at spaces and tabs (queue first for commands). */
export interface LpdLine {
  code: number;
  words: string[];
}

/** Bytes as text, one character per byte, anything unprintable as "?" (names go to logs and file names). */
export function printableText(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : "?";
  }
  return text;
}

/** Splits a line (code byte, then text, LF excluded) as RFC 1179 does: white space separates operands. */
export function parseLine(bytes: Uint8Array, length: number): LpdLine | undefined {
  if (length < 1) return undefined;
  let text = "";
  for (let i = 1; i < length; i++) {
    const byte = bytes[i]!;
    text += byte === 0x09 || byte === 0x0b || byte === 0x0c ? " " : byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : "?";
  }
  const words = text.split(" ").filter((word) => word.length > 0);
  return { code: bytes[0]!, words };
}

/** The largest control file we take: LPRng's and BSD's are a few hundred bytes; more is an attack or a mistake. */
export const controlFileMaxBytes = 16384;
/** The largest data file count we accept (a 31-bit count keeps arithmetic on the device in small integers). */
export const dataFileMaxBytes = 0x7fffffff;

/** A control or data file subcommand's operands: "count name". Undefined when the count is not a plain number in range. */
export function parseFileOperands(words: readonly string[], maxBytes: number): { count: number; name: string } | undefined {
  const countText = words[0];
  if (words.length < 1 || !countText || !/^[0-9]{1,10}$/.test(countText)) return undefined;
  const count = Number(countText);
  if (count > maxBytes) return undefined;
  return { count, name: words[1] ?? "" };
}

/** Queue names: JetDirect's convention. "text" turns bare LF into CRLF on the way to the printer; any other passes bytes through. */
export function queueConvertsLineEnds(queue: string): boolean {
  return queue.toLowerCase() === "text";
}

/** What the control file tells about the job (RFC 1179 §7), as far as we use it. */
export interface ControlInfo {
  /** H: the client host. */
  host: string;
  /** P: the user who asked for printing. */
  user: string;
  /** J: the job name (the banner's). */
  jobName: string;
  /** N: the name of the first file printed. */
  fileName: string;
}

/** Longest control file line kept; the rest of a longer line is skipped (RFC 1179 limits most fields to 31 or 99). */
export const controlLineBytes = 132;

/**
 * Reads a control file as it arrives, in any number of pieces, a line at a time through one fixed buffer, and
 * keeps H, P, J and the first N. Lines longer than the buffer are cut, not refused: only the fields above matter.
 */
export class ControlFileReader {
  readonly info: ControlInfo = { host: "", user: "", jobName: "", fileName: "" };
  readonly #line = new Uint8Array(controlLineBytes);
  #length = 0;
  /** Lines seen, complete or cut. */
  lines = 0;

  reset(): void {
    this.info.host = "";
    this.info.user = "";
    this.info.jobName = "";
    this.info.fileName = "";
    this.#length = 0;
    this.lines = 0;
  }

  feed(bytes: Uint8Array, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      if (byte === 0x0a) { this.#endLine(); continue; }
      if (this.#length < this.#line.length) this.#line[this.#length++] = byte;
    }
  }

  /** The file is complete: a last line without LF counts too. */
  end(): void {
    if (this.#length > 0) this.#endLine();
  }

  #endLine(): void {
    const length = this.#length;
    this.#length = 0;
    this.lines++;
    if (length < 2) return;
    const value = printableText(this.#line, 1, length).trim();
    const info = this.info;
    switch (this.#line[0]) {
      case 0x48: info.host = value; break;                              // H
      case 0x50: info.user = value; break;                              // P
      case 0x4a: info.jobName = value; break;                           // J
      case 0x4e: if (!info.fileName) info.fileName = value; break;      // N: the first file's
    }
  }
}

/** A queued job as the listings show it. */
export interface ListedJob {
  id: number;
  name: string;
  owner: string;
  source: string;
  bytesReceived: number;
  /** 0: printing; n: n jobs ahead. */
  position: number;
}

/**
 * Whether `job` is named by the operands of a queue-state command (job numbers and user names; none: every job).
 */
export function listNames(job: ListedJob, operands: readonly string[]): boolean {
  if (operands.length === 0) return true;
  for (const operand of operands) {
    if (/^[0-9]+$/.test(operand) ? Number(operand) === job.id : operand === job.owner) return true;
  }
  return false;
}

/**
 * Which jobs remove-jobs takes out (RFC 1179 §5.5: agent, then job numbers and user names). As BSD lpd: "root"
 * may remove any job, another agent only its own; with no operands, the agent's first job; "-" or "all", every job
 * the agent may remove.
 */
export function removalIds(jobs: readonly ListedJob[], agent: string, operands: readonly string[]): number[] {
  const ids: number[] = [];
  const mayRemove = (job: ListedJob): boolean => agent === "root" || job.owner === agent;
  const everything = operands.includes("-") || operands.includes("all");
  for (const job of jobs) {
    if (!mayRemove(job)) continue;
    if (operands.length === 0) {
      if (job.owner === agent || agent === "root") { ids.push(job.id); break; }
      continue;
    }
    if (everything || listNames(job, operands)) ids.push(job.id);
  }
  return ids;
}

function rank(position: number): string {
  if (position === 0) return "active";
  const tens = position % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][position % 10] ?? "th";
  return `${position}${suffix}`;
}

function column(text: string, width: number): string {
  const cut = text.length > width - 1 ? text.slice(0, width - 1) : text;
  return cut + " ".repeat(width - cut.length);
}

/**
 * The queue listing, in the BSD lpd layout LPRng and CUPS clients print as it is: short (0x03) is one line per
 * job under a header; long (0x04) a paragraph per job. `status` is the first line (the printer's state).
 */
export function formatQueue(status: string, jobs: readonly ListedJob[], long: boolean, operands: readonly string[]): string {
  let text = `${status}\n`;
  const shown = jobs.filter((job) => listNames(job, operands));
  if (shown.length === 0) return text + "no entries\n";
  if (!long) {
    text += "Rank   Owner      Job  Files                                 Total Size\n";
    for (const job of shown)
      text += `${column(rank(job.position), 7)}${column(job.owner, 11)}${column(String(job.id), 5)}${column(job.name, 38)}${job.bytesReceived} bytes\n`;
    return text;
  }
  for (const job of shown) {
    text += `\n${column(`${job.owner}: ${rank(job.position)}`, 41)}[job ${String(job.id).padStart(3, "0")} ${job.source}]\n`;
    // The whole name here (the short form cuts it to its column): this is where a user looks for it.
    text += `        ${job.name.length < 33 ? column(job.name, 33) : `${job.name} `}${job.bytesReceived} bytes\n`;
  }
  return text;
}

/** What the connection expects next from its client: LpdReader's state. */
export const LpdInput = Object.freeze({
  None: 0,              // no connection, or an answer is going out: input is not expected
  Command: 1,           // the command line that opens a connection
  Subcommand: 2,        // a receive-job subcommand line
  ControlFile: 3,       // the control file's bytes: the reader takes them
  DataFile: 4,          // the data file's bytes: the socket intake takes them, not the reader
  FileEnd: 5,           // the zero byte after a file
  Discarding: 6,        // a removed job's file: read and dropped
} as const);
export type LpdInput = (typeof LpdInput)[keyof typeof LpdInput];

/** What LpdReader.received() found in the bytes it was given. */
export const LpdRead = Object.freeze({
  More: 0,              // nothing to act on yet: read on
  Command: 1,           // a command line is complete: takeLine()
  Subcommand: 2,        // a subcommand line is complete: takeLine()
  LineTooLong: 3,       // a line longer than lpdLineBytes: the client is refused
  ControlFileEnd: 4,    // the control file is complete (control.info); its zero byte comes next
  FileEnd: 5,           // a file's zero byte came: acknowledge it; subcommands come next
  NoZeroByte: 6,        // a file followed by something other than its zero byte: the client is refused
} as const);
export type LpdRead = (typeof LpdRead)[keyof typeof LpdRead];

/**
 * One connection's input as RFC 1179 frames it, byte-exact: wanted() never asks past a line or a file, so a data
 * file's bytes stay in the socket for the intake, which streams them to the ring. Lines come a byte at a time for
 * the same reason. Made once per connection slot with its buffers, reset for each connection.
 */
export class LpdReader {
  readonly control = new ControlFileReader();
  /** Where the socket's bytes are read to: what wanted() asks for goes into its head. */
  readonly input = new Uint8Array(lpdControlReadBytes);
  readonly #line = new Uint8Array(lpdLineBytes);
  #lineLength = 0;
  #state: LpdInput = LpdInput.None;
  /** Bytes of the control file, or of a dropped file, still to come. */
  #fileRemaining = 0;

  get state(): LpdInput {
    return this.#state;
  }

  /** A new connection: its command line comes first. */
  open(): void {
    this.#state = LpdInput.Command;
    this.#lineLength = 0;
    this.#fileRemaining = 0;
    this.control.reset();
  }

  /** No input is expected any more (an answer is going out, or the connection closed). */
  stop(): void {
    this.#state = LpdInput.None;
  }

  /** receive-job was accepted: subcommands come. */
  expectSubcommands(): void {
    this.#state = LpdInput.Subcommand;
  }

  /** A control file of `count` bytes comes. True when it is complete already (count 0): its zero byte is next. */
  expectControlFile(count: number): boolean {
    this.control.reset();
    this.#fileRemaining = count;
    this.#state = count > 0 ? LpdInput.ControlFile : LpdInput.FileEnd;
    return count === 0;
  }

  /** A data file comes: the intake reads it; dataFileEnded() when it has. */
  expectDataFile(): void {
    this.#state = LpdInput.DataFile;
  }

  /** The intake has the whole data file: its zero byte is next. */
  dataFileEnded(): void {
    this.#state = LpdInput.FileEnd;
  }

  /** The rest of a file, `count` bytes, is read and dropped (a job removed while being received); then its zero byte. */
  discard(count: number): void {
    this.#fileRemaining = count;
    this.#state = count > 0 ? LpdInput.Discarding : LpdInput.FileEnd;
  }

  /** How many of the socket's `readable` bytes to read into `input` now; 0: none (the intake reads, or nothing is expected). */
  wanted(readable: number): number {
    switch (this.#state) {
      case LpdInput.Command:
      case LpdInput.Subcommand:
      case LpdInput.FileEnd:
        return readable > 0 ? 1 : 0;
      case LpdInput.ControlFile:
      case LpdInput.Discarding: {
        const count = readable < this.#fileRemaining ? readable : this.#fileRemaining;
        return count < this.input.length ? count : this.input.length;
      }
      default:
        return 0;
    }
  }

  /** The first `count` bytes of `input` were just read (what wanted() asked for): what they make. */
  received(count: number): LpdRead {
    const input = this.input;
    switch (this.#state) {
      case LpdInput.Command:
      case LpdInput.Subcommand: {
        const byte = input[0]!;
        if (byte === 0x0a) return this.#state === LpdInput.Command ? LpdRead.Command : LpdRead.Subcommand;
        if (this.#lineLength >= this.#line.length) return LpdRead.LineTooLong;
        this.#line[this.#lineLength++] = byte;
        return LpdRead.More;
      }
      case LpdInput.ControlFile:
        this.control.feed(input, 0, count);
        this.#fileRemaining -= count;
        if (this.#fileRemaining > 0) return LpdRead.More;
        this.control.end();
        this.#state = LpdInput.FileEnd;
        return LpdRead.ControlFileEnd;
      case LpdInput.Discarding:
        this.#fileRemaining -= count;
        if (this.#fileRemaining === 0) this.#state = LpdInput.FileEnd;
        return LpdRead.More;
      case LpdInput.FileEnd:
        if (input[0] !== 0) return LpdRead.NoZeroByte;
        this.#state = LpdInput.Subcommand;
        return LpdRead.FileEnd;
      default:
        return LpdRead.More;
    }
  }

  /** The line just completed, split (undefined when empty); the next line starts. */
  takeLine(): LpdLine | undefined {
    const line = parseLine(this.#line, this.#lineLength);
    this.#lineLength = 0;
    return line;
  }
}
