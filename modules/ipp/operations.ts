// The operations (RFC 8011 §4, PWG 5100.11 and 5100.13): the checks every request passes in a fixed order, then
// one handler per operation that decides what becomes of the request's data (a job's document, or nothing) and,
// once the body has been read, the answer. The answer is encoded twice (counted, then written into a buffer of
// its exact size). Pure: the spool and the job table are passed in; no IO of its own.

import type { Spool } from "print/spool";
import { GroupTag, Operation, Status, ValueTag } from "./constants.js";
import { findFormat, type DocumentFormat } from "./documentSink.js";
import { IppWriter } from "./encoder.js";
import { jobIdOfUri, writeJobAttributes, writeJobSummary, type JobView } from "./jobAttributes.js";
import { JobStage, type IppJob, type JobTable } from "./jobs.js";
import { ippMultipleOperationTimeoutSeconds } from "./limits.js";
import { supported, writePrinterAttributes, type PrinterFacts, type PrinterView } from "./printer.js";
import type { IppRequest } from "./request.js";

export interface OperationContext {
  readonly jobs: JobTable;
  readonly spool: Spool;
  readonly facts: PrinterFacts;
  upTime(): number;
  log(line: string): void;
  /** Identify-Printer's "display": the printer's message for a while (printer-state-message) and the log. */
  identify(message: string, user: string): void;
}

/** Views of the printer and its jobs, made when the answer is written (so they say how things are then). */
export interface AnswerViews {
  printer(): PrinterView;
  job(job: IppJob): JobView;
}

export interface Answer {
  readonly status: number;
  /** status-message (RFC 8011 §4.1.6.2): for people, in the log too. */
  readonly message: string;
  /** The groups after the operation group (printer, job or jobs). */
  readonly write?: (w: IppWriter, views: AnswerViews) => void;
}

/** The request's data is this job's document. */
export interface DocumentPlan {
  readonly job: IppJob;
  readonly format: DocumentFormat;
  readonly last: boolean;
}

/** What the body turned out to be, for the answer. */
export interface BodyResult {
  /** Bytes after the attributes that were read and dropped (no document was planned, or it was canceled). */
  readonly drainedBytes: number;
  /** The planned document's job was canceled (Cancel-Job, the page, LPD) before all of it came. */
  readonly canceled: boolean;
  /** What its converter found wrong with the document ("" if nothing, or not yet: it may find it after the answer). */
  readonly documentError: string;
}

export interface Outcome {
  readonly document: DocumentPlan | undefined;
  answer(body: BodyResult): Answer;
}

const answered = (status: number, message: string, write?: Answer["write"]): Outcome =>
  ({ document: undefined, answer: () => ({ status, message, write }) });

const operationNames: Readonly<Record<number, string>> = Object.freeze({
  [Operation.printJob]: "Print-Job", [Operation.validateJob]: "Validate-Job", [Operation.createJob]: "Create-Job",
  [Operation.sendDocument]: "Send-Document", [Operation.cancelJob]: "Cancel-Job", [Operation.getJobAttributes]: "Get-Job-Attributes",
  [Operation.getJobs]: "Get-Jobs", [Operation.getPrinterAttributes]: "Get-Printer-Attributes", [Operation.cancelMyJobs]: "Cancel-My-Jobs",
  [Operation.closeJob]: "Close-Job", [Operation.identifyPrinter]: "Identify-Printer",
});

export function operationName(operation: number): string {
  return Object.hasOwn(operationNames, operation) ? operationNames[operation]! : `operation 0x${operation.toString(16).padStart(4, "0")}`;
}

/** IPP/1.0, 1.1 and 2.x (RFC 8011 §4.1.8; Windows sends 1.0, CUPS 2.0). */
export function versionSupported(major: number, minor: number): boolean {
  return (major === 1 && minor <= 1) || major === 2;
}

type Handler = (request: IppRequest, context: OperationContext) => Outcome;

const handlers: Readonly<Record<number, Handler>> = Object.freeze({
  [Operation.printJob]: printJob,
  [Operation.validateJob]: validateJob,
  [Operation.createJob]: createJob,
  [Operation.sendDocument]: sendDocument,
  [Operation.cancelJob]: cancelJob,
  [Operation.getJobAttributes]: getJobAttributes,
  [Operation.getJobs]: getJobs,
  [Operation.getPrinterAttributes]: getPrinterAttributes,
  [Operation.cancelMyJobs]: cancelMyJobs,
  [Operation.closeJob]: closeJob,
  [Operation.identifyPrinter]: identifyPrinter,
});

