// The raster kernel in TypeScript: the per-pixel work of the converter (decode a line's runs, dither gray to dots,
// compress a row), for the Node simulator and xsnap. native/rasterKernel.c does the same for SDK builds, byte for byte.
// The two are written alike on purpose, step for step, so that a change to one is made to the other.
// Must not: allocate (every array is the caller's, made once per job), keep state of its own (it lives in `state`).

import {
  convertCopy, convertRgbToGray, encodeDeltaRow, encodePackBits, encodeRunLength, errorRunPastLine,
  phaseLiteral, phaseOpcode, phaseRepeat, setStateWord as setWord, stateWord as word, wordAt, wordConvert,
  wordCount, wordError, wordGot, wordInk, wordInkLiteralAt, wordInputBytes, wordKeep, wordLiteralAt, wordOut,
  wordOutInk, wordPhase, wordPixel, wordSkip, wordUnits, wordWhite,
} from "./kernelState.js";

export const kernelName = "typescript";

function misuse(what: string): never {
  throw new RangeError("raster kernel: " + what);
}

function checkInput(input: Uint8Array, at: number, end: number): void {
  if (!(at >= 0 && at <= end && end <= input.length)) misuse("input range");
}

/** The smallest output array encodeLine and transcodeLine accept for a row of `count` bytes. */
export function rowOutputBytes(count: number): number {
  return 2 * count + 8;
}

/**
 * Decodes PWG/URF line data (after the line-repeat byte) from input[at, end) into `line`, resuming where `state`
 * left off. Returns the index of the first byte not consumed: the line is complete when state's wordAt reaches
 * wordUnits, and bad when wordError is set (decoding stops there).
 * Run codes (PWG 5102.4 §4.3, as CUPS reads them): 0-127 repeat the next pixel n + 1 times, 129-255 take 257 - n
 * literal pixels, 128 fills the rest of the line with white.
 */
export function decodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, line: Uint8Array): number {
  checkInput(input, at, end);
  const units = word(state, wordUnits);
  if (units < 0 || line.length < units) misuse("line too short");
  if (word(state, wordError) !== 0) return at;
  const inputBytes = word(state, wordInputBytes), convert = word(state, wordConvert), white = word(state, wordWhite);
  let x = word(state, wordAt), phase = word(state, wordPhase), count = word(state, wordCount);
  let got = word(state, wordGot), pixel = word(state, wordPixel);
  if (x < 0 || x > units || phase < phaseOpcode || phase > phaseLiteral || (phase !== phaseOpcode && (count < 0 || count > units - x))
    || (inputBytes !== 1 && inputBytes !== 3) || got < 0 || got >= inputBytes) misuse("bad state");
  let difference = 0;    // any unit ^ white: not 0 once ink was written
  let error = 0;
  while (x < units && at < end) {
    if (phase === phaseOpcode) {
      const code = input[at++]!;
      if (code === 128) {
        line.fill(white, x, units);
        x = units;
        break;
      }
      if (code < 128) { phase = phaseRepeat; count = code + 1; }
      else { phase = phaseLiteral; count = 257 - code; }
      if (x + count > units) { error = errorRunPastLine; break; }
      got = 0;
      pixel = 0;
    } else if (inputBytes === 1) {
      if (phase === phaseRepeat) {
        const value = convert === convertCopy ? input[at++]! : 255 - input[at++]!;
        line.fill(value, x, x + count);
        difference |= value ^ white;
        x += count;
        phase = phaseOpcode;
      } else {
        let n = end - at;
        if (n > count) n = count;
        count -= n;
        const stop = at + n;
        if (convert === convertCopy) {
          while (at < stop) {
            const value = input[at++]!;
            line[x++] = value;
            difference |= value ^ white;
          }
        } else {
          while (at < stop) {
            const value = 255 - input[at++]!;
            line[x++] = value;
            difference |= value ^ white;
          }
        }
        if (count === 0) phase = phaseOpcode;
      }
    } else {
      pixel = (pixel << 8) | input[at++]!;
      if (++got < inputBytes) continue;
      const value = convert === convertRgbToGray
        ? (77 * ((pixel >> 16) & 255) + 150 * ((pixel >> 8) & 255) + 29 * (pixel & 255) + 128) >> 8
        : pixel & 255;
      got = 0;
      pixel = 0;
      difference |= value ^ white;
      if (phase === phaseRepeat) {
        line.fill(value, x, x + count);
        x += count;
        phase = phaseOpcode;
      } else {
        line[x++] = value;
        if (--count === 0) phase = phaseOpcode;
      }
    }
  }
  setWord(state, wordAt, x);
  setWord(state, wordPhase, phase);
  setWord(state, wordCount, count);
  setWord(state, wordGot, got);
  setWord(state, wordPixel, pixel);
  if (difference !== 0) setWord(state, wordInk, 1);
  if (error !== 0) setWord(state, wordError, error);
  return at;
}

