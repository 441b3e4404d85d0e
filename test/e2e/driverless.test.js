// CUPS prints to the dongle with no driver, end to end: a private cupsd (test/e2e/cupsd.js) makes an IPP Everywhere
// queue for the simulator's printer with `lpadmin -m everywhere`, `lp` sends it a PDF and a text file, CUPS's filters
// (pdftopdf, texttopdf, cups-filters' gstoraster, which is Ghostscript, and rastertopwg) turn them into raster and its
// ipp backend sends that over IPP: Apple raster (image/urf), which CUPS 2.4 prefers to PWG raster when a printer
// offers both, 8-bit gray at 300 dpi (the printer's normal quality). The firmware turns the raster into the printer's
// language (PCL 5, and in a second run ESC/P 2) and the file printer captures it. The capture is decoded back to dots
// (test/raster/printerDecode.js) and compared with Ghostscript's own rendering of the same PDF at the same resolution:
//  - the gray PDF, dithered by the firmware, against the raster CUPS sent (the same job printed again into a file
//    queue with the same PPD): every pixel that is pure black or pure white there must come out as a dot or as none,
//    no tolerance; and the darkness of each 16 x 16 block inside the margins within 0.08 of the raster's, 0.005 on
//    average (the dither's error);
//  - the same sheet against Ghostscript's own pgmraw rendering of the PDF, which CUPS's chain places on the sheet
//    with a rounding of its own (gstoraster renders the imageable area only, from a margin that is a fraction of a
//    pixel, and rastertopwg pads it out to the sheet: one row lower at 300 dpi): moved by the best of -1..1 pixels
//    each way, every pure black or white pixel away from an edge (its 3 x 3 neighbourhood all alike) must print as
//    such, no tolerance; the edges, re-rendered a fraction of a pixel away, are free; the blocks' darkness within
//    0.15 at worst, 0.005 on average;
//  - 1-bit input, which CUPS never sends this printer (URF has no 1-bit type): Ghostscript's own black_1 PWG raster
//    of the PDF at 600 dpi, sent with CUPS's ipptool, must print exactly as Ghostscript's pbmraw rendering, every
//    pixel inside the margins (but the 8 columns at the left and right margins, where the printed width is cut to
//    whole bytes);
//  - the text file: one page, its 30 lines as 30 bands of dots;
//  - nothing printed in the margins, in any job.
// Letter paper: its size is whole points, so CUPS's Ghostscript (-dDEVICEWIDTHPOINTS=612 -dDEVICEHEIGHTPOINTS=792)
// and ours place the page on the same pixels; A4's 595.28 x 841.89 is truncated to 595 x 841 there and the page moves
// by a fraction of a pixel.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMargins } from "../../build/modules/raster/layout.js";
import { simulatorKind, startSimulator } from "./simulator.js";
import { freePort, runClient } from "./printClients.js";
import { cupsMissing, startCupsd } from "./cupsd.js";
import { makePdf, makePwg, renderPdf } from "./ghostscript.js";
import { decodeEscp2, decodePcl } from "../raster/printerDecode.js";
import { bestShift, compareDensity, compareExact, comparePure, dotsOutside, marginBox, shiftPage } from "../raster/compare.js";
import { decodeRasterFile } from "../raster/rasterFiles.js";

/** The gray job's bounds on block darkness (see above); what was measured is printed as a diagnostic. */
const densityWorst = 0.08, densityMean = 0.005;
/** Against Ghostscript's rendering, whose edges CUPS's raster has a fraction of a pixel away: the worst block. */
const renderingDensityWorst = 0.15;
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

