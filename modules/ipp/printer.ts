// What the printer says about itself in Get-Printer-Attributes (RFC 8011 §5.4, PWG 5100.7, 5100.13 and 5100.14):
// every attribute from the settings and the printer's state, nothing claimed that the firmware does not do. The
// table holds each attribute's name, its requested-attributes group and how it is written. Pure: no IO.

import { dotsPerInch, finishingsNone, Operation, orientationPortrait, qualityNormal, ValueTag } from "./constants.js";
import type { IppWriter } from "./encoder.js";
import type { DocumentFormat } from "./documentSink.js";
import { ippMultipleOperationTimeoutSeconds } from "./limits.js";
import type { Margins } from "raster/layout";

/** A media size as PWG 5101.1 names it, its dimensions in hundredths of a millimetre. */
export interface MediaSize {
  readonly keyword: string;
  readonly x: number;
  readonly y: number;
}

export const mediaSizes: Readonly<Record<"a4" | "letter", MediaSize>> = Object.freeze({
  a4: Object.freeze({ keyword: "iso_a4_210x297mm", x: 21000, y: 29700 }),
  letter: Object.freeze({ keyword: "na_letter_8.5x11in", x: 21590, y: 27940 }),
});

/** The printer as it is set up, fixed from start. */
export interface PrinterFacts {
  readonly name: string;
  readonly uuid: string;
  readonly makeAndModel: string;
  readonly location: string;
  readonly formats: readonly DocumentFormat[];
  /**
   * The unprintable border (media-*-margin-supported, media-col): the raster converter's for the printer's
   * language (raster/layout: PCL's logical page, 1/6 in. top and bottom and 1/4 in. at the sides; ESC/P 2's).
   * A passed-through document places its marks itself.
   */
  readonly margins: Margins;
  readonly media: readonly MediaSize[];
  readonly defaultMedia: MediaSize;
  /** Dots per inch, the default first. */
  readonly resolutions: readonly number[];
  /** The clock's reading at start, in epoch ms (printer-config-change-date-time). */
  readonly startMs: number;
}

/** The printer now, for one answer. */
export interface PrinterView {
  readonly facts: PrinterFacts;
  /** ipp://host:port/ipp/print, host as the client named it. */
  readonly printerUri: string;
  /** The status page (http://host/), or the IPP port's own page when the status page is off. */
  readonly moreInfo: string;
  readonly iconUri: string;
  readonly upTime: number;
  readonly nowMs: number;
  readonly state: number;
  readonly reasons: readonly string[];
  readonly message: string;
  readonly stateChangeAt: number;
  readonly stateChangeMs: number;
  readonly queuedJobs: number;
}

/** The operations we answer, in operations-supported order (PWG 5100.14 §5.1 requires all of these). */
export const operationsSupported: readonly number[] = Object.freeze([
  Operation.printJob, Operation.validateJob, Operation.createJob, Operation.sendDocument, Operation.cancelJob,
  Operation.getJobAttributes, Operation.getJobs, Operation.getPrinterAttributes, Operation.cancelMyJobs,
  Operation.closeJob, Operation.identifyPrinter,
]);

/** The job template attributes a job may carry (job-creation-attributes-supported, PWG 5100.11). */
export const jobCreationAttributes: readonly string[] = Object.freeze([
  "copies", "finishings", "ipp-attribute-fidelity", "job-name", "media", "media-col", "orientation-requested",
  "output-bin", "print-color-mode", "print-content-optimize", "print-quality", "print-rendering-intent",
  "printer-resolution", "sides",
]);

export const mediaColMembers: readonly string[] = Object.freeze([
  "media-bottom-margin", "media-left-margin", "media-right-margin", "media-size", "media-source", "media-top-margin", "media-type",
]);

