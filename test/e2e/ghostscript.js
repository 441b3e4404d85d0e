// Ghostscript as the reference for the driverless tests: it makes the test PDF from a PostScript program (so the
// document is the same on every run) and renders that PDF to pixels, in gray (pgmraw) and in 1 bit (pbmraw), at the
// resolution the page came back from the printer. CUPS's own rendering (cups-filters' gstoraster) is the same
// Ghostscript; what lies between the two is CUPS's filter chain, the IPP transfer and the firmware's converter.

import { spawnSync } from "node:child_process";

function gs(args, what) {
  const result = spawnSync("gs", ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", ...args], { maxBuffer: 1 << 30, timeout: 120000 });
  if (result.status !== 0) throw new Error(`Ghostscript (${what}) failed: ${result.error ?? ""}${result.stderr}`);
  return result.stdout;
}

/** PostScript program to PDF (pdfwrite). */
export function makePdf(postscriptPath, pdfPath) {
  gs(["-sDEVICE=pdfwrite", `-sOutputFile=${pdfPath}`, postscriptPath], "pdfwrite");
}

/** A PGM/PBM (raw) file to { width, height, gray }: one byte a pixel, 0 black ... 255 white, as test/raster has pages. */
function readNetpbm(bytes) {
  const head = /^(P[45])\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(?:(\d+)\s)?/.exec(bytes.toString("latin1", 0, 512));
  if (!head) throw new Error("Ghostscript's output is not a raw PGM or PBM");
  const width = Number(head[2]), height = Number(head[3]), data = bytes.subarray(head[0].length);
  const gray = new Uint8Array(width * height);
  if (head[1] === "P5") {
    if (head[4] !== "255" || data.length < gray.length) throw new Error("an unexpected PGM");
    gray.set(data.subarray(0, gray.length));
  } else {
    const stride = Math.ceil(width / 8);
    if (data.length < stride * height) throw new Error("a PBM cut short");
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) gray[y * width + x] = (data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? 0 : 255;
  }
  return { width, height, gray };
}

/** The PDF's first page at `dpi`: { width, height, gray }; bits 1 renders with Ghostscript's own halftone. */
export function renderPdf(pdfPath, dpi, { bits = 8 } = {}) {
  return readNetpbm(gs([`-sDEVICE=${bits === 1 ? "pbmraw" : "pgmraw"}`, `-r${dpi}`, "-sOutputFile=-", pdfPath], `${bits}-bit rendering at ${dpi} dpi`));
}

/** The PDF as 1-bit PWG raster, black_1 (Ghostscript's pwgraster device, CUPS's raster code inside). */
export function makePwg(pdfPath, pwgPath, dpi) {
  gs(["-sDEVICE=pwgraster", `-r${dpi}`, "-dcupsColorSpace=3", "-dcupsBitsPerColor=1", `-sOutputFile=${pwgPath}`, pdfPath], "pwgraster");
}
