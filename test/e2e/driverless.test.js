// CUPS prints to the dongle with no driver, end to end: a private cupsd (test/e2e/cupsd.js) makes an IPP Everywhere
// queue for the simulator's printer with `lpadmin -m everywhere`, `lp` sends it a PDF and a text file, CUPS's filters
// (cups-filters, Ghostscript) turn them into PWG raster and its ipp backend sends that over IPP; the firmware turns
// the raster into the printer's language (PCL 5, and in a second run ESC/P 2) and the file printer captures it.
// The capture is decoded back to dots (test/raster/printerDecode.js) and compared with Ghostscript's own rendering
// of the same PDF at the same resolution:
//  - 1-bit input (lp -o print-color-mode=bi-level: CUPS sends black_1, halftoned by its Ghostscript): no tolerance,
//    every dot inside the margins is where Ghostscript's pbmraw rendering has a black pixel and the other way round
//    (but for the 8 columns at the left and right margins, where the printed width is cut to whole bytes);
//  - gray input (the default, sgray_8, dithered by the firmware): every pixel Ghostscript renders pure black or pure
//    white must come out as a dot or as none, no tolerance; and the darkness of each 16 x 16 block inside the
//    margins within 0.08 of the rendering's, 0.005 on average (the dither's error, and CUPS's gray levels one off
//    Ghostscript's pgmraw ones);
//  - the text file: one page, its 30 lines as 30 bands of dots, nothing outside the margins.
// Letter paper: its size is whole points, so CUPS's Ghostscript (-dDEVICEWIDTHPOINTS=612 -dDEVICEHEIGHTPOINTS=792)
// and ours place the page on the same pixels; A4's 595.28 x 841.89 is truncated to 595 x 841 there and the page moves
// by a fraction of a pixel.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMargins } from "../../build/modules/raster/layout.js";
import { simulatorKind, startSimulator } from "./simulator.js";
import { freePort } from "./printClients.js";
import { cupsMissing, startCupsd } from "./cupsd.js";
import { makePdf, renderPdf } from "./ghostscript.js";
import { decodeEscp2, decodePcl } from "../raster/printerDecode.js";
import { compareDensity, compareExact, comparePure, dotsOutside, marginBox } from "../raster/compare.js";

/** The gray job's bounds on block darkness (see above); what was measured is printed as a diagnostic. */
const densityWorst = 0.08, densityMean = 0.005;
const media = "na_letter_8.5x11in";

/** Text, rules, a line at an angle, and a ramp of ten grays: both pure black and white and what must be dithered. */
const postscript = `%!PS
<< /PageSize [612 792] >> setpagedevice
/Helvetica-Bold findfont 28 scalefont setfont 72 720 moveto (Printed without a driver) show
/Times-Roman findfont 11 scalefont setfont
0 1 24 { /i exch def 72 690 i 14 mul sub moveto (Pack my box with five dozen liquor jugs. 0123456789 ABCDEFGHIJ) show } for
newpath 72 300 moveto 540 330 lineto 3 setlinewidth stroke
newpath 72 280 moveto 540 280 lineto 0.5 setlinewidth stroke
0 1 9 { /i exch def i 9 div setgray 72 i 46 mul add 120 40 120 rectfill } for
showpage
`;
const textLines = Array.from({ length: 30 }, (_, i) => `Line ${String(i + 1).padStart(2, "0")}: the quick brown fox jumps over the lazy dog`);

/**
 * The languages each simulator is run in. mcsim runs its one test build, whose printerLanguage is the default
 * (pcl5): the setting is compiled in there, and mcsim.js passes only options that map to saved preferences.
 */
const languages = simulatorKind === "mcsim" ? ["pcl5"] : ["pcl5", "escp2"];

/** Horizontal bands of rows with dots: a text page's lines. */
function inkBands(sheet) {
  let bands = 0, previous = false;
  for (let y = 0; y < sheet.height; y++) {
    const row = sheet.dots.subarray(y * sheet.width, (y + 1) * sheet.width);
    const ink = row.includes(1);
    if (ink && !previous) bands++;
    previous = ink;
  }
  return bands;
}

const countDots = (sheet) => sheet.dots.reduce((sum, dot) => sum + dot, 0);

