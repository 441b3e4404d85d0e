// The TypeScript raster kernel's four operations, one by one (modules/raster/scriptKernel.ts): rows encoded and
// decoded back by the test decoders' rules, lines decoded whatever the chunking, the dither's properties, misuse.
// The C kernel is held to the same bytes by the mcsim run (test/raster/sdk/run.js).

import test from "node:test";
import assert from "node:assert/strict";
import * as kernel from "../../build/modules/raster/scriptKernel.js";
import * as layout from "../../build/modules/raster/kernelState.js";
import { prng } from "./rasterFiles.js";

const random = prng(13);

function word(state, index) {
  return new DataView(state.buffer, state.byteOffset).getInt32(index * 4, true);
}

function newState({ units, inputBytes = 1, convert = 0, white = 255, skip = 0, keep = 0 }) {
  const state = new Uint8Array(layout.stateBytes), view = new DataView(state.buffer);
  for (const [index, value] of [[layout.wordUnits, units], [layout.wordInputBytes, inputBytes], [layout.wordConvert, convert],
    [layout.wordWhite, white], [layout.wordSkip, skip], [layout.wordKeep, keep], [layout.wordLiteralAt, -1], [layout.wordInkLiteralAt, -1]])
    view.setInt32(index * 4, value, true);
  return state;
}

/** A row with runs, single bytes and zero stretches, like dithered or 1-bit rows. */
function randomRow(length) {
  const row = new Uint8Array(length);
  for (let i = 0; i < length;) {
    const kind = random(), n = 1 + Math.floor(random() * 40);
    const value = kind < 0.3 ? 0 : kind < 0.5 ? 255 : Math.floor(random() * 256);
    for (let k = 0; k < n && i < length; k++, i++) row[i] = kind < 0.7 ? value : Math.floor(random() * 256);
  }
  return row;
}

function unpack(data, length, epson) {
  const row = new Uint8Array(length + 300);
  let at = 0, out = 0;
  while (at < data.length) {
    const code = data[at++];
    if (code < 128) { row.set(data.subarray(at, at + code + 1), out); at += code + 1; out += code + 1; }
    else if (code > 128) { row.fill(data[at++], out, out + 257 - code); out += 257 - code; }
    else assert.fail(`code 128 in ${epson ? "ESC/P 2" : "PCL"} output`);
  }
  return { row: row.subarray(0, length), produced: out };
}

test("PackBits rows decode back to the row; mode 2 leaves out trailing zeros; an all-zero row is -1", () => {
  for (let round = 0; round < 2000; round++) {
    const length = 1 + Math.floor(random() * 700), from = Math.floor(random() * 5);
    const bits = new Uint8Array(from + length);
    bits.set(randomRow(length), from);
    const out = new Uint8Array(kernel.rowOutputBytes(length));
    const zero = bits.subarray(from).every((b) => b === 0);
    for (const method of [layout.encodeRunLength, layout.encodePackBits]) {
      const n = kernel.encodeLine(method, bits, from, length, new Uint8Array(0), out);
      if (zero) { assert.equal(n, -1); continue; }
      const { row, produced } = unpack(out.subarray(0, n), length, method === layout.encodeRunLength);
      assert.deepEqual(row, bits.subarray(from), `round ${round}`);
      if (method === layout.encodeRunLength) assert.equal(produced, length, "ESC/P 2 rows are whole");
      else assert.notEqual(bits[from + produced - 1], 0, "mode 2 stops at the last byte that is not 0");
      assert.ok(n <= length + Math.ceil(length / 128) + 1, `${n} bytes for ${length}`);
    }
  }
});

test("delta rows rebuild the row from the seed, and leave the seed equal to the row", () => {
  for (let round = 0; round < 2000; round++) {
    const length = 1 + Math.floor(random() * 900);
    const seed = randomRow(length), bits = seed.slice();
    // Change a few stretches, some far apart (offsets of 31 and more, and of 286 and more, need extra bytes).
    for (let k = Math.floor(random() * 6); k > 0; k--) {
      const at = Math.floor(random() * length), n = 1 + Math.floor(random() * 20);
      for (let i = at; i < at + n && i < length; i++) bits[i] = Math.floor(random() * 256);
    }
    if (round % 7 === 0) bits.fill(0);
    const before = seed.slice(), out = new Uint8Array(kernel.rowOutputBytes(length));
    const n = kernel.encodeLine(layout.encodeDeltaRow, bits, 0, length, seed, out);
    assert.deepEqual(seed, bits, "the seed is the row now");
    if (bits.every((b) => b === 0)) { assert.equal(n, -1); continue; }
    // Apply it as a printer does (test/raster/printerDecode.js's rules).
    const row = before.slice();
    let at = 0, position = 0;
    while (at < n) {
      const command = out[at++], count = (command >> 5) + 1;
      let offset = command & 31;
      if (offset === 31) { let more; do { more = out[at++]; offset += more; } while (more === 255); }
      position += offset;
      for (let i = 0; i < count; i++) row[position++] = out[at++];
    }
    assert.deepEqual(row, bits, `round ${round}`);
  }
});

