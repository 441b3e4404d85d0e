// TYPE A for a printer: a bare LF becomes CRLF so Unix text does not staircase; a CRLF stays as it is, also when the
// CR ends one chunk and the LF starts the next. Pure: it never copies or moves bytes. It only says how long a run
// can go to the printer unchanged, and the spool sends one CR of its own before each bare LF.

const CR = 13, LF = 10;

export class LineEndFilter {
  /** The last byte the printer took was a CR. */
  previousWasCr = false;
  /** The next byte is a bare LF and its CR has not gone out yet. */
  crOwed = false;

  reset(): void {
    this.previousWasCr = false;
    this.crOwed = false;
  }

  /**
   * How many of bytes[at, at + count) may go out unchanged: all, or up to (not including) the first bare LF.
   * Returns 0 and sets crOwed when the first byte itself is a bare LF.
   */
  safeRun(bytes: Uint8Array, at: number, count: number): number {
    let previous = this.previousWasCr;
    for (let i = 0; i < count; i++) {
      const byte = bytes[at + i];
      if (byte === LF && !previous) {
        if (i === 0) this.crOwed = true;
        return i;
      }
      previous = byte === CR;
    }
    return count;
  }

  /** The printer took bytes[at, at + count), count > 0. */
  took(bytes: Uint8Array, at: number, count: number): void {
    this.previousWasCr = bytes[at + count - 1] === CR;
  }

  /** The owed CR went out. */
  tookCr(): void {
    this.crOwed = false;
    this.previousWasCr = true;
  }
}

/** The one CR the spool sends before a bare LF. */
export const carriageReturn: Uint8Array = Uint8Array.of(CR);
