// Reply codes named by intent (RFC 959 §4.2, RFC 2428, RFC 3659) and the one writer that formats every reply line.
// Pure: writes ASCII into a caller's buffer (ReplyQueue's, or replyLine()'s for a reply made once at start); no IO.

export const Reply = Object.freeze({
  RestartMarker: 110,
  FileStatusOkay: 150,
  Okay: 200,
  CommandSuperfluous: 202,
  SystemStatus: 211,
  FileStatus: 213,
  Help: 214,
  SystemType: 215,
  ServiceReady: 220,
  Goodbye: 221,
  DataConnectionOpen: 225,
  TransferComplete: 226,
  AbortOkay: 226,
  EnteringPassive: 227,
  EnteringExtendedPassive: 229,
  LoggedIn: 230,
  FileActionOkay: 250,
  PathCreated: 257,
  NeedPassword: 331,
  ServiceUnavailable: 421,
  CannotOpenDataConnection: 425,
  ConnectionBroken: 426,
  LocalFailure: 451,
  Unrecognized: 500,
  BadArguments: 501,
  NotImplemented: 502,
  BadSequence: 503,
  ParameterNotImplemented: 504,
  ProtocolNotSupported: 522,
  NotLoggedIn: 530,
  FileUnavailable: 550,
  BadFileName: 553,
} as const);

const space = 0x20, hyphen = 0x2d, cr = 0x0d, lf = 0x0a, question = 0x3f;

/** Bytes one reply line may need at most: "NNN-" + text + CRLF. */
export function replyLineBytes(text: string): number {
  return 4 + text.length + 2;
}

/**
 * Writes "NNN text\r\n" (or "NNN-text\r\n" when `continues`) into `into` at `at` and returns the new offset.
 * CR and LF in `text` become spaces, so a client-chosen string (a file name) cannot forge a reply line;
 * anything outside printable ASCII becomes "?". Throws if the line does not fit: that is our bug, not the client's.
 */
export function writeReply(into: Uint8Array, at: number, code: number, text: string, continues = false): number {
  if (at + replyLineBytes(text) > into.length) throw new Error("reply overflow");
  into[at++] = 0x30 + ((code / 100) | 0);
  into[at++] = 0x30 + (((code / 10) | 0) % 10);
  into[at++] = 0x30 + (code % 10);
  into[at++] = continues ? hyphen : space;
  at = writeText(into, at, text);
  into[at++] = cr;
  into[at++] = lf;
  return at;
}

/** One whole reply line as bytes, for a reply made once at start (the pool's refusals). */
export function replyLine(code: number, text: string): Uint8Array {
  const line = new Uint8Array(replyLineBytes(text));
  writeReply(line, 0, code, text);
  return line;
}

/** Below this much free reply space the client is not reading its replies at all. */
const minimumReplyRoom = 64;

/**
 * The replies of one connection waiting to be written: whole lines in one buffer made at start. The socket side
 * writes from its head, bytes[0, queued), as the send space allows, and says how much went with taken().
 */
export class ReplyQueue {
  readonly bytes: Uint8Array;
  #queued = 0;

  constructor(bufferBytes: number) {
    this.bytes = new Uint8Array(bufferBytes);
  }

  get queued(): number {
    return this.#queued;
  }

  /**
   * Queues one reply line, its text cut to the room left. Returns false, queueing nothing, when less room than
   * minimumReplyRoom is left: commands wait while replies are queued, so only a client that reads none gets there.
   */
  add(code: number, text: string, continues = false): boolean {
    const room = this.bytes.length - this.#queued;
    if (room < minimumReplyRoom) return false;
    if (replyLineBytes(text) > room) text = text.slice(0, room - 6);
    this.#queued = writeReply(this.bytes, this.#queued, code, text, continues);
    return true;
  }

  /** Queues a middle line of a multi-line reply if it fits; returns whether it did. */
  addContinuation(text: string): boolean {
    if (this.#queued + text.length + 3 > this.bytes.length) return false;
    this.#queued = writeReplyContinuation(this.bytes, this.#queued, text);
    return true;
  }

  /** The first `count` queued bytes went out. */
  taken(count: number): void {
    this.bytes.copyWithin(0, count, this.#queued);
    this.#queued -= count;
  }

  clear(): void {
    this.#queued = 0;
  }
}

/**
 * A continuation line of a multi-line reply (RFC 959 §4.2): text that does not start with a digit-code,
 * so it is indented by one space, as RFC 2389 shows for FEAT.
 */
export function writeReplyContinuation(into: Uint8Array, at: number, text: string): number {
  if (at + text.length + 3 > into.length) throw new Error("reply overflow");
  into[at++] = space;
  at = writeText(into, at, text);
  into[at++] = cr;
  into[at++] = lf;
  return at;
}

/** Writes `text` as printable ASCII; CR/LF become spaces, other non-printables "?". Returns the new offset. */
export function writeText(into: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    into[at++] = c === cr || c === lf ? space : c >= 0x20 && c < 0x7f ? c : question;
  }
  return at;
}

/**
 * Writes `text` as it is, line ends included, for listings and the status file on the data connection; only
 * characters outside ASCII become "?". The caller sizes `into`. Returns the new offset.
 */
export function writeAscii(into: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    into[at++] = c < 0x80 ? c : question;
  }
  return at;
}