/**
 * The one gate, always in this order: version (server-error-version-not-supported), request-id 0, the operation
 * (server-error-operation-not-supported), attributes-charset and attributes-natural-language first (RFC 8011
 * §4.1.4), the charset, the target (printer-uri, or job-uri for a job operation); then the operation's handler.
 */
export function decide(request: IppRequest, context: OperationContext): Outcome {
  if (!versionSupported(request.major, request.minor))
    return answered(Status.versionNotSupported, `IPP/${request.major}.${request.minor} is not supported; use 1.1 or 2.0`);
  if (request.requestId === 0) return answered(Status.badRequest, "request-id must not be 0");
  if (!Object.hasOwn(handlers, request.operation))
    return answered(Status.operationNotSupported, `${operationName(request.operation)} is not supported`);
  if (!request.orderOk || request.charset === undefined || request.language === undefined)
    return answered(Status.badRequest, "attributes-charset and attributes-natural-language must come first");
  if (request.charset !== "utf-8" && request.charset !== "us-ascii")
    return answered(Status.charsetNotSupported, `charset ${request.charset} is not supported`);
  if (request.printerUri === undefined && request.jobUri === undefined) return answered(Status.badRequest, "printer-uri is missing");
  return handlers[request.operation]!(request, context);
}

/** The answer to a request the decoder gave up on (its status: bad request, value too long). */
export function refused(status: number, message: string): Outcome {
  return answered(status, message);
}

// ---- checks the job operations share ----

/** The format named (default application/octet-stream), or an outcome refusing it. */
function documentFormat(request: IppRequest, context: OperationContext): DocumentFormat | Outcome {
  const name = request.documentFormat ?? "application/octet-stream";
  const format = findFormat(context.facts.formats, name);
  if (format) return format;
  request.unsupportedAttribute("document-format", ValueTag.mimeMediaType, name);
  return answered(Status.documentFormatNotSupported, `document-format ${name} is not supported`);
}

function compressionRefused(request: IppRequest): Outcome | undefined {
  const compression = request.compression;
  if (compression === undefined || compression === "none") return undefined;
  request.unsupportedAttribute("compression", ValueTag.keyword, compression);
  return answered(Status.compressionNotSupported, `compression ${compression} is not supported`);
}

/** Notes every job template value we do not support (RFC 8011 §5.2); true when there was one. */
function checkTemplate(request: IppRequest, facts: PrinterFacts): boolean {
  const note = (name: string, tag: number, value: number | string) => request.unsupportedAttribute(name, tag, value);
  if (request.copies !== undefined && request.copies !== 1) note("copies", ValueTag.integer, request.copies);
  if (request.sides !== undefined && request.sides !== supported.sides) note("sides", ValueTag.keyword, request.sides);
  if (request.media !== undefined && !facts.media.some((size) => size.keyword === request.media)) note("media", ValueTag.keyword, request.media);
  const col = request.mediaCol;
  if (col) {
    const sizeOk = (col.xDimension === 0 && col.yDimension === 0) ||
      facts.media.some((size) => Math.abs(size.x - col.xDimension) <= 100 && Math.abs(size.y - col.yDimension) <= 100);
    const sourceOk = col.source === "" || col.source === supported.mediaSource;
    const typeOk = col.type === "" || col.type === supported.mediaType;
    if (!sizeOk || !sourceOk || !typeOk || col.other) request.unsupportedAttribute("media-col");
  }
  if (request.printColorMode !== undefined && request.printColorMode !== supported.printColorMode)
    note("print-color-mode", ValueTag.keyword, request.printColorMode);
  if (request.printQuality !== undefined && request.printQuality !== supported.quality) note("print-quality", ValueTag.enum, request.printQuality);
  if (request.orientation !== undefined && request.orientation !== supported.orientation)
    note("orientation-requested", ValueTag.enum, request.orientation);
  const resolution = request.resolution;
  if (resolution && !(resolution.units === 3 && resolution.x === resolution.y && facts.resolutions.includes(resolution.x)))
    request.unsupportedAttribute("printer-resolution");
  if (request.finishings && request.finishings.some((value) => value !== supported.finishings))
    note("finishings", ValueTag.enum, request.finishings.find((value) => value !== supported.finishings)!);
  if (request.outputBin !== undefined && request.outputBin !== supported.outputBin) note("output-bin", ValueTag.keyword, request.outputBin);
  if (request.contentOptimize !== undefined && request.contentOptimize !== supported.contentOptimize)
    note("print-content-optimize", ValueTag.keyword, request.contentOptimize);
  if (request.renderingIntent !== undefined && request.renderingIntent !== supported.renderingIntent)
    note("print-rendering-intent", ValueTag.keyword, request.renderingIntent);
  return request.unsupported.length > 0;
}