/** What is supported of each job template attribute we take (the *-supported values below say the same). */
export const supported = Object.freeze({
  sides: "one-sided",
  printColorMode: "monochrome",
  outputBin: "face-down",
  mediaSource: "auto",
  mediaType: "stationery",
  contentOptimize: "auto",
  renderingIntent: "auto",
  quality: qualityNormal,
  orientation: orientationPortrait,
  finishings: finishingsNone,
});

/** Get-Printer-Attributes groups (RFC 8011 §4.2.5.1); media-col-database only when named (PWG 5100.7 §6.10). */
const Description = 0, Template = 1, Named = 2;
const groupNames: readonly (readonly string[])[] = Object.freeze([
  Object.freeze(["printer-description"]), Object.freeze(["job-template"]), Object.freeze([] as string[]),
]);

type Writer = (w: IppWriter, p: PrinterView) => void;
/** Freezes a table's rows and the table (preloaded: they live in flash). */
function table(rows: Entry[]): readonly Entry[] {
  return Object.freeze(rows.map((row) => Object.freeze(row) as Entry));
}

type Entry = readonly [name: string, group: number, write: Writer];

function mediaCol(w: IppWriter, name: string, size: MediaSize, margins: Margins): void {
  w.beginCollection(name);
  w.member("media-bottom-margin"); w.integer("", margins.bottom);
  w.member("media-left-margin"); w.integer("", margins.left);
  w.member("media-right-margin"); w.integer("", margins.right);
  w.member("media-size");
  mediaSizeCol(w, "", size);
  w.member("media-source"); w.keyword("", supported.mediaSource);
  w.member("media-top-margin"); w.integer("", margins.top);
  w.member("media-type"); w.keyword("", supported.mediaType);
  w.endCollection();
}

function mediaSizeCol(w: IppWriter, name: string, size: MediaSize): void {
  w.beginCollection(name);
  w.member("x-dimension"); w.integer("", size.x);
  w.member("y-dimension"); w.integer("", size.y);
  w.endCollection();
}

/** pwg-raster-document-type-supported: what raster/headers.ts takes (and the converter reduces to 1-bit dots). */
export const pwgRasterTypes: readonly string[] = Object.freeze(["black_1", "sgray_8", "srgb_8"]);

function takesRaster(facts: PrinterFacts): boolean {
  return facts.formats.some((format) => format.mimeType === "image/pwg-raster");
}

/**
 * urf-supported and DNS-SD's URF key (Apple raster, as CUPS's ippeveprinter and AirPrint printers spell it): V1.4
 * the format's version, W8 and SRGB24 the color spaces raster/headers.ts reads (8-bit gray, 24-bit sRGB made
 * gray), RS the resolutions, CP1 one copy, PQ4 normal quality. "none" when image/urf is not taken.
 */
export function urfSupported(facts: PrinterFacts): readonly string[] {
  if (!facts.formats.some((format) => format.mimeType === "image/urf")) return Object.freeze(["none"]);
  return Object.freeze(["V1.4", "W8", "SRGB24", `RS${facts.resolutions.join("-")}`, "CP1", "PQ4"]);
}

/** printer-device-id (IEEE 1284 device ID, as PWG 5107.2 has it): the languages the printer is sent. */
export function deviceId(facts: PrinterFacts): string {
  const commands = facts.formats.filter((format) => format.command !== "").map((format) => format.command).join(",");
  return `MFG:ftprint;MDL:${deviceIdText(facts.makeAndModel)};CMD:${commands};CLS:PRINTER;DES:${deviceIdText(facts.name)};`;
}

/** A device ID value cannot hold ':' or ';'. */
function deviceIdText(text: string): string {
  let clean = "";
  for (const character of text) clean += character === ":" || character === ";" ? " " : character;
  return clean;
}

/** printer-supply (PWG 5100.13 §6.5.4): the printer reports no levels over a parallel or serial port. */
const supplyValue = "index=1;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=-2;colorantname=unknown;";