describe(`CUPS driverless printing, end to end (${simulatorKind} simulator)`, () => {
  let cupsd, folder, pdf, text;
  const renders = new Map();
  const rendered = (dpi, bits) => {
    const key = `${dpi}/${bits}`;
    if (!renders.has(key)) renders.set(key, renderPdf(pdf, dpi, { bits }));
    return renders.get(key);
  };

  before(async () => {
    const missing = cupsMissing();
    assert.equal(missing, "", missing);
    folder = mkdtempSync(join(tmpdir(), "ftprint-driverless-"));
    writeFileSync(join(folder, "page.ps"), postscript);
    pdf = join(folder, "page.pdf");
    makePdf(join(folder, "page.ps"), pdf);
    text = join(folder, "lines.txt");
    writeFileSync(text, textLines.join("\n") + "\n");
    cupsd = await startCupsd();
  });

  after(async () => {
    await cupsd?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  for (const language of languages) {
    describe(`printerLanguage ${language}`, () => {
      let simulator, queue;
      const margins = defaultMargins(language);

      before(async () => {
        simulator = await startSimulator(simulatorKind === "mcsim" ? [] : ["--ipp-port", String(await freePort()), "--printer-language", language]);
        assert.ok(simulator.ports.ipp > 0, "no IPP port");
        queue = `ftprint-${language}`;
        const ppd = await cupsd.addEverywhereQueue(queue, `ipp://127.0.0.1:${simulator.ports.ipp}/ipp/print`);
        assert.match(ppd, /^\*cupsFilter2: "image\/(pwg-raster|urf) /m, "CUPS found a raster format it can send in the printer's attributes");
      });

      after(async () => {
        await simulator?.stop();
      });

      /** lp, CUPS's conversion and the IPP job to its end; the capture, the printer's sheets and CUPS's rendering. */
      async function printed(file, options = []) {
        const printedLines = () => simulator.log.filter((line) => /^job \d+ ".*" printed/.test(line)).length;
        const jobsBefore = (await simulator.jobs()).length, linesBefore = printedLines();
        const started = Date.now();
        const job = await cupsd.print(queue, file, [`media=${media}`, ...options]);
        const cupsLines = await cupsd.finished(job);
        for (const deadline = Date.now() + 60000; printedLines() === linesBefore; await new Promise((resolve) => setTimeout(resolve, 100)))
          assert.ok(Date.now() < deadline, `CUPS job ${job} completed but the simulator logged no job printed within 60 s; log:\n${simulator.log.join("\n")}`);
        const jobs = await simulator.jobs();
        assert.equal(jobs.length, jobsBefore + 1, "one captured job");
        const seconds = (Date.now() - started) / 1000;
        // CUPS's Ghostscript command line: the resolution and the raster's color space and depth it asked for.
        const command = cupsLines.find((line) => line.includes("Ghostscript command line:"));
        assert.ok(command, `no Ghostscript run in CUPS job ${job}:\n${cupsLines.join("\n")}`);
        assert.match(command, /-sMediaClass=PwgRaster/, "CUPS made PWG raster");
        const dpi = Number(/ -r(\d+)x\1 /.exec(command)?.[1]);
        assert.ok(dpi > 0, `no resolution in ${command}`);
        const bits = Number(/-dcupsBitsPerColor=(\d+)/.exec(command)?.[1]);
        const bytes = new Uint8Array(jobs.at(-1).bytes);
        const { pages } = language === "escp2"
          ? decodeEscp2(bytes, { widthPoints: 612, leftOrigin: Math.ceil(margins.left * dpi / 2540) })
          : decodePcl(bytes);
        return { pages, dpi, bits, seconds, bytes: bytes.length };
      }

      it("a gray PDF: pure black and white exactly, the grays dithered to Ghostscript's darkness", async (t) => {
        const { pages, dpi, bits, seconds, bytes } = await printed(pdf);
        assert.equal(bits, 8, "CUPS sent 8-bit gray (the printer's default print-color-mode, monochrome)");
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0], reference = rendered(dpi, 8);
        assert.equal(sheet.dpi, dpi, "printed at the resolution CUPS rendered");
        assert.deepEqual([sheet.width, sheet.height], [reference.width, reference.height], "a Letter sheet");
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        assert.equal(dotsOutside(sheet, box), 0, "nothing printed in the margins");
        const pure = comparePure(reference, sheet, box);
        const density = compareDensity(reference, sheet, box);
        t.diagnostic(`${language} ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from lp to the capture; ` +
          `${pure.checked} pure pixels, ${pure.wrong} differ; block darkness worst ${density.worst.toFixed(4)} at ${density.worstAt}, mean ${density.mean.toFixed(5)} (${density.blocks} blocks)`);
        assert.deepEqual(pure.problems, [], `${pure.wrong} of ${pure.checked} pure black or white pixels differ`);
        assert.ok(pure.checked > sheet.width * sheet.height / 2, `only ${pure.checked} pure pixels checked`);
        assert.ok(density.worst <= densityWorst && density.mean <= densityMean,
          `block darkness: worst ${density.worst.toFixed(4)} at ${density.worstAt} (bound ${densityWorst}), mean ${density.mean.toFixed(5)} (bound ${densityMean})`);
        assert.ok(countDots(sheet) > 500_000, `${countDots(sheet)} dots: the page is there`);
      });

      it("the PDF in bi-level: CUPS sends 1-bit raster, and every dot is Ghostscript's", async (t) => {
        const { pages, dpi, bits, seconds, bytes } = await printed(pdf, ["print-color-mode=bi-level"]);
        assert.equal(bits, 1, "CUPS sent 1-bit raster (black_1)");
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0], reference = rendered(dpi, 1);
        assert.deepEqual([sheet.width, sheet.height], [reference.width, reference.height], "a Letter sheet");
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        const result = compareExact(reference, sheet, box);
        t.diagnostic(`${language} ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from lp to the capture; ` +
          `${result.dots} dots, ${result.inked} black pixels checked, ${result.problems.length ? "differences" : "no difference"}`);
        assert.deepEqual(result.problems, [], "the printed dots and Ghostscript's pbmraw pixels");
        assert.ok(result.inked > 500_000, `${result.inked} black pixels checked`);
      });

      it("a text file: CUPS typesets it (texttopdf) and its 30 lines print as 30 lines, inside the margins", async (t) => {
        const { pages, dpi, seconds, bytes } = await printed(text);
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0];
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        t.diagnostic(`${language} ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from lp to the capture; ${inkBands(sheet)} bands of dots`);
        assert.equal(dotsOutside(sheet, box), 0, "nothing printed in the margins");
        assert.equal(inkBands(sheet), textLines.length, "one band of dots a line");
        assert.ok(countDots(sheet) > 50_000, `${countDots(sheet)} dots`);
      });
    });
  }
});
