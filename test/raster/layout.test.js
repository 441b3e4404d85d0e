// Where pages land (modules/raster/layout.ts): the media found for a page size, and the printed part and cursor
// for PCL's logical page and ESC/P 2's margins.

import test from "node:test";
import assert from "node:assert/strict";
import { findMedia, layoutPage, pclMargins, escp2Margins, resolutionPrintable } from "../../build/modules/raster/layout.js";

test("a page's size finds its media within 3 points, else the smallest that holds it, else the largest", () => {
  assert.equal(findMedia(612, 792).pclSize, 2);
  assert.equal(findMedia(595.2, 841.7).pclSize, 26);    // A4 from pixels at 300 dpi
  assert.equal(findMedia(612, 1008).pclSize, 3);
  assert.equal(findMedia(288, 432).pclSize, 2, "4 × 6 inches on Letter");
  assert.equal(findMedia(612, 900).pclSize, 3, "taller than Letter: Legal");
  assert.equal(findMedia(2000, 3000).pclSize, 3, "larger than all: the largest");
});

test("PCL: the first printed column is a multiple of 8 at or after the margin that the cursor reaches in whole dots", () => {
  const letter300 = layoutPage("pcl5", { width: 2550, height: 3300, dpi: 300, widthPoints: 612, heightPoints: 792 }, pclMargins);
  assert.deepEqual([letter300.cropLeft, letter300.cropWidth, letter300.cropTop, letter300.cropBottom, letter300.pclX, letter300.pclY],
    [80, 2392, 50, 3250, 5, 50]);
  const letter600 = layoutPage("pcl3", { width: 5100, height: 6600, dpi: 600, widthPoints: 612, heightPoints: 792 }, pclMargins);
  assert.deepEqual([letter600.cropLeft, letter600.cropWidth, letter600.cropTop, letter600.cropBottom, letter600.pclX, letter600.pclY],
    [152, 4792, 100, 6500, 1, 50]);
  const a4 = layoutPage("pcl5", { width: 2480, height: 3508, dpi: 300, widthPoints: 595, heightPoints: 842 }, pclMargins);
  assert.equal(a4.media.pclSize, 26);
  assert.deepEqual([a4.cropLeft, a4.pclX, a4.cropLeft + a4.cropWidth <= 71 + 2338], [80, 9, true]);
  // At 150 dpi a column is 2 dots; a margin of 0 is still the logical page's edge (0.25 inch on Letter).
  const low = layoutPage("pcl5", { width: 1275, height: 1650, dpi: 150, widthPoints: 612, heightPoints: 792 }, { top: 0, left: 0, bottom: 0, right: 0 });
  assert.deepEqual([low.cropLeft, low.pclX, low.cropTop, low.pclY], [40, 5, 0, 0]);
});

test("ESC/P 2: columns from the left margin, the page length and margins in dots", () => {
  const page = layoutPage("escp2", { width: 4252, height: 5953, dpi: 720, widthPoints: 425, heightPoints: 595 }, escp2Margins);
  assert.equal(page.media.pclSize, 2, "a small page goes on the smallest sheet that holds it");
  assert.deepEqual([page.cropLeft, page.escpX, page.escpTopMargin, page.escpBottomMargin, page.escpPageLength], [88, 2, 86, 5953, 7920]);
});

test("printable resolutions: PCL's list; ESC/P 2's divide 3600", () => {
  assert.deepEqual([75, 100, 150, 200, 300, 600, 1200, 360, 720, 250].map((dpi) => resolutionPrintable("pcl5", dpi)),
    [true, true, true, true, true, true, true, false, false, false]);
  assert.deepEqual([180, 360, 720, 300, 600, 1440, 250, 2880].map((dpi) => resolutionPrintable("escp2", dpi)),
    [true, true, true, true, true, false, false, false]);
});
