// The device's settings, read from the mc/config object. mcconfig passes command-line values as strings
// ($(MODDABLE)/tools/mcmanifest.js, the Tool constructor: name=value becomes config[name] = "value"), so every value
// is parsed here, once, with a default. Pure: no IO.
// Every service's port is a setting; 0 turns that service off. The default ports are here (devicePorts,
// simulatorPorts), not in the manifest: each host names its table.

import { passivePortFirst, passivePortLast } from "ftp/limits";
import { printerLanguages, type PrinterLanguage } from "raster/languages";

export interface Settings {
  ftpPort: number;
  /** Raw TCP printing (AppSocket/JetDirect): 9100. */
  rawPort: number;
  /** LPD (RFC 1179): 515 on the device. */
  lpdPort: number;
  /** The status and setup page: 80 on the device. */
  httpPort: number;
  /** IPP (RFC 8011) at /ipp/print: 631 on the device. */
  ippPort: number;
  /** The paper in the printer, as IPP's media-default and media-ready say it. */
  paperSize: "a4" | "letter";
  /** The Wi-Fi network to join; an empty SSID means none is configured (the device opens its own access point). */
  wifi: { ssid: string; password: string };
  credentials: { user: string; password: string } | undefined;
  printer: string;
  captureDirectory: string;
  printerBytesPerSecond: number;
  /** Serial printers: the UART's baud rate (8N1 is fixed on the ESP32) and how the printer says "wait". */
  printerBaud: number;
  printerHandshake: "xonxoff" | "busy" | "none";
  /** What raster jobs (IPP's image/pwg-raster, image/urf) are turned into for the printer: modules/raster/. */
  printerLanguage: PrinterLanguage;
  deviceName: string;
  /** Log every command line (PASS masked), not just sessions and jobs. */
  logCommands: boolean;
  /** PASV/EPSV listen on a random port from pasvPortMin to pasvPortMax (vsftpd's names); 0 and 0: any free port. */
  passivePorts: { first: number; last: number };
}

/** Every service's port, one per setting; `0` turns a service off (FTP's 0: any free port). */
export interface ServicePorts {
  ftpPort: number;
  rawPort: number;
  lpdPort: number;
  httpPort: number;
  ippPort: number;
}

/**
 * The default ports, the one place they are written: the device's well-known ones, and the simulators' (raw 9100
 * is the same; the others above 1024, so a desktop user may open them).
 */
export const devicePorts: Readonly<ServicePorts> = Object.freeze({ ftpPort: 21, rawPort: 9100, lpdPort: 515, httpPort: 80, ippPort: 631 });
export const simulatorPorts: Readonly<ServicePorts> = Object.freeze({ ftpPort: 2121, rawPort: 9100, lpdPort: 5515, httpPort: 8080, ippPort: 8631 });

/** What the host fills in where mc/config says nothing; ports it leaves out are the device's. */
export interface SettingDefaults {
  ftpPort: number;
  rawPort?: number;
  lpdPort?: number;
  httpPort?: number;
  ippPort?: number;
  printer: string;
  captureDirectory: string;
}

export function readSettings(config: Record<string, unknown>, defaults: SettingDefaults): Settings {
  const user = text(config.ftpUser, "");
  const password = text(config.ftpPassword, "");
  return {
    ftpPort: wholeNumber(config.ftpPort, defaults.ftpPort, 0, 65535),
    rawPort: wholeNumber(config.rawPort, defaults.rawPort ?? devicePorts.rawPort, 0, 65535),
    lpdPort: wholeNumber(config.lpdPort, defaults.lpdPort ?? devicePorts.lpdPort, 0, 65535),
    httpPort: wholeNumber(config.httpPort, defaults.httpPort ?? devicePorts.httpPort, 0, 65535),
    ippPort: wholeNumber(config.ippPort, defaults.ippPort ?? devicePorts.ippPort, 0, 65535),
    paperSize: oneOf(config.paperSize, ["a4", "letter"] as const, "a4"),
    // Not mcconfig's ssid=/password=: with those the SDK's setup/network joins before main runs and never rejoins
    // ($(MODDABLE)/build/devices/esp32/setup/network.js, its default function: it calls done() only once it has an
    // address, and closes its WiFi object then); the firmware's own Wi-Fi keeper uses these instead.
    wifi: { ssid: text(config.wifiSsid, ""), password: text(config.wifiPassword, "") },
    credentials: user || password ? { user, password } : undefined,
    printer: text(config.printer, defaults.printer),
    captureDirectory: text(config.captureDirectory, defaults.captureDirectory),
    printerBytesPerSecond: wholeNumber(config.printerBytesPerSecond, 0, 0, 100_000_000),
    printerBaud: wholeNumber(config.printerBaud, 9600, 300, 2_000_000),
    printerHandshake: oneOf(config.printerHandshake, ["xonxoff", "busy", "none"] as const, "xonxoff"),
    printerLanguage: oneOf(config.printerLanguage, printerLanguages, "pcl5"),
    deviceName: text(config.deviceName, "ftprint"),
    logCommands: flag(config.logCommands),
    passivePorts: portRange(config.pasvPortMin, config.pasvPortMax),
  };
}

/** A range with min <= max (both 1024..65535), or 0 and 0 (any port); limits.ts's range otherwise. */
function portRange(min: unknown, max: unknown): { first: number; last: number } {
  const first = wholeNumber(min, -1, 0, 65535), last = wholeNumber(max, -1, 0, 65535);
  if (first === 0 && last === 0) return { first: 0, last: 0 };
  if (first >= 1024 && last >= first) return { first, last };
  return { first: passivePortFirst, last: passivePortLast };
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
  return typeof value === "string" && (choices as readonly string[]).includes(value) ? (value as T) : fallback;
}

function flag(value: unknown): boolean {
  return value === true || value === "1" || value === "true" || value === "yes";
}

function wholeNumber(value: unknown, fallback: number, min: number, max: number): number {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isInteger(number) && number >= min && number <= max ? number : fallback;
}
