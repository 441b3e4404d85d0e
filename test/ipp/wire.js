// IPP messages for the tests, built and parsed by code written apart from the firmware's codec (RFC 8010 §3), so a
// mistake in one shows against the other. Engine-neutral (Uint8Array only): the XS scenarios use it too.

export const T = Object.freeze({
  operation: 0x01, job: 0x02, end: 0x03, printer: 0x04, unsupported: 0x05, document: 0x09,
  unsupportedValue: 0x10, unknown: 0x12, noValue: 0x13,
  integer: 0x21, boolean: 0x22, enum: 0x23, octetString: 0x30, dateTime: 0x31, resolution: 0x32, rangeOfInteger: 0x33,
  begCollection: 0x34, textWithLanguage: 0x35, nameWithLanguage: 0x36, endCollection: 0x37,
  text: 0x41, name: 0x42, keyword: 0x44, uri: 0x45, uriScheme: 0x46, charset: 0x47, naturalLanguage: 0x48, mimeMediaType: 0x49,
  memberAttrName: 0x4a,
});

export const Op = Object.freeze({
  printJob: 0x02, validateJob: 0x04, createJob: 0x05, sendDocument: 0x06, cancelJob: 0x08, getJobAttributes: 0x09, getJobs: 0x0a,
  getPrinterAttributes: 0x0b, cancelMyJobs: 0x39, closeJob: 0x3b, identifyPrinter: 0x3c,
});

function utf8(text) {
  const out = [];
  for (const character of String(text)) {
    const code = character.codePointAt(0);
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return out;
}

function fromUtf8(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let code, size;
    if (b < 0x80) { code = b; size = 1; }
    else if (b < 0xe0) { code = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f); size = 2; }
    else if (b < 0xf0) { code = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f); size = 3; }
    else { code = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f); size = 4; }
    text += String.fromCodePoint(code);
    i += size;
  }
  return text;
}

const int32 = (v) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const short = (v) => [(v >> 8) & 0xff, v & 0xff];

function valueBytes(tag, value) {
  if (value instanceof Uint8Array) return [...value];
  switch (tag) {
    case T.integer: case T.enum: return int32(value);
    case T.boolean: return [value ? 1 : 0];
    case T.resolution: return [...int32(value[0]), ...int32(value[1]), value[2] ?? 3];
    case T.rangeOfInteger: return [...int32(value[0]), ...int32(value[1])];
    default:
      if (tag >= 0x10 && tag <= 0x1f) return [];
      return utf8(value);
  }
}

function pushAttribute(out, tag, name, value) {
  const values = Array.isArray(value) && tag !== T.resolution && tag !== T.rangeOfInteger ? value : [value];
  values.forEach((one, i) => {
    const attributeName = i === 0 ? name : "";
    if (tag === T.begCollection) {
      out.push(T.begCollection, ...short(attributeName.length), ...utf8(attributeName), 0, 0);
      for (const [memberTag, memberName, memberValue] of one) {
        out.push(T.memberAttrName, 0, 0, ...short(memberName.length), ...utf8(memberName));
        pushAttribute(out, memberTag, "", memberValue);
      }
      out.push(T.endCollection, 0, 0, 0, 0);
      return;
    }
    const bytes = valueBytes(tag, one);
    out.push(tag, ...short(attributeName.length), ...utf8(attributeName), ...short(bytes.length), ...bytes);
  });
}

/** The operation attributes every request starts with, in RFC 8011 §4.1.4's order. */
export const preamble = (uri = "ipp://localhost/ipp/print") => [
  [T.charset, "attributes-charset", "utf-8"],
  [T.naturalLanguage, "attributes-natural-language", "en"],
  [T.uri, "printer-uri", uri],
];

/**
 * A request: groups is [[groupTag, [[valueTag, name, value or values], ...]], ...]; data follows the end tag.
 * A collection value is a list of [tag, member name, value] (the member's value may be a collection too).
 */
export function request({ major = 2, minor = 0, operation, requestId = 1, groups, data }) {
  const out = [major, minor, ...short(operation), ...int32(requestId)];
  for (const [groupTag, attributes] of groups) {
    out.push(groupTag);
    for (const [tag, name, value] of attributes) pushAttribute(out, tag, name, value);
  }
  out.push(T.end);
  const head = Uint8Array.from(out);
  return data ? concat(head, data) : head;
}

