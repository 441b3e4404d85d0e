// Printer output back to pixels, for the tests: a small PCL raster interpreter and an ESC/P 2 raster interpreter,
// written from the languages' manuals (HP PCL 5 Technical Reference: "Raster Graphics", "The Page"; Epson ESC/P 2
// Reference: ESC ( G, ESC ( U, ESC ( C, ESC ( c, ESC ( v, ESC $, ESC .), not from the firmware. Each page is the
// whole sheet at the raster's resolution, 1 = a dot. Anything they do not model throws, so that a stray byte
// in the output fails the test. Engine-neutral.

/** PCL page sizes (ESC&l#A): the sheet in points and, portrait, the logical page's left offset in 300-dpi dots. */
const pclSizes = {
  2: { name: "letter", widthPoints: 612, heightPoints: 792, leftOffset: 75 },
  3: { name: "legal", widthPoints: 612, heightPoints: 1008, leftOffset: 75 },
  26: { name: "a4", widthPoints: 595, heightPoints: 842, leftOffset: 71 },
};

function sheet(widthPoints, heightPoints, dpi) {
  const width = Math.floor(widthPoints * dpi / 72), height = Math.floor(heightPoints * dpi / 72);
  return { width, height, dots: new Uint8Array(width * height) };
}

function plot(page, x0, y, row, dots) {
  if (y < 0 || y >= page.height) throw new Error(`a raster row at y ${y}, off the sheet (${page.height} lines)`);
  for (let i = 0; i < dots; i++) {
    if (!((row[i >> 3] >> (7 - (i & 7))) & 1)) continue;
    const x = x0 + i;
    if (x < 0 || x >= page.width) throw new Error(`a dot at x ${x}, off the sheet (${page.width} wide)`);
    page.dots[y * page.width + x] = 1;
  }
}

/** PackBits (PCL mode 2; ESC/P 2's RLE is the same code, -128 aside) into row; returns the bytes produced. */
function unpackBits(data, row, { epson = false } = {}) {
  let at = 0, out = 0;
  while (at < data.length) {
    const code = data[at++];
    if (code < 128) {
      const n = code + 1;
      if (at + n > data.length) throw new Error("a literal run past the data");
      for (let k = 0; k < n; k++) row[out++] = data[at++];
    } else if (code > 128 || epson) {
      const n = 257 - code;
      if (at >= data.length) throw new Error("a repeat run past the data");
      row.fill(data[at++], out, out + n);
      out += n;
    }
    // PCL: 128 (-128) is no operation.
  }
  return out;
}

/** PCL delta row (mode 3) applied to the seed, which is the row. */
function undelta(data, row) {
  let at = 0, position = 0;
  while (at < data.length) {
    const command = data[at++];
    const count = (command >> 5) + 1;
    let offset = command & 31;
    if (offset === 31) {
      let more;
      do { more = data[at++]; if (more === undefined) throw new Error("an offset past the data"); offset += more; } while (more === 255);
    }
    position += offset;
    if (at + count > data.length) throw new Error("replacement bytes past the data");
    for (let k = 0; k < count; k++) {
      if (position < row.length) row[position] = data[at];
      position++;
      at++;
    }
  }
}

/**
 * Decodes PCL raster output to pages: [{ size, dpi, width, height, dots, rows, modes: {2: n, 3: n}, yOffsets }].
 * The cursor model: ESC&l0E puts Y = 0 at the sheet's top edge (the PCL coordinate system's origin is the top
 * margin); X = 0 is the logical page's left edge.
 */
