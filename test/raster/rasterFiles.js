// Test rasters: a small PWG raster (PWG 5102.4) and URF encoder, a whole-file reference decoder written apart from
// the firmware's, and deterministic synthetic pages. Engine-neutral (no Node API): the XS runs bundle it too.

/** Pixels of a page as the tests hold them: one byte per pixel, 0 black ... 255 white, row after row. */
export function blankPage(width, height) {
  return { width, height, gray: new Uint8Array(width * height).fill(255) };
}

/** A repeatable pseudo-random sequence (xorshift32). */
export function prng(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
}

/**
 * A page that exercises the converter: "text" (short black strokes in lines), boxes and rules, a gray ramp, a
 * noisy photo-like patch and, for `ink`, something at each margin. Deterministic for a seed.
 */
export function syntheticPage(width, height, dpi, seed = 1, { gray = true } = {}) {
  const page = blankPage(width, height), random = prng(seed), pixels = page.gray;
  const inch = dpi, set = (x, y, value) => { if (x >= 0 && y >= 0 && x < width && y < height) pixels[y * width + x] = value; };
  const fill = (x0, y0, w, h, value) => { for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, value); };
  // Text-like lines: strokes of random widths, 1/6 inch apart, from 1 inch down.
  const lineHeight = Math.round(inch / 6), glyph = Math.max(2, Math.round(inch / 30));
  for (let y = inch; y < height / 2; y += lineHeight) {
    for (let x = Math.round(inch * 0.8); x < width - inch * 0.8;) {
      const w = glyph + Math.floor(random() * glyph * 3);
      if (random() < 0.8) fill(x, y, w, Math.round(lineHeight * 0.6), 0);
      x += w + glyph;
    }
  }
  // Boxes and rules.
  fill(Math.round(inch * 0.5), Math.round(height / 2), width - inch, 3, 0);
  for (let i = 0; i < 6; i++) fill(Math.round(inch * (1 + i)), Math.round(height / 2 + inch / 4), Math.round(inch / 2), Math.round(inch / 2), i % 2 ? 0 : 255);
  if (gray) {
    // A horizontal ramp from black to white, and a noisy patch.
    const rampY = Math.round(height / 2 + inch), rampH = Math.round(inch / 2);
    for (let y = rampY; y < rampY + rampH; y++)
      for (let x = inch; x < width - inch; x++) set(x, y, Math.round(255 * (x - inch) / (width - 2 * inch)));
    const patchY = rampY + rampH + Math.round(inch / 4);
    for (let y = patchY; y < patchY + inch; y++)
      for (let x = inch; x < inch * 3 && x < width; x++) set(x, y, Math.max(0, Math.min(255, Math.round(128 + 60 * Math.sin(x / 17) * Math.cos(y / 23) + 40 * (random() - 0.5)))));
  }
  // Marks just inside each edge: they are cut or kept by the margins.
  fill(0, 0, width, 2, 0);
  fill(0, height - 2, width, 2, 0);
  fill(0, 0, 2, height, 0);
  fill(width - 2, 0, 2, height, 0);
  return page;
}

/** PWG kinds: cupsColorSpace, bits per color, bits per pixel. */
const pwgKinds = {
  black_1: { space: 3, bitsPerColor: 1, bitsPerPixel: 1 },
  sgray_1: { space: 18, bitsPerColor: 1, bitsPerPixel: 1 },
  sgray_8: { space: 18, bitsPerColor: 8, bitsPerPixel: 8 },
  black_8: { space: 3, bitsPerColor: 8, bitsPerPixel: 8 },
  srgb_8: { space: 19, bitsPerColor: 8, bitsPerPixel: 24 },
};

/** One line of `page` as the format's pixel bytes. RGB pages carry a tint that sums back to the gray. */
function lineBytes(page, y, kind) {
  const { width, gray } = page, row = gray.subarray(y * width, (y + 1) * width);
  if (kind === "black_1" || kind === "sgray_1") {
    const bytes = new Uint8Array(Math.ceil(width / 8));
    for (let x = 0; x < width; x++) {
      const black = row[x] < 128;
      if (black === (kind === "black_1")) bytes[x >> 3] |= 0x80 >> (x & 7);
    }
    return bytes;
  }
  if (kind === "sgray_8" || kind === "W8") return row.slice();
  if (kind === "black_8") return row.map((v) => 255 - v);
  // Color that is not gray, so that the weights of the reduction to gray count; white stays white, and the tint
  // depends on x only, so that equal gray lines stay equal lines.
  const bytes = new Uint8Array(width * 3);
  for (let x = 0; x < width; x++) {
    const v = row[x], tint = v === 255 ? 0 : x & 15;
    bytes.set([v, Math.max(0, v - tint), Math.min(255, v + 2 * tint)], x * 3);
  }
  return bytes;
}

