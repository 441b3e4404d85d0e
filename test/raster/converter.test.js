// The raster converter (modules/raster/converter.ts) with the TypeScript kernel: PWG raster and URF pages in, PCL 5,
// PCL 3 and ESC/P 2 out, decoded back to dots by test/raster/printerDecode.js and compared with the page: dot for dot
// for 1-bit input, by the darkness of 16 × 16 blocks for gray (dithered) input.

import test from "node:test";
import assert from "node:assert/strict";
import * as kernel from "../../build/modules/raster/scriptKernel.js";
import { pclMargins, escp2Margins } from "../../build/modules/raster/layout.js";
import { RasterConverter } from "../../build/modules/raster/converter.js";
import { convertFile } from "./convert.js";
import { decodeRasterFile, encodePwg, encodeUrf, syntheticPage, blankPage } from "./rasterFiles.js";
import { decodeEscp2, decodePcl } from "./printerDecode.js";
import { compareDensity, compareExact, dotsOutside, marginBox } from "./compare.js";

const sheets = {
  letter: { widthPoints: 612, heightPoints: 792, pclSize: 2 },
  a4: { widthPoints: 595, heightPoints: 842, pclSize: 26 },
  legal: { widthPoints: 612, heightPoints: 1008, pclSize: 3 },
};
const urfKinds = new Set(["W8", "SRGB24"]);

/** A page the size of `sheet` at `dpi`, as a file of `kind`. */
function rasterFile(sheet, dpi, kind, seed = 1) {
  const width = Math.floor(sheets[sheet].widthPoints * dpi / 72), height = Math.floor(sheets[sheet].heightPoints * dpi / 72);
  const page = syntheticPage(width, height, dpi, seed);
  const pages = [{ page, dpi, kind, widthPoints: sheets[sheet].widthPoints, heightPoints: sheets[sheet].heightPoints }];
  return urfKinds.has(kind) ? encodeUrf(pages) : encodePwg(pages);
}

function formatOf(kind) {
  return urfKinds.has(kind) ? "image/urf" : "image/pwg-raster";
}

/** Converts and decodes; returns the input page, the printed sheet and the margin box. */
function print(file, kind, language, dpi, sheet, options = {}) {
  const { output, converter } = convertFile(kernel, file, { format: formatOf(kind), language, ...options });
  assert.equal(converter.error, "");
  assert.equal(converter.status, 1, "finished");
  const margins = options.margins ?? (language === "escp2" ? escp2Margins : pclMargins);
  const decoded = language === "escp2"
    ? decodeEscp2(output, { widthPoints: sheets[sheet].widthPoints, leftOrigin: Math.ceil(margins.left * dpi / 2540) })
    : decodePcl(output);
  assert.equal(decoded.pages.length, 1);
  assert.equal(decoded.resets, 2, "the printer is reset before and after the job");
  const printed = decoded.pages[0];
  const box = marginBox(printed.width, printed.height, dpi, margins);
  return { input: decodeRasterFile(file)[0], printed, box, output, converter };
}

for (const [sheet, dpi] of [["letter", 300], ["a4", 600], ["legal", 300]]) {
  for (const language of ["pcl5", "pcl3", "escp2"]) {
    test(`black_1 at ${dpi} dpi on ${sheet} comes out dot for dot and in place in ${language}, nothing printed in the margins`, () => {
      const { input, printed, box } = print(rasterFile(sheet, dpi, "black_1"), "black_1", language, dpi, sheet);
      if (language !== "escp2") {
        assert.equal(printed.size, sheet);
        assert.equal(printed.dpi, dpi);
      }
      assert.equal(printed.height, Math.floor(sheets[sheet].heightPoints * dpi / 72), "the sheet's length");
      const result = compareExact(input, printed, box);
      assert.deepEqual(result.problems, []);
      assert.ok(result.inked > 100_000, `the page has ink (${result.inked} dots)`);
    });
  }
}

for (const kind of ["sgray_8", "srgb_8", "W8", "SRGB24"]) {
  for (const [language, sheet, dpi] of [["pcl5", "letter", 300], ["pcl3", "a4", 600], ["escp2", "letter", 600]]) {
    test(`${kind} at ${dpi} dpi is dithered in ${language}: each 16 × 16 block within 0.08 of the page's darkness, 0.005 on average`, () => {
      const { input, printed, box } = print(rasterFile(sheet, dpi, kind), kind, language, dpi, sheet);
      const result = compareDensity(input, printed, box);
      assert.ok(result.worst <= 0.08, `worst block ${result.worst.toFixed(3)} at ${result.worstAt}`);
      assert.ok(result.mean <= 0.005, `mean ${result.mean.toFixed(4)} over ${result.blocks} blocks`);
      assert.equal(dotsOutside(printed, box), 0, "no dot in the margins");
    });
  }
}