test("an unchanged row is 0 delta bytes (ESC*b0W repeats the seed row)", () => {
  const row = randomRow(300); row[0] = 1;
  assert.equal(kernel.encodeLine(layout.encodeDeltaRow, row, 0, 300, row.slice(), new Uint8Array(kernel.rowOutputBytes(300))), 0);
});

/** Line data for a line of `units` units: random runs as CUPS writes them (test/raster/rasterFiles.js's rules). */
function lineData(line, inputBytes) {
  const data = [], pixels = line.length / inputBytes;
  for (let x = 0; x < pixels;) {
    const n = Math.min(pixels - x, 1 + Math.floor(random() * 128));
    if (random() < 0.5) {
      data.push(n - 1, ...line.subarray(x * inputBytes, (x + 1) * inputBytes));
      for (let k = 1; k < n; k++) line.copyWithin((x + k) * inputBytes, x * inputBytes, (x + 1) * inputBytes);
    } else data.push(257 - n, ...line.subarray(x * inputBytes, (x + n) * inputBytes));
    x += n;
  }
  return Uint8Array.from(data);
}

test("decodeLine gives the same line whatever the chunks, converts RGB and inverts, and marks ink", () => {
  for (let round = 0; round < 300; round++) {
    const inputBytes = round % 3 === 0 ? 3 : 1, convert = inputBytes === 3 ? layout.convertRgbToGray : round % 2;
    const units = 1 + Math.floor(random() * 400);
    const source = randomRow(units * inputBytes), data = lineData(source, inputBytes);
    const expected = new Uint8Array(units);
    for (let x = 0; x < units; x++) {
      const p = source.subarray(x * inputBytes, (x + 1) * inputBytes);
      expected[x] = inputBytes === 3 ? (77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8 : convert === layout.convertInvert ? 255 - p[0] : p[0];
    }
    const cuts = [data.length, 1, 2, 3, 7, 64];
    for (const cut of cuts) {
      const state = newState({ units, inputBytes, convert }), line = new Uint8Array(units + 3);
      for (let at = 0; at < data.length;) {
        const end = Math.min(data.length, at + cut);
        const next = kernel.decodeLine(state, data, at, end, line);
        assert.equal(next, end, "a chunk is taken whole while the line is not complete");
        at = next;
      }
      assert.equal(word(state, layout.wordAt), units);
      assert.equal(word(state, layout.wordError), 0);
      assert.deepEqual(line.subarray(0, units), expected, `round ${round} cut ${cut}`);
      assert.equal(word(state, layout.wordInk), expected.some((v) => v !== 255) ? 1 : 0);
    }
  }
});

test("decodeLine stops at the end of its line, fills with white on 128, and flags a run past the end", () => {
  const state = newState({ units: 10 }), line = new Uint8Array(10);
  const data = Uint8Array.of(2, 7, 128, 99, 99);
  assert.equal(kernel.decodeLine(state, data, 0, data.length, line), 3, "the bytes after the line stay unread");
  assert.deepEqual([...line], [7, 7, 7, 255, 255, 255, 255, 255, 255, 255]);
  const bad = newState({ units: 10 });
  assert.equal(kernel.decodeLine(bad, Uint8Array.of(10, 5), 0, 2, line), 1);
  assert.equal(word(bad, layout.wordError), layout.errorRunPastLine);
  assert.equal(kernel.decodeLine(bad, Uint8Array.of(0, 5), 0, 2, line), 0, "a bad line takes nothing more");
});

test("transcodeLine's PCL mode 2 row is the cropped line, trailing zeros left out, whatever the chunks", () => {
  for (let round = 0; round < 1000; round++) {
    const units = 1 + Math.floor(random() * 300), skip = Math.floor(random() * units), keep = Math.floor(random() * (units - skip + 1));
    const source = randomRow(units);
    if (round % 5 === 0) source.fill(0, skip + Math.floor(keep / 2));
    const data = lineData(source, 1);
    const expected = source.subarray(skip, skip + keep);
    let last = keep;
    while (last > 0 && expected[last - 1] === 0) last--;
    for (const cut of [data.length, 1, 5]) {
      const state = newState({ units, white: 0, skip, keep }), out = new Uint8Array(kernel.rowOutputBytes(keep));
      for (let at = 0; at < data.length;) at = kernel.transcodeLine(state, data, at, Math.min(data.length, at + cut), out);
      const length = word(state, layout.wordOut);
      assert.equal(word(state, layout.wordInk), last > 0 ? 1 : 0);
      const { row, produced } = unpack(out.subarray(0, length), keep, false);
      assert.deepEqual(row, expected, `round ${round} cut ${cut}`);
      assert.equal(produced, last, "ends at the last byte that is not 0");
      assert.ok(length <= keep + Math.ceil(keep / 128) + 2, `${length} bytes for ${keep}`);
    }
  }
});

test("the dither: white gives no dots and carries nothing, black all dots, gray its share; rows alternate direction", () => {
  const count = 512, errors = new Int8Array(count + 2), bits = new Uint8Array(count / 8);
  const dots = () => bits.reduce((sum, byte) => { for (; byte; byte &= byte - 1) sum++; return sum; }, 0);
  assert.equal(kernel.ditherLine(new Uint8Array(count).fill(255), 0, count, errors, bits, 0), 0);
  assert.equal(dots(), 0);
  assert.equal(kernel.ditherLine(new Uint8Array(count), 0, count, errors, bits, 1) & layout.ditherInk, layout.ditherInk);
  assert.equal(dots(), count);
  for (const level of [32, 64, 128, 192, 224]) {
    errors.fill(0);
    let total = 0;
    for (let row = 0; row < 64; row++) {
      kernel.ditherLine(new Uint8Array(count).fill(level), 0, count, errors, bits, row);
      total += dots();
    }
    const share = total / (64 * count), wanted = 1 - level / 255;
    assert.ok(Math.abs(share - wanted) < 0.01, `gray ${level}: ${share.toFixed(4)} dots, ${wanted.toFixed(4)} wanted`);
  }
  // The same line and errors dithered left to right and right to left differ (serpentine).
  const line = new Uint8Array(count).map((_, x) => (x * 7) & 255);
  const a = new Uint8Array(count / 8), b = new Uint8Array(count / 8);
  kernel.ditherLine(line, 0, count, new Int8Array(count + 2), a, 0);
  kernel.ditherLine(line, 0, count, new Int8Array(count + 2), b, 1);
  assert.notDeepEqual(a, b);
});

test("misuse throws RangeError: arrays too short, ranges outside them, an unknown method", () => {
  const state = newState({ units: 100 });
  assert.throws(() => kernel.decodeLine(state, new Uint8Array(4), 0, 5, new Uint8Array(100)), RangeError);
  assert.throws(() => kernel.decodeLine(state, new Uint8Array(4), 0, 4, new Uint8Array(99)), RangeError);
  assert.throws(() => kernel.transcodeLine(newState({ units: 10, skip: 8, keep: 3 }), new Uint8Array(4), 0, 4, new Uint8Array(100)), RangeError);
  assert.throws(() => kernel.ditherLine(new Uint8Array(10), 0, 10, new Int8Array(11), new Uint8Array(2), 0), RangeError);
  assert.throws(() => kernel.encodeLine(layout.encodePackBits, new Uint8Array(10), 0, 10, new Uint8Array(0), new Uint8Array(27)), RangeError);
  assert.throws(() => kernel.encodeLine(layout.encodeDeltaRow, new Uint8Array(10), 0, 10, new Uint8Array(9), new Uint8Array(28)), RangeError);
  assert.throws(() => kernel.encodeLine(9, new Uint8Array(10), 0, 10, new Uint8Array(10), new Uint8Array(28)), RangeError);
});

test("copyBytes copies a range between two arrays, and throws RangeError for a range outside either", () => {
  const source = Uint8Array.from({ length: 10 }, (_, i) => i + 1), target = new Uint8Array(8);
  kernel.copyBytes(source, 3, 4, target, 2);
  assert.deepEqual([...target], [0, 0, 4, 5, 6, 7, 0, 0]);
  kernel.copyBytes(source, 10, 0, target, 8);
  assert.deepEqual([...target], [0, 0, 4, 5, 6, 7, 0, 0], "an empty copy at the ends changes nothing");
  for (const [from, count, at] of [[8, 3, 0], [0, 4, 5], [-1, 1, 0], [0, -1, 0], [0, 1, -1]])
    assert.throws(() => kernel.copyBytes(source, from, count, target, at), RangeError, `${from}, ${count}, ${at}`);
});
