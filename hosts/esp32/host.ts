// Wiring for the ESP32 dongle: the SDK's lwIP sockets, GPIO and UART, the board's pins, and the printer port the
// settings choose. The only place besides hosts/sim that names concrete IO classes.
// Wi-Fi: built without mcconfig's ssid= (so $(MODDABLE)/build/devices/esp32/setup/network.js returns at once); the
// Wi-Fi keeper joins config.wifiSsid, rejoins after a drop, and opens the "ftprint-XXXX" access point when it cannot
// (network/wifiKeeper). createHost waits for either.

import Digital from "embedded:io/digital";
import DigitalBank from "embedded:io/digitalbank";
import Serial from "embedded:io/serial";
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import config from "mc/config";
import Net from "net";
import Preference from "preference";
import Timer from "timer";
import MDNS from "mdns";
import type { DigitalClass } from "embedded:io/digital";
import type { DigitalBankClass } from "embedded:io/digitalbank";
import type { SerialClass } from "embedded:io/serial";
import { parallelPins, parallelPins595, serialPins } from "ftprint/board";
import type { Host } from "device/host";
import type { ListenerClass, TcpClass } from "network/io";
import { devicePorts, readSettings, type Settings } from "device/settings";
import { overlayPreferences, SettingsStore } from "device/preferences";
import { DiscardPort } from "print/discardPort";
import { Parallel1284Port } from "print/parallel1284";
import type { PrinterPort } from "print/port";
import { SerialPrinterPort } from "print/serialPrinter";
import type { MdnsClass } from "network/advertiser";
import { WifiKeeper } from "network/wifiKeeper";
import { SdkWifiRadio } from "./wifiRadio.js";

function log(line: string): void {
  trace(line + "\n");
}

export async function createHost(): Promise<Host> {
  // The setup page's saved values (NVS) over the build's config.
  const settings = readSettings(overlayPreferences(config, Preference), { ...devicePorts, printer: "parallel", captureDirectory: config.file.root });
  const keeper = await startWifi(settings);
  return {
    // The SDK classes behave as network/io and types/ describe; the npm typings say otherwise, hence the casts.
    io: { Listener: Listener as unknown as ListenerClass, TCP: TCP as unknown as TcpClass },
    printer: createPrinter(settings),
    settings,
    // The station's address, or the access point's while only that is up (PASV must name one the client reaches).
    localAddress: () => keeper.status.stationAddress ?? keeper.status.accessPoint?.address,
    hardwareAddress: () => Net.get("MAC") as string | undefined,
    log,
    settingsStore: new SettingsStore(Preference),
    mdns: MDNS as unknown as MdnsClass,
    network: keeper,
  };
}

/**
 * Starts the Wi-Fi keeper and resolves once some network is up (the station has an address or the access point
 * is open): before that, new Listener() throws "no network" ($(MODDABLE)/modules/io/common/builtinCommon.h,
 * CHECK_NETWORK_SAFE, called by xs_listener_constructor in modules/io/socket/lwip/tcp.c). The keeper itself runs on
 * forever.
 */
function startWifi(settings: Settings): Promise<WifiKeeper> {
  let keeper: WifiKeeper | undefined;
  const radio = new SdkWifiRadio((message, value) => keeper?.notify(message, value));
  keeper = new WifiKeeper({ radio, timer: Timer, ssid: settings.wifi.ssid, password: settings.wifi.password, log });
  const started = keeper;
  return new Promise((resolve) => {
    let waiting = true;
    started.onChange(() => {
      if (waiting && started.online) {
        waiting = false;
        resolve(started);
      }
    });
    started.start();
  });
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
        log,
      });
    case "parallel595":
      return new Parallel1284Port({ pins: parallelPins595, io: { Digital: Pin, DigitalBank: DigitalBank as unknown as DigitalBankClass, Timer }, log });
    default:
      if (settings.printer !== "parallel") log(`unknown printer "${settings.printer}"; using the parallel port`);
      return new Parallel1284Port({ pins: parallelPins, io: { Digital: Pin, DigitalBank: DigitalBank as unknown as DigitalBankClass, Timer }, log });
  }
}
