// One IPP request as the operations see it: the decoder's values turned into the few fields this printer acts on
// (RFC 8011 §4 operation attributes, the job template attributes of §5.2 and PWG 5100.7's media-col), checked for
// syntax as they come. Everything else is ignored (operation attributes) or noted as unsupported (job template
// attributes) for the answer's unsupported-attributes group. Pure; one small object per request.

import { GroupTag, Status, ValueTag } from "./constants.js";
import { asciiValue, int32, utf8Text, type DecoderEvents, type IppDecoder } from "./decoder.js";
import { ippListValues, ippUnsupportedEchoed, ippValueBytes } from "./limits.js";

/** An attribute of the request we do not support, echoed in the unsupported-attributes group (RFC 8011 §4.1.7). */
export interface UnsupportedAttribute {
  readonly name: string;
  /** The value's tag, or ValueTag.unsupported when the attribute itself is not supported. */
  readonly tag: number;
  readonly value: number | string | undefined;
}

/** media-col as far as it is read: media-size, media-source, media-type. */
export interface MediaCol {
  xDimension: number;
  yDimension: number;
  source: string;
  type: string;
  /** A member other than these, or a malformed media-size. */
  other: boolean;
}

export class IppRequest {
  major = 0;
  minor = 0;
  operation = 0;
  requestId = 0;
  /** attributes-charset and attributes-natural-language were the first two attributes, in that order (RFC 8011 §4.1.4). */
  charset: string | undefined;
  language: string | undefined;
  orderOk = true;
  printerUri: string | undefined;
  jobId: number | undefined;
  jobUri: string | undefined;
  userName = "";
  jobName: string | undefined;
  documentName: string | undefined;
  documentFormat: string | undefined;
  compression: string | undefined;
  fidelity = false;
  lastDocument: boolean | undefined;
  /** requested-attributes, or undefined when not given (each operation has its default). */
  requested: string[] | undefined;
  whichJobs: string | undefined;
  myJobs = false;
  limit: number | undefined;
  jobIds: number[] | undefined;
  identifyActions: string[] | undefined;
  message: string | undefined;
  // Job template attributes (RFC 8011 §5.2), as given.
  copies: number | undefined;
  sides: string | undefined;
  media: string | undefined;
  mediaCol: MediaCol | undefined;
  printColorMode: string | undefined;
  printQuality: number | undefined;
  resolution: { x: number; y: number; units: number } | undefined;
  orientation: number | undefined;
  finishings: number[] | undefined;
  outputBin: string | undefined;
  contentOptimize: string | undefined;
  renderingIntent: string | undefined;
  /** Job template attributes we have no support for at all, and values we do not support. */
  readonly unsupported: UnsupportedAttribute[] = [];

  /** Notes an unsupported attribute (the first ippUnsupportedEchoed are echoed). */
  unsupportedAttribute(name: string, tag: number = ValueTag.unsupported, value?: number | string): void {
    if (this.unsupported.length < ippUnsupportedEchoed && !this.unsupported.some((a) => a.name === name))
      this.unsupported.push(Object.freeze({ name, tag, value }));
  }

  /**
   * The client asked for this attribute by name, or for "all" or a group that holds it (`inAll`: the attribute is
   * part of those; media-col-database is not). Without requested-attributes, the operation's default `byDefault`.
   */
  wants(name: string, groups: readonly string[], inAll: boolean, byDefault: boolean = inAll): boolean {
    const requested = this.requested;
    if (!requested) return byDefault;
    for (const word of requested) {
      if (word === name) return true;
      if (inAll && (word === "all" || groups.includes(word))) return true;
    }
    return false;
  }
}

type Handler = (request: IppRequest, tag: number, value: Uint8Array, length: number, additional: boolean, name: string) => number;

const isName = (tag: number) => tag === ValueTag.nameWithoutLanguage || tag === ValueTag.nameWithLanguage;
const isText = (tag: number) => tag === ValueTag.textWithoutLanguage || tag === ValueTag.textWithLanguage;
const isKeywordOrName = (tag: number) => tag === ValueTag.keyword || isName(tag);