/**
 * CUPS's line compression (PWG 5102.4 §4.3): a line-repeat byte, then runs of 1-128 equal pixels (n - 1) or
 * 1-128 literal pixels (257 - n; a single pixel is written as a repeat of 1). `fillWhite` ends a line whose
 * rest is white with 128, as CUPS's reader allows.
 */
function compressLine(bytes, pixelBytes, white, fillWhite) {
  const out = [], pixels = bytes.length / pixelBytes;
  const same = (a, b) => { for (let k = 0; k < pixelBytes; k++) if (bytes[a * pixelBytes + k] !== bytes[b * pixelBytes + k]) return false; return true; };
  const isWhite = (a) => { for (let k = 0; k < pixelBytes; k++) if (bytes[a * pixelBytes + k] !== white) return false; return true; };
  let whiteFrom = pixels;
  if (fillWhite) while (whiteFrom > 0 && isWhite(whiteFrom - 1)) whiteFrom--;
  let x = 0;
  while (x < whiteFrom) {
    let run = 1;
    while (x + run < whiteFrom && run < 128 && same(x, x + run)) run++;
    if (run > 1 || x + 1 === whiteFrom) {
      out.push(run - 1, ...bytes.subarray(x * pixelBytes, (x + 1) * pixelBytes));
      x += run;
      continue;
    }
    let count = 1;
    while (x + count < whiteFrom && count < 128 && !(x + count + 1 < whiteFrom && same(x + count, x + count + 1))) count++;
    out.push(257 - count, ...bytes.subarray(x * pixelBytes, (x + count) * pixelBytes));
    x += count;
  }
  if (whiteFrom < pixels) out.push(128);
  return out;
}

