// Settings saved from the setup page, kept with the SDK's `preference` module ($(MODDABLE)/modules/files/preference):
// read once at start and laid over mc/config, so a saved value wins over the build's. Pure: the backend (the SDK's
// Preference) is passed in.
// ESP32 keeps preferences in NVS ($(MODDABLE)/modules/files/preference/esp32/modPreference.c, xs_preference_set:
// "float unsupported", and ESP-IDF's 15-character limit on namespace and key names), so every key here is short and
// every number a whole one.

/** The part of the SDK's Preference class we use (its statics). */
export interface PreferenceBackend {
  get(domain: string, key: string): string | boolean | number | ArrayBuffer | undefined;
  set(domain: string, key: string, value: string | boolean | number | ArrayBuffer): void;
  delete(domain: string, key: string): void;
  keys(domain: string): string[];
}

/** The NVS namespace. */
export const preferenceDomain = "ftprint";

export type SavedKind = "text" | "secret" | "number";

export interface SavedSetting {
  /** The preference key (at most 15 characters: NVS). */
  readonly key: string;
  /** The mc/config name it overrides (what readSettings reads). */
  readonly config: string;
  readonly kind: SavedKind;
}

/** Everything the setup page can save. Secrets are never shown back. */
export const savedSettings: readonly SavedSetting[] = Object.freeze([
  Object.freeze({ key: "deviceName", config: "deviceName", kind: "text" }),
  Object.freeze({ key: "ftpUser", config: "ftpUser", kind: "text" }),
  Object.freeze({ key: "ftpPassword", config: "ftpPassword", kind: "secret" }),
  Object.freeze({ key: "printer", config: "printer", kind: "text" }),
  Object.freeze({ key: "printerBaud", config: "printerBaud", kind: "number" }),
  Object.freeze({ key: "handshake", config: "printerHandshake", kind: "text" }),
  Object.freeze({ key: "printerSpeed", config: "printerBytesPerSecond", kind: "number" }),
  Object.freeze({ key: "printerLanguage", config: "printerLanguage", kind: "text" }),
  Object.freeze({ key: "wifiSsid", config: "wifiSsid", kind: "text" }),
  Object.freeze({ key: "wifiPassword", config: "wifiPassword", kind: "secret" }),
] satisfies SavedSetting[]);

export type SavedValues = Record<string, string | number>;

/**
 * mc/config with the saved preferences laid over it, as strings (how mcconfig passes values, so readSettings
 * parses both alike). An empty saved string is kept: it means "none" (no FTP login, no Wi-Fi network).
 */
export function overlayPreferences(config: Record<string, unknown>, backend: PreferenceBackend | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  if (!backend) return merged;
  for (const setting of savedSettings) {
    let value: unknown;
    try {
      value = backend.get(preferenceDomain, setting.key);
    } catch {
      continue;    // an unreadable entry is as good as none
    }
    if (typeof value === "string" || typeof value === "number") merged[setting.config] = String(value);
  }
  // readSettings treats "" as "not set"; a saved empty user or SSID must still override the build's.
  if (merged.ftpUser === "") merged.ftpPassword = "";
  return merged;
}

/** Saves and reads back the setup page's values. */
export class SettingsStore {
  readonly #backend: PreferenceBackend;

  constructor(backend: PreferenceBackend) {
    this.#backend = backend;
  }

  /** Writes each given value (its key must be in savedSettings); throws what the backend throws. */
  save(values: SavedValues): void {
    for (const setting of savedSettings) {
      if (!Object.hasOwn(values, setting.key)) continue;
      const value = values[setting.key];
      this.#backend.set(preferenceDomain, setting.key, setting.kind === "number" ? Math.trunc(Number(value)) : String(value));
    }
  }

  /**
   * A value the firmware makes once and keeps for good (IPP's printer-uuid): the saved string under `key`, or
   * make()'s, saved now. Not one of the setup page's settings, so clear() leaves it. Throws what the backend throws.
   */
  kept(key: string, make: () => string): string {
    const saved = this.#backend.get(preferenceDomain, key);
    if (typeof saved === "string" && saved !== "") return saved;
    const value = make();
    this.#backend.set(preferenceDomain, key, value);
    return value;
  }

  /** Forgets every saved value: the build's settings apply again after a restart. */
  clear(): void {
    for (const setting of savedSettings) this.#backend.delete(preferenceDomain, setting.key);
  }
}
