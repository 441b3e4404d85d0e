// The print ring: a fixed circular buffer between the data socket and the printer, made once at start.
// It must not allocate per chunk: reads land in views made up front (each chunk, and each run of whole chunks);
// only a short (partial) read needs a view of its own, because the SDK's read(view) fills a view whole or not at
// all (counted in viewsCreated).

export class ByteRing {
  readonly bytes: Uint8Array;
  readonly capacity: number;
  readonly chunkBytes: number;
  readonly #chunkViews: readonly Uint8Array[];
  /** #runViews[i][k - 1]: chunks i .. i + k - 1 as one view, for reads of several whole chunks at once. */
  readonly #runViews: readonly (readonly Uint8Array[])[];
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
    const runs: (readonly Uint8Array[])[] = [];
    for (let i = 0; i < chunkCount; i++) {
      const run: Uint8Array[] = [views[i]!];
      for (let k = 2; i + k <= chunkCount; k++) run.push(new Uint8Array(this.bytes.buffer, i * chunkBytes, k * chunkBytes));
      runs.push(Object.freeze(run));
    }
    this.#runViews = Object.freeze(runs);
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

  /**
   * For a reader that can take several chunks in one read: the premade view over as many whole free chunks as
   * `wanted` fills, from the write position (which must be at a chunk boundary) up to the end of the storage.
   * Undefined when not even one whole chunk fits; receiveView() then says what can be read.
   */
  receiveChunks(wanted: number): Uint8Array | undefined {
    const writeAt = (this.#readAt + this.#filled) % this.capacity;
    if (writeAt % this.chunkBytes !== 0) return undefined;
    const room = Math.min(wanted, this.free, this.capacity - writeAt);
    const chunks = (room / this.chunkBytes) | 0;
    if (chunks === 0) return undefined;
    return this.#runViews[writeAt / this.chunkBytes]![chunks - 1];
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