/** PCL 5 (HP lasers) and ESC/P 2 (Epson), each a run of its own: on mcsim the setting is a saved preference (mcsim.js). */
const languages = ["pcl5", "escp2"];

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
      let simulator, queue, fileQueue;
      const margins = defaultMargins(language);

      before(async () => {
        const port = simulatorKind === "mcsim" ? [] : ["--ipp-port", String(await freePort())];
        simulator = await startSimulator([...port, "--printer-language", language]);
        assert.ok(simulator.ports.ipp > 0, "no IPP port");
        queue = `ftprint-${language}`;
        const ppd = await cupsd.addEverywhereQueue(queue, `ipp://127.0.0.1:${simulator.ports.ipp}/ipp/print`);
        assert.match(ppd, /^\*cupsFilter2: "image\/(pwg-raster|urf) /m, "CUPS found a raster format it can send in the printer's attributes");
        fileQueue = { name: `${queue}-file`, output: await cupsd.addFileQueue(`${queue}-file`, ppd) };
      });

      after(async () => {
        await simulator?.stop();
      });

      /** The next job's capture, once the simulator says it printed, decoded to the printer's sheets at `dpi`. */
      async function nextCapture(send, dpi) {
        const printedLines = () => simulator.log.filter((line) => /^job \d+ ".*" printed/.test(line)).length;
        const jobsBefore = (await simulator.jobs()).length, linesBefore = printedLines();
        const started = Date.now();
        const sent = await send();
        for (const deadline = Date.now() + 60000; printedLines() === linesBefore; await new Promise((resolve) => setTimeout(resolve, 100)))
          assert.ok(Date.now() < deadline, `the simulator logged no job printed within 60 s of the job's end; log:\n${simulator.log.join("\n")}`);
        const jobs = await simulator.jobs();
        assert.equal(jobs.length, jobsBefore + 1, "one captured job");
        const bytes = new Uint8Array(jobs.at(-1).bytes);
        dpi ??= sent.dpi;
        const { pages } = language === "escp2"
          ? decodeEscp2(bytes, { widthPoints: 612, leftOrigin: Math.ceil(margins.left * dpi / 2540) })
          : decodePcl(bytes);
        // The firmware's word on the conversion: pages, languages and which kernel (TypeScript here, C in mcsim).
        const conversion = simulator.log.filter((line) => /^ipp: job \d+: .* as /.test(line)).at(-1) ?? "(no conversion logged)";
        return { ...sent, pages, dpi, seconds: (Date.now() - started) / 1000, bytes: bytes.length, conversion };
      }

      /** lp, CUPS's conversion and its IPP job to the end: what CUPS made (format, resolution, bits) and the sheets. */
      function printed(file, options = []) {
        return nextCapture(async () => {
          const job = await cupsd.print(queue, file, [`media=${media}`, ...options]);
          const cupsLines = await cupsd.finished(job);
          // What CUPS sent (its filter chain's last step) and its Ghostscript command line: resolution, depth.
          const format = cupsLines.map((line) => / - \((image\/[\w-]+) to printer\//.exec(line)?.[1]).find(Boolean);
          const command = cupsLines.find((line) => line.includes("Ghostscript command line:"));
          assert.ok(format && command, `no raster format or no Ghostscript run in CUPS job ${job}:\n${cupsLines.join("\n")}`);
          const dpi = Number(/ -r(\d+)x\1 /.exec(command)?.[1]);
          assert.ok(dpi > 0, `no resolution in ${command}`);
          return { format, dpi, bits: Number(/-dcupsBitsPerColor=(\d+)/.exec(command)?.[1]) };
        });
      }

      it("lp of a gray PDF: CUPS's raster dithered (its pure black and white exactly), and within a pixel of Ghostscript's rendering", async (t) => {
        const { pages, format, dpi, bits, seconds, bytes, conversion } = await printed(pdf);
        t.diagnostic(conversion);
        assert.match(format, /^image\/(urf|pwg-raster)$/, "CUPS sent raster");
        assert.equal(bits, 8, "CUPS sent 8-bit gray (the printer's print-color-mode, monochrome)");
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0];
        assert.equal(sheet.dpi, dpi, "printed at the resolution CUPS rendered");
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        assert.equal(dotsOutside(sheet, box), 0, "nothing printed in the margins");
        assert.ok(countDots(sheet) > 100_000, `${countDots(sheet)} dots: the page is there`);

        // 1. Against the raster CUPS sent (the same job into the file queue): the firmware's own error.
        const job = await cupsd.print(fileQueue.name, pdf, [`media=${media}`]);
        await cupsd.finished(job);
        const sent = decodeRasterFile(new Uint8Array(readFileSync(fileQueue.output)));
        assert.equal(sent.length, 1, "CUPS made one page");
        assert.deepEqual([sent[0].width, sent[0].height, sent[0].dpi], [sheet.width, sheet.height, dpi], "CUPS's raster is the sheet, at its resolution");
        const pure = comparePure(sent[0], sheet, box), density = compareDensity(sent[0], sheet, box);
        t.diagnostic(`${language}, ${format} at ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from lp to the capture; against CUPS's raster: ` +
          `${pure.checked} pure pixels, ${pure.wrong} differ; block darkness worst ${density.worst.toFixed(4)}, mean ${density.mean.toFixed(5)} (${density.blocks} blocks)`);
        assert.deepEqual(pure.problems, [], `${pure.wrong} of ${pure.checked} pure black or white pixels of CUPS's raster differ`);
        assert.ok(pure.checked > sheet.width * sheet.height / 2, `only ${pure.checked} pure pixels checked`);
        assert.ok(density.worst <= densityWorst && density.mean <= densityMean,
          `block darkness against CUPS's raster: worst ${density.worst.toFixed(4)} at ${density.worstAt} (bound ${densityWorst}), mean ${density.mean.toFixed(5)} (bound ${densityMean})`);

        // 2. Against Ghostscript's own rendering of the PDF: CUPS's placement of its raster on the sheet included.
        const rendering = rendered(dpi, 8);
        assert.deepEqual([rendering.width, rendering.height], [sheet.width, sheet.height], "a Letter sheet");
        const shift = bestShift(rendering, sheet, box, 1);
        const placed = shiftPage(rendering, shift.dx, shift.dy);
        const everyPure = comparePure(placed, sheet, box), inner = comparePure(placed, sheet, box, { interior: 1 });
        const densityPlaced = compareDensity(placed, sheet, box);
        t.diagnostic(`${language}: against Ghostscript's pgmraw rendering, moved ${shift.dx},${shift.dy} px: ${inner.wrong} of ${inner.checked} pure pixels away from edges differ, ` +
          `${everyPure.wrong} of ${everyPure.checked} pure pixels in all (${(100 * everyPure.wrong / everyPure.checked).toFixed(3)} %); ` +
          `block darkness worst ${densityPlaced.worst.toFixed(4)} at ${densityPlaced.worstAt}, mean ${densityPlaced.mean.toFixed(5)}`);
        assert.deepEqual(inner.problems, [], `${inner.wrong} of ${inner.checked} pure pixels away from edges differ from Ghostscript's rendering`);
        assert.ok(inner.checked > sheet.width * sheet.height / 2, `only ${inner.checked} pure pixels away from edges checked`);
        assert.ok(densityPlaced.worst <= renderingDensityWorst && densityPlaced.mean <= densityMean,
          `block darkness against Ghostscript's rendering: worst ${densityPlaced.worst.toFixed(4)} at ${densityPlaced.worstAt} (bound ${renderingDensityWorst}), mean ${densityPlaced.mean.toFixed(5)} (bound ${densityMean})`);
      });

      it("1-bit input: Ghostscript's black_1 PWG raster of the PDF at 600 dpi, sent with ipptool, prints exactly as Ghostscript renders it", async (t) => {
        const dpi = 600, file = join(folder, "page-black_1.pwg");
        if (!existsSync(file)) makePwg(pdf, file, dpi);
        const uri = `ipp://127.0.0.1:${simulator.ports.ipp}/ipp/print`;
        const { pages, seconds, bytes, conversion } = await nextCapture(async () => {
          const result = await runClient("ipptool", ["-T", "30", "-t", "-f", file, uri, "/usr/share/cups/ipptool/print-job.test"], { timeoutMs: 120000 });
          assert.equal(result.signal, null, `ipptool was killed after 120 s:\n${result.stdout}${result.stderr}`);
          assert.match(result.stdout, /Print file using Print-Job +\[PASS\]/, result.stdout + result.stderr);
          return {};
        }, dpi);
        t.diagnostic(conversion);
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0], reference = rendered(dpi, 1);
        assert.deepEqual([sheet.width, sheet.height], [reference.width, reference.height], "a Letter sheet");
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        const result = compareExact(reference, sheet, box);
        t.diagnostic(`${language}, image/pwg-raster black_1 at ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from ipptool to the capture; ` +
          `${result.dots} dots, ${result.inked} black pixels checked, ${result.problems.length ? "differences" : "no difference"}`);
        assert.deepEqual(result.problems, [], "the printed dots and Ghostscript's pbmraw pixels");
        assert.ok(result.inked > 500_000, `${result.inked} black pixels checked`);
      });

      it("lp of a text file: CUPS typesets it (texttopdf) and its 30 lines print as 30 lines, inside the margins", async (t) => {
        const { pages, format, dpi, seconds, bytes } = await printed(text);
        assert.equal(pages.length, 1, "one page");
        const sheet = pages[0];
        const box = marginBox(sheet.width, sheet.height, dpi, margins);
        t.diagnostic(`${language}, ${format} at ${dpi} dpi: ${bytes} bytes captured, ${seconds.toFixed(1)} s from lp to the capture; ${inkBands(sheet)} bands of dots`);
        assert.equal(dotsOutside(sheet, box), 0, "nothing printed in the margins");
        assert.equal(inkBands(sheet), textLines.length, "one band of dots a line");
        assert.ok(countDots(sheet) > 50_000, `${countDots(sheet)} dots`);
      });
    });
  }
});
