// Data-connection addresses: parsing PORT (RFC 959 §4.1.2) and EPRT (RFC 2428 §2) arguments, formatting the PASV
// and EPSV replies, and the RFC 2577 checks on where a data connection may go. Pure: no IO.

export interface HostPort {
  address: string;
  port: number;
}

/** "h1,h2,h3,h4,p1,p2" → host and port; undefined when malformed (501). */
export function parsePortArgument(arg: string): HostPort | undefined {
  const fields = arg.split(",");
  if (fields.length !== 6) return undefined;
  const numbers: number[] = [];
  for (const field of fields) {
    const value = parseByte(field.trim());
    if (value < 0) return undefined;
    numbers.push(value);
  }
  return { address: numbers.slice(0, 4).join("."), port: numbers[4] * 256 + numbers[5] };
}

export const EprtFamily = Object.freeze({ IPv4: 1, IPv6: 2 } as const);
export type EprtFamily = (typeof EprtFamily)[keyof typeof EprtFamily];

export interface EprtArgument extends HostPort {
  family: number;
}

/** "|1|132.235.1.2|6275|" (any delimiter from ! to ~) → family, host, port; undefined when malformed (501). */
export function parseEprtArgument(arg: string): EprtArgument | undefined {
  if (arg.length < 7) return undefined;
  const delimiter = arg[0];
  const code = delimiter.charCodeAt(0);
  if (code < 33 || code > 126 || arg[arg.length - 1] !== delimiter) return undefined;
  const fields = arg.slice(1, -1).split(delimiter);
  if (fields.length !== 3) return undefined;
  // Digits only, like the port: Number() took "+1", " 1", "1.0", "0x1" and "1e0" for IPv4, which RFC 2428's
  // net-prt ("1" or "2") is not; such an argument is malformed (501), not a family.
  const family = parseDecimal(fields[0], 65535);
  const port = parseDecimal(fields[2], 65535);
  if (port <= 0) return undefined;
  if (family === EprtFamily.IPv4) {
    if (!isIPv4(fields[1])) return undefined;
    return { family, address: fields[1], port };
  }
  if (family === EprtFamily.IPv6 && fields[1].includes(":")) return { family, address: fields[1], port };
  if (fields[0] !== "" && family > 0) return { family, address: fields[1], port };   // a family we do not speak: 522
  return undefined;
}

export function isIPv4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (const part of parts) if (parseByte(part) < 0) return false;
  return true;
}

/** "Entering Passive Mode (h1,h2,h3,h4,p1,p2)" text for 227, from our IPv4 address and the listener's port. */
export function passiveReplyText(address: string, port: number): string {
  return `Entering Passive Mode (${address.split(".").join(",")},${port >> 8},${port & 255}).`;
}

/** "Entering Extended Passive Mode (|||port|)" text for 229 (RFC 2428 §3). */
export function extendedPassiveReplyText(port: number): string {
  return `Entering Extended Passive Mode (|||${port}|)`;
}

/**
 * SECURITY (RFC 2577 §3, "bounce"): an active data connection may go only back to the control connection's own
 * peer and never to a privileged port, so nobody can make the printer's server attack a third host.
 */
export function isAllowedActiveTarget(target: HostPort, controlPeer: string): boolean {
  return sameHost(target.address, controlPeer) && target.port >= 1024;
}

/**
 * SECURITY (RFC 2577 §5, "port theft"): a passive data connection is accepted only from the control connection's
 * peer; anyone else who guesses the port is turned away.
 */
export function isAllowedPassivePeer(dataPeer: string | undefined, controlPeer: string): boolean {
  return dataPeer !== undefined && sameHost(dataPeer, controlPeer);
}

/** Compares two addresses, treating an IPv4-mapped IPv6 form ("::ffff:1.2.3.4") as its IPv4 address. */
export function sameHost(a: string, b: string): boolean {
  return unmapped(a) === unmapped(b);
}

function unmapped(address: string): string {
  return address.toLowerCase().startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** A decimal 0..255 with no sign, no spaces and at most three digits; -1 otherwise. */
function parseByte(text: string): number {
  return parseDecimal(text, 255);
}

function parseDecimal(text: string, max: number): number {
  if (text.length === 0 || text.length > 5) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= max ? value : -1;
}