/** A name or text value, without the language part of the WithLanguage forms (RFC 8010 §3.9). */
function stringOf(tag: number, value: Uint8Array, length: number): string {
  if (tag === ValueTag.nameWithLanguage || tag === ValueTag.textWithLanguage) {
    if (length < 4) return "";
    const languageLength = (value[0]! << 8) | value[1]!;
    const at = 2 + languageLength;
    if (at + 2 > length) return "";
    const textLength = Math.min((value[at]! << 8) | value[at + 1]!, length - at - 2);
    return utf8Text(value.subarray(at + 2), textLength);
  }
  return utf8Text(value, length);
}

/** An operation attribute we read: a value of the wrong syntax makes the request bad (RFC 8011 §4.1.3); too long, too long. */
function single(tagOk: (tag: number) => boolean, keep: (request: IppRequest, tag: number, value: Uint8Array, length: number) => void): Handler {
  return (request, tag, value, length, additional) => {
    if (additional) return Status.badRequest;                  // a single-valued attribute with two values
    if (!tagOk(tag)) return Status.badRequest;
    if (length > ippValueBytes) return Status.requestValueTooLong;
    keep(request, tag, value, length);
    return Status.ok;
  };
}

function list(tagOk: (tag: number) => boolean, keep: (request: IppRequest, tag: number, value: Uint8Array, length: number) => void): Handler {
  return (request, tag, value, length) => {
    if (!tagOk(tag)) return Status.badRequest;
    if (length > ippValueBytes) return Status.requestValueTooLong;
    keep(request, tag, value, length);
    return Status.ok;
  };
}

// Syntax checks as plain functions: a closure over a parameter (is(tag) => ...) made at a preloaded module's top
// level is a variable xsl cannot freeze ("no const").
const isCharset = (tag: number) => tag === ValueTag.charset;
const isLanguage = (tag: number) => tag === ValueTag.naturalLanguage;
const isUri = (tag: number) => tag === ValueTag.uri;
const isInteger = (tag: number) => tag === ValueTag.integer;
const isEnum = (tag: number) => tag === ValueTag.enum;
const isBoolean = (tag: number) => tag === ValueTag.boolean;
const isKeyword = (tag: number) => tag === ValueTag.keyword;
const isMimeType = (tag: number) => tag === ValueTag.mimeMediaType;
const isResolution = (tag: number) => tag === ValueTag.resolution;
const text = (value: Uint8Array, length: number) => asciiValue(value, length);
const push = <T>(array: T[] | undefined, item: T): T[] => {
  const items = array ?? [];
  if (items.length < ippListValues) items.push(item);
  return items;
};

/** Operation attributes (RFC 8011 §4.1-4.3, PWG 5100.11/5100.13): any other is ignored. */
const operationAttributes: Readonly<Record<string, Handler>> = Object.freeze({
  "attributes-charset": single(isCharset, (r, t, v, n) => { r.charset = text(v, n).toLowerCase(); }),
  "attributes-natural-language": single(isLanguage, (r, t, v, n) => { r.language = text(v, n).toLowerCase(); }),
  "printer-uri": single(isUri, (r, t, v, n) => { r.printerUri = text(v, n); }),
  "job-uri": single(isUri, (r, t, v, n) => { r.jobUri = text(v, n); }),
  "job-id": single(isInteger, (r, t, v) => { r.jobId = int32(v); }),
  "requesting-user-name": single(isName, (r, t, v, n) => { r.userName = stringOf(t, v, n); }),
  "job-name": single(isName, (r, t, v, n) => { r.jobName = stringOf(t, v, n); }),
  "document-name": single(isName, (r, t, v, n) => { r.documentName = stringOf(t, v, n); }),
  "document-format": single(isMimeType, (r, t, v, n) => { r.documentFormat = text(v, n); }),
  "compression": single(isKeyword, (r, t, v, n) => { r.compression = text(v, n); }),
  "ipp-attribute-fidelity": single(isBoolean, (r, t, v) => { r.fidelity = v[0] === 1; }),
  "last-document": single(isBoolean, (r, t, v) => { r.lastDocument = v[0] === 1; }),
  "requested-attributes": list(isKeyword, (r, t, v, n) => { r.requested = push(r.requested, text(v, n)); }),
  "which-jobs": single(isKeyword, (r, t, v, n) => { r.whichJobs = text(v, n); }),
  "my-jobs": single(isBoolean, (r, t, v) => { r.myJobs = v[0] === 1; }),
  "limit": single(isInteger, (r, t, v) => { r.limit = int32(v); }),
  "job-ids": list(isInteger, (r, t, v) => { r.jobIds = push(r.jobIds, int32(v)); }),
  "identify-actions": list(isKeyword, (r, t, v, n) => { r.identifyActions = push(r.identifyActions, text(v, n)); }),
  "message": single(isText, (r, t, v, n) => { r.message = stringOf(t, v, n); }),
} satisfies Record<string, Handler>);

