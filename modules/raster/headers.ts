// The page headers of PWG raster (PWG 5102.4) and Apple raster (URF), read into what the converter needs, and
// checked: a header that lies about its sizes, or asks for what cannot be printed, gives a sentence, never a page.
// Pure: the converter captures the header's bytes as they stream by and hands them here once per page.

import { convertCopy, convertInvert, convertRgbToGray } from "./kernelState.js";
import { maxPageHeight, maxPageWidth } from "./limits.js";

export interface RasterPage {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly widthPoints: number;
  readonly heightPoints: number;
  /** 1-bit lines (1 is black after `convert`), else 8-bit gray ones (0 is black). */
  readonly oneBit: boolean;
  /** Units per line for the kernel: bytes for 1-bit, pixels otherwise; and input bytes per unit. */
  readonly units: number;
  readonly inputBytes: number;
  readonly convert: number;
  /** PWG black_1 (1 is black as sent): the runs can go to PCL mode 2 as they are. */
  readonly blackOneBit: boolean;
  /** For the log: "black_1", "sgray_8", "srgb_8" (PWG's keywords), "W8", "SRGB24" (URF's). */
  readonly kind: string;
}

/** The part of the 1796-byte PWG header the converter keeps: bytes [pwgWindowStart, pwgWindowEnd). */
export const pwgWindowStart = 272;
export const pwgWindowEnd = 424;

/** Byte offsets in the PWG header (CUPS's cups_page_header2_t; every field big-endian, 32 bits). */
const pwgResolutionX = 276, pwgResolutionY = 280, pwgPageWidth = 352, pwgPageHeight = 356, pwgWidth = 372,
  pwgHeight = 376, pwgBitsPerColor = 384, pwgBitsPerPixel = 388, pwgBytesPerLine = 392, pwgColorOrder = 396,
  pwgColorSpace = 400;

/** cupsColorSpace values (CUPS's cups_cspace_t, PWG 5102.4 Table 4). */
const spaceGray = 0, spaceRgb = 1, spaceBlack = 3, spaceSgray = 18, spaceSrgb = 19, spaceAdobeRgb = 20;

function big32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function sizeChecks(width: number, height: number, dpi: number): string | undefined {
  if (width === 0 || height === 0) return `an empty page (${width} × ${height} pixels)`;
  if (width > maxPageWidth) return `a page ${width} pixels wide, more than the ${maxPageWidth} accepted`;
  if (height > maxPageHeight) return `a page ${height} lines tall, more than the ${maxPageHeight} accepted`;
  if (dpi < 1 || dpi > 2400) return `a resolution of ${dpi} dpi`;
  return undefined;
}

/** `window` holds the PWG header's bytes [pwgWindowStart, pwgWindowEnd). Returns the page or what is wrong. */
export function readPwgHeader(window: Uint8Array): RasterPage | string {
  const field = (offset: number) => big32(window, offset - pwgWindowStart);
  const width = field(pwgWidth), height = field(pwgHeight);
  const dpi = field(pwgResolutionX), dpiY = field(pwgResolutionY);
  if (dpi !== dpiY) return `different horizontal and vertical resolutions (${dpi} × ${dpiY} dpi)`;
  const wrongSize = sizeChecks(width, height, dpi);
  if (wrongSize) return wrongSize;
  const bitsPerColor = field(pwgBitsPerColor), bitsPerPixel = field(pwgBitsPerPixel), space = field(pwgColorSpace);
  if (field(pwgColorOrder) !== 0) return `color order ${field(pwgColorOrder)} (only chunky pixels, 0, are PWG raster)`;
  let kind: string, convert: number, oneBit: boolean, inputBytes = 1;
  if ((space === spaceBlack || space === spaceGray || space === spaceSgray) && bitsPerColor === bitsPerPixel && (bitsPerPixel === 1 || bitsPerPixel === 8)) {
    oneBit = bitsPerPixel === 1;
    kind = (space === spaceBlack ? "black_" : space === spaceSgray ? "sgray_" : "gray_") + bitsPerPixel;
    // Black counts ink (0 is white), the gray spaces light (0 is black): lines are 1 = black at 1 bit, 0 = black at 8.
    convert = (space === spaceBlack) === oneBit ? convertCopy : convertInvert;
  } else if ((space === spaceRgb || space === spaceSrgb || space === spaceAdobeRgb) && bitsPerColor === 8 && bitsPerPixel === 24) {
    oneBit = false;
    kind = space === spaceAdobeRgb ? "adobe-rgb_8" : space === spaceSrgb ? "srgb_8" : "rgb_8";
    convert = convertRgbToGray;
    inputBytes = 3;
  } else return `color space ${space} at ${bitsPerColor} bits per color and ${bitsPerPixel} per pixel, which is not black_1, sgray_8 or srgb_8`;
  const bytesPerLine = field(pwgBytesPerLine), expected = Math.ceil(width * bitsPerPixel / 8);
  if (bytesPerLine !== expected) return `cupsBytesPerLine ${bytesPerLine} where ${width} pixels of ${bitsPerPixel} bits take ${expected}`;
  const pageWidth = field(pwgPageWidth), pageHeight = field(pwgPageHeight);
  return Object.freeze({
    width, height, dpi, oneBit, inputBytes, convert, kind,
    widthPoints: pageWidth > 0 && pageWidth < 100_000 ? pageWidth : width * 72 / dpi,
    heightPoints: pageHeight > 0 && pageHeight < 100_000 ? pageHeight : height * 72 / dpi,
    units: oneBit ? bytesPerLine : width,
    blackOneBit: oneBit && convert === convertCopy,
  });
}

/** URF color spaces (CUPS's raster-stream.c, the Apple header): 0 sGray, 1 sRGB, 3 Adobe RGB, 4 gray, 5 RGB. */
const urfSgray = 0, urfSrgb = 1, urfAdobeRgb = 3, urfGray = 4, urfRgb = 5;

/** The 32-byte URF page header: bits per pixel, color space, duplex, quality, ..., width, height, dpi at 12, 16, 20. */
export function readUrfHeader(header: Uint8Array): RasterPage | string {
  const bitsPerPixel = header[0]!, space = header[1]!;
  const width = big32(header, 12), height = big32(header, 16), dpi = big32(header, 20);
  const wrongSize = sizeChecks(width, height, dpi);
  if (wrongSize) return wrongSize;
  let kind: string, convert: number, inputBytes: number;
  if ((space === urfSgray || space === urfGray) && bitsPerPixel === 8) {
    kind = "W8";
    convert = convertCopy;
    inputBytes = 1;
  } else if ((space === urfSrgb || space === urfRgb || space === urfAdobeRgb) && bitsPerPixel === 24) {
    kind = space === urfAdobeRgb ? "ADOBERGB24" : "SRGB24";
    convert = convertRgbToGray;
    inputBytes = 3;
  } else return `URF color space ${space} at ${bitsPerPixel} bits per pixel, which is not W8 or SRGB24`;
  return Object.freeze({
    width, height, dpi, oneBit: false, inputBytes, convert, kind, blackOneBit: false, units: width,
    widthPoints: width * 72 / dpi, heightPoints: height * 72 / dpi,
  });
}