/**
 * 1-bit input (1 = black) straight to PCL compression mode 2, with no pixel work: the line's runs become PackBits
 * runs, cropped to the bytes [wordSkip, wordSkip + wordKeep) and with trailing zero bytes left out. Resumes like
 * decodeLine; once the line is complete, state's wordOut is the row's length in `out` (0: nothing black).
 */
export function transcodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, out: Uint8Array): number {
  checkInput(input, at, end);
  const units = word(state, wordUnits), skip = word(state, wordSkip), keep = word(state, wordKeep);
  if (units < 0 || skip < 0 || keep < 0 || skip + keep > units) misuse("crop outside the line");
  if (out.length < rowOutputBytes(keep)) misuse("output too short");
  if (word(state, wordError) !== 0) return at;
  const keepEnd = skip + keep;
  let x = word(state, wordAt), phase = word(state, wordPhase), count = word(state, wordCount);
  let o = word(state, wordOut), inkEnd = word(state, wordOutInk);
  let literal = word(state, wordLiteralAt), inkLiteral = word(state, wordInkLiteralAt);
  // The same checks as rasterKernel.c's, where they keep every write inside `out`: a kept byte adds at most two bytes.
  const kept = x - skip < 0 ? 0 : x - skip > keep ? keep : x - skip;
  if (x < 0 || x > units || phase < phaseOpcode || phase > phaseLiteral || (phase !== phaseOpcode && (count < 0 || count > units - x))
    || o < 0 || o > 2 * kept || inkEnd < 0 || inkEnd > o || literal < -1 || (literal >= 0 && literal >= o)
    || inkLiteral < -1 || (inkLiteral >= 0 && inkLiteral >= o)) misuse("bad state");
  let error = 0;
  while (x < units && at < end) {
    if (phase === phaseOpcode) {
      const code = input[at++]!;
      if (code === 128) { x = units; break; }    // white (0) to the end: the printer zero-fills
      if (code < 128) { phase = phaseRepeat; count = code + 1; }
      else { phase = phaseLiteral; count = 257 - code; }
      if (x + count > units) { error = errorRunPastLine; break; }
    } else if (phase === phaseRepeat) {
      const value = input[at++]!;
      let n = (x + count > keepEnd ? keepEnd : x + count) - (x < skip ? skip : x);
      x += count;
      phase = phaseOpcode;
      // A short repeat inside an open literal run costs less as part of it.
      if (n === 1 || (n === 2 && literal >= 0)) {
        for (; n > 0; n--) {
          if (literal < 0 || o - literal > 128) { literal = o; out[o++] = 0; }
          out[o++] = value;
          out[literal] = o - literal - 2;
          if (value !== 0) { inkEnd = o; inkLiteral = literal; }
        }
        continue;
      }
      while (n > 0) {
        const m = n > 128 ? 128 : n;
        n -= m;
        if (m === 1) {
          literal = o;
          out[o++] = 0;
          out[o++] = value;
          if (value !== 0) { inkEnd = o; inkLiteral = literal; }
        } else {
          literal = -1;
          out[o++] = 257 - m;
          out[o++] = value;
          if (value !== 0) { inkEnd = o; inkLiteral = -1; }
        }
      }
    } else {
      let n = end - at;
      if (n > count) n = count;
      count -= n;
      if (count === 0) phase = phaseOpcode;
      // Bytes x .. x + n of the line; those in [skip, keepEnd) go into literal runs.
      const first = x < skip ? skip : x, last = x + n > keepEnd ? keepEnd : x + n;
      for (let i = first; i < last; i++) {
        const value = input[at + i - x]!;
        if (literal < 0 || o - literal > 128) { literal = o; out[o++] = 0; }
        out[o++] = value;
        out[literal] = o - literal - 2;
        if (value !== 0) { inkEnd = o; inkLiteral = literal; }
      }
      at += n;
      x += n;
    }
  }
  if (x === units && error === 0) {
    // Trailing zeros left out: cut after the last byte other than 0, and shorten its literal run to match.
    o = inkEnd;
    if (inkLiteral >= 0) out[inkLiteral] = inkEnd - inkLiteral - 2;
  }
  setWord(state, wordAt, x);
  setWord(state, wordPhase, phase);
  setWord(state, wordCount, count);
  setWord(state, wordOut, o);
  setWord(state, wordOutInk, inkEnd);
  setWord(state, wordLiteralAt, literal);
  setWord(state, wordInkLiteralAt, inkLiteral);
  if (inkEnd > 0) setWord(state, wordInk, 1);
  if (error !== 0) setWord(state, wordError, error);
  return at;
}

