// The print ring (modules/print/ring.ts): a fixed circular buffer whose whole-chunk reads land in views made once.

import test from "node:test";
import assert from "node:assert/strict";
import { ByteRing } from "../../build/modules/print/ring.js";

/** Writes `count` bytes counting up from `first` through receiveView() and commit(), as a feeder does. */
function put(ring, count, first = 0) {
  const view = ring.receiveView(count);
  for (let i = 0; i < view.length; i++) view[i] = (first + i) & 255;
  ring.commit(view.length);
  return view;
}

/** Takes what the printer would: contiguousFilled() bytes from readAt, then consume(). */
function take(ring, most = Infinity) {
  const count = Math.min(ring.contiguousFilled(), most);
  const bytes = [...ring.bytes.subarray(ring.readAt, ring.readAt + count)];
  ring.consume(count);
  return bytes;
}

test("a new ring is empty, with chunkBytes * chunkCount free bytes", () => {
  const ring = new ByteRing(8, 4);
  assert.equal(ring.capacity, 32);
  assert.equal(ring.chunkBytes, 8);
  assert.equal(ring.bytes.length, 32);
  assert.equal(ring.filled, 0);
  assert.equal(ring.free, 32);
  assert.equal(ring.readAt, 0);
  assert.equal(ring.contiguousFilled(), 0);
  assert.equal(ring.viewsCreated, 0);
});

test("whole chunks land in the views made at start: the same objects each lap, no view created", () => {
  const ring = new ByteRing(8, 4);
  const firstLap = [put(ring, 8), put(ring, 8), put(ring, 8), put(ring, 8)];
  assert.equal(ring.free, 0);
  firstLap.forEach((view, i) => {
    assert.equal(view.buffer, ring.bytes.buffer);
    assert.equal(view.byteOffset, i * 8);
    assert.equal(view.length, 8);
  });
  take(ring, 8);
  take(ring, 8);
  const again = put(ring, 8);
  assert.equal(again, firstLap[0]);
  assert.equal(put(ring, 8), firstLap[1]);
  assert.equal(ring.viewsCreated, 0);
});

test("asking for more than a chunk gives at most one chunk, still a premade view", () => {
  const ring = new ByteRing(8, 4);
  const view = ring.receiveView(1000);
  assert.equal(view.length, 8);
  assert.equal(view.byteOffset, 0);
  assert.equal(ring.viewsCreated, 0);
  assert.equal(ring.receiveView(1000), view);
});

test("a partial read gets a view of its own, counted in viewsCreated", () => {
  const ring = new ByteRing(8, 4);
  const view = put(ring, 3);
  assert.equal(view.byteOffset, 0);
  assert.equal(view.length, 3);
  assert.equal(ring.viewsCreated, 1);
});

test("a view after a partial read reaches only to the end of its chunk, never across a boundary", () => {
  const ring = new ByteRing(8, 4);
  put(ring, 3);
  const rest = ring.receiveView(100);
  assert.equal(rest.byteOffset, 3);
  assert.equal(rest.length, 5);
  ring.commit(5);
  const next = ring.receiveView(100);
  assert.equal(next.byteOffset, 8);
  assert.equal(next.length, 8);
});

test("every view, for any sequence of sizes, lies inside one chunk and inside the free space", () => {
  const ring = new ByteRing(8, 4);
  const sizes = [1, 7, 3, 8, 5, 2, 13, 8, 1, 6, 4, 9, 2, 8, 8, 3];
  let printed = 0;
  for (let round = 0; round < 20; round++) {
    for (const size of sizes) {
      const writeAt = (ring.readAt + ring.filled) % ring.capacity;
      const view = ring.receiveView(size);
      if (view) {
        assert.equal(view.byteOffset, writeAt);
        assert.equal(Math.floor(view.byteOffset / 8), Math.floor((view.byteOffset + view.length - 1) / 8), `view ${view.byteOffset}+${view.length}`);
        assert.equal(view.length <= ring.free, true);
        assert.equal(view.length <= size, true);
        ring.commit(view.length);
      }
      printed += take(ring, (size * 3) % 5).length;
    }
  }
  assert.equal(printed > 0, true);
});

test("bytes go round the ring and come out in order across the wrap-around", () => {
  const ring = new ByteRing(4, 2);
  const out = [];
  let next = 0;
  for (let step = 0; step < 50; step++) {
    const view = ring.receiveView(3);
    if (view) {
      for (let i = 0; i < view.length; i++) view[i] = next++ & 255;
      ring.commit(view.length);
    }
    out.push(...take(ring, 2));
  }
  while (ring.filled) out.push(...take(ring));
  assert.deepEqual(out, Array.from({ length: next }, (_, i) => i & 255));
  assert.equal(next > ring.capacity * 3, true);
});

