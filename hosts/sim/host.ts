// Wiring for the simulators: the Moddable SDK's (mcconfig -p sim, platforms lin/mac/win) and ours (npm start).
// The only place besides hosts/esp32 that names concrete IO classes.

import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import config from "mc/config";
import Net from "net";
import Preference from "preference";
import MDNS from "mdns";
import type { MdnsClass } from "network/advertiser";
import type { Host } from "device/host";
import type { ListenerClass, TcpClass } from "network/io";
import { simulatorPorts, readSettings, type Settings } from "device/settings";
import { overlayPreferences, SettingsStore } from "device/preferences";
import { CapturedPrintouts } from "./printouts.js";    // "ftprint/printouts" in the manifest: XS resolves ./ against "ftprint/host"
import { DiscardPort } from "print/discardPort";
import { FilePort } from "print/filePort";
import type { PrinterPort } from "print/port";
import Timer from "timer";
import type { DigitalClass } from "embedded:io/digital";
import type { DigitalBankClass } from "embedded:io/digitalbank";
import type { SerialClass } from "embedded:io/serial";

function log(line: string): void {
  trace(line + "\n");
}

export async function createHost(): Promise<Host> {
  const SocketTCP = await linSocketFixes(TCP as unknown as TcpClass);
  // The setup page's saved values (config.file.root + "modpreferences.json" on lin) over the build's config.
  const settings = readSettings(overlayPreferences(config, Preference), { ...simulatorPorts, printer: "file", captureDirectory: config.file.root });
  const printer = await createPrinter(settings);
  // The virtual printer (our Node simulator's parallel or serial printer) keeps one printout per job, named by its
  // id: the shelf tells it where jobs begin and end, and job ids continue after the printouts already there.
  const virtualPaper = !(printer instanceof FilePort) && !(printer instanceof DiscardPort);
  const printouts = new CapturedPrintouts(settings.captureDirectory, settings.printer, virtualPaper);
  return {
    // The SDK classes behave as network/io describes (read(view) and write() return counts, Listener has close());
    // the npm typings say otherwise, hence the one cast.
    io: { Listener: Listener as unknown as ListenerClass, TCP: SocketTCP },
    printer,
    settings,
    localAddress: () => Net.get("IP"),
    log,
    settingsStore: new SettingsStore(Preference),
    // The virtual printer renders each job it prints into the capture folder (simulator/devices/shelf.js).
    printouts,
    jobObserver: virtualPaper ? printouts : undefined,
    firstJobId: printouts.firstJobId,
    mdns: mdnsOrNone(),
  };
}

/**
 * Our simulator turns its mDNS emulation off with --mdns-port 0 (config.mdns "off"). The SDK's Linux simulator
 * cannot run the SDK's mdns at all (the manifest says "unsupported" for lin): in
 * $(MODDABLE)/modules/network/socket/lin/modSocket.c, xs_socket() rejects every valid multicast address (its
 * inet_pton check is inverted), and the half-made socket it leaves has fd 0, which its destructor closes at the
 * next garbage collection; the next connection accepted then gets fd 0, which io/socket/lin/tcp.c treats as no
 * socket, so it is never answered. Not constructing it avoids both.
 */
function mdnsOrNone(): MdnsClass | undefined {
  if (config.mdns === "off") return undefined;
  if (config.mdns === "unsupported") {
    log("mDNS: not on this simulator (the SDK's lin sockets cannot join a multicast group); DNS-SD is not announced");
    return undefined;
  }
  return MDNS as unknown as MdnsClass;
}

/**
 * On mcsim (lin) two host functions mend the SDK's lin sockets (hosts/sim/lin): SIGPIPE is ignored (brokenPipes.c),
 * and the firmware's sockets report a peer's close that came while bytes were unread (endOfStream.c). Elsewhere
 * the modules are not mapped and the SDK's TCP is used as it is: mac (SO_NOSIGPIPE), win, and our Node simulator.
 */
async function linSocketFixes(TCP: TcpClass): Promise<TcpClass> {
  let ignoreBrokenPipes: () => void, withEndOfStream: (TCP: TcpClass) => TcpClass;
  try {
    ignoreBrokenPipes = (await import("ftprint/brokenPipes")).default;    // mapped on lin only
    withEndOfStream = (await import("ftprint/endOfStream")).default;
  } catch {
    return TCP;
  }
  ignoreBrokenPipes();
  return withEndOfStream(TCP);
}

/**
 * The printer named by config.printer. "file" and "discard" exist everywhere; the GPIO and UART ports need IO
 * modules that only our Node simulator provides among the simulators, so they are loaded on demand.
 */
async function createPrinter(settings: Settings): Promise<PrinterPort> {
  switch (settings.printer) {
    case "discard":
      return new DiscardPort();
    case "file":
      return new FilePort(settings.captureDirectory, settings.printerBytesPerSecond, { log });
    case "parallel":
    case "serial":
      try {
        return await createGpioPrinter(settings);
      } catch (e) {
        log(`printer "${settings.printer}" is not available here (${e}); capturing to files instead`);
        return new FilePort(settings.captureDirectory, settings.printerBytesPerSecond, { log });
      }
    default:
      log(`printer "${settings.printer}" is not available here; capturing to files instead`);
      return new FilePort(settings.captureDirectory, settings.printerBytesPerSecond, { log });
  }
}

/**
 * The dongle's ports on the Node simulator's GPIO/UART (simulator/io/*, wired to a virtual printer by
 * simulator/devices/index.js). The SDK's simulators have no such modules, so the import throws there.
 */
async function createGpioPrinter(settings: Settings): Promise<PrinterPort> {
  const board = await import("ftprint/board");    // mapped only where the dongle's GPIO exists
  if (settings.printer === "serial") {
    const { SerialPrinterPort } = await import("print/serialPrinter");
    const Serial = (await import("embedded:io/serial")).default as unknown as SerialClass;
    const Digital = (await import("embedded:io/digital")).default as unknown as DigitalClass;
    return new SerialPrinterPort({ pins: board.serialPins, io: { Serial, Digital, Timer }, baud: settings.printerBaud, handshake: settings.printerHandshake, log });
  }
  const { Parallel1284Port } = await import("print/parallel1284");
  const Digital = (await import("embedded:io/digital")).default as unknown as DigitalClass;
  const DigitalBank = (await import("embedded:io/digitalbank")).default as unknown as DigitalBankClass;
  return new Parallel1284Port({ pins: board.parallelPins, io: { Digital, DigitalBank, Timer }, log });
}
