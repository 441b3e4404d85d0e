// Raster from a real encoder: Ghostscript's pwgraster and urf devices (CUPS's raster code inside), rendering a page
// of text and graphics, through the converter and back to dots. Ghostscript is one of the clients npm test installs
// (scripts/test-deps.js).

import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as kernel from "../../build/modules/raster/scriptKernel.js";
import { escp2Margins, pclMargins } from "../../build/modules/raster/layout.js";
import { convertFile } from "./convert.js";
import { decodeRasterFile } from "./rasterFiles.js";
import { decodeEscp2, decodePcl } from "./printerDecode.js";
import { compareDensity, compareExact, marginBox } from "./compare.js";

const folder = mkdtempSync(join(tmpdir(), "ftprint-gs-"));
test.after(() => rmSync(folder, { recursive: true, force: true }));

const postscript = `%!PS
/Helvetica-Bold findfont 30 scalefont setfont 72 700 moveto (Printed without a driver) show
/Times-Roman findfont 11 scalefont setfont
0 1 40 { /i exch def 72 670 i 13 mul sub moveto (Pack my box with five dozen liquor jugs. 0123456789 ABCDEFGHIJ) show } for
newpath 90 90 moveto 520 110 lineto 4 setlinewidth stroke
0 1 9 { /i exch def i 9 div setgray 72 i 50 mul add 40 45 45 rectfill } for
0.8 0.2 0.1 setrgbcolor 420 130 120 80 rectfill showpage
`;

function render(device, options, name) {
  const ps = join(folder, "page.ps"), out = join(folder, name);
  writeFileSync(ps, postscript);
  const result = spawnSync("gs", ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", `-sDEVICE=${device}`, ...options, "-sPAPERSIZE=letter", `-sOutputFile=${out}`, ps], { encoding: "utf8", timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return new Uint8Array(readFileSync(out));
}

test("Ghostscript's black_1 PWG raster prints dot for dot in PCL 5, PCL 3 and ESC/P 2", () => {
  const file = render("pwgraster", ["-r300"], "black_1.pwg");
  const input = decodeRasterFile(file)[0];
  assert.equal(input.kind, "black_1");
  for (const language of ["pcl5", "pcl3", "escp2"]) {
    const { output, converter } = convertFile(kernel, file, { format: "image/pwg-raster", language }, { chunk: "random" });
    assert.equal(converter.status, 1, converter.error);
    const margins = language === "escp2" ? escp2Margins : pclMargins;
    const sheet = language === "escp2" ? decodeEscp2(output, { widthPoints: 612, leftOrigin: 36 }).pages[0] : decodePcl(output).pages[0];
    const result = compareExact(input, sheet, marginBox(sheet.width, sheet.height, 300, margins));
    assert.deepEqual(result.problems, [], language);
    assert.ok(result.inked > 20_000, `${result.inked} dots`);
  }
});

test("Ghostscript's sgray_8 PWG raster at 600 dpi and SRGB24 URF at 300 are dithered to the page's darkness", () => {
  for (const [device, options, format, dpi] of [
    ["pwgraster", ["-r600", "-dcupsColorSpace=18", "-dcupsBitsPerColor=8"], "image/pwg-raster", 600],
    ["urf", ["-r300", "-dcupsColorSpace=19", "-dcupsBitsPerColor=8"], "image/urf", 300],
  ]) {
    const file = render(device, options, `page-${dpi}`);
    const input = decodeRasterFile(file)[0];
    const { output, converter } = convertFile(kernel, file, { format, language: "pcl5" });
    assert.equal(converter.status, 1, converter.error);
    const sheet = decodePcl(output).pages[0];
    const result = compareDensity(input, sheet, marginBox(sheet.width, sheet.height, dpi, pclMargins));
    assert.ok(result.worst <= 0.08 && result.mean <= 0.005, `${format} ${dpi} dpi: worst ${result.worst.toFixed(3)}, mean ${result.mean.toFixed(4)}`);
  }
});