export function decodePcl(bytes) {
  const pages = [];
  let page, size, dpi = 75, topMargin = -1, cursorX = 0, cursorY = 0, width = 0, mode = 0, raster = false;
  let row, seed, rowY = 0, originX = 0, resets = 0;
  const number = (text) => {
    if (!/^\d+$/.test(text)) throw new Error(`PCL parameter "${text}" is not a whole number`);
    return Number(text);
  };
  const ensurePage = () => {
    if (page) return;
    if (!size) throw new Error("raster before a page size");
    page = { size: size.name, dpi, ...sheet(size.widthPoints, size.heightPoints, dpi), rows: 0, modes: { 0: 0, 2: 0, 3: 0 }, yOffsets: 0 };
  };
  let at = 0;
  while (at < bytes.length) {
    const byte = bytes[at++];
    if (byte === 12) {
      if (raster) throw new Error("form feed inside raster graphics");
      ensurePage();
      pages.push(page);
      page = undefined;
      continue;
    }
    if (byte !== 27) throw new Error(`byte ${byte} outside an escape sequence at ${at - 1}`);
    const first = bytes[at++];
    if (first === 69) {    // ESC E
      if (raster) throw new Error("reset inside raster graphics");
      if (page) throw new Error("reset with a page not ended by a form feed");
      resets++;
      topMargin = -1;
      continue;
    }
    if (first < 33 || first > 47) throw new Error(`escape ${String.fromCharCode(first)} not modelled`);
    const group = String.fromCharCode(first) + String.fromCharCode(bytes[at++]);
    for (;;) {
      let value = "";
      while (at < bytes.length && /[0-9.+-]/.test(String.fromCharCode(bytes[at]))) value += String.fromCharCode(bytes[at++]);
      const final = bytes[at++];
      if (final === undefined) throw new Error("an escape sequence cut short");
      const letter = String.fromCharCode(final).toUpperCase(), command = group + letter;
      switch (command) {
        case "&lA":
          size = pclSizes[number(value)];
          if (!size) throw new Error(`page size ${value} not modelled`);
          break;
        case "&lO": if (number(value) !== 0) throw new Error("not portrait"); break;
        case "&lE": topMargin = number(value); break;
        case "&lL": break;
        case "*tR": dpi = number(value); break;
        case "*rS": width = number(value); break;
        case "*pX": cursorX = number(value); break;
        case "*pY": cursorY = number(value); break;
        case "*rA": {
          if (number(value) !== 1) throw new Error("raster not started at the cursor (ESC*r1A)");
          if (topMargin !== 0) throw new Error("raster with a top margin other than 0: Y is not measured from the sheet's edge");
          ensurePage();
          if (page.dpi !== dpi) throw new Error("the resolution changed within a page");
          const scale = dpi / 300;
          originX = (size.leftOffset + cursorX) * scale;
          rowY = cursorY * scale;
          if (!Number.isInteger(originX) || !Number.isInteger(rowY)) throw new Error("the cursor is not on a pixel");
          row = new Uint8Array(Math.ceil(width / 8));
          seed = new Uint8Array(row.length);
          raster = true;
          break;
        }
        case "*bM": mode = number(value); if (![0, 2, 3].includes(mode)) throw new Error(`compression mode ${mode}`); break;
        case "*bY":
          if (!raster) throw new Error("Y offset outside raster graphics");
          rowY += number(value);
          seed.fill(0);
          page.yOffsets++;
          break;
        case "*bW": {
          if (!raster) throw new Error("row data outside raster graphics");
          const n = number(value), data = bytes.subarray(at, at + n);
          if (data.length < n) throw new Error("row data cut short");
          at += n;
          if (mode === 3) { row.set(seed); undelta(data, row); }
          else {
            row.fill(0);
            if (mode === 2) {
              const scratch = new Uint8Array(row.length + 256);
              const produced = unpackBits(data, scratch);
              if (produced > row.length + 128) throw new Error("a mode 2 row much longer than the raster width");
              row.set(scratch.subarray(0, row.length));
            } else row.set(data.subarray(0, row.length));
          }
          plot(page, originX, rowY, row, width);
          seed.set(row);
          rowY++;
          page.rows++;
          page.modes[mode]++;
          break;
        }
        case "*rC": case "*rB": raster = false; break;
        default: throw new Error(`PCL command ESC${command} not modelled`);
      }
      if (final >= 64 && final <= 94) break;    // an upper-case final ends the sequence; lower case combines
    }
  }
  if (raster || page) throw new Error("the output ends inside a page");
  return { pages, resets };
}