test("PCL names the page size and resolution and puts the raster at the first printable column", () => {
  const { output } = convertFile(kernel, rasterFile("a4", 600, "black_1"), { format: "image/pwg-raster", language: "pcl5" });
  const text = Buffer.from(output.subarray(0, 60)).toString("latin1");
  // A4 (26), portrait, top margin 0, no perforation skip; 600 dpi. The 1/4 inch margin is column 150, the first
  // multiple of 8 after it 152: x 5 in 300-dpi dots from the logical page's edge (71 dots in), y 50 (1/6 inch).
  // 4656 pixels wide: to the right margin (4960 - 150) from 152, to a multiple of 8.
  assert.equal(text.slice(0, text.indexOf("\x1b*r1A") + 5), "\x1bE\x1b&l26a0o0e0L\x1b*t600R\x1b*r4656S\x1b*p5x50Y\x1b*r1A");
});

test("PCL 5 uses both mode 2 and mode 3 and skips blank rows; PCL 3 uses mode 2 only; both make the same dots", () => {
  const file = rasterFile("letter", 300, "sgray_8");
  const pcl5 = print(file, "sgray_8", "pcl5", 300, "letter"), pcl3 = print(file, "sgray_8", "pcl3", 300, "letter");
  assert.ok(pcl5.printed.modes[2] > 0 && pcl5.printed.modes[3] > 0, JSON.stringify(pcl5.printed.modes));
  assert.equal(pcl3.printed.modes[3], 0);
  assert.ok(pcl5.printed.yOffsets > 0 && pcl3.printed.yOffsets > 0, "blank rows skipped");
  assert.deepEqual(pcl5.printed.dots, pcl3.printed.dots);
  assert.ok(pcl5.output.length < pcl3.output.length / 2, `delta rows make PCL 5 smaller (${pcl5.output.length} against ${pcl3.output.length})`);
});

test("black_1 to PCL 3 goes through without pixel work (transcodeLine), with the same dots as decoding", () => {
  const file = rasterFile("letter", 300, "black_1");
  const calls = { decodeLine: 0, transcodeLine: 0, ditherLine: 0, encodeLine: 0 };
  const counting = { kernelName: "counting" };
  for (const name of Object.keys(calls)) counting[name] = (...args) => { calls[name]++; return kernel[name](...args); };
  const { output } = convertFile(counting, file, { format: "image/pwg-raster", language: "pcl3" });
  assert.equal(calls.decodeLine + calls.ditherLine + calls.encodeLine, 0, JSON.stringify(calls));
  assert.ok(calls.transcodeLine >= 3300 / 256);
  const viaDecode = print(file, "black_1", "pcl5", 300, "letter");
  assert.deepEqual(decodePcl(output).pages[0].dots, viaDecode.printed.dots);
});

test("the output does not depend on how the input is cut or how the output is taken", () => {
  for (const [kind, language] of [["srgb_8", "pcl5"], ["black_1", "pcl3"], ["SRGB24", "escp2"], ["black_1", "pcl5"]]) {
    const file = rasterFile("letter", 300, kind, 5);
    const whole = convertFile(kernel, file, { format: formatOf(kind), language }).output;
    for (const seed of [1, 2, 3]) {
      const cut = convertFile(kernel, file, { format: formatOf(kind), language }, { chunk: "random", seed }).output;
      assert.deepEqual(cut, whole, `${kind} ${language} seed ${seed}`);
    }
    assert.deepEqual(convertFile(kernel, file.subarray(0, 20_000), { format: formatOf(kind), language }, { chunk: 1 }).converter.error,
      convertFile(kernel, file.subarray(0, 20_000), { format: formatOf(kind), language }).converter.error);
  }
});

test("a job of several pages: one form feed each, buffers made once for pages alike and again only for a wider one", () => {
  const small = syntheticPage(2550, 3300, 300, 2), wide = syntheticPage(5100, 6600, 600, 3);
  const file = encodePwg([
    { page: small, dpi: 300, kind: "sgray_8" }, { page: small, dpi: 300, kind: "black_1" },
    { page: wide, dpi: 600, kind: "srgb_8" }, { page: small, dpi: 300, kind: "sgray_8" },
  ]);
  const { output, converter } = convertFile(kernel, file, { format: "image/pwg-raster", language: "pcl5" });
  assert.equal(converter.status, 1, converter.error);
  assert.equal(converter.pagesDone, 4);
  assert.equal(converter.buffersMade, 2);
  const { pages } = decodePcl(output);
  assert.deepEqual(pages.map((page) => page.dpi), [300, 300, 600, 300]);
  const inputs = decodeRasterFile(file);
  assert.deepEqual(compareExact(inputs[1], pages[1], marginBox(2550, 3300, 300, pclMargins)).problems, []);
  assert.ok(compareDensity(inputs[2], pages[2], marginBox(5100, 6600, 600, pclMargins)).worst <= 0.08);
});