/** Status for a request whose job template we checked: with fidelity, any unsupported value refuses it. */
function templateVerdict(request: IppRequest, facts: PrinterFacts): number {
  if (!checkTemplate(request, facts)) return Status.ok;
  return request.fidelity ? Status.attributesOrValuesNotSupported : Status.okIgnoredOrSubstituted;
}

/** The job a job operation names: job-uri, or printer-uri with job-id. */
function targetJob(request: IppRequest, context: OperationContext): IppJob | Outcome {
  const id = request.jobUri !== undefined ? jobIdOfUri(request.jobUri) : request.jobId;
  if (id === undefined) return answered(Status.badRequest, "job-id or job-uri is missing");
  const job = context.jobs.find(id);
  return job ?? answered(Status.notFound, `job ${id} does not exist`);
}

const isOutcome = (value: unknown): value is Outcome => typeof value === "object" && value !== null && "answer" in value;

function jobName(request: IppRequest): string {
  return request.jobName ?? request.documentName ?? "untitled";
}

function mediaOf(request: IppRequest, facts: PrinterFacts): string {
  const wanted = request.media;
  return wanted !== undefined && facts.media.some((size) => size.keyword === wanted) ? wanted : facts.defaultMedia.keyword;
}

/** A job record for a new job, its id taken from the spool's sequence; undefined when every record is live. */
function newJob(request: IppRequest, context: OperationContext, format: string): IppJob | undefined {
  const job = context.jobs.allocate();
  if (!job) return undefined;
  job.begin(context.spool.reserveJobId(), jobName(request), request.userName || "anonymous", format, mediaOf(request, context.facts));
  return job;
}

/** A document its converter could not read: the job is aborted (document-format-error) once the printer is reset. */
function badDocument(job: IppJob, error: string): Answer {
  return jobAnswer(Status.documentFormatError, job, `the document cannot be printed: ${error}`);
}

const busy = () => answered(Status.busy, "every job record is in use; try again shortly");

/** The answer to a request that made or fed a job: its status, and the job's summary. */
function jobAnswer(status: number, job: IppJob, message: string): Answer {
  return { status, message, write: (w, views) => { w.group(GroupTag.job); writeJobSummary(w, views.job(job)); } };
}

// ---- the operations ----

/** What Print-Job and Validate-Job check alike: the document's format and compression, then the job template. */
function documentChecks(request: IppRequest, context: OperationContext): Outcome | { format: DocumentFormat; verdict: number } {
  const format = documentFormat(request, context);
  if (isOutcome(format)) return format;
  return compressionRefused(request) ?? { format, verdict: templateVerdict(request, context.facts) };
}

function printJob(request: IppRequest, context: OperationContext): Outcome {
  const checked = documentChecks(request, context);
  if (isOutcome(checked)) return checked;
  const { format, verdict } = checked;
  if (verdict === Status.attributesOrValuesNotSupported) return answered(verdict, "unsupported job attributes (ipp-attribute-fidelity)");
  const job = newJob(request, context, format.mimeType);
  if (!job) return busy();
  job.documents = 1;
  return {
    document: { job, format, last: true },
    answer: (body) => body.canceled
      ? jobAnswer(Status.jobCanceled, job, "the job was canceled while its document came")
      : body.documentError ? badDocument(job, body.documentError)
      : jobAnswer(verdict, job, verdict === Status.ok ? "" : "some job attributes were ignored"),
  };
}

function validateJob(request: IppRequest, context: OperationContext): Outcome {
  const checked = documentChecks(request, context);
  if (isOutcome(checked)) return checked;
  const verdict = checked.verdict;
  return answered(verdict, verdict === Status.ok ? "" : "unsupported job attributes");
}

function createJob(request: IppRequest, context: OperationContext): Outcome {
  const verdict = templateVerdict(request, context.facts);
  if (verdict === Status.attributesOrValuesNotSupported) return answered(verdict, "unsupported job attributes (ipp-attribute-fidelity)");
  const job = newJob(request, context, "");
  if (!job) return busy();
  job.open = true;
  job.documentDueAt = context.upTime() + ippMultipleOperationTimeoutSeconds;
  context.log(`ipp: job ${job.id} "${job.name}" created for ${job.user}, waiting for its document`);
  return { document: undefined, answer: () => jobAnswer(verdict, job, "") };
}