test("contiguousFilled stops at the end of storage, and the rest follows from offset 0", () => {
  const ring = new ByteRing(4, 2);
  put(ring, 4, 0);
  put(ring, 4, 4);
  assert.deepEqual(take(ring, 6), [0, 1, 2, 3, 4, 5]);
  put(ring, 4, 8);                                     // lands in chunk 0: the write position wrapped
  assert.equal(ring.readAt, 6);
  assert.equal(ring.filled, 6);
  assert.equal(ring.contiguousFilled(), 2);
  assert.deepEqual(take(ring), [6, 7]);
  assert.equal(ring.readAt, 0);
  assert.deepEqual(take(ring), [8, 9, 10, 11]);
});

test("a full ring offers no view, and a ring with room offers one again", () => {
  const ring = new ByteRing(4, 2);
  put(ring, 4);
  put(ring, 4);
  assert.equal(ring.receiveView(1), undefined);
  take(ring, 1);
  const view = ring.receiveView(4);
  assert.equal(view.byteOffset, 0);
  assert.equal(view.length, 1);                          // only the byte freed at the front of chunk 0
});

test("a view of nothing wanted is undefined", () => {
  assert.equal(new ByteRing(4, 2).receiveView(0), undefined);
});

test("an emptied ring starts again at offset 0, so the next chunk is a premade view", () => {
  const ring = new ByteRing(8, 2);
  put(ring, 5);
  take(ring, 5);
  assert.equal(ring.readAt, 0);
  assert.equal(ring.filled, 0);
  const view = ring.receiveView(8);
  assert.equal(view.byteOffset, 0);
  assert.equal(view.length, 8);
  assert.equal(ring.viewsCreated, 1);                    // only the 5-byte read
});

test("clear empties the ring and rewinds it", () => {
  const ring = new ByteRing(8, 2);
  put(ring, 8);
  take(ring, 3);
  ring.clear();
  assert.equal(ring.filled, 0);
  assert.equal(ring.free, 16);
  assert.equal(ring.readAt, 0);
  assert.equal(ring.receiveView(8).byteOffset, 0);
});

test("with wholeChunksOnly, a read that would leave its chunk part-filled gets no view", () => {
  const ring = new ByteRing(8, 4);
  assert.equal(ring.receiveView(5, true), undefined);
  assert.equal(ring.viewsCreated, 0);
  const whole = ring.receiveView(20, true);
  assert.equal(whole.byteOffset, 0);
  assert.equal(whole.length, 8);
  assert.equal(ring.viewsCreated, 0);
});

test("with wholeChunksOnly, the rest of a chunk already begun is a view of its own when it can be filled", () => {
  const ring = new ByteRing(8, 4);
  put(ring, 3);                                          // a short tail read, as at the end of an upload
  assert.equal(ring.receiveView(4, true), undefined);
  const rest = ring.receiveView(5, true);
  assert.equal(rest.byteOffset, 3);
  assert.equal(rest.length, 5);
  assert.equal(ring.viewsCreated, 2);
});

test("with wholeChunksOnly, room cut short by unprinted bytes gives no view until the printer frees the chunk", () => {
  const ring = new ByteRing(4, 2);
  put(ring, 4);
  put(ring, 4);
  take(ring, 2);                                          // readAt 2: only bytes 0..1 of chunk 0 are free
  assert.equal(ring.receiveView(100, true), undefined);
  assert.equal(ring.receiveView(100).length, 2);          // without the flag a short view is offered
});

test("roomInChunk is the free space from the write position to the end of its chunk", () => {
  const ring = new ByteRing(8, 2);
  assert.equal(ring.roomInChunk(), 8);
  put(ring, 3);
  assert.equal(ring.roomInChunk(), 5);
  ring.commit(5);
  assert.equal(ring.roomInChunk(), 8);
  ring.commit(8);
  assert.equal(ring.roomInChunk(), 0);
  take(ring, 2);
  assert.equal(ring.roomInChunk(), 2);
});

test("receiveChunks gives a premade view over as many whole free chunks as wanted, up to the end of storage", () => {
  const ring = new ByteRing(8, 4);
  assert.equal(ring.receiveChunks(7), undefined);        // not one whole chunk
  const three = ring.receiveChunks(30);
  assert.equal(three.byteOffset, 0);
  assert.equal(three.length, 24);
  assert.equal(ring.receiveChunks(30), three);           // the same object: made at start
  ring.commit(24);
  take(ring, 20);                                        // readAt 20, write position 24: 8 to the end, 16 wrapped
  const last = ring.receiveChunks(100);
  assert.equal(last.byteOffset, 24);
  assert.equal(last.length, 8);                          // never past the end of the storage
  ring.commit(8);
  assert.equal(ring.receiveChunks(100).length, 16);      // from offset 0 up to the unprinted bytes at 20
  ring.commit(3);
  assert.equal(ring.receiveChunks(100), undefined);      // write position inside a chunk
  assert.equal(ring.viewsCreated, 0);
});
