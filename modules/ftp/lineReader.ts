// Assembles FTP command lines from control-connection bytes into one fixed buffer, speaking just enough Telnet
// (RFC 854) to survive what real clients send around ABOR. Pure: no IO; allocates only the finished line's string.
//
// Why each rule (the bytes real clients send: test/ftp/lineReader.test.js, test/e2e/clients.test.js):
//  - IAC x pairs are dropped and IAC IAC is one 0xFF (RFC 854); IAC WILL/WONT/DO/DONT take their option byte too.
//  - An IAC followed by an ordinary byte keeps that byte: on Linux the kernel removes the one urgent byte from the
//    stream, so lftp's "IAC IP IAC DM ABOR" arrives as "IAC IP IAC ABOR", and eating the "A" would lose the verb.
//  - CR, LF and CRLF all end a line: python's ftplib.abort() loses its final LF the same way.
//  - Bytes before the verb that are not printable ASCII (a stray DM, 0xF2) are trimmed.
//  - A line longer than the buffer is not kept: it is reported (tooLong) as soon as it outgrows the buffer, so the
//    caller answers 500 at once rather than waiting for a CR/LF that may never come, and the rest of it is
//    discarded up to its end.

import { commandLineBytes } from "./limits.js";

const IAC = 255, WILL = 251, DONT = 254, SE = 240, CR = 13, LF = 10, NUL = 0;

/** Where the reader is in a Telnet command (RFC 854): in plain bytes, after an IAC, or before an option byte. */
const TelnetState = Object.freeze({ Reading: 0, AfterIac: 1, AfterOption: 2 } as const);
type TelnetState = (typeof TelnetState)[keyof typeof TelnetState];

export class LineReader {
  readonly #line = new Uint8Array(commandLineBytes);
  #length = 0;
  #telnet: TelnetState = TelnetState.Reading;
  #overflowed = false;
  /** A too-long line was reported; its remaining bytes are dropped up to its CR or LF. */
  #discarding = false;
  #lastEndedWithCr = false;
  /** A line ended: take it with takeLine() before feeding more. */
  lineReady = false;
  /** The line that ended was too long; takeLine() gives "". */
  tooLong = false;

  /**
   * Consumes bytes[at, end) up to and including the end of the first complete line. Returns the offset of the
   * first byte not consumed (end when everything was taken). When a line ended, lineReady is set.
   */
  feed(bytes: Uint8Array, at: number, end: number): number {
    while (at < end) {
      if (this.#overflowed) return this.#reportTooLong(at);
      const byte = bytes[at++];
      switch (this.#telnet) {
        case TelnetState.AfterIac:
          this.#telnet = TelnetState.Reading;
          if (byte === IAC) this.#keep(IAC);
          else if (byte >= WILL && byte <= DONT) this.#telnet = TelnetState.AfterOption;
          else if (byte < SE) this.#keep(byte);    // not a Telnet command: the IAC's partner went out of band
          continue;
        case TelnetState.AfterOption:
          this.#telnet = TelnetState.Reading;
          continue;
      }
      if (byte === IAC) { this.#telnet = TelnetState.AfterIac; continue; }
      if (byte === LF && this.#lastEndedWithCr && this.#length === 0 && !this.#overflowed) {
        this.#lastEndedWithCr = false;               // the LF of a CRLF whose CR already ended the line
        continue;
      }
      this.#lastEndedWithCr = false;
      if (byte === CR || byte === LF) {
        this.#lastEndedWithCr = byte === CR;
        if (this.#discarding) { this.#discarding = false; continue; }   // the end of a line already answered
        if (this.#length === 0 && !this.#overflowed) continue;   // blank line: nothing to answer
        this.lineReady = true;
        this.tooLong = this.#overflowed;
        return at;
      }
      if (byte === NUL) continue;                     // Telnet's CR NUL, or junk: never part of a command
      this.#keep(byte);
    }
    return this.#overflowed ? this.#reportTooLong(at) : at;
  }

  #reportTooLong(at: number): number {
    this.lineReady = true;
    this.tooLong = true;
    this.#discarding = true;
    return at;
  }

  /** The finished line as a string (bytes as Latin-1), leading junk trimmed, trailing spaces kept. Resets the reader. */
  takeLine(): string {
    let text = "";
    if (!this.#overflowed) {
      let start = 0;
      while (start < this.#length && (this.#line[start] <= 0x20 || this.#line[start] >= 0x7f)) start++;
      for (let i = start; i < this.#length; i++) text += String.fromCharCode(this.#line[i]);
    }
    this.#reset();
    return text;
  }

  /** Forget everything, for a slot that is reused. */
  clear(): void {
    this.#reset();
    this.#telnet = TelnetState.Reading;
    this.#discarding = false;
    this.#lastEndedWithCr = false;
  }

  #reset(): void {
    this.#length = 0;
    this.#overflowed = false;
    this.lineReady = false;
    this.tooLong = false;
  }

  #keep(byte: number): void {
    if (this.#discarding) return;
    if (this.#length < this.#line.length) this.#line[this.#length++] = byte;
    else this.#overflowed = true;
  }
}