function clampError(value: number): number {
  return value < -128 ? -128 : value > 127 ? 127 : value;
}

/**
 * Gray line[from, from + count) (0 black, 255 white) to 1-bit bits[0, ceil(count / 8)) (1 = black) by
 * Floyd-Steinberg error diffusion with one row of error terms: errors[x + 1] holds the error carried to pixel x
 * from the row above (errors.length >= count + 2; the two ends are guards), clamped to -128 ... 127. Serpentine:
 * even rows run left to right, odd rows right to left. Integer arithmetic, divisions truncated toward zero, so that
 * both kernels give the same dots. Returns ditherInk | ditherCarry.
 */
export function ditherLine(line: Uint8Array, from: number, count: number, errors: Int8Array, bits: Uint8Array, row: number): number {
  if (!(from >= 0 && count >= 0 && from + count <= line.length)) misuse("line range");
  if (errors.length < count + 2) misuse("errors too short");
  const bytes = (count + 7) >> 3;
  if (bits.length < bytes) misuse("bits too short");
  bits.fill(0, 0, bytes);
  let right = 0, pending = 0, next = 0, ink = 0, carry = 0;
  // Serpentine: the next row's error for the pixel behind x (x - 1 going right, x + 1 going left) is errors[x + behind].
  const forward = (row & 1) === 0, step = forward ? 1 : -1, behind = forward ? 0 : 2;
  for (let i = 0, x = forward ? 0 : count - 1; i < count; i++, x += step) {
    const value = line[from + x]! + errors[x + 1]! + right;
    let error;
    if (value < 128) { bits[x >> 3] |= 0x80 >> (x & 7); ink = 1; error = value; }
    else error = value - 255;
    const e7 = (error * 7 / 16) | 0, e3 = (error * 3 / 16) | 0, e5 = (error * 5 / 16) | 0;
    const stored = clampError(pending + e3);
    errors[x + behind] = stored;
    carry |= stored;
    pending = next + e5;
    next = error - e7 - e3 - e5;
    right = e7;
  }
  const stored = clampError(pending);
  errors[forward ? count : 1] = stored;
  carry |= stored;
  return ink | (carry !== 0 ? 2 : 0);
}