const entries: readonly Entry[] = table([
  ["charset-configured", Description, (w) => w.string(ValueTag.charset, "charset-configured", "utf-8")],
  ["charset-supported", Description, (w) => w.string(ValueTag.charset, "charset-supported", "utf-8")],
  ["color-supported", Description, (w) => w.boolean("color-supported", false)],
  ["compression-supported", Description, (w) => w.keyword("compression-supported", "none")],
  ["copies-default", Template, (w) => w.integer("copies-default", 1)],
  ["copies-supported", Template, (w) => w.range("copies-supported", 1, 1)],
  ["document-format-default", Description, (w) => w.string(ValueTag.mimeMediaType, "document-format-default", "application/octet-stream")],
  ["document-format-supported", Description, (w, p) =>
    w.strings(ValueTag.mimeMediaType, "document-format-supported", p.facts.formats.map((format) => format.mimeType))],
  ["finishings-default", Template, (w) => w.enumValue("finishings-default", finishingsNone)],
  ["finishings-supported", Template, (w) => w.enumValue("finishings-supported", finishingsNone)],
  ["generated-natural-language-supported", Description, (w) => w.string(ValueTag.naturalLanguage, "generated-natural-language-supported", "en")],
  ["identify-actions-default", Description, (w) => w.keyword("identify-actions-default", "display")],
  ["identify-actions-supported", Description, (w) => w.keyword("identify-actions-supported", "display")],
  // "ipp-everywhere" with the raster formats (PWG 5100.14 §4.1 asks image/jpeg too, which is not decoded: docs/ipp.md).
  ["ipp-features-supported", Description, (w, p) => w.keyword("ipp-features-supported", takesRaster(p.facts) ? "ipp-everywhere" : "none")],
  ["ipp-versions-supported", Description, (w) => w.keywords("ipp-versions-supported", ["1.0", "1.1", "2.0"])],
  ["job-creation-attributes-supported", Description, (w) => w.keywords("job-creation-attributes-supported", jobCreationAttributes)],
  ["job-ids-supported", Description, (w) => w.boolean("job-ids-supported", true)],
  ["job-k-octets-supported", Description, (w) => w.range("job-k-octets-supported", 0, 2147483647)],
  ["media-bottom-margin-supported", Template, (w, p) => w.integer("media-bottom-margin-supported", p.facts.margins.bottom)],
  ["media-col-default", Template, (w, p) => mediaCol(w, "media-col-default", p.facts.defaultMedia, p.facts.margins)],
  ["media-col-ready", Template, (w, p) => mediaCol(w, "media-col-ready", p.facts.defaultMedia, p.facts.margins)],
  ["media-col-supported", Template, (w) => w.keywords("media-col-supported", mediaColMembers)],
  ["media-default", Template, (w, p) => w.keyword("media-default", p.facts.defaultMedia.keyword)],
  ["media-left-margin-supported", Template, (w, p) => w.integer("media-left-margin-supported", p.facts.margins.left)],
  ["media-ready", Template, (w, p) => w.keyword("media-ready", p.facts.defaultMedia.keyword)],
  ["media-right-margin-supported", Template, (w, p) => w.integer("media-right-margin-supported", p.facts.margins.right)],
  ["media-size-supported", Template, (w, p) => {
    p.facts.media.forEach((size, i) => mediaSizeCol(w, i === 0 ? "media-size-supported" : "", size));
  }],
  ["media-source-supported", Template, (w) => w.keyword("media-source-supported", supported.mediaSource)],
  ["media-supported", Template, (w, p) => w.keywords("media-supported", p.facts.media.map((size) => size.keyword))],
  ["media-top-margin-supported", Template, (w, p) => w.integer("media-top-margin-supported", p.facts.margins.top)],
  ["media-type-supported", Template, (w) => w.keyword("media-type-supported", supported.mediaType)],
  ["multiple-document-jobs-supported", Description, (w) => w.boolean("multiple-document-jobs-supported", false)],
  ["multiple-operation-time-out", Description, (w) => w.integer("multiple-operation-time-out", ippMultipleOperationTimeoutSeconds)],
  ["multiple-operation-time-out-action", Description, (w) => w.keyword("multiple-operation-time-out-action", "process-job")],
  ["natural-language-configured", Description, (w) => w.string(ValueTag.naturalLanguage, "natural-language-configured", "en")],
  ["operations-supported", Description, (w) => w.enums("operations-supported", operationsSupported)],
  ["orientation-requested-default", Template, (w) => w.enumValue("orientation-requested-default", orientationPortrait)],
  ["orientation-requested-supported", Template, (w) => w.enumValue("orientation-requested-supported", orientationPortrait)],
  ["output-bin-default", Template, (w) => w.keyword("output-bin-default", supported.outputBin)],
  ["output-bin-supported", Template, (w) => w.keyword("output-bin-supported", supported.outputBin)],
  // The printer's speed cannot be read over its port; IPP requires a figure: a legacy laser's 10.
  ["pages-per-minute", Description, (w) => w.integer("pages-per-minute", 10)],
  // Nothing in a document is overridden: it reaches the printer as sent.
  ["pdl-override-supported", Description, (w) => w.keyword("pdl-override-supported", "not-attempted")],
  ["preferred-attributes-supported", Description, (w) => w.boolean("preferred-attributes-supported", false)],
  ["print-color-mode-default", Template, (w) => w.keyword("print-color-mode-default", supported.printColorMode)],
  ["print-color-mode-supported", Template, (w) => w.keyword("print-color-mode-supported", supported.printColorMode)],
  ["print-content-optimize-default", Template, (w) => w.keyword("print-content-optimize-default", supported.contentOptimize)],
  ["print-content-optimize-supported", Template, (w) => w.keyword("print-content-optimize-supported", supported.contentOptimize)],
  ["print-quality-default", Template, (w) => w.enumValue("print-quality-default", qualityNormal)],
  ["print-quality-supported", Template, (w) => w.enumValue("print-quality-supported", qualityNormal)],
  ["print-rendering-intent-default", Template, (w) => w.keyword("print-rendering-intent-default", supported.renderingIntent)],
  ["print-rendering-intent-supported", Template, (w) => w.keyword("print-rendering-intent-supported", supported.renderingIntent)],
  ["printer-config-change-date-time", Description, (w, p) => w.dateTime("printer-config-change-date-time", p.facts.startMs)],
  ["printer-config-change-time", Description, (w) => w.integer("printer-config-change-time", 1)],
  ["printer-current-time", Description, (w, p) => w.dateTime("printer-current-time", p.nowMs)],
  ["printer-device-id", Description, (w, p) => w.text("printer-device-id", deviceId(p.facts))],
  ["printer-geo-location", Description, (w) => w.outOfBand(ValueTag.unknown, "printer-geo-location")],
  ["printer-get-attributes-supported", Description, (w) => w.keyword("printer-get-attributes-supported", "document-format")],
  ["printer-icons", Description, (w, p) => w.uri("printer-icons", p.iconUri)],
  ["printer-info", Description, (w, p) => w.text("printer-info", p.facts.name)],
  ["printer-is-accepting-jobs", Description, (w) => w.boolean("printer-is-accepting-jobs", true)],
  ["printer-location", Description, (w, p) => w.text("printer-location", p.facts.location)],
  ["printer-make-and-model", Description, (w, p) => w.text("printer-make-and-model", p.facts.makeAndModel)],
  ["printer-more-info", Description, (w, p) => w.uri("printer-more-info", p.moreInfo)],
  ["printer-name", Description, (w, p) => w.nameValue("printer-name", p.facts.name)],
  ["printer-organization", Description, (w) => w.text("printer-organization", "")],
  ["printer-organizational-unit", Description, (w) => w.text("printer-organizational-unit", "")],
  ["printer-resolution-default", Template, (w, p) =>
    w.resolution("printer-resolution-default", p.facts.resolutions[0]!, p.facts.resolutions[0]!, dotsPerInch)],
  ["printer-resolution-supported", Template, (w, p) => p.facts.resolutions.forEach((dpi, i) =>
    w.resolution(i === 0 ? "printer-resolution-supported" : "", dpi, dpi, dotsPerInch))],
  ["printer-state", Description, (w, p) => w.enumValue("printer-state", p.state)],
  ["printer-state-change-date-time", Description, (w, p) => w.dateTime("printer-state-change-date-time", p.stateChangeMs)],
  ["printer-state-change-time", Description, (w, p) => w.integer("printer-state-change-time", p.stateChangeAt)],
  ["printer-state-message", Description, (w, p) => w.text("printer-state-message", p.message)],
  ["printer-state-reasons", Description, (w, p) => w.keywords("printer-state-reasons", p.reasons)],
  ["printer-supply", Description, (w) => w.string(ValueTag.octetString, "printer-supply", supplyValue)],
  ["printer-supply-description", Description, (w) => w.text("printer-supply-description", "Toner or ink (the printer reports no level)")],
  ["printer-supply-info-uri", Description, (w, p) => w.uri("printer-supply-info-uri", p.moreInfo)],
  ["printer-up-time", Description, (w, p) => w.integer("printer-up-time", p.upTime)],
  ["printer-uri-supported", Description, (w, p) => w.uri("printer-uri-supported", p.printerUri)],
  ["printer-uuid", Description, (w, p) => w.uri("printer-uuid", p.facts.uuid)],
  // PWG 5102.4 raster as raster/headers reads it: 300 and 600 dpi, 1-bit black and 8-bit gray and sRGB (made gray).
  ["pwg-raster-document-resolution-supported", Description, (w, p) => p.facts.resolutions.forEach((dpi, i) =>
    w.resolution(i === 0 ? "pwg-raster-document-resolution-supported" : "", dpi, dpi, dotsPerInch))],
  // One-sided only: the back side is never printed, so "normal" (PWG 5100.14 §5.2 wants one value).
  ["pwg-raster-document-sheet-back", Description, (w) => w.keyword("pwg-raster-document-sheet-back", "normal")],
  ["pwg-raster-document-type-supported", Description, (w) => w.keywords("pwg-raster-document-type-supported", pwgRasterTypes)],
  ["queued-job-count", Description, (w, p) => w.integer("queued-job-count", p.queuedJobs)],
  ["sides-default", Template, (w) => w.keyword("sides-default", supported.sides)],
  ["sides-supported", Template, (w) => w.keyword("sides-supported", supported.sides)],
  ["urf-supported", Description, (w, p) => w.keywords("urf-supported", urfSupported(p.facts))],
  ["uri-authentication-supported", Description, (w) => w.keyword("uri-authentication-supported", "none")],
  ["uri-security-supported", Description, (w) => w.keyword("uri-security-supported", "none")],
  ["which-jobs-supported", Description, (w) => w.keywords("which-jobs-supported", ["completed", "not-completed"])],
  ["media-col-database", Named, (w, p) => p.facts.media.forEach((size, i) => mediaCol(w, i === 0 ? "media-col-database" : "", size, p.facts.margins))],
]);

/** The names Get-Printer-Attributes can answer (for tests and the docs). */
export const printerAttributeNames: readonly string[] = Object.freeze(entries.map((entry) => entry[0]));

/** Writes the attributes the request wants (all but media-col-database when it names none) into the printer group. */
export function writePrinterAttributes(w: IppWriter, wants: (name: string, groups: readonly string[], inAll: boolean) => boolean,
  printer: PrinterView): void {
  for (const [name, group, write] of entries) {
    if (wants(name, groupNames[group]!, group !== Named)) write(w, printer);
  }
}
