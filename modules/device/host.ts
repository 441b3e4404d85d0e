// What a host module (hosts/esp32, hosts/sim; the manifest maps one of them to ftprint/host) gives main.ts.
// Types only.

import type { ListenerClass, TcpClass } from "../ftp/io.js";
import type { Settings } from "./settings.js";
import type { PrinterPort } from "print/port";
import type { MdnsClass } from "../network/advertiser.js";
import type { NetworkStatus } from "../network/wifiKeeper.js";

export interface Host {
  io: { Listener: ListenerClass; TCP: TcpClass };
  printer: PrinterPort;
  settings: Settings;
  /** Our IPv4 address as clients reach it, for PASV. */
  localAddress(): string | undefined;
  log(line: string): void;
  /** The SDK's mdns module, where the host has one (main.ts announces the services with it). */
  mdns?: MdnsClass;
  /** The device's own Wi-Fi (ESP32); absent where the host's network is simply there (simulators). */
  network?: { readonly status: NetworkStatus; onChange(listener: (status: NetworkStatus) => void): void };
}
