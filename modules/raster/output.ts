// The converter's output: printer bytes waiting for the caller to take them (output, outputAt, outputCount,
// taken). Made once per job; writers check room first, so nothing here grows or allocates.

export class RasterOutput {
  readonly bytes: Uint8Array;
  #start = 0;
  #end = 0;
  /** Bytes written since the job began. */
  total = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  get start(): number { return this.#start; }
  get count(): number { return this.#end - this.#start; }

  /** Room for `count` more bytes after moving what is waiting to the front if need be. */
  makeRoom(count: number): boolean {
    if (this.bytes.length - this.#end >= count) return true;
    if (this.bytes.length - this.count < count) return false;
    this.bytes.copyWithin(0, this.#start, this.#end);
    this.#end -= this.#start;
    this.#start = 0;
    return true;
  }

  taken(count: number): void {
    if (!(count >= 0 && count <= this.count)) throw new RangeError("raster output: taken more than waits");
    this.#start += count;
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  byte(value: number): void {
    this.bytes[this.#end++] = value;
    this.total++;
  }

  /** ASCII text (the escape sequences' letters). */
  text(ascii: string): void {
    for (let i = 0; i < ascii.length; i++) this.bytes[this.#end++] = ascii.charCodeAt(i);
    this.total += ascii.length;
  }

  /** A whole number >= 0 in decimal, as PCL's parameters are written. */
  decimal(value: number): void {
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    for (let i = digits - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 10)) this.bytes[this.#end + i] = 48 + (rest % 10);
    this.#end += digits;
    this.total += digits;
  }

  /** A 16-bit number, low byte first, as ESC/P 2's parameters are written. */
  word16(value: number): void {
    this.bytes[this.#end++] = value & 255;
    this.bytes[this.#end++] = (value >> 8) & 255;
    this.total += 2;
  }

  /**
   * source[0, count) appended. Copies the whole source natively (TypedArray set, no view made), so the room
   * checked must be source.length; only `count` bytes are kept.
   */
  append(source: Uint8Array, count: number): void {
    this.bytes.set(source, this.#end);
    this.#end += count;
    this.total += count;
  }
}
