// The LPD protocol (RFC 1179) without sockets: command and subcommand lines, the control file read line by line
// through a fixed buffer, the queue listing text, and which queued jobs a remove-jobs command names. Pure: the
// socket adapter (connection.ts) feeds it bytes and writes what it returns. Unit-tested directly (test/lpd).

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