/**
 * Job template attributes we take (RFC 8011 §5.2, PWG 5100.7): checked against what is supported by the
 * operations, not here. A value of the wrong syntax is an unsupported value, not a bad request (RFC 8011 §5.2).
 */
const jobAttributes: Readonly<Record<string, Handler>> = Object.freeze({
  "copies": template(isInteger, (r, t, v) => { r.copies = int32(v); }),
  "sides": template(isKeyword, (r, t, v, n) => { r.sides = text(v, n); }),
  "media": template(isKeywordOrName, (r, t, v, n) => { r.media = stringOf(t, v, n); }),
  "print-color-mode": template(isKeyword, (r, t, v, n) => { r.printColorMode = text(v, n); }),
  "print-quality": template(isEnum, (r, t, v) => { r.printQuality = int32(v); }),
  "orientation-requested": template(isEnum, (r, t, v) => { r.orientation = int32(v); }),
  "output-bin": template(isKeywordOrName, (r, t, v, n) => { r.outputBin = stringOf(t, v, n); }),
  "print-content-optimize": template(isKeyword, (r, t, v, n) => { r.contentOptimize = text(v, n); }),
  "print-rendering-intent": template(isKeyword, (r, t, v, n) => { r.renderingIntent = text(v, n); }),
  "printer-resolution": template(isResolution, (r, t, v) => {
    r.resolution = { x: int32(v, 0), y: int32(v, 4), units: v[8]! };
  }),
  "finishings": (r, t, v, n, additional) => {
    if (t !== ValueTag.enum) { r.unsupportedAttribute("finishings", t); return Status.ok; }
    r.finishings = push(additional ? r.finishings : [], int32(v));
    return Status.ok;
  },
} satisfies Record<string, Handler>);

function template(tagOk: (tag: number) => boolean, keep: (request: IppRequest, tag: number, value: Uint8Array, length: number) => void): Handler {
  return (request, tag, value, length, additional, name) => {
    if (additional || !tagOk(tag) || length > ippValueBytes) {
      request.unsupportedAttribute(name, tag);
      return Status.ok;
    }
    keep(request, tag, value, length);
    return Status.ok;
  };
}

/**
 * Turns the decoder's events into an IppRequest. Collections are followed for media-col only; any other
 * collection-valued job attribute is unsupported as a whole.
 */
export class RequestBuilder implements DecoderEvents {
  /** Made when a request's header comes (a slot at rest holds none: about 50 slots of the XS heap each). */
  #request: IppRequest | undefined;
  decoder: IppDecoder | undefined;
  #group = 0;
  #attributes = 0;
  #handler: Handler | undefined;
  #name = "";
  /** Inside media-col: the member being read ("" before the first), and inside media-size. */
  #collectionDepth = 0;
  #inMediaCol = false;
  #member = "";
  #inMediaSize = false;
  #sizeMember = "";

  /** The request being read (an empty one before its header, for an answer that needs one). */
  get request(): IppRequest {
    return this.#request ??= new IppRequest();
  }

  reset(): void {
    this.#request = undefined;
    this.#group = this.#attributes = this.#collectionDepth = 0;
    this.#handler = undefined;
    this.#name = this.#member = this.#sizeMember = "";
    this.#inMediaCol = this.#inMediaSize = false;
  }

