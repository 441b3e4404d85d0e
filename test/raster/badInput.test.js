// Bad raster input: truncated files, lying headers, absurd sizes, wrong sync words and versions, runs that overflow.
// Each ends the job in the Failed state with a sentence saying why, never an exception, with no buffer made for an
// absurd page; and the printer output stays well formed (a page begun is ended, the printer reset), which the test
// decoders check by decoding it.

import test from "node:test";
import assert from "node:assert/strict";
import * as kernel from "../../build/modules/raster/scriptKernel.js";
import { RasterConverter } from "../../build/modules/raster/converter.js";
import { convertFile } from "./convert.js";
import { encodePwg, encodeUrf, prng, syntheticPage } from "./rasterFiles.js";
import { decodeEscp2, decodePcl } from "./printerDecode.js";

const page = syntheticPage(2550, 3300, 300, 9);
const goodPwg = encodePwg([{ page, dpi: 300, kind: "sgray_8", widthPoints: 612, heightPoints: 792 }]);
const goodUrf = encodeUrf([{ page, dpi: 300, kind: "SRGB24" }]);

function fails(file, format, expected, language = "pcl5") {
  const { output, converter } = convertFile(kernel, file, { format, language });
  assert.equal(converter.status, 2, `failed (${converter.error || "no error"})`);
  assert.match(converter.error, expected);
  // Still a well-formed job for the printer: decodes, and resets the printer at the end if it said anything.
  const decoded = language === "escp2" ? decodeEscp2(output, { widthPoints: 612, leftOrigin: 36 }) : decodePcl(output);
  if (output.length > 0) assert.equal(decoded.resets, 2);
  return converter;
}

function withByte(file, at, value) {
  const copy = file.slice();
  copy[at] = value;
  return copy;
}

test("an empty job and a cut file header fail", () => {
  fails(new Uint8Array(0), "image/pwg-raster", /^no raster data$/);
  fails(goodPwg.subarray(0, 3), "image/pwg-raster", /ended in its file header/);
  fails(goodUrf.subarray(0, 10), "image/urf", /ended in its file header/);
});

test("a wrong sync word, CUPS raster's other versions and a wrong URF magic are named", () => {
  fails(Uint8Array.from("%!PS-Adobe", (c) => c.charCodeAt(0)), "image/pwg-raster", /not PWG raster: the sync word is "%!PS"/);
  for (const sync of ["RaSt", "RaS3", "tSaR", "2SaR"])
    fails(encodePwg([{ page, dpi: 300, kind: "sgray_8" }], { sync }), "image/pwg-raster", new RegExp(`CUPS raster "${sync}", not PWG raster`));
  fails(withByte(goodUrf, 3, 0x58), "image/urf", /not URF/);
  fails(goodPwg, "image/urf", /not URF/);
});

