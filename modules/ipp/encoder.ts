// The IPP response encoder (RFC 8010 §3): writes a message into a caller's buffer, or, given none, only counts its
// bytes, so an answer is encoded twice, once to size its buffer exactly and once into it. Strings go out as UTF-8
// without TextEncoder (XS has none). Pure: no IO.

import { ValueTag } from "./constants.js";
import { utf8CharBytes, utf8Length } from "web/utf8";

export class IppWriter {
  readonly #bytes: Uint8Array | undefined;
  /** Bytes written (or counted) so far, from the start offset. */
  length = 0;
  readonly #start: number;

  /** `bytes` undefined: count only. */
  constructor(bytes?: Uint8Array, at = 0) {
    this.#bytes = bytes;
    this.#start = at;
  }

  header(major: number, minor: number, statusOrOperation: number, requestId: number): void {
    this.#byte(major);
    this.#byte(minor);
    this.#short(statusOrOperation);
    this.#int(requestId);
  }

  /** A delimiter tag: begins a group, or (GroupTag.end) ends the attributes. */
  group(tag: number): void {
    this.#byte(tag);
  }

  integer(name: string, value: number): void {
    this.#head(ValueTag.integer, name, 4);
    this.#int(value);
  }

  enumValue(name: string, value: number): void {
    this.#head(ValueTag.enum, name, 4);
    this.#int(value);
  }

  /** Several values of one attribute: the first under its name, the rest as additional values (RFC 8010 §3.1.5). */
  enums(name: string, values: readonly number[]): void {
    for (let i = 0; i < values.length; i++) this.enumValue(i === 0 ? name : "", values[i]!);
  }

  boolean(name: string, value: boolean): void {
    this.#head(ValueTag.boolean, name, 1);
    this.#byte(value ? 1 : 0);
  }

  /** A character-string value (text, name, keyword, uri, charset, naturalLanguage, mimeMediaType, octetString of text). */
  string(tag: number, name: string, value: string, maxBytes = 1023): void {
    const size = utf8Length(value, maxBytes);
    this.#head(tag, name, size);
    this.#utf8(value, size);
  }

  strings(tag: number, name: string, values: readonly string[]): void {
    for (let i = 0; i < values.length; i++) this.string(tag, i === 0 ? name : "", values[i]!);
  }

  keyword(name: string, value: string): void { this.string(ValueTag.keyword, name, value, 255); }
  keywords(name: string, values: readonly string[]): void { this.strings(ValueTag.keyword, name, values); }
  text(name: string, value: string): void { this.string(ValueTag.textWithoutLanguage, name, value, 1023); }
  nameValue(name: string, value: string): void { this.string(ValueTag.nameWithoutLanguage, name, value, 255); }
  uri(name: string, value: string): void { this.string(ValueTag.uri, name, value, 1023); }

  resolution(name: string, x: number, y: number, units: number): void {
    this.#head(ValueTag.resolution, name, 9);
    this.#int(x);
    this.#int(y);
    this.#byte(units);
  }

  range(name: string, lower: number, upper: number): void {
    this.#head(ValueTag.rangeOfInteger, name, 8);
    this.#int(lower);
    this.#int(upper);
  }

  /** RFC 2579 DateAndTime, in UTC, from milliseconds since the epoch (RFC 8010 §3.9). */
  dateTime(name: string, epochMs: number): void {
    const date = new Date(epochMs);
    this.#head(ValueTag.dateTime, name, 11);
    this.#short(date.getUTCFullYear());
    this.#byte(date.getUTCMonth() + 1);
    this.#byte(date.getUTCDate());
    this.#byte(date.getUTCHours());
    this.#byte(date.getUTCMinutes());
    this.#byte(date.getUTCSeconds());
    this.#byte(Math.floor(date.getUTCMilliseconds() / 100));
    this.#byte(0x2b);    // '+', 0 hours and minutes from UTC
    this.#byte(0);
    this.#byte(0);
  }

  /** An out-of-band value: unsupported, unknown, no-value (RFC 8010 §3.8). */
  outOfBand(tag: number, name: string): void {
    this.#head(tag, name, 0);
  }

  beginCollection(name: string): void {
    this.#head(ValueTag.begCollection, name, 0);
  }

  /** A member of the collection being written: its name, then its value(s) written with name "". */
  member(name: string): void {
    this.string(ValueTag.memberAttrName, "", name, 255);
  }

  endCollection(): void {
    this.#head(ValueTag.endCollection, "", 0);
  }

  #head(tag: number, name: string, valueLength: number): void {
    this.#byte(tag);
    this.#short(name.length);            // names are ASCII keywords
    for (let i = 0; i < name.length; i++) this.#byte(name.charCodeAt(i) & 0xff);
    this.#short(valueLength);
  }

  #byte(value: number): void {
    if (this.#bytes) this.#bytes[this.#start + this.length] = value & 0xff;
    this.length++;
  }

  #short(value: number): void {
    this.#byte(value >> 8);
    this.#byte(value);
  }

  #int(value: number): void {
    this.#byte(value >>> 24);
    this.#byte(value >>> 16);
    this.#byte(value >>> 8);
    this.#byte(value);
  }

  /** The text's UTF-8 up to `size` bytes (utf8Length's cut, so never inside a character). */
  #utf8(text: string, size: number): void {
    let written = 0;
    for (const character of text) {
      let code = character.codePointAt(0) ?? 0;
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      const bytes = utf8CharBytes(code);
      if (written + bytes > size) break;
      if (bytes === 1) this.#byte(code);
      else if (bytes === 2) {
        this.#byte(0xc0 | (code >> 6));
        this.#byte(0x80 | (code & 0x3f));
      } else if (bytes === 3) {
        this.#byte(0xe0 | (code >> 12));
        this.#byte(0x80 | ((code >> 6) & 0x3f));
        this.#byte(0x80 | (code & 0x3f));
      } else {
        this.#byte(0xf0 | (code >> 18));
        this.#byte(0x80 | ((code >> 12) & 0x3f));
        this.#byte(0x80 | ((code >> 6) & 0x3f));
        this.#byte(0x80 | (code & 0x3f));
      }
      written += bytes;
    }
  }
}
