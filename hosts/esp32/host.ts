// Wiring for the ESP32 dongle: the SDK's lwIP sockets, GPIO and UART, the board's pins, and the printer port the
// settings choose. The only place besides hosts/sim that names concrete IO classes.
// Wi-Fi: built with ssid=... the SDK's setup/network joins the network before main runs (facts §5.2).

import Digital from "embedded:io/digital";
import DigitalBank from "embedded:io/digitalbank";
import Serial from "embedded:io/serial";
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import config from "mc/config";
import Net from "net";
import Preference from "preference";
import Timer from "timer";
import type { DigitalClass } from "embedded:io/digital";
import type { DigitalBankClass } from "embedded:io/digitalbank";
import type { SerialClass } from "embedded:io/serial";
import { parallelPins, parallelPins595, serialPins } from "ftprint/board";
import type { Host } from "device/host";
import type { ListenerClass, TcpClass } from "ftp/io";
import { readSettings, type Settings } from "device/settings";
import { overlayPreferences, SettingsStore } from "device/preferences";
import { DiscardPort } from "print/discardPort";
import { Parallel1284Port } from "print/parallel1284";
import type { PrinterPort } from "print/port";
import { SerialPrinterPort } from "print/serialPrinter";

function log(line: string): void {
  trace(line + "\n");
}

export async function createHost(): Promise<Host> {
  // The setup page's saved values (NVS) over the build's config.
  const settings = readSettings(overlayPreferences(config, Preference), { ftpPort: 21, rawPort: 9100, lpdPort: 515, httpPort: 80, printer: "parallel", captureDirectory: config.file.root });
  return {
    // The SDK classes behave as ftp/io and types/ describe; the npm typings say otherwise, hence the casts.
    io: { Listener: Listener as unknown as ListenerClass, TCP: TCP as unknown as TcpClass },
    printer: createPrinter(settings),
    settings,
    // Net.get("IP") is undefined while the station has no address; PASV then answers 425 and EPSV still works.
    localAddress: () => Net.get("IP"),
    log,
    settingsStore: new SettingsStore(Preference),
  };
}

function createPrinter(settings: Settings): PrinterPort {
  const Pin = Digital as unknown as DigitalClass;
  switch (settings.printer) {
    case "discard":
      return new DiscardPort();
    case "serial":
      return new SerialPrinterPort({
        pins: serialPins,
        io: { Serial: Serial as unknown as SerialClass, Digital: Pin, Timer },
        baud: settings.printerBaud,
        handshake: settings.printerHandshake,
      });
    case "parallel595":
      return new Parallel1284Port({ pins: parallelPins595, io: { Digital: Pin, DigitalBank: DigitalBank as unknown as DigitalBankClass, Timer } });
    default:
      if (settings.printer !== "parallel") log(`unknown printer "${settings.printer}"; using the parallel port`);
      return new Parallel1284Port({ pins: parallelPins, io: { Digital: Pin, DigitalBank: DigitalBank as unknown as DigitalBankClass, Timer } });
  }
}