test("a file cut in a page header, in a line or between lines says where", () => {
  fails(goodPwg.subarray(0, 4 + 1000), "image/pwg-raster", /page 1's header is cut short \(1000 of 1796 bytes\)/);
  fails(goodUrf.subarray(0, 12 + 20), "image/urf", /page 1's header is cut short \(20 of 32 bytes\)/);
  const cut = fails(goodPwg.subarray(0, Math.floor(goodPwg.length * 0.6)), "image/pwg-raster", /page 1 is cut short (in|at) line \d+ of 3300/);
  assert.equal(cut.pagesDone, 0);
  fails(goodPwg.subarray(0, goodPwg.length - 1), "image/pwg-raster", /page 1 is cut short in line 3298 of 3300/, "escp2");
  fails(encodePwg([{ page, dpi: 300, kind: "black_1" }]).subarray(0, 1800), "image/pwg-raster", /page 1 is cut short at line 0/, "pcl3");
});

test("absurd sizes are refused before any buffer is made", () => {
  const header = (fields) => encodePwg([{ page, dpi: 300, kind: "sgray_8", header: fields }]);
  let converter = fails(header({ 372: 10_001, 392: 10_001 }), "image/pwg-raster", /10001 pixels wide, more than the 10000 accepted/);
  assert.equal(converter.buffersMade, 0);
  converter = fails(header({ 376: 20_001 }), "image/pwg-raster", /20001 lines tall, more than the 20000 accepted/);
  assert.equal(converter.buffersMade, 0);
  fails(header({ 372: 0xffffffff, 392: 0xffffffff }), "image/pwg-raster", /4294967295 pixels wide/);
  fails(header({ 372: 0 }), "image/pwg-raster", /an empty page \(0 × 3300 pixels\)/);
  fails(header({ 276: 0, 280: 0 }), "image/pwg-raster", /a resolution of 0 dpi/);
  // The limit itself is accepted: one line 10,000 pixels wide, on the largest sheet, cut to it.
  const widest = { width: 10_000, height: 1, gray: new Uint8Array(10_000).fill(0) };
  const { converter: ok } = convertFile(kernel, encodePwg([{ page: widest, dpi: 300, kind: "sgray_8" }]), { format: "image/pwg-raster", language: "pcl5" });
  assert.equal(ok.status, 1, ok.error);
});

test("a header that lies about its line length, or asks for what is not printed, is refused", () => {
  const header = (fields, kind = "sgray_8") => encodePwg([{ page, dpi: 300, kind, header: fields }]);
  fails(header({ 392: 2551 }), "image/pwg-raster", /cupsBytesPerLine 2551 where 2550 pixels of 8 bits take 2550/);
  fails(header({ 392: 318 }, "black_1"), "image/pwg-raster", /cupsBytesPerLine 318 where 2550 pixels of 1 bits take 319/);
  fails(header({ 400: 6, 388: 32, 384: 8, 392: 10200 }), "image/pwg-raster", /color space 6 at 8 bits per color and 32 per pixel/);
  fails(header({ 384: 16, 388: 16, 392: 5100 }), "image/pwg-raster", /color space 18 at 16 bits/);
  fails(header({ 396: 1 }), "image/pwg-raster", /color order 1/);
  fails(header({ 280: 600 }), "image/pwg-raster", /different horizontal and vertical resolutions \(300 × 600 dpi\)/);
  fails(encodePwg([{ page, dpi: 250, kind: "sgray_8" }]), "image/pwg-raster", /250 dpi is not a resolution pcl5 prints/);
  fails(encodePwg([{ page, dpi: 250, kind: "sgray_8" }]), "image/pwg-raster", /250 dpi is not a resolution escp2 prints/, "escp2");
  fails(encodeUrf([{ page, dpi: 300, kind: "W8", header: { 0: 32, 1: 6 } }]), "image/urf", /URF color space 6 at 32 bits per pixel/);
});

test("a run past the end of its line, and a line repeated past the page's end, fail at that line", () => {
  // 600 pixels: a repeat of 128, four more, then a fifth of 128 is 40 too many.
  const line = [0, 127, 255, 127, 255, 127, 255, 127, 255, 127, 255];
  const head = encodePwg([{ page: { width: 600, height: 2, gray: new Uint8Array(1200) }, dpi: 300, kind: "sgray_8" }]).subarray(0, 4 + 1796);
  for (const language of ["pcl5", "escp2"])
    fails(Uint8Array.from([...head, ...line]), "image/pwg-raster", /page 1, line 0: a run goes past the end of the line/, language);
  const bits = encodePwg([{ page: { width: 64, height: 2, gray: new Uint8Array(128) }, dpi: 300, kind: "black_1" }]).subarray(0, 4 + 1796);
  fails(Uint8Array.from([...bits, 0, 8, 255]), "image/pwg-raster", /line 0: a run goes past the end/, "pcl3");
  fails(Uint8Array.from([...head, 5, 128]), "image/pwg-raster", /line 0 repeats 6 times, past the page's 2 lines/);
});

test("URF: fewer or more pages than announced, and data after the last page, fail", () => {
  fails(encodeUrf([{ page, dpi: 300, kind: "W8" }], { pageCount: 2 }), "image/urf", /announced 2 pages and 1 came/);
  fails(encodeUrf([{ page, dpi: 300, kind: "W8" }, { page, dpi: 300, kind: "W8" }], { pageCount: 1 }), "image/urf", /data after the 1 pages the URF header announced/);
  fails(Uint8Array.from([...goodPwg, 1, 2, 3]), "image/pwg-raster", /page 2's header is cut short \(3 of 1796 bytes\)/);
});

test("a cancelled job takes no more input, and ends its page and resets the printer after the rows that wait", () => {
  const converter = new RasterConverter(kernel, { format: "image/pwg-raster", language: "pcl5" });
  const parts = [];
  const take = (count) => { parts.push(converter.output.slice(converter.outputAt, converter.outputAt + count)); converter.taken(count); };
  let at = 0;
  const middle = Math.floor(goodPwg.length * 0.4);
  while (at < middle) {
    at = converter.feed(goodPwg, at, middle);
    take(converter.outputCount);
  }
  at = converter.feed(goodPwg, at, goodPwg.length);
  assert.ok(converter.outputCount > 100 && converter.pagesDone === 0, "rows wait, mid-page");
  take(Math.floor(converter.outputCount / 3));    // the port took part of what waits, perhaps half a row
  converter.cancel();
  assert.equal(converter.status, 2);
  assert.equal(converter.error, "cancelled");
  assert.equal(converter.feed(goodPwg, at, goodPwg.length), at, "nothing more is taken");
  take(converter.outputCount);
  const output = Uint8Array.from(parts.flatMap((part) => [...part]));
  assert.ok(Buffer.from(output.subarray(-7)).toString("latin1") === "\x1b*rC\f\x1bE");
  assert.equal(decodePcl(output).pages.length, 1, "a well-formed job: the rows, the page's end, the reset");
});

test("10,000 mutated files never throw, always end, and always leave well-formed printer output", () => {
  const random = prng(2024);
  const seeds = [
    ["image/pwg-raster", encodePwg([{ page: syntheticPage(200, 120, 300, 1), dpi: 300, kind: "sgray_8" }, { page: syntheticPage(96, 50, 300, 2), dpi: 300, kind: "black_1" }])],
    ["image/pwg-raster", encodePwg([{ page: syntheticPage(150, 80, 300, 3), dpi: 300, kind: "srgb_8" }])],
    ["image/urf", encodeUrf([{ page: syntheticPage(120, 90, 300, 4), dpi: 300, kind: "SRGB24" }, { page: syntheticPage(120, 90, 300, 5), dpi: 300, kind: "W8" }])],
  ];
  const outcomes = { 1: 0, 2: 0 };
  for (let round = 0; round < 10_000; round++) {
    const [format, good] = seeds[round % seeds.length];
    const file = good.slice();
    const mutations = 1 + Math.floor(random() * 4);
    let bytes = file;
    for (let m = 0; m < mutations; m++) {
      const at = Math.floor(random() * bytes.length), choice = random();
      if (choice < 0.6) bytes[at] = Math.floor(random() * 256);
      else if (choice < 0.8) bytes = bytes.subarray(0, at);
      else bytes = Uint8Array.from([...bytes.subarray(0, at), ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)), ...bytes.subarray(at)]);
    }
    const language = ["pcl5", "pcl3", "escp2"][round % 3];
    let result;
    try {
      result = convertFile(kernel, bytes, { format, language }, { chunk: "random", seed: round });
    } catch (error) {
      assert.fail(`round ${round}: ${error.stack}`);
    }
    outcomes[result.converter.status]++;
    try {
      if (language === "escp2") decodeEscp2(result.output, { widthPoints: 612, leftOrigin: 36 });
      else decodePcl(result.output);
    } catch (error) {
      assert.fail(`round ${round} (${language}, ${result.converter.error || "finished"}): the output does not decode: ${error.message}`);
    }
  }
  assert.ok(outcomes[1] > 100 && outcomes[2] > 5000, JSON.stringify(outcomes));
});
