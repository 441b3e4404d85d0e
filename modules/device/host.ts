// What a host module (hosts/esp32, hosts/sim; the manifest maps one of them to ftprint/host) gives main.ts.
// Types only.

import type { ListenerClass, TcpClass } from "../ftp/io.js";
import type { Settings } from "./settings.js";
import type { PrinterPort } from "print/port";

export interface Host {
  io: { Listener: ListenerClass; TCP: TcpClass };
  printer: PrinterPort;
  settings: Settings;
  /** Our IPv4 address as clients reach it, for PASV. */
  localAddress(): string | undefined;
  log(line: string): void;
}
