// The print ring: a fixed circular buffer between the data socket and the printer, made once at start.
// It must not allocate per chunk: reads land in chunk views made up front; only a short (partial) read needs a
// view of its own, because the SDK's read(view) fills a view whole or not at all (counted in viewsCreated).

export class ByteRing {
  readonly bytes: Uint8Array;
  readonly capacity: number;
  readonly chunkBytes: number;
  readonly #chunkViews: readonly Uint8Array[];
  #readAt = 0;
  #filled = 0;
  /** Views made for partial reads since start: the bench reports them per MiB. */
  viewsCreated = 0;

  constructor(chunkBytes: number, chunkCount: number) {
    this.chunkBytes = chunkBytes;
    this.capacity = chunkBytes * chunkCount;
    this.bytes = new Uint8Array(this.capacity);
    const views: Uint8Array[] = [];
    for (let i = 0; i < chunkCount; i++) views.push(new Uint8Array(this.bytes.buffer, i * chunkBytes, chunkBytes));
    this.#chunkViews = Object.freeze(views);
  }

  get filled(): number { return this.#filled; }
  get free(): number { return this.capacity - this.#filled; }
  get readAt(): number { return this.#readAt; }

  /** Bytes readable from readAt before the end of the storage. */
  contiguousFilled(): number {
    return Math.min(this.#filled, this.capacity - this.#readAt);
  }

  /**
   * A view to receive up to `wanted` bytes at the write position. It never crosses a chunk boundary, so reads stay
   * aligned and a whole chunk goes into a premade view. With `wholeChunksOnly`, it answers only when the rest of
   * the current chunk can be filled (so no view has to be made), and undefined otherwise: the caller waits for more
   * bytes or more room, and reads a short tail only when no more bytes come. Undefined too when the ring is full.
   */
  receiveView(wanted: number, wholeChunksOnly = false): Uint8Array | undefined {
    const writeAt = (this.#readAt + this.#filled) % this.capacity;
    const intoChunk = this.chunkBytes - (writeAt % this.chunkBytes);
    const size = Math.min(wanted, this.free, intoChunk);
    if (size <= 0) return undefined;
    if (size === this.chunkBytes) return this.#chunkViews[writeAt / this.chunkBytes];
    if (wholeChunksOnly && size < intoChunk) return undefined;
    this.viewsCreated++;
    return new Uint8Array(this.bytes.buffer, writeAt, size);
  }

  /** Free bytes from the write position to the end of its chunk: what one read may fill. */
  roomInChunk(): number {
    const writeAt = (this.#readAt + this.#filled) % this.capacity;
    return Math.min(this.free, this.chunkBytes - (writeAt % this.chunkBytes));
  }

  /** `count` bytes were written at the write position. */
  commit(count: number): void {
    this.#filled += count;
  }

  /** `count` bytes from readAt went to the printer. */
  consume(count: number): void {
    this.#filled -= count;
    this.#readAt = this.#filled === 0 ? 0 : (this.#readAt + count) % this.capacity;
  }

  clear(): void {
    this.#readAt = 0;
    this.#filled = 0;
  }
}