function sendDocument(request: IppRequest, context: OperationContext): Outcome {
  const job = targetJob(request, context);
  if (isOutcome(job)) return job;
  if (request.lastDocument === undefined) return answered(Status.badRequest, "last-document is missing");
  if (job.finished || !job.open) return answered(Status.notPossible, `job ${job.id} takes no more documents`);
  const format = documentFormat(request, context);
  if (isOutcome(format)) return format;
  const compression = compressionRefused(request);
  if (compression) return compression;
  const last = request.lastDocument;
  if (job.documents > 0) {
    // Only one document per job (multiple-document-jobs-supported false): an empty Send-Document may still close it.
    return {
      document: undefined,
      answer: (body) => {
        if (body.drainedBytes > 0) return { status: Status.multipleDocumentJobsNotSupported, message: "a job takes one document" };
        if (last) job.close();
        return jobAnswer(Status.ok, job, "");
      },
    };
  }
  job.documents = 1;
  job.format = format.mimeType;
  job.open = !last;
  if (request.documentName !== undefined && job.name === "untitled") job.name = request.documentName;
  return {
    document: { job, format, last },
    answer: (body) => {
      if (body.canceled) return jobAnswer(Status.jobCanceled, job, "the job was canceled while its document came");
      if (body.documentError) return badDocument(job, body.documentError);
      if (!last) job.documentDueAt = context.upTime() + ippMultipleOperationTimeoutSeconds;    // the time-out runs from here
      return jobAnswer(Status.ok, job, "");
    },
  };
}

/** Cancels a live job for its owner (or anyone: this printer has no accounts, RFC 8011 §4.3.3). */
function cancel(job: IppJob, context: OperationContext): boolean {
  if (job.finished) return false;
  if (job.stage === JobStage.AwaitingDocument || job.printed) {
    job.end(JobStage.Canceled, "job-canceled-by-user");
    return true;
  }
  job.endReason = "job-canceled-by-user";
  if (context.spool.remove(job.id)) return true;
  job.endReason = "";
  return false;
}

function cancelJob(request: IppRequest, context: OperationContext): Outcome {
  const job = targetJob(request, context);
  if (isOutcome(job)) return job;
  if (!cancel(job, context)) return answered(Status.notPossible, `job ${job.id} is already ${stateWord(job)}`);
  context.log(`ipp: job ${job.id} canceled by ${request.userName || "anonymous"}`);
  return answered(Status.ok, "");
}

function stateWord(job: IppJob): string {
  return job.stage === JobStage.Completed ? "printed" : job.stage === JobStage.Canceled ? "canceled" : "aborted";
}

function cancelMyJobs(request: IppRequest, context: OperationContext): Outcome {
  const user = request.userName || "anonymous";
  const ids = request.jobIds;
  let count = 0;
  for (const job of context.jobs.all) {
    if (job.stage === JobStage.Free || job.finished || job.user !== user) continue;
    if (ids && !ids.includes(job.id)) continue;
    if (cancel(job, context)) count++;
  }
  if (count) context.log(`ipp: ${count} job${count > 1 ? "s" : ""} of ${user} canceled`);
  return answered(Status.ok, "");
}

function closeJob(request: IppRequest, context: OperationContext): Outcome {
  const job = targetJob(request, context);
  if (isOutcome(job)) return job;
  if (job.finished) return answered(Status.notPossible, `job ${job.id} is already ${stateWord(job)}`);
  // A job closed with no document has nothing to print: it is aborted, as a printer aborts an empty job.
  if (job.stage === JobStage.AwaitingDocument) job.end(JobStage.Aborted, "job-data-insufficient");
  else job.close();
  return { document: undefined, answer: () => jobAnswer(Status.ok, job, "") };
}

function getJobAttributes(request: IppRequest, context: OperationContext): Outcome {
  const job = targetJob(request, context);
  if (isOutcome(job)) return job;
  return answered(Status.ok, "", (w, views) => {
    w.group(GroupTag.job);
    writeJobAttributes(w, (name, groups, inAll, byDefault) => request.wants(name, groups, inAll, byDefault), views.job(job), false);
  });
}