/**
 * Compresses the row bits[from, from + count) into out (out.length >= rowOutputBytes(count)) by `method`:
 * encodeRunLength (PackBits over the whole row), encodePackBits (trailing zero bytes left out) or encodeDeltaRow
 * (against seed[0, count), which becomes this row). Returns the bytes written, or -1 when the row is all zero
 * (nothing black: the caller skips it; a delta row's seed is zero then).
 */
export function encodeLine(method: number, bits: Uint8Array, from: number, count: number, seed: Uint8Array, out: Uint8Array): number {
  if (!(from >= 0 && count >= 0 && from + count <= bits.length)) misuse("row range");
  if (out.length < rowOutputBytes(count)) misuse("output too short");
  if (method === encodeDeltaRow) {
    if (seed.length < count) misuse("seed too short");
    return deltaRow(bits, from, count, seed, out);
  }
  if (method !== encodeRunLength && method !== encodePackBits) misuse("method");
  let end = from + count;
  let last = end;
  while (last > from && bits[last - 1] === 0) last--;
  if (last === from) return -1;
  if (method === encodePackBits) end = last;
  return packBits(bits, from, end, out);
}

/** TIFF PackBits: runs of 2 to 128 equal bytes as 257 - n and the byte, other bytes in literals of up to 128. */
function packBits(bits: Uint8Array, from: number, end: number, out: Uint8Array): number {
  let i = from, o = 0;
  while (i < end) {
    const value = bits[i]!;
    let run = 1;
    while (i + run < end && run < 128 && bits[i + run] === value) run++;
    if (run >= 2) {
      out[o++] = 257 - run;
      out[o++] = value;
      i += run;
      continue;
    }
    const start = i++;
    // A literal ends where three equal bytes begin (a repeat run saves bytes from three on), or at 128 bytes.
    while (i < end && i - start < 128) {
      if (i + 2 < end && bits[i] === bits[i + 1] && bits[i] === bits[i + 2]) break;
      i++;
    }
    out[o++] = i - start - 1;
    for (let k = start; k < i; k++) out[o++] = bits[k]!;
  }
  return o;
}

/**
 * PCL delta row (mode 3): for each stretch of up to 8 bytes that differ from the seed, a command byte (bytes - 1 in
 * the top 3 bits, the offset from the end of the previous stretch in the low 5; 31 and then further offset bytes,
 * 255 meaning more follows), then the bytes. Unchanged bytes are the seed's.
 */
function deltaRow(bits: Uint8Array, from: number, count: number, seed: Uint8Array, out: Uint8Array): number {
  let i = 0, o = 0, position = 0, ink = 0;
  while (i < count) {
    const value = bits[from + i]!;
    ink |= value;
    if (value === seed[i]) { i++; continue; }
    let n = 1;
    while (n < 8 && i + n < count && bits[from + i + n] !== seed[i + n]) {
      ink |= bits[from + i + n]!;
      n++;
    }
    let offset = i - position;
    if (offset < 31) out[o++] = ((n - 1) << 5) | offset;
    else {
      out[o++] = ((n - 1) << 5) | 31;
      offset -= 31;
      while (offset >= 255) { out[o++] = 255; offset -= 255; }
      out[o++] = offset;
    }
    for (let k = 0; k < n; k++) {
      const byte = bits[from + i + k]!;
      seed[i + k] = byte;
      out[o++] = byte;
    }
    i += n;
    position = i;
  }
  return ink === 0 ? -1 : o;
}

/**
 * source[from, from + count) into target[at, ...), the arrays' own bytes (no view made: IPP's raster sink moves the
 * converter's output into the print ring with it, on the data path). Misuse throws a RangeError.
 */
export function copyBytes(source: Uint8Array, from: number, count: number, target: Uint8Array, at: number): void {
  if (!(from >= 0 && count >= 0 && from <= source.length - count && at >= 0 && at <= target.length - count)) misuse("copy range");
  for (let i = 0; i < count; i++) target[at + i] = source[from + i]!;
}