export function concat(...parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

function decodeValue(tag, bytes) {
  const view = (at) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
  switch (tag) {
    case T.integer: case T.enum: return view(0);
    case T.boolean: return bytes[0] === 1;
    case T.resolution: return [view(0), view(4), bytes[8]];
    case T.rangeOfInteger: return [view(0), view(4)];
    case T.dateTime: return { year: (bytes[0] << 8) | bytes[1], month: bytes[2], day: bytes[3], hour: bytes[4], minute: bytes[5], second: bytes[6] };
    default:
      if (tag >= 0x10 && tag <= 0x1f) return { outOfBand: tag };
      return fromUtf8(bytes);
  }
}

/**
 * A response: { major, minor, status, requestId, groups: [{ tag, attributes: { name: { tag, values } } }], data }.
 * Collections become objects of member name → value (a list when it has several values). Throws on malformed bytes.
 */
export function parse(bytes) {
  if (bytes.length < 9) throw new Error(`an IPP message of ${bytes.length} bytes`);
  let at = 8;
  const message = {
    major: bytes[0], minor: bytes[1], status: (bytes[2] << 8) | bytes[3],
    requestId: ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0, groups: [], data: undefined,
  };
  const need = (count) => { if (at + count > bytes.length) throw new Error(`the message ends at ${bytes.length}, inside a value at ${at}`); };
  const readEntry = () => {
    need(3);
    const tag = bytes[at];
    const nameLength = (bytes[at + 1] << 8) | bytes[at + 2];
    at += 3;
    need(nameLength + 2);
    const name = fromUtf8(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const valueLength = (bytes[at] << 8) | bytes[at + 1];
    at += 2;
    need(valueLength);
    const value = bytes.subarray(at, at + valueLength);
    at += valueLength;
    return { tag, name, value };
  };
  const readCollection = () => {
    const members = {};
    let member;
    for (;;) {
      const entry = readEntry();
      if (entry.tag === T.endCollection) return members;
      if (entry.tag === T.memberAttrName) { member = fromUtf8(entry.value); continue; }
      const value = entry.tag === T.begCollection ? readCollection() : decodeValue(entry.tag, entry.value);
      if (member in members) members[member] = [].concat(members[member], [value]);
      else members[member] = value;
    }
  };
  let group, last;
  for (;;) {
    need(1);
    const tag = bytes[at];
    if (tag === T.end) { at++; break; }
    if (tag < 0x10) {
      at++;
      group = { tag, attributes: {} };
      message.groups.push(group);
      continue;
    }
    if (!group) throw new Error("a value before any group");
    const entry = readEntry();
    const value = entry.tag === T.begCollection ? readCollection() : decodeValue(entry.tag, entry.value);
    if (entry.name === "") {
      if (!last) throw new Error("an additional value with no attribute");
      last.values.push(value);
    } else {
      last = { tag: entry.tag, values: [value] };
      group.attributes[entry.name] = last;
    }
  }
  message.data = bytes.subarray(at);
  return message;
}

/** The first group with this tag (and its index-th when there are several: Get-Jobs). */
export function groupOf(message, tag, index = 0) {
  return message.groups.filter((group) => group.tag === tag)[index];
}

/** A value of the first group of `tag` that has the attribute. */
export function valueOf(message, tag, name) {
  const group = message.groups.find((candidate) => candidate.tag === tag && name in candidate.attributes);
  return group?.attributes[name].values;
}

export function latin1(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

export function latin1Text(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/**
 * An HTTP POST of `body` to /ipp/print: content-length, or chunked in pieces of `chunkBytes` (the last chunk and
 * an empty trailer after them); `expect` adds "Expect: 100-continue". Returns the head and the body's bytes.
 */
export function httpPost(body, { chunkBytes = 0, expect = false, path = "/ipp/print", host = "printer.local:631", headers = "" } = {}) {
  let head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/ipp\r\n${headers}`;
  if (expect) head += "Expect: 100-continue\r\n";
  if (!chunkBytes) return { head: latin1(`${head}Content-Length: ${body.length}\r\n\r\n`), body };
  const parts = [];
  for (let at = 0; at < body.length; at += chunkBytes) {
    const piece = body.subarray(at, Math.min(body.length, at + chunkBytes));
    parts.push(latin1(`${piece.length.toString(16)}\r\n`), piece, latin1("\r\n"));
  }
  parts.push(latin1("0\r\n\r\n"));
  return { head: latin1(`${head}Transfer-Encoding: chunked\r\n\r\n`), body: concat(...parts) };
}

/** Splits an HTTP response into its status code, lower-cased headers and body. */
export function httpResponse(bytes) {
  const text = latin1Text(bytes);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no end of the headers in ${JSON.stringify(text.slice(0, 200))}`);
  const lines = text.slice(0, end).split("\r\n");
  const status = Number(lines[0].split(" ")[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { statusLine: lines[0], status, headers, body: bytes.subarray(end + 4) };
}