  header(major: number, minor: number, operation: number, requestId: number): void {
    const r = this.#request = new IppRequest();
    r.major = major;
    r.minor = minor;
    r.operation = operation;
    r.requestId = requestId;
  }

  group(tag: number): void {
    this.#group = tag;
    this.#handler = undefined;
  }

  end(): void {}

  value(tag: number, name: string, value: Uint8Array, length: number): boolean {
    const request = this.request;
    if (this.#collectionDepth > 0) return this.#collectionValue(tag, value, length);
    const additional = name === "";
    if (!additional) {
      this.#name = name;
      this.#attributes++;
      if (this.#group === GroupTag.operation) {
        // RFC 8011 §4.1.4: attributes-charset first, attributes-natural-language second.
        if (this.#attributes === 1 && name !== "attributes-charset") request.orderOk = false;
        if (this.#attributes === 2 && name !== "attributes-natural-language") request.orderOk = false;
        this.#handler = Object.hasOwn(operationAttributes, name) ? operationAttributes[name] : undefined;
      } else if (this.#group === GroupTag.job) {
        this.#handler = Object.hasOwn(jobAttributes, name) ? jobAttributes[name] : undefined;
        if (tag === ValueTag.begCollection) {
          this.#collectionDepth = 1;
          this.#inMediaCol = name === "media-col";
          this.#member = "";
          if (this.#inMediaCol) request.mediaCol = { xDimension: 0, yDimension: 0, source: "", type: "", other: false };
          else request.unsupportedAttribute(name);
          return true;
        }
        if (!this.#handler) request.unsupportedAttribute(name);
      } else {
        this.#handler = undefined;    // document, subscription... groups: nothing here is acted on
      }
    } else if (this.#group === GroupTag.job && tag === ValueTag.begCollection) {
      this.#collectionDepth = 1;      // a second media-col value, or a collection in a list: not followed
      this.#inMediaCol = false;
      if (this.#name === "media-col" && request.mediaCol) request.mediaCol.other = true;
      return true;
    }
    const handler = this.#handler;
    if (!handler) return true;
    const status = handler(request, tag, value, length, additional, this.#name);
    if (status !== Status.ok) {
      this.decoder?.fail(status, `${this.#name}: ${status === Status.requestValueTooLong ? "value too long" : "wrong syntax or count"}`);
      return false;
    }
    return true;
  }

  #collectionValue(tag: number, value: Uint8Array, length: number): boolean {
    if (tag === ValueTag.begCollection) {
      this.#collectionDepth++;
      if (this.#inMediaCol && this.#collectionDepth === 2 && this.#member === "media-size") {
        this.#inMediaSize = true;
        this.#sizeMember = "";
      } else if (this.#inMediaCol && this.request.mediaCol) {
        this.request.mediaCol.other = true;
      }
      return true;
    }
    if (tag === ValueTag.endCollection) {
      if (this.#collectionDepth === 2) this.#inMediaSize = false;
      this.#collectionDepth--;
      return true;
    }
    const mediaCol = this.request.mediaCol;
    if (!this.#inMediaCol || !mediaCol) return true;
    if (tag === ValueTag.memberAttrName) {
      const member = asciiValue(value, Math.min(length, ippValueBytes));
      if (this.#inMediaSize) this.#sizeMember = member;
      else this.#member = member;
      return true;
    }
    if (this.#inMediaSize) {
      if (tag !== ValueTag.integer) mediaCol.other = true;
      else if (this.#sizeMember === "x-dimension") mediaCol.xDimension = int32(value);
      else if (this.#sizeMember === "y-dimension") mediaCol.yDimension = int32(value);
      else mediaCol.other = true;
      return true;
    }
    if (this.#collectionDepth !== 1) return true;
    const word = length <= ippValueBytes ? stringOf(tag, value, length) : "";
    if (this.#member === "media-source" && isKeywordOrName(tag)) mediaCol.source = word;
    else if (this.#member === "media-type" && isKeywordOrName(tag)) mediaCol.type = word;
    else if (this.#member.endsWith("-margin") && tag === ValueTag.integer) { /* margins: the printer's own, whatever is asked */ }
    else mediaCol.other = true;
    return true;
  }
}
