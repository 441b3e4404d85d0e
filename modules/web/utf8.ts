// UTF-8 without TextEncoder (XS has none as a global) or XS-only ArrayBuffer.fromString, so the Node tests load the
// same code: the page's response bodies, and the one UTF-8 length every module counts with (IPP's values, DNS-SD's
// TXT record). Pure.

/** Bytes of one code point in UTF-8 (a lone surrogate, written as U+FFFD, takes 3 like it). */
export function utf8CharBytes(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** UTF-8 size of a string, or of its longest prefix of whole characters within `maxBytes`. */
export function utf8Length(text: string, maxBytes = Infinity): number {
  let length = 0;
  for (const character of text) {
    const bytes = utf8CharBytes(character.codePointAt(0) ?? 0);
    if (length + bytes > maxBytes) break;
    length += bytes;
  }
  return length;
}

/** The text as UTF-8 in a new buffer of exactly the right size (a lone surrogate becomes U+FFFD). */
export function utf8Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(utf8Length(text));
  let at = 0;
  for (const character of text) {
    let code = character.codePointAt(0) ?? 0;
    if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;
    if (code < 0x80) bytes[at++] = code;
    else if (code < 0x800) {
      bytes[at++] = 0xC0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3F);
    } else if (code < 0x10000) {
      bytes[at++] = 0xE0 | (code >> 12);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3F);
      bytes[at++] = 0x80 | (code & 0x3F);
    } else {
      bytes[at++] = 0xF0 | (code >> 18);
      bytes[at++] = 0x80 | ((code >> 12) & 0x3F);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3F);
      bytes[at++] = 0x80 | (code & 0x3F);
    }
  }
  return bytes;
}

/** ASCII bytes (a urlencoded form) as a string; anything above 0x7F is kept as its Latin-1 character. */
export function asciiText(bytes: Uint8Array, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