function getJobs(request: IppRequest, context: OperationContext): Outcome {
  const which = request.jobIds ? "all" : request.whichJobs ?? "not-completed";
  if (which !== "completed" && which !== "not-completed" && which !== "all") {
    request.unsupportedAttribute("which-jobs", ValueTag.keyword, which);
    return answered(Status.attributesOrValuesNotSupported, `which-jobs ${which} is not supported`);
  }
  const user = request.userName || "anonymous";
  const selected = context.jobs.all.filter((job) => {
    if (job.stage === JobStage.Free) return false;
    if (request.jobIds && !request.jobIds.includes(job.id)) return false;
    if (request.myJobs && job.user !== user) return false;
    return which === "all" || (which === "completed") === job.finished;
  });
  // Not completed: in the order they will print (queued ones by queue position, then those still waiting for a
  // document); completed: the latest first (RFC 8011 §4.2.6.1).
  const rank = (job: IppJob) => {
    if (job.finished) return 1e15 - job.completedMs;
    const position = context.spool.positionOf(job.printJob);
    return position >= 0 ? position : 1e6 + job.id;
  };
  selected.sort((a, b) => rank(a) - rank(b) || (a.finished ? b.id - a.id : a.id - b.id));
  const limit = request.limit !== undefined && request.limit > 0 ? request.limit : selected.length;
  return answered(Status.ok, "", (w, views) => {
    for (const job of selected.slice(0, limit)) {
      w.group(GroupTag.job);
      writeJobAttributes(w, (name, groups, inAll, byDefault) => request.wants(name, groups, inAll, byDefault), views.job(job), true);
    }
  });
}

function getPrinterAttributes(request: IppRequest, context: OperationContext): Outcome {
  return answered(Status.ok, "", (w, views) => {
    w.group(GroupTag.printer);
    writePrinterAttributes(w, (name, groups, inAll) => request.wants(name, groups, inAll), views.printer());
  });
}

function identifyPrinter(request: IppRequest, context: OperationContext): Outcome {
  const actions = request.identifyActions;
  if (actions && !actions.includes("display")) {
    request.unsupportedAttribute("identify-actions", ValueTag.keyword, actions[0]!);
    return answered(Status.attributesOrValuesNotSupported, "identify-actions: only display");
  }
  context.identify(request.message ?? "", request.userName || "anonymous");
  return answered(Status.ok, "");
}

/**
 * The answer's bytes: header (the request's version when supported, else 1.1), the operation group
 * (attributes-charset, attributes-natural-language, status-message), the operation's groups, the unsupported
 * attributes, end-of-attributes. With `bytes` undefined, only counts. Returns the length.
 */
export function encodeAnswer(request: IppRequest, answer: Answer, views: AnswerViews, bytes?: Uint8Array, at = 0): number {
  const w = new IppWriter(bytes, at);
  const known = versionSupported(request.major, request.minor);
  w.header(known ? request.major : 1, known ? request.minor : 1, answer.status, request.requestId);
  w.group(GroupTag.operation);
  w.string(ValueTag.charset, "attributes-charset", "utf-8");
  w.string(ValueTag.naturalLanguage, "attributes-natural-language", "en");
  if (answer.message) w.text("status-message", answer.message);
  if (request.unsupported.length > 0) {
    w.group(GroupTag.unsupported);
    for (const attribute of request.unsupported) {
      const value = attribute.value;
      if (value === undefined) w.outOfBand(ValueTag.unsupported, attribute.name);
      else if (typeof value === "number") {
        if (attribute.tag === ValueTag.enum) w.enumValue(attribute.name, value);
        else if (attribute.tag === ValueTag.boolean) w.boolean(attribute.name, value !== 0);
        else w.integer(attribute.name, value);
      } else w.string(attribute.tag, attribute.name, value, 255);
    }
  }
  answer.write?.(w, views);
  w.group(GroupTag.end);
  return w.length;
}

/**
 * multiple-operation-time-out-action process-job (PWG 5100.11 §6.1.6): a job made by Create-Job that is still open
 * when its time is up is closed and processed with what it has: its document if it got one, else it is aborted
 * (there is nothing to print).
 */
export function expireJobs(context: OperationContext): void {
  const now = context.upTime();
  for (const job of context.jobs.all) {
    if (!job.open || job.finished || job.documentDueAt === 0 || now < job.documentDueAt) continue;
    if (job.stage === JobStage.AwaitingDocument) {
      job.end(JobStage.Aborted, "job-data-insufficient");
      context.log(`ipp: job ${job.id} aborted: no document within ${ippMultipleOperationTimeoutSeconds} s`);
    } else {
      job.close();
    }
  }
}

