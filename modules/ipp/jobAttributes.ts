// What a job says about itself (RFC 8011 §5.3, PWG 5100.7): Get-Job-Attributes, Get-Jobs, and the short form
// that Print-Job, Create-Job and Send-Document answer with. A table of name, group and writer, as printer.ts.
// Pure: no IO.

import { IppJobState, ValueTag } from "./constants.js";
import type { IppWriter } from "./encoder.js";
import { ippJobState, ippJobStateReasons, JobStage, type IppJob } from "./jobs.js";
import { supported } from "./printer.js";

/** One job, for one answer. */
export interface JobView {
  readonly job: IppJob;
  readonly printerUri: string;
  readonly moreInfo: string;
  readonly upTime: number;
  readonly printerStopped: boolean;
  /** Jobs ahead of it in the spool (0 when printing or done). */
  readonly intervening: number;
}

export function jobUri(printerUri: string, id: number): string {
  return `${printerUri}/${id}`;
}

/** The job id at the end of a job-uri ("ipp://host/ipp/print/12"), or 0. */
export function jobIdOfUri(uri: string): number {
  const slash = uri.lastIndexOf("/");
  const digits = uri.slice(slash + 1);
  if (digits === "" || digits.length > 9) return 0;
  for (const character of digits) if (character < "0" || character > "9") return 0;
  return Number(digits);
}

function stateMessage(view: JobView): string {
  const job = view.job;
  switch (ippJobState(job, view.printerStopped)) {
    case IppJobState.pending: return job.stage === JobStage.AwaitingDocument ? "waiting for its document" : `queued, ${view.intervening} ahead`;
    case IppJobState.processing: return "printing";
    case IppJobState.processingStopped: return "printing, the printer has stopped";
    case IppJobState.canceled: return "canceled";
    case IppJobState.aborted: return "aborted";
    default: return "printed";
  }
}

const kOctets = (bytes: number) => Math.ceil(bytes / 1024);

/** A time attribute: the up-time of the event, or no-value when it has not happened (RFC 8011 §5.3.14). */
function timeAt(w: IppWriter, name: string, at: number): void {
  if (at > 0) w.integer(name, at);
  else w.outOfBand(ValueTag.noValue, name);
}

function dateTimeAt(w: IppWriter, name: string, ms: number, happened: boolean): void {
  if (happened) w.dateTime(name, ms);
  else w.outOfBand(ValueTag.noValue, name);
}

const Description = 0, Template = 1;
const groupNames: readonly (readonly string[])[] = Object.freeze([Object.freeze(["job-description"]), Object.freeze(["job-template"])]);

/** Freezes a table's rows and the table (preloaded: they live in flash). */
function table(rows: Entry[]): readonly Entry[] {
  return Object.freeze(rows.map((row) => Object.freeze(row) as Entry));
}

type Entry = readonly [name: string, group: number, write: (w: IppWriter, v: JobView) => void];

const entries: readonly Entry[] = table([
  ["job-id", Description, (w, v) => w.integer("job-id", v.job.id)],
  ["job-uri", Description, (w, v) => w.uri("job-uri", jobUri(v.printerUri, v.job.id))],
  ["job-printer-uri", Description, (w, v) => w.uri("job-printer-uri", v.printerUri)],
  ["job-more-info", Description, (w, v) => w.uri("job-more-info", v.moreInfo)],
  ["job-name", Description, (w, v) => w.nameValue("job-name", v.job.name)],
  ["job-originating-user-name", Description, (w, v) => w.nameValue("job-originating-user-name", v.job.user)],
  ["job-state", Description, (w, v) => w.enumValue("job-state", ippJobState(v.job, v.printerStopped))],
  ["job-state-reasons", Description, (w, v) => w.keywords("job-state-reasons", ippJobStateReasons(v.job, v.printerStopped))],
  ["job-state-message", Description, (w, v) => w.text("job-state-message", stateMessage(v))],
  ["number-of-documents", Description, (w, v) => w.integer("number-of-documents", v.job.documents)],
  ["number-of-intervening-jobs", Description, (w, v) => w.integer("number-of-intervening-jobs", v.intervening)],
  ["document-format", Description, (w, v) => w.string(ValueTag.mimeMediaType, "document-format", v.job.format, 255)],
  ["job-printer-up-time", Description, (w, v) => w.integer("job-printer-up-time", v.upTime)],
  ["time-at-creation", Description, (w, v) => w.integer("time-at-creation", v.job.createdAt)],
  ["time-at-processing", Description, (w, v) => timeAt(w, "time-at-processing", v.job.processingAt)],
  ["time-at-completed", Description, (w, v) => timeAt(w, "time-at-completed", v.job.completedAt)],
  ["date-time-at-creation", Description, (w, v) => w.dateTime("date-time-at-creation", v.job.createdMs)],
  ["date-time-at-processing", Description, (w, v) => dateTimeAt(w, "date-time-at-processing", v.job.processingMs, v.job.processingAt > 0)],
  ["date-time-at-completed", Description, (w, v) => dateTimeAt(w, "date-time-at-completed", v.job.completedMs, v.job.completedAt > 0)],
  ["job-k-octets", Description, (w, v) => w.integer("job-k-octets", kOctets(v.job.documentBytes))],
  ["job-k-octets-processed", Description, (w, v) => w.integer("job-k-octets-processed", kOctets(v.job.printJob.bytesPrinted))],
  ["copies", Template, (w) => w.integer("copies", 1)],
  ["finishings", Template, (w) => w.enumValue("finishings", supported.finishings)],
  ["media", Template, (w, v) => w.keyword("media", v.job.media)],
  ["orientation-requested", Template, (w) => w.enumValue("orientation-requested", supported.orientation)],
  ["print-color-mode", Template, (w) => w.keyword("print-color-mode", supported.printColorMode)],
  ["print-quality", Template, (w) => w.enumValue("print-quality", supported.quality)],
  ["sides", Template, (w) => w.keyword("sides", supported.sides)],
]);

/**
 * The job's attributes the request wants: Get-Job-Attributes asks "all" by default, Get-Jobs job-id and job-uri
 * only (RFC 8011 §4.2.6.1).
 */
export function writeJobAttributes(w: IppWriter, wants: (name: string, groups: readonly string[], inAll: boolean, byDefault: boolean) => boolean,
  view: JobView, onlyIdAndUriByDefault: boolean): void {
  for (const [name, group, write] of entries) {
    const byDefault = !onlyIdAndUriByDefault || name === "job-id" || name === "job-uri";
    if (wants(name, groupNames[group]!, true, byDefault)) write(w, view);
  }
}

/** What Print-Job, Create-Job and Send-Document answer with (RFC 8011 §4.2.1.2). */
export function writeJobSummary(w: IppWriter, view: JobView): void {
  w.uri("job-uri", jobUri(view.printerUri, view.job.id));
  w.integer("job-id", view.job.id);
  w.enumValue("job-state", ippJobState(view.job, view.printerStopped));
  w.keywords("job-state-reasons", ippJobStateReasons(view.job, view.printerStopped));
  w.text("job-state-message", stateMessage(view));
  w.integer("number-of-intervening-jobs", view.intervening);
}
