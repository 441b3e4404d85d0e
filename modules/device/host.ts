// What a host module (hosts/esp32, hosts/sim; the manifest maps one of them to ftprint/host) gives main.ts.
// Types only.

import type { ListenerClass, TcpClass } from "network/io";
import type { Settings } from "./settings.js";
import type { PrinterPort } from "print/port";
import type { SpoolObserver } from "print/spool";
import type { SettingsStore } from "./preferences.js";
import type { PrintoutShelf } from "web/printouts";
import type { MdnsClass } from "network/advertiser";
import type { NetworkStatus } from "network/wifiKeeper";

export interface Host {
  io: { Listener: ListenerClass; TCP: TcpClass };
  printer: PrinterPort;
  settings: Settings;
  /** Our IPv4 address as clients reach it, for PASV. */
  localAddress(): string | undefined;
  /** The network interface's MAC address, where there is one (the seed of IPP's printer-uuid). */
  hardwareAddress?(): string | undefined;
  log(line: string): void;
  /** Keeps what the setup page saves (the SDK's preference); the settings above already include it. */
  settingsStore?: SettingsStore;
  /** What the printer printed, for the page: only the simulator's virtual printer has paper to show. */
  printouts?: PrintoutShelf;
  /** Told where each job begins and ends at the printer port (the simulator's shelf names printouts by job id). */
  jobObserver?: SpoolObserver;
  /** The spool's first job id: 1 on a device; the simulator continues after the printouts it already keeps. */
  firstJobId?: number;
  /** The SDK's mdns module, where the host has one (main.ts announces the services with it). */
  mdns?: MdnsClass;
  /** The device's own Wi-Fi (ESP32); absent where the host's network is simply there (simulators). */
  network?: { readonly status: NetworkStatus; onChange(listener: (status: NetworkStatus) => void): void };
}
