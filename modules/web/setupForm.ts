// The setup form: its fields, how the urlencoded body is parsed, and what each field accepts. Pure: no IO, so the
// unit tests and the XS runner load it as it is. The result is either the values to save (preference keys, see
// device/preferences) or one message for a 400 answer.

import type { SavedValues } from "device/preferences";
import { printerLanguages } from "raster/languages";

/** A body larger than this is answered 413 (the form is a few hundred bytes). */
export const setupBodyMaxBytes = 1024;

export const printerKinds: readonly string[] = Object.freeze(["parallel", "parallel595", "serial", "file", "discard"]);
export const handshakeKinds: readonly string[] = Object.freeze(["xonxoff", "busy", "none"]);

/** When a saved change takes effect. */
export type Applies = "now" | "restart";

export interface SetupField {
  /** The form field's name, which is also its preference key. */
  readonly name: string;
  readonly label: string;
  readonly applies: Applies;
  /** Passwords: never put back into the page; left empty, the saved one stays. */
  readonly secret?: boolean;
  readonly choices?: readonly string[];
  readonly number?: { min: number; max: number };
  /**
   * For text: the allowed characters and length (a RegExp source, compiled per check: a RegExp made at the top of a
   * preloaded module would be frozen in flash: $(MODDABLE)/xs/tools/xslSlot.c, fxPrepareHeap), and what to say
   * otherwise.
   */
  readonly pattern?: string;
  readonly rule?: string;
  /** The heading of the group of fields this one starts, on the setup page. */
  readonly group?: string;
}

export const setupFields: readonly SetupField[] = Object.freeze([
  Object.freeze({ name: "deviceName", label: "Device name", group: "Device", applies: "now", pattern: "^[A-Za-z0-9._ -]{1,32}$", rule: "1 to 32 letters, digits, spaces, dots, dashes or underscores" }),
  Object.freeze({ name: "ftpUser", label: "FTP user (empty: anyone may log in)", group: "FTP login", applies: "restart", pattern: "^[!-~]{0,32}$", rule: "at most 32 printable characters without spaces" }),
  Object.freeze({ name: "ftpPassword", label: "FTP password", applies: "restart", secret: true, pattern: "^[ -~]{0,64}$", rule: "at most 64 printable characters" }),
  Object.freeze({ name: "printer", label: "Printer port", group: "Printer", applies: "restart", choices: printerKinds }),
  Object.freeze({ name: "printerBaud", label: "Serial baud rate", applies: "restart", number: Object.freeze({ min: 300, max: 2_000_000 }) }),
  Object.freeze({ name: "handshake", label: "Serial handshake", applies: "restart", choices: handshakeKinds }),
  Object.freeze({ name: "printerSpeed", label: "File port speed limit, bytes/s (0: none)", applies: "restart", number: Object.freeze({ min: 0, max: 100_000_000 }) }),
  // What IPP's raster jobs (phones, driverless CUPS) are turned into; the printer attributes follow it at restart.
  Object.freeze({ name: "printerLanguage", label: "Printer language for driverless jobs (pcl5: HP lasers, pcl3: HP inkjets, escp2: Epson)", applies: "restart", choices: printerLanguages }),
  Object.freeze({ name: "wifiSsid", label: "Wi-Fi network (SSID; empty: none)", group: "Wi-Fi", applies: "restart", pattern: "^[^\\x00-\\x1f\\x7f]{0,32}$", rule: "at most 32 characters" }),
  Object.freeze({ name: "wifiPassword", label: "Wi-Fi password", applies: "restart", secret: true, pattern: "^([ -~]{8,63})?$", rule: "8 to 63 printable characters (WPA2)" }),
] satisfies SetupField[]);

/** application/x-www-form-urlencoded → name/value pairs (the last of a repeated name wins); undefined if malformed. */
export function parseFormBody(body: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  if (body === "") return fields;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    try {
      fields[decodeURIComponent(rawName.replace(/\+/g, " "))] = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      return undefined;    // a bad %-escape
    }
  }
  return fields;
}

export type SetupOutcome = { values: SavedValues } | { error: string };

/**
 * Checks the submitted fields. Fields left out are left alone; an empty secret keeps the saved one. A user name
 * needs a password (given now or saved before), or FTP would refuse everyone.
 */
export function validateSetup(fields: Record<string, string>, hasSavedFtpPassword: boolean): SetupOutcome {
  const values: SavedValues = {};
  for (const name of Object.keys(fields)) {
    if (!setupFields.some((field) => field.name === name)) return { error: `unknown field "${name}"` };
  }
  for (const field of setupFields) {
    if (!Object.hasOwn(fields, field.name)) continue;
    const value = fields[field.name].trim();
    if (field.secret && value === "") continue;
    if (field.choices) {
      if (!field.choices.includes(value)) return { error: `${field.label}: must be one of ${field.choices.join(", ")}` };
      values[field.name] = value;
    } else if (field.number) {
      const number = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(number >= field.number.min && number <= field.number.max))
        return { error: `${field.label}: must be a whole number from ${field.number.min} to ${field.number.max}` };
      values[field.name] = number;
    } else {
      if (field.pattern && !new RegExp(field.pattern).test(field.secret ? fields[field.name] : value)) return { error: `${field.label}: ${field.rule}` };
      values[field.name] = field.secret ? fields[field.name] : value;
    }
  }
  const user = values.ftpUser;
  if (typeof user === "string" && user !== "" && values.ftpPassword === undefined && !hasSavedFtpPassword)
    return { error: "FTP password: needed with a user name" };
  return { values };
}

/** The fields whose change needs a restart, among those saved. */
export function needsRestart(values: SavedValues): boolean {
  return setupFields.some((field) => field.applies === "restart" && Object.hasOwn(values, field.name));
}

/** Only what differs from the values in use, so an untouched field neither gets saved nor asks for a restart. */
export function changedValues(values: SavedValues, current: SavedValues): SavedValues {
  const changed: SavedValues = {};
  for (const name of Object.keys(values)) if (String(values[name]) !== String(current[name] ?? "")) changed[name] = values[name];
  return changed;
}
