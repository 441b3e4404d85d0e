// Where a raster page lands on paper: the media it is printed on, the part of it that is printed (the margins
// honoured) and where the printer is told to put it. Pure: numbers in, numbers out, once per page.
//
// PCL (HP's PCL 5 Technical Reference, "The Page"): the cursor can only address the logical page, which in
// portrait starts pclLeftOffset dots (at 300 dpi) from the paper's left edge, and Y = 0 is at the top margin, which
// the converter sets to 0 (ESC&l0E) so that it is the paper's top edge. So the raster's left columns that fall
// before the logical page are cut, and the first printed column is the first multiple of 8 at or after the left
// margin (1-bit rows are then whole input bytes, no bit shifting) that the cursor can reach exactly in 300-dpi
// dots; ESC*p#X#Y puts it there. ESC/P 2: horizontal positions count from the printer's left margin, here taken to
// be the paper's edge plus the left margin setting (DOUBT: Epson's own figure differs per model, about 3 mm); top
// and bottom come from ESC ( c.

import type { PrinterLanguage } from "./languages.js";

export interface Media {
  /** PWG 5101.1 self-describing name, as IPP's media attributes spell it. */
  readonly name: string;
  readonly widthPoints: number;
  readonly heightPoints: number;
  /** PCL page size (ESC&l#A). */
  readonly pclSize: number;
  /** PCL, portrait: dots at 300 dpi from the paper's left edge to the logical page, and the logical page's width. */
  readonly pclLeftOffset: number;
  readonly pclLogicalWidth: number;
}

export const mediaTable: readonly Media[] = Object.freeze([
  Object.freeze({ name: "na_letter_8.5x11in", widthPoints: 612, heightPoints: 792, pclSize: 2, pclLeftOffset: 75, pclLogicalWidth: 2400 }),
  Object.freeze({ name: "iso_a4_210x297mm", widthPoints: 595, heightPoints: 842, pclSize: 26, pclLeftOffset: 71, pclLogicalWidth: 2338 }),
  Object.freeze({ name: "na_legal_8.5x14in", widthPoints: 612, heightPoints: 1008, pclSize: 3, pclLeftOffset: 75, pclLogicalWidth: 2400 }),
]);

/** Page margins in hundredths of a millimetre, IPP's unit (media-top-margin ...). */
export interface Margins {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** HP lasers and inkjets: 1/6 inch top and bottom, 1/4 inch at the sides (the logical page's edges on Letter). */
export const pclMargins: Margins = Object.freeze({ top: 423, left: 635, bottom: 423, right: 635 });
/** Epson inkjets: 3 mm, 14 mm at the bottom as the older Stylus models need (DOUBT: newer ones print to 3 mm). */
export const escp2Margins: Margins = Object.freeze({ top: 300, left: 300, bottom: 1400, right: 300 });

export function defaultMargins(language: PrinterLanguage): Margins {
  return language === "escp2" ? escp2Margins : pclMargins;
}

/** Resolutions the languages can print raster at (PCL's ESC*t#R; ESC/P 2's unit is 1/3600 inch × an integer). */
export function resolutionPrintable(language: PrinterLanguage, dpi: number): boolean {
  if (language === "escp2") return dpi >= 60 && dpi <= 720 && 3600 % dpi === 0;
  return dpi === 75 || dpi === 100 || dpi === 150 || dpi === 200 || dpi === 300 || dpi === 600 || dpi === 1200;
}

/** The media a page of this size is printed on: the one within 3 points, or the smallest it fits, or the largest. */
export function findMedia(widthPoints: number, heightPoints: number): Media {
  for (const media of mediaTable)
    if (Math.abs(media.widthPoints - widthPoints) <= 3 && Math.abs(media.heightPoints - heightPoints) <= 3) return media;
  let best: Media | undefined;
  for (const media of mediaTable)
    if (media.widthPoints >= widthPoints - 3 && media.heightPoints >= heightPoints - 3 && (!best || media.heightPoints < best.heightPoints)) best = media;
  return best ?? mediaTable[mediaTable.length - 1]!;
}

export interface PageLayout {
  readonly media: Media;
  /** The printed part of the raster: columns [cropLeft, cropLeft + cropWidth), both multiples of 8; lines [cropTop, cropBottom). */
  readonly cropLeft: number;
  readonly cropWidth: number;
  readonly cropTop: number;
  readonly cropBottom: number;
  /** PCL: the cursor for the first printed pixel, in 300-dpi dots on the logical page (ESC*p#x#Y). */
  readonly pclX: number;
  readonly pclY: number;
  /** ESC/P 2, in dots at the page's resolution: ESC $ for the first printed column, ESC ( c and ESC ( C. */
  readonly escpX: number;
  readonly escpTopMargin: number;
  readonly escpBottomMargin: number;
  readonly escpPageLength: number;
}

export interface PageGeometry {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly widthPoints: number;
  readonly heightPoints: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) { const t = a % b; a = b; b = t; }
  return a;
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/** Pixels at `dpi` covering a margin in hundredths of a millimetre. */
function marginPixels(hundredthsOfMm: number, dpi: number): number {
  return Math.ceil(hundredthsOfMm * dpi / 2540);
}

export function layoutPage(language: PrinterLanguage, page: PageGeometry, margins: Margins): PageLayout {
  const { dpi } = page;
  const media = findMedia(page.widthPoints, page.heightPoints);
  const mediaWidth = Math.floor(media.widthPoints * dpi / 72), mediaHeight = Math.floor(media.heightPoints * dpi / 72);
  const left = marginPixels(margins.left, dpi), right = marginPixels(margins.right, dpi);
  const top = marginPixels(margins.top, dpi), bottom = marginPixels(margins.bottom, dpi);
  const cropBottomLimit = Math.min(page.height, mediaHeight - bottom);
  if (language === "escp2") {
    const cropLeft = roundUp(left, 8);
    const cropWidth = Math.max(0, Math.floor((Math.min(page.width, mediaWidth - right) - cropLeft) / 8) * 8);
    return Object.freeze({
      media, cropLeft, cropWidth, cropTop: top, cropBottom: Math.max(top, cropBottomLimit), pclX: 0, pclY: 0,
      escpX: cropLeft - left, escpTopMargin: top, escpBottomMargin: Math.max(top, cropBottomLimit), escpPageLength: mediaHeight,
    });
  }
  // Columns and lines whose position is a whole number of 300-dpi dots: every `step`-th.
  const step = dpi / gcd(dpi, 300);
  const logicalLeft = Math.ceil(media.pclLeftOffset * dpi / 300);
  const cropLeft = roundUp(Math.max(left, logicalLeft), step * 8 / gcd(step, 8));
  const logicalRight = Math.floor((media.pclLeftOffset + media.pclLogicalWidth) * dpi / 300);
  const cropRight = Math.min(page.width - right, logicalRight, mediaWidth);
  const cropWidth = Math.max(0, Math.floor((cropRight - cropLeft) / 8) * 8);
  const cropTop = roundUp(top, step);
  return Object.freeze({
    media, cropLeft, cropWidth, cropTop, cropBottom: Math.max(cropTop, cropBottomLimit),
    pclX: cropLeft * 300 / dpi - media.pclLeftOffset, pclY: cropTop * 300 / dpi,
    escpX: 0, escpTopMargin: 0, escpBottomMargin: 0, escpPageLength: 0,
  });
}
