// The contract between the raster converter and its two kernels (scriptKernel.ts and native/rasterKernel.c): the layout
// of the line decoder's state and the numbers that name conversions and encodings: constants, and the two functions
// that read and write the state's words (for the converter and scriptKernel.ts; the C kernel has its own).
// native/rasterKernel.c repeats every number here; change both together (test/raster/kernelLayout.test.js compares them).

/**
 * The decoder's state: a Uint8Array of stateBytes bytes, holding 32-bit little-endian signed fields at 4 × the
 * word numbers below. A Uint8Array because the SDK's xsmcGetBuffer takes one-byte views only ($(MODDABLE)/xs/
 * sources/xsmc.c, _xsmcGetBuffer), so both kernels see the same bytes. The converter sets the first words for a
 * page and resets the rest before each line; the kernel carries a run cut by the end of a chunk across calls.
 */
export const stateBytes = 80;

/** Units in one line: pixels for 8-bit output (gray), bytes for 1-bit output (8 pixels each). */
export const wordUnits = 0;
/** Input bytes per unit: 1 (gray, 1-bit bytes) or 3 (RGB). */
export const wordInputBytes = 1;
/** How an input unit becomes an output unit: one of the convert* numbers. */
export const wordConvert = 2;
/** White as an output unit (255 for gray, 0 for 1-bit where 1 is black): what the fill code 128 writes. */
export const wordWhite = 3;
/** transcodeLine only: units (bytes) to drop at the start of the line (the left crop, a multiple of 8 pixels). */
export const wordSkip = 4;
/** transcodeLine only: units to keep after the skipped ones (the crop's width in bytes); the rest are dropped. */
export const wordKeep = 5;

/** The first word the converter resets before each line; those before it are set once per page. */
export const firstLineWord = 6;
/** Units of the line written so far. */
export const wordAt = 6;
/** What the next input byte is: one of the phase* numbers. */
export const wordPhase = 7;
/** Repeat: units to write once the pixel is complete; literal: units still to come. */
export const wordCount = 8;
/** Bytes of the current input pixel collected (0 ... inputBytes - 1). */
export const wordGot = 9;
/** The current input pixel's bytes so far, first byte highest. */
export const wordPixel = 10;
/** 1 once a unit other than white was written on this line (transcodeLine: kept in the row). */
export const wordInk = 11;
/** 0, or one of the error* numbers: the line is bad and decoding stopped. */
export const wordError = 12;
/** transcodeLine only: bytes written into its output so far; once the line is complete, the row's length. */
export const wordOut = 13;
/** transcodeLine only: the output's length up to the end of the last byte other than 0 (trailing zeros trimmed). */
export const wordOutInk = 14;
/** transcodeLine only: index in the output of the open literal run's header, or -1 (reset to -1 per line). */
export const wordLiteralAt = 15;
/** transcodeLine only: index of the header of the literal run holding the last byte other than 0, or -1 (ditto). */
export const wordInkLiteralAt = 16;
/** Words in use; stateBytes leaves room. */
export const stateWords = 17;

export const phaseOpcode = 0;
export const phaseRepeat = 1;
export const phaseLiteral = 2;

/** Input units taken as they are (8-bit gray where 0 is black; 1-bit bytes where 1 is black). */
export const convertCopy = 0;
/** Input units inverted (255 - v): black_8 to gray, and sgray_1 (1 is white) to 1-bit where 1 is black. */
export const convertInvert = 1;
/** Three input bytes (R, G, B) to one gray byte: (77 R + 150 G + 29 B + 128) >> 8. */
export const convertRgbToGray = 2;

/** A run went past the end of the line. */
export const errorRunPastLine = 1;

/** encodeLine methods. PackBits over the whole row (ESC/P 2's run-length mode, ESC . 1). */
export const encodeRunLength = 1;
/** PackBits with the row's trailing zero bytes left out: PCL compression mode 2 (the printer zero-fills). */
export const encodePackBits = 2;
/** Delta row against the seed row, which becomes this row: PCL compression mode 3. */
export const encodeDeltaRow = 3;

/** ditherLine's result: bit 0 set when a dot was made, bit 1 when an error term carried to the next row is not 0. */
export const ditherInk = 1;
export const ditherCarry = 2;

/** The signed 32-bit word `index` of a decoder state (little-endian, as stateBytes describes). */
export function stateWord(state: Uint8Array, index: number): number {
  const at = index << 2;
  return state[at]! | (state[at + 1]! << 8) | (state[at + 2]! << 16) | (state[at + 3]! << 24);
}

/** Sets word `index` of a decoder state to `value` (its low 32 bits). */
export function setStateWord(state: Uint8Array, index: number, value: number): void {
  const at = index << 2;
  state[at] = value;
  state[at + 1] = value >> 8;
  state[at + 2] = value >> 16;
  state[at + 3] = value >> 24;
}
