// The IPP request decoder (RFC 8010 §3): the 8-byte header, then attribute groups, value by value, fed in pieces of
// any size as they come off the socket, in bounded memory (one name and one value kept at a time, in buffers made
// once). It stops after end-of-attributes-tag: what follows is document data. Pure: no IO, no allocation per byte.

import { GroupTag, Status, ValueTag } from "./constants.js";
import { ippCollectionDepth, ippNameBytes, ippValueBytes } from "./limits.js";

/** What the decoder reports; `value` returns false to stop (the listener has decided the request's fate). */
export interface DecoderEvents {
  header(major: number, minor: number, operation: number, requestId: number): void;
  /** A delimiter tag: a new attribute group begins. */
  group(tag: number): void;
  /**
   * One value. `name` is the attribute's name, or "" for an additional value of the same attribute and for
   * collection members' values. When `length` is at most `value.byteLength` the value is in value[0, length);
   * a longer one (legal for its syntax, but more than we keep) was skipped.
   */
  value(tag: number, name: string, value: Uint8Array, length: number): boolean;
  /** end-of-attributes-tag: document data (if any) follows. */
  end(): void;
}

const Header = 0, Tag = 1, NameLength = 2, Name = 3, ValueLength = 4, Value = 5, Done = 6, Failed = 7;

/**
 * The longest value each syntax allows (RFC 8011 §5.1), or its one legal size (negative). A value longer than its
 * syntax allows is client-error-request-value-too-long; a fixed-size value of another size is a bad request.
 */
function syntaxLimit(tag: number): number {
  switch (tag) {
    case ValueTag.integer: case ValueTag.enum: return -4;
    case ValueTag.boolean: return -1;
    case ValueTag.dateTime: return -11;
    case ValueTag.resolution: return -9;
    case ValueTag.rangeOfInteger: return -8;
    case ValueTag.begCollection: case ValueTag.endCollection: return 0;
    case ValueTag.nameWithoutLanguage: case ValueTag.keyword: case ValueTag.mimeMediaType: case ValueTag.memberAttrName: return 255;
    case ValueTag.charset: case ValueTag.naturalLanguage: case ValueTag.uriScheme: return 63;
    case ValueTag.nameWithLanguage: return 4 + 63 + 255;
    case ValueTag.textWithLanguage: return 4 + 63 + 1023;
    default: return 1023;    // text, uri, octetString, out-of-band values and tags we do not know
  }
}

export class IppDecoder {
  readonly #events: DecoderEvents;
  readonly #header = new Uint8Array(8);
  readonly #name = new Uint8Array(ippNameBytes);
  readonly #value = new Uint8Array(ippValueBytes);
  #state = Header;
  #at = 0;
  #number = 0;
  #tag = 0;
  #nameLength = 0;
  #valueLength = 0;
  #attributeName = "";
  #depth = 0;
  #inGroup = false;
  #hasAttribute = false;
  /** Why decoding stopped, when it failed: an IPP status and a few words for the log. */
  status: number = Status.ok;
  reason = "";
  /** The header arrived: an answer can name the request's version and id. */
  headerSeen = false;
  major = 0;
  minor = 0;
  operation = 0;
  requestId = 0;

  constructor(events: DecoderEvents) {
    this.#events = events;
  }

  reset(): void {
    this.#state = Header;
    this.#at = this.#number = this.#tag = this.#nameLength = this.#valueLength = this.#depth = 0;
    this.#attributeName = "";
    this.#inGroup = this.#hasAttribute = this.headerSeen = false;
    this.status = Status.ok;
    this.reason = "";
    this.major = this.minor = this.operation = this.requestId = 0;
  }

