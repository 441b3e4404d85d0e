// What the print server announces over DNS-SD (RFC 6763) for the settings it runs with: one service per protocol
// that is on, with the TXT keys printing clients read (Apple's Bonjour Printing Specification 1.2). Pure: no IO.

import { queueName } from "print/port";
import { utf8Length } from "web/utf8";

/** The shape the SDK's mdns module takes in add(): its instance name is always the host name. */
export interface AdvertisedService {
  /** Without the leading underscore, as mdns.add() wants it: "printer" means _printer._tcp. */
  readonly name: string;
  readonly protocol: "tcp";
  readonly port: number;
  readonly txt: Record<string, string>;
  /**
   * DNS-SD subtypes (RFC 6763 §7.1) the service belongs to, "_universal" for AirPrint and "_print" for IPP
   * Everywhere. DOUBT: the SDK's mdns module answers no subtype query and announces no subtype PTR (in
   * $(MODDABLE)/modules/network/mdns/mdns.js, callback() matches a PTR question only with three labels and reply()
   * writes only the service's own PTR), so these are not on the wire yet; clients that browse _ipp._tcp find it.
   */
  readonly subtypes?: readonly string[];
}

/** What the IPP printer says of itself, as Get-Printer-Attributes does (modules/ipp/start.ts). */
export interface IppAdvertised {
  readonly port: number;
  /** printer-uuid, "urn:uuid:..." */
  readonly uuid: string;
  /** document-format-supported less application/octet-stream, which names no language. */
  readonly pdl: readonly string[];
  /** urf-supported ("none" when image/urf is not taken: then no URF key). */
  readonly urf: readonly string[];
  /** printer-make-and-model. */
  readonly makeAndModel: string;
  /** printer-location. */
  readonly location: string;
  /** color-supported, and sides-supported beyond one-sided. */
  readonly color: boolean;
  readonly duplex: boolean;
}

export interface AdvertisedPorts {
  ftpPort: number;
  rawPort: number;
  lpdPort: number;
  httpPort: number;
}


/** What the server passes through: bytes go to the printer unchanged, so every language the printer speaks. */
const pageDescriptionLanguages = "application/postscript,application/vnd.hp-PCL,text/plain";

/** DNS labels are at most 63 bytes (RFC 1035 §2.3.4); the SDK appends "-N" on a name conflict, so keep room. */
const hostLabelBytes = 59;
const fallbackHostName = "ftprint";

/**
 * The device name as an mDNS host label: lower case letters, digits and inner hyphens (RFC 952/1123), since the
 * SDK's mdns module compares names case-sensitively and puts the name as it is into every record.
 */
export function hostLabel(deviceName: string): string {
  let label = "";
  for (const character of deviceName.toLowerCase()) {
    const ok = (character >= "a" && character <= "z") || (character >= "0" && character <= "9");
    if (ok) label += character;
    else if (label !== "" && !label.endsWith("-")) label += "-";    // spaces, dots, underscores... become one hyphen
  }
  label = label.slice(0, hostLabelBytes);
  while (label.endsWith("-")) label = label.slice(0, -1);
  return label === "" ? fallbackHostName : label;
}

/**
 * The services to announce, in a fixed order: raw 9100, LPD, FTP (always on), and the page. A port of 0 means
 * the service is off, so it is not announced. `hostName` is the claimed mDNS name (for adminurl).
 */
export function servicesToAdvertise(ports: AdvertisedPorts, deviceName: string, hostName: string, ipp?: IppAdvertised): AdvertisedService[] {
  const adminUrl = ports.httpPort === 0 ? undefined : `http://${hostName}.local${ports.httpPort === 80 ? "" : `:${ports.httpPort}`}/`;
  const printerKeys = (extra: Record<string, string>): Record<string, string> => {
    // Bonjour Printing §9: txtvers first, qtotal = how many queues this host has; ty = make and model for
    // people, product = (the PPD's product string) for drivers; Transparent/Binary: we pass bytes unchanged.
    const txt: Record<string, string> = { txtvers: "1", qtotal: "1", ...extra, ty: deviceName, product: `(${deviceName})`, pdl: pageDescriptionLanguages, Transparent: "T", Binary: "T" };
    if (adminUrl) txt.adminurl = adminUrl;
    return txt;
  };
  const services: AdvertisedService[] = [];
  if (ports.rawPort !== 0) services.push({ name: "pdl-datastream", protocol: "tcp", port: ports.rawPort, txt: printerKeys({}) });
  if (ports.lpdPort !== 0) services.push({ name: "printer", protocol: "tcp", port: ports.lpdPort, txt: printerKeys({ rp: queueName }) });
  // RFC 6763 service registry, ftp: path= is the folder a client should open; uploads there are printed.
  if (ports.ftpPort !== 0) services.push({ name: "ftp", protocol: "tcp", port: ports.ftpPort, txt: { path: `/${queueName}` } });
  if (ports.httpPort !== 0) services.push({ name: "http", protocol: "tcp", port: ports.httpPort, txt: { path: "/" } });
  if (ipp && ipp.port !== 0) services.push({ name: "ipp", protocol: "tcp", port: ipp.port, txt: ippKeys(ipp, deviceName, adminUrl), subtypes: ippSubtypes });
  return services;
}

/** _ipp._tcp's subtypes: AirPrint's and IPP Everywhere's (PWG 5100.14 §4.2). */
const ippSubtypes: readonly string[] = Object.freeze(["_universal", "_print"]);

/**
 * _ipp._tcp's TXT keys (PWG 5100.14 §4.2.1, Bonjour Printing 1.2 §9), each the same as the printer attribute it
 * stands for: rp (the resource, printer-uri-supported's path), ty (printer-make-and-model), pdl
 * (document-format-supported), UUID (printer-uuid without "urn:uuid:"), Color and Duplex, TLS empty (no ipps),
 * adminurl (printer-more-info), note (printer-location), URF (urf-supported: AirPrint clients look for it).
 */
function ippKeys(ipp: IppAdvertised, deviceName: string, adminUrl: string | undefined): Record<string, string> {
  const txt: Record<string, string> = { txtvers: "1", qtotal: "1", rp: "ipp/print", ty: ipp.makeAndModel, product: `(${deviceName})`,
    pdl: ipp.pdl.join(","), UUID: ipp.uuid.startsWith("urn:uuid:") ? ipp.uuid.slice(9) : ipp.uuid, Color: ipp.color ? "T" : "F",
    Duplex: ipp.duplex ? "T" : "F", TLS: "", kind: "document", note: ipp.location };
  if (ipp.urf.length > 0 && ipp.urf[0] !== "none") txt.URF = ipp.urf.join(",");
  if (adminUrl) txt.adminurl = adminUrl;
  return txt;
}

/** The TXT record's wire size, as the SDK's DNS serializer writes it: one length byte plus "key=value" each. */
export function txtBytes(txt: Record<string, string>): number {
  let bytes = 0;
  for (const key of Object.keys(txt)) bytes += 1 + utf8Length(key) + 1 + utf8Length(txt[key]!);
  return bytes;
}
