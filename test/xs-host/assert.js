// Assertions for the scenario suite that run on XS as well as Node (no node:assert there). Each failure throws
// an Error whose message shows both sides, quoted so that CR, LF and trailing blanks are visible.

export class AssertionFailure extends Error {
  // XS: built-in prototypes may be frozen ($(MODDABLE)/xs/tools/xsl.c calls fxFreezeBuiltIns when preloading), so
  // `this.name = ...` in the constructor can throw; a getter cannot.
  get name() {
    return "AssertionFailure";
  }
}

export function show(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Uint8Array) return `${value.length} bytes ${JSON.stringify(latin1(value.subarray(0, 80)))}${value.length > 80 ? "..." : ""}`;
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

export function fail(message) {
  throw new AssertionFailure(message);
}

export function ok(condition, message) {
  if (!condition) fail(message);
}

export function equal(actual, expected, what) {
  if (actual !== expected) fail(`${what}: got ${show(actual)}, expected ${show(expected)}`);
}

/** Whole reply lines, in order: `expected` is an array of lines without CRLF. */
export function lines(actual, expected, what) {
  const same = actual.length === expected.length && actual.every((line, i) => line === expected[i]);
  if (!same) fail(`${what}:\n  got      ${show(actual)}\n  expected ${show(expected)}`);
}

export function match(actual, pattern, what) {
  if (typeof actual !== "string" || !pattern.test(actual)) fail(`${what}: ${show(actual)} does not match ${pattern}`);
}

/** Byte-exact comparison; on a mismatch, says where the first difference is. */
export function bytes(actual, expected, what) {
  if (!(actual instanceof Uint8Array)) fail(`${what}: got ${show(actual)}, expected ${show(expected)}`);
  const length = Math.min(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    if (actual[i] !== expected[i]) {
      const from = Math.max(0, i - 8);
      fail(`${what}: first difference at byte ${i} of ${expected.length}: got ${show(latin1(actual.subarray(from, i + 8)))}, expected ${show(latin1(expected.subarray(from, i + 8)))}`);
    }
  }
  if (actual.length !== expected.length) fail(`${what}: got ${actual.length} bytes, expected ${expected.length} (the first ${length} agree)`);
}

/** Bytes as a string, one character per byte (FTP text is bytes; neither engine's UTF-8 decoding applies). */
export function latin1(view) {
  let text = "";
  for (let i = 0; i < view.length; i++) text += String.fromCharCode(view[i]);
  return text;
}

export function bytesOf(text) {
  const view = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`bytesOf: character ${code} is not a byte`);
    view[i] = code;
  }
  return view;
}

export function concatBytes(...parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
