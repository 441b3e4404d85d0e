// printer-icons (PWG 5100.13 §6.5.1): a 48 x 48 grey PNG of a printer, 142 bytes, served as /icon.png on the IPP
// port. Kept as a hex string (strings are immutable, so it lives in flash as it is); the bytes are made per request.
// Drawn and deflated by a few lines of Python's zlib for this file; nothing else went into it.

const iconHex =
  "89504e470d0a1a0a0000000d49484452000000300000003008000000007269a65b000000554944415478da63f84f226018f41a6cb000fc1a7e" +
  "618021a9a102098cfa61506b7023120c760d278080b61a864328b9b9c9e101d4d1e0e666f3152bb0c1e98711a5019e417168c099a78785061c" +
  "606855ec834103000c8ff2219efb09620000000049454e44ae426082";

export const iconPath = "/icon.png";

/** The icon's bytes, in a new buffer. */
export function iconBytes(): Uint8Array {
  const bytes = new Uint8Array(iconHex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(iconHex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
