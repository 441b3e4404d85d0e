// The SDK's `preference` module for the Node simulator. Storage is lin's
// ($(MODDABLE)/modules/files/preference/lin/preference.js): one JSON file, config.file.root + "modpreferences.json",
// rewritten on every change, read once at first use, ArrayBuffers kept as {buffer: "1,2,3"}. Under --profile esp32
// (the default) it also refuses what ESP32's NVS refuses (esp32/modPreference.c, xs_preference_set; the 15-character
// limit is ESP-IDF's NVS, not in the SDK source), so code that works here works on the device: names over 15
// characters, non-integer numbers, and values that are not a boolean, an int32, a string or an ArrayBuffer. Node only.

import fs from "node:fs";
import path from "node:path";
import { getProfile } from "./io/node-net.js";

/** NVS: namespace and key names are at most 15 characters (ESP-IDF NVS_KEY_NAME_MAX_SIZE 16, with the NUL). */
export const nvsNameMax = 15;

let root = undefined;
let cache = undefined;

/** The folder lin uses as config.file.root (simulator/main.js sets it from --data). */
export function setPreferenceRoot(folder) {
  root = folder;
  cache = undefined;
}

export function preferenceFile() {
  if (root === undefined) throw new Error("preference: no file root set");
  return path.join(root, "modpreferences.json");
}

function load() {
  if (cache) return cache;
  try {
    cache = JSON.parse(fs.readFileSync(preferenceFile(), "utf8"));
    if (!cache || typeof cache !== "object") cache = {};
  } catch {
    cache = {};    // lin ignores a missing or unreadable file
  }
  return cache;
}

function save() {
  try {
    fs.mkdirSync(path.dirname(preferenceFile()), { recursive: true });
    fs.writeFileSync(preferenceFile(), JSON.stringify(cache));
  } catch {
    // lin ignores write errors too
  }
}

const strict = () => getProfile() === "esp32";

// What esp32/modPreference.c (SDK 8.2.x) does with a name NVS refuses: set() throws "nvs_open fail" for the domain
// and "nvs set fail" for the key; get() and delete() treat a domain they cannot open as empty (undefined, no-op) but
// throw "nvs get fail" / "nvs erase fail" for a key NVS refuses in a domain that exists.
const tooLong = (name) => strict() && String(name).length > nvsNameMax;

function checkName(name, what) {
  if (tooLong(name)) throw new Error(what === "domain" ? "nvs_open fail" : "nvs set fail");
}

function checkValue(value) {
  if (!strict()) return;
  switch (typeof value) {
    case "boolean":
    case "string":
      return;
    case "number":
      if (!Number.isInteger(value)) throw new Error("float unsupported");
      // modPreference.c compares the number with its int cast; outside int32 they differ (on the ESP32's compiler).
      if (value < -2147483648 || value > 2147483647) throw new Error("float unsupported");
      return;
    default:
      if (value instanceof ArrayBuffer) return;
      throw new Error("unsupported type");
  }
}

export default class Preference {
  static set(domain, key, value) {
    checkName(domain, "domain");
    checkName(key, "key");
    checkValue(value);
    const stored = value instanceof ArrayBuffer ? { buffer: new Uint8Array(value).toString() } : value;
    const all = load();
    all[domain] ??= {};
    all[domain][key] = stored;
    save();
  }

  static get(domain, key) {
    if (tooLong(domain) || load()[domain] === undefined) return undefined;
    if (tooLong(key)) throw new Error("nvs get fail");
    const value = load()[domain]?.[key];
    if (value && typeof value === "object") return Uint8Array.from(String(value.buffer).split(",").filter(Boolean), Number).buffer;
    return value;
  }

  static delete(domain, key) {
    if (tooLong(domain)) return;
    const all = load();
    if (all[domain] !== undefined && tooLong(key)) throw new Error("nvs erase fail");
    if (all[domain]?.[key] === undefined) return;
    delete all[domain][key];
    if (Object.keys(all[domain]).length === 0) delete all[domain];
    save();
  }

  static keys(domain) {
    const entries = load()[domain];
    return entries ? Object.keys(entries) : [];
  }
}