test("a 50-page job holds the same buffers from its first page to its last: 11 KB at 300 dpi, 18 KB at 600", () => {
  for (const [dpi, most] of [[300, 11_500], [600, 18_000]]) {
    const page = syntheticPage(Math.floor(612 * dpi / 72), Math.floor(792 * dpi / 72), dpi, 6, { gray: false });
    const pages = Array.from({ length: 50 }, (_, i) => ({ page, dpi, kind: i % 2 ? "black_1" : "sgray_8" }));
    const file = encodePwg(dpi === 300 ? pages : pages.slice(0, 6));
    const converter = new RasterConverter(kernel, { format: "image/pwg-raster", language: "pcl5" });
    let at = 0, held = 0;
    for (;;) {
      at = converter.feed(file, at, Math.min(file.length, at + 1460));
      converter.taken(converter.outputCount);
      if (converter.pagesDone > 0) held ||= converter.bufferBytes;
      if (held) assert.equal(converter.bufferBytes, held, `page ${converter.pagesDone + 1}`);
      if (at === file.length && !converter.busy) {
        if (converter.status !== 0) break;
        converter.end();
      }
    }
    assert.equal(converter.status, 1, converter.error);
    assert.equal(converter.pagesDone, dpi === 300 ? 50 : 6);
    assert.equal(converter.buffersMade, 1);
    assert.ok(held <= most, `${held} bytes at ${dpi} dpi`);
  }
});

test("URF: two pages, and a page count of 0 means as many as come", () => {
  const page = syntheticPage(2550, 3300, 300, 4);
  for (const pageCount of [2, 0]) {
    const file = encodeUrf([{ page, dpi: 300, kind: "W8" }, { page, dpi: 300, kind: "SRGB24" }], { pageCount });
    const { output, converter } = convertFile(kernel, file, { format: "image/urf", language: "escp2" });
    assert.equal(converter.status, 1, converter.error);
    assert.equal(decodeEscp2(output, { widthPoints: 612, leftOrigin: 36 }).pages.length, 2);
  }
});

test("a blank page prints as a blank sheet: no rows, one form feed", () => {
  const file = encodePwg([{ page: blankPage(2550, 3300), dpi: 300, kind: "sgray_8" }]);
  for (const language of ["pcl5", "pcl3", "escp2"]) {
    const { output, converter } = convertFile(kernel, file, { format: "image/pwg-raster", language });
    assert.equal(converter.status, 1);
    assert.equal(converter.rowsPrinted, 0);
    const pages = language === "escp2" ? decodeEscp2(output, { widthPoints: 612, leftOrigin: 36 }).pages : decodePcl(output).pages;
    assert.equal(pages.length, 1);
    assert.equal(pages[0].dots.reduce((a, b) => a + b, 0), 0);
    assert.ok(output.length < 120, `${output.length} bytes`);
  }
});

test("margins given by the caller are honoured", () => {
  const margins = Object.freeze({ top: 2540, left: 1270, bottom: 2540, right: 1270 });    // 1 inch, 1/2 inch
  for (const language of ["pcl5", "escp2"]) {
    const { input, printed, box } = print(rasterFile("letter", 300, "black_1"), "black_1", language, 300, "letter", { margins });
    assert.deepEqual(box, { left: 150, right: 2400, top: 300, bottom: 3000 });
    assert.deepEqual(compareExact(input, printed, box).problems, []);
  }
});

test("no feed makes more than rowsPerFeed rows, and the kernel only ever sees the arrays made for the job", () => {
  const file = rasterFile("letter", 300, "sgray_8");
  const arrays = new Set();
  let rows = 0;
  const watching = {
    kernelName: "watching",
    decodeLine(state, input, at, end, line) { arrays.add(state).add(line); return kernel.decodeLine(state, input, at, end, line); },
    transcodeLine: kernel.transcodeLine,
    ditherLine(line, from, count, errors, bits, row) { rows++; arrays.add(errors).add(bits); return kernel.ditherLine(line, from, count, errors, bits, row); },
    encodeLine(method, bits, from, count, seed, out) { arrays.add(seed).add(out); return kernel.encodeLine(method, bits, from, count, seed, out); },
  };
  const converter = new RasterConverter(watching, { format: "image/pwg-raster", language: "pcl5", rowsPerFeed: 4, outputBytes: 1 << 20 });
  let at = 0, most = 0, feeds = 0;
  while (at < file.length || converter.busy) {
    rows = 0;
    at = converter.feed(file, at, file.length);
    converter.taken(converter.outputCount);
    most = Math.max(most, rows);
    if (++feeds > 100_000) assert.fail("no end");
    if (at === file.length && !converter.busy) converter.end();
  }
  assert.equal(converter.status, 1, converter.error);
  assert.equal(most, 4, "at most rowsPerFeed rows dithered per feed");
  assert.equal(arrays.size, 7, "state, line, errors, bits, seed and two row buffers");
});