  /** The attributes are complete (end-of-attributes-tag seen). */
  get done(): boolean { return this.#state === Done; }
  get failed(): boolean { return this.#state === Failed; }

  /** The body ended before end-of-attributes-tag: a truncated request. */
  truncated(): void {
    if (this.#state < Done) this.fail(Status.badRequest, "the request ends inside its attributes");
  }

  /** The listener stops decoding (its own verdict is in status). */
  fail(status: number, reason: string): void {
    this.status = status;
    this.reason = reason;
    this.#state = Failed;
  }

  /** Takes bytes[at, at + count); returns how many it used (all of them, unless the attributes ended or failed). */
  push(bytes: Uint8Array, at: number, count: number): number {
    let i = at;
    const end = at + count;
    while (i < end && this.#state < Done) {
      switch (this.#state) {
        case Header:
          this.#header[this.#at++] = bytes[i++]!;
          if (this.#at === 8) this.#headerDone();
          break;
        case Tag:
          this.#tagByte(bytes[i++]!);
          break;
        case NameLength:
        case ValueLength:
          this.#number = (this.#number << 8) | bytes[i++]!;
          if (++this.#at === 2) this.#lengthDone();
          break;
        case Name: {
          const take = Math.min(end - i, this.#nameLength - this.#at);
          for (let k = 0; k < take; k++) this.#name[this.#at + k] = bytes[i + k]!;
          i += take;
          this.#at += take;
          if (this.#at === this.#nameLength) this.#nameDone();
          break;
        }
        case Value: {
          const take = Math.min(end - i, this.#valueLength - this.#at);
          if (this.#valueLength <= ippValueBytes) for (let k = 0; k < take; k++) this.#value[this.#at + k] = bytes[i + k]!;
          i += take;
          this.#at += take;
          if (this.#at === this.#valueLength) this.#valueDone();
          break;
        }
      }
    }
    return i - at;
  }

  #headerDone(): void {
    const h = this.#header;
    this.major = h[0]!;
    this.minor = h[1]!;
    this.operation = (h[2]! << 8) | h[3]!;
    this.requestId = ((h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!) >>> 0;
    this.headerSeen = true;
    this.#state = Tag;
    this.#events.header(this.major, this.minor, this.operation, this.requestId);
  }

  #tagByte(tag: number): void {
    if (tag === GroupTag.end) {
      if (this.#depth > 0) return this.fail(Status.badRequest, "end-of-attributes inside a collection");
      this.#state = Done;
      this.#events.end();
      return;
    }
    if (tag < 0x10) {                                  // a delimiter: a new group (RFC 8010 §3.5.1)
      if (this.#depth > 0) return this.fail(Status.badRequest, "a group tag inside a collection");
      this.#inGroup = true;
      this.#hasAttribute = false;
      this.#events.group(tag);
      return;
    }
    if (!this.#inGroup) return this.fail(Status.badRequest, "an attribute before any group");
    this.#tag = tag;
    this.#state = NameLength;
    this.#at = this.#number = 0;
  }

  #lengthDone(): void {
    const length = this.#number;
    this.#at = 0;
    if (length & 0x8000) return this.fail(Status.badRequest, "a negative length");    // SIGNED-SHORT (RFC 8010 §3.1.2)
    if (this.#state === NameLength) {
      if (length > ippNameBytes) return this.fail(Status.badRequest, `an attribute name of ${length} bytes`);
      this.#nameLength = length;
      if (length === 0) {
        // An additional value (RFC 8010 §3.1.5), or a collection member's value: it needs an attribute before it.
        if (!this.#hasAttribute) return this.fail(Status.badRequest, "a value with no attribute name");
        this.#attributeName = "";
        this.#state = ValueLength;
      } else {
        if (this.#depth > 0) return this.fail(Status.badRequest, "a named attribute inside a collection");
        this.#state = Name;
      }
      this.#number = 0;
      return;
    }
    const limit = syntaxLimit(this.#tag);
    if (limit < 0 ? length !== -limit : length > limit) {
      // An out-of-band value may be given any length by its sender and is skipped; a collection tag carries none.
      const outOfBand = this.#tag >= 0x10 && this.#tag <= 0x1f;
      if (!outOfBand) {
        if (limit <= 0) return this.fail(Status.badRequest, `a value of ${length} bytes for tag 0x${this.#tag.toString(16)}`);
        return this.fail(Status.requestValueTooLong, `a value of ${length} bytes, over ${limit}`);
      }
    }
    this.#valueLength = length;
    if (length === 0) this.#valueDone();
    else this.#state = Value;
  }

  #nameDone(): void {
    let name = "";
    for (let k = 0; k < this.#nameLength; k++) {
      const b = this.#name[k]!;
      // An attribute name is a keyword (RFC 8010 §3.1.3, RFC 8011 §5.1.4): US-ASCII, no space or control.
      if (b < 0x21 || b > 0x7e) return this.fail(Status.badRequest, "an attribute name that is no keyword");
      name += String.fromCharCode(b);
    }
    this.#attributeName = name;
    this.#hasAttribute = true;
    this.#state = ValueLength;
    this.#at = this.#number = 0;
  }

  #valueDone(): void {
    const tag = this.#tag;
    if (tag === ValueTag.begCollection) {
      if (++this.#depth > ippCollectionDepth) return this.fail(Status.badRequest, "collections nested too deep");
    } else if (tag === ValueTag.endCollection) {
      if (this.#depth === 0) return this.fail(Status.badRequest, "endCollection outside a collection");
      this.#depth--;
    } else if (tag === ValueTag.memberAttrName && this.#depth === 0) {
      return this.fail(Status.badRequest, "memberAttrName outside a collection");
    }
    this.#state = Tag;
    const go = this.#events.value(tag, this.#attributeName, this.#value, this.#valueLength);
    if (!go && this.#state === Tag) this.fail(Status.badRequest, "refused");
  }
}

/** A big-endian signed 32-bit integer at value[at]. */
export function int32(value: Uint8Array, at = 0): number {
  return (value[at]! << 24) | (value[at + 1]! << 16) | (value[at + 2]! << 8) | value[at + 3]!;
}

/** The value's bytes as text: UTF-8 decoded, each malformed sequence as U+FFFD. */
export function utf8Text(value: Uint8Array, length: number): string {
  let text = "";
  for (let i = 0; i < length;) {
    const b = value[i]!;
    let code = 0xfffd, size = 1;
    if (b < 0x80) code = b;
    else if (b >= 0xc2 && b < 0xe0 && i + 1 < length && (value[i + 1]! & 0xc0) === 0x80) {
      code = ((b & 0x1f) << 6) | (value[i + 1]! & 0x3f);
      size = 2;
    } else if (b >= 0xe0 && b < 0xf0 && i + 2 < length && (value[i + 1]! & 0xc0) === 0x80 && (value[i + 2]! & 0xc0) === 0x80) {
      code = ((b & 0x0f) << 12) | ((value[i + 1]! & 0x3f) << 6) | (value[i + 2]! & 0x3f);
      size = 3;
      if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) code = 0xfffd;
    } else if (b >= 0xf0 && b < 0xf5 && i + 3 < length && (value[i + 1]! & 0xc0) === 0x80 && (value[i + 2]! & 0xc0) === 0x80 &&
      (value[i + 3]! & 0xc0) === 0x80) {
      code = ((b & 0x07) << 18) | ((value[i + 1]! & 0x3f) << 12) | ((value[i + 2]! & 0x3f) << 6) | (value[i + 3]! & 0x3f);
      size = 4;
      if (code < 0x10000 || code > 0x10ffff) code = 0xfffd;
    }
    text += String.fromCodePoint(code);
    i += size;
  }
  return text;
}

/** The value's bytes as ASCII text (keywords, charsets, URIs, MIME types); other bytes as Latin-1 characters. */
export function asciiValue(value: Uint8Array, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(value[i]!);
  return text;
}