/**
 * Decodes ESC/P 2 raster output to pages. `sheet`: { widthPoints, heightPoints? } and `leftOrigin`, the pixels from
 * the sheet's left edge to where ESC $ counts from (the printer's left margin). The page's length comes from ESC ( C.
 */
export function decodeEscp2(bytes, { widthPoints, leftOrigin }) {
  const pages = [];
  let page, unit = 0, pageLength = 0, topMargin = 0, bottomMargin = 0, x = 0, y = 0, graphics = false, resets = 0;
  let at = 0;
  const u16 = (i) => bytes[i] | (bytes[i + 1] << 8);
  const ensurePage = () => {
    if (page) return;
    if (!unit || !pageLength) throw new Error("raster before the unit and page length");
    const dpi = 3600 / unit;
    page = { dpi, ...sheet(widthPoints, pageLength * 72 / dpi, dpi), rows: 0 };
    page.height = pageLength;
    page.dots = new Uint8Array(page.width * page.height);
  };
  while (at < bytes.length) {
    const byte = bytes[at++];
    if (byte === 12) {
      ensurePage();
      pages.push(page);
      page = undefined;
      y = topMargin;
      x = 0;
      continue;
    }
    if (byte === 13) { x = 0; continue; }
    if (byte !== 27) throw new Error(`byte ${byte} outside an escape sequence at ${at - 1}`);
    const command = String.fromCharCode(bytes[at++]);
    if (command === "@") { if (page) throw new Error("reset with a page not ended by a form feed"); resets++; graphics = false; continue; }
    if (command === "$") { x = u16(at); at += 2; continue; }
    if (command === ".") {
      if (!graphics) throw new Error("raster outside graphics mode (ESC ( G)");
      const [compression, v, h, m] = bytes.subarray(at, at + 4), dots = u16(at + 4);
      at += 6;
      if (compression !== 1) throw new Error(`raster compression ${compression}`);
      if (v !== unit || h !== unit) throw new Error(`raster density ${v}/${h} is not the unit ${unit}`);
      if (m !== 1) throw new Error(`${m} rows per band`);
      if (dots % 8 !== 0) throw new Error("a dot count not a multiple of 8");
      const row = new Uint8Array(dots / 8);
      // Data until the row is full: ESC/P 2 has no byte count.
      let filled = 0;
      while (filled < row.length) {
        const code = bytes[at++];
        if (code === undefined) throw new Error("raster data cut short");
        if (code < 128) { row.set(bytes.subarray(at, at + code + 1), filled); at += code + 1; filled += code + 1; }
        else { row.fill(bytes[at++], filled, filled + 257 - code); filled += 257 - code; }
      }
      if (filled > row.length) throw new Error("a run past the row's dots");
      ensurePage();
      if (y < topMargin || y >= bottomMargin) throw new Error(`a row at ${y}, outside the margins ${topMargin}-${bottomMargin}`);
      plot(page, leftOrigin + x, y, row, dots);
      page.rows++;
      x += dots;
      continue;
    }
    if (command !== "(") throw new Error(`ESC ${command} not modelled`);
    const which = String.fromCharCode(bytes[at++]), length = u16(at);
    const parameters = bytes.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    switch (which) {
      case "G": graphics = parameters[0] === 1; break;
      case "U": unit = parameters[0]; break;
      case "C": pageLength = parameters[0] | (parameters[1] << 8); break;
      case "c":
        topMargin = parameters[0] | (parameters[1] << 8);
        bottomMargin = parameters[2] | (parameters[3] << 8);
        y = topMargin;
        break;
      case "v": y += parameters[0] | (parameters[1] << 8); break;
      default: throw new Error(`ESC ( ${which} not modelled`);
    }
  }
  if (page) throw new Error("the output ends inside a page");
  return { pages, resets };
}
