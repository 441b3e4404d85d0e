// The WebContext the routes read, built over the settings in use, the spool, the services and the
// preference-backed store. Pure: no IO of its own (the store and the spool are passed in).

import type { ListenerClass } from "network/io";
import type { SavedValues, SettingsStore } from "device/preferences";
import type { Settings } from "device/settings";
import type { Spool } from "print/spool";
import type { NetworkStatus } from "network/wifiKeeper";
import type { PrintoutShelf } from "./printouts.js";
import type { WebContext } from "./routes.js";
import { gatherStatus, type ServicesStatus } from "./status.js";

export interface WebPageOptions {
  io: { Listener: ListenerClass };
  port: number;
  spool: Spool;
  services?: ServicesStatus | undefined;
  settings: Settings;
  /** Where saved settings go (preference); without one the form answers that nothing can be saved. */
  store?: SettingsStore | undefined;
  printouts?: PrintoutShelf | undefined;
  /** The Wi-Fi keeper's state (ESP32), shown on the page; absent on the simulators. */
  network?: { readonly status: NetworkStatus } | undefined;
  log(line: string): void;
}

/** The form's values for the settings in use (no secrets). */
export function valuesOf(settings: Settings): SavedValues {
  return {
    deviceName: settings.deviceName,
    ftpUser: settings.credentials?.user ?? "",
    printer: settings.printer,
    printerBaud: settings.printerBaud,
    handshake: settings.printerHandshake,
    printerSpeed: settings.printerBytesPerSecond,
    printerLanguage: settings.printerLanguage,
    wifiSsid: settings.wifi.ssid,
  };
}

export function createWebContext(options: WebPageOptions): WebContext {
  const { settings, store, spool } = options;
  const savedNow: SavedValues = {};    // saved since start: shown at once, applied (mostly) after a restart
  const current = (): SavedValues => {
    const values = { ...valuesOf(settings), ...savedNow };
    delete values.ftpPassword;
    delete values.wifiPassword;
    return values;
  };
  return {
    status: () => gatherStatus(String(current().deviceName), spool, options.services, options.network),
    currentValues: current,
    hasFtpPassword: () => Boolean(settings.credentials?.password) || typeof savedNow.ftpPassword === "string",
    save(values: SavedValues) {
      if (!store) throw new Error("no settings store on this host");
      store.save(values);
      Object.assign(savedNow, values);
    },
    removeJob: (id: number) => spool.remove(id),
    printouts: options.printouts,
  };
}