function big32(value) {
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

function concat(parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
  return bytes;
}

function compressPage(page, kind, pixelBytes, white, fillWhite) {
  const parts = [];
  let y = 0;
  while (y < page.height) {
    const bytes = lineBytes(page, y, kind);
    let repeats = 1;
    while (y + repeats < page.height && repeats < 256 && equalLines(page, y, y + repeats)) repeats++;
    parts.push(Uint8Array.of(repeats - 1), Uint8Array.from(compressLine(bytes, pixelBytes, white, fillWhite)));
    y += repeats;
  }
  return parts;
}

function equalLines(page, a, b) {
  const { width, gray } = page;
  for (let x = 0; x < width; x++) if (gray[a * width + x] !== gray[b * width + x]) return false;
  return true;
}

/**
 * A PWG raster file. pages: [{ page, dpi, kind, widthPoints?, heightPoints? }]; `header` overrides fields by byte
 * offset (for lying headers): { 372: 20000 } sets cupsWidth.
 */
export function encodePwg(pages, { fillWhite = true, sync = "RaS2" } = {}) {
  const parts = [Uint8Array.from(sync, (c) => c.charCodeAt(0))];
  for (const { page, dpi, kind, widthPoints, heightPoints, header = {} } of pages) {
    const spec = pwgKinds[kind];
    const head = new Uint8Array(1796);
    head.set(Uint8Array.from("PwgRaster", (c) => c.charCodeAt(0)), 0);
    const fields = {
      276: dpi, 280: dpi, 352: widthPoints ?? Math.round(page.width * 72 / dpi), 356: heightPoints ?? Math.round(page.height * 72 / dpi),
      372: page.width, 376: page.height, 384: spec.bitsPerColor, 388: spec.bitsPerPixel,
      392: Math.ceil(page.width * spec.bitsPerPixel / 8), 396: 0, 400: spec.space, 420: spec.bitsPerPixel === 24 ? 3 : 1,
      ...header,
    };
    for (const [offset, value] of Object.entries(fields)) head.set(big32(value), Number(offset));
    parts.push(head);
    const pixelBytes = spec.bitsPerPixel === 24 ? 3 : 1, white = spec.space === 3 ? 0 : 255;
    parts.push(...compressPage(page, kind, pixelBytes, white, fillWhite));
  }
  return concat(parts);
}

/** An URF file: pages [{ page, dpi, kind: "W8" | "SRGB24" }]; pageCount defaults to the number of pages. */
export function encodeUrf(pages, { pageCount = pages.length, fillWhite = true } = {}) {
  const parts = [Uint8Array.from("UNIRAST\0", (c) => c.charCodeAt(0)), Uint8Array.from(big32(pageCount))];
  for (const { page, dpi, kind, header = {} } of pages) {
    const head = new Uint8Array(32);
    const rgb = kind === "SRGB24";
    head[0] = rgb ? 24 : 8;
    head[1] = rgb ? 1 : 0;
    head[2] = 1;
    head[3] = 4;
    head.set(big32(page.width), 12);
    head.set(big32(page.height), 16);
    head.set(big32(dpi), 20);
    for (const [offset, value] of Object.entries(header)) head[Number(offset)] = value;
    parts.push(head, ...compressPage(page, rgb ? "srgb_8" : "W8", rgb ? 3 : 1, 255, fillWhite));
  }
  return concat(parts);
}

/**
 * The reference decoder: a whole PWG raster or URF file to pages of gray ({ width, height, dpi, kind, gray }),
 * RGB reduced as the firmware does ((77 R + 150 G + 29 B + 128) >> 8), 1-bit to 0 or 255. Throws on bad input.
 */
export function decodeRasterFile(bytes) {
  const text = (at, n) => String.fromCharCode(...bytes.subarray(at, at + n));
  const u32 = (at) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  const pages = [];
  let at;
  const urf = text(0, 8) === "UNIRAST\0";
  if (urf) at = 12;
  else if (text(0, 4) === "RaS2") at = 4;
  else throw new Error("neither PWG raster nor URF");
  while (at < bytes.length) {
    let width, height, dpi, bitsPerPixel, space, kind, widthPoints, heightPoints;
    if (urf) {
      bitsPerPixel = bytes[at]; space = bytes[at + 1];
      width = u32(at + 12); height = u32(at + 16); dpi = u32(at + 20);
      kind = bitsPerPixel === 24 ? "SRGB24" : "W8";
      space = bitsPerPixel === 24 ? 19 : 18;
      widthPoints = width * 72 / dpi; heightPoints = height * 72 / dpi;
      at += 32;
    } else {
      dpi = u32(at + 276); width = u32(at + 372); height = u32(at + 376); bitsPerPixel = u32(at + 388); space = u32(at + 400);
      widthPoints = u32(at + 352); heightPoints = u32(at + 356);
      kind = { 3: "black_", 18: "sgray_", 19: "srgb_" }[space] + (bitsPerPixel === 24 ? 8 : bitsPerPixel);
      at += 1796;
    }
    const pixelBytes = bitsPerPixel === 24 ? 3 : 1;
    const lineLength = bitsPerPixel === 1 ? Math.ceil(width / 8) : width * pixelBytes;
    const white = space === 3 ? 0 : 255;
    const gray = new Uint8Array(width * height);
    const line = new Uint8Array(lineLength);
    for (let y = 0; y < height;) {
      const repeats = bytes[at++] + 1;
      let x = 0;
      while (x < lineLength) {
        const code = bytes[at++];
        if (code === undefined) throw new Error("cut short");
        if (code === 128) { line.fill(white, x); x = lineLength; }
        else if (code < 128) {
          const n = (code + 1) * pixelBytes;
          for (let k = 0; k < n; k++) line[x + k] = bytes[at + (k % pixelBytes)];
          at += pixelBytes; x += n;
        } else {
          const n = (257 - code) * pixelBytes;
          line.set(bytes.subarray(at, at + n), x);
          at += n; x += n;
        }
      }
      for (let r = 0; r < repeats; r++, y++) {
        for (let p = 0; p < width; p++) {
          let value;
          if (bitsPerPixel === 1) {
            const bit = (line[p >> 3] >> (7 - (p & 7))) & 1;
            value = (bit === 1) === (space === 3) ? 0 : 255;
          } else if (pixelBytes === 3) value = (77 * line[p * 3] + 150 * line[p * 3 + 1] + 29 * line[p * 3 + 2] + 128) >> 8;
          else value = space === 3 ? 255 - line[p] : line[p];
          gray[y * width + p] = value;
        }
      }
    }
    pages.push({ width, height, dpi, kind, gray, widthPoints, heightPoints });
  }
  return pages;
}
