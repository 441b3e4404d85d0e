// ftprint: a network print server for legacy printers. Upload a print-ready file (PostScript, PCL, text) over FTP
// to /PORT1, or send it to raw port 9100, by LPD or by IPP, and it goes to the printer byte for byte, one job at a time.
// The host module (hosts/esp32 or hosts/sim, chosen by the manifest) supplies the IO; this file only starts the
// services, each on the port its setting names (0 turns one off), around the one spool they share.

import { startPrintServer } from "ftp/server";
import { chunkBytes, chunkCount } from "ftp/limits";
import { createHost } from "ftprint/host";
import { Spool } from "print/spool";
import { startRawServer } from "raw/server";
import { startLpdServer } from "lpd/server";
import { startWebPage } from "web/start";
import { startIpp } from "ipp/start";
import { urfSupported } from "ipp/printer";
import { ServicesStatus } from "web/status";
import { announceServices } from "network/announce";

createHost()
  .then((host) => {
    const { settings, io, log } = host;
    const spool = new Spool(host.printer, log, chunkBytes, chunkCount, { firstJobId: host.firstJobId, observer: host.jobObserver });
    // FTP is always on (it is what the dongle is for); its port 0 means "any free port", which the tests use.
    const services = new ServicesStatus();    // the page lists what registers here; raw/LPD add theirs when started
    const ftp = startPrintServer({
      io,
      port: settings.ftpPort,
      printer: host.printer,
      spool,
      localAddress: host.localAddress,
      log,
      credentials: settings.credentials,
      deviceName: settings.deviceName,
      logCommands: settings.logCommands,
      passivePorts: settings.passivePorts,
    });
    services.add({ name: "ftp", port: ftp.port, sessionsInUse: () => ftp.sessionsInUse() });
    // The others, each on when its port setting is not 0. A port that cannot be had (taken, or no listening PCB
    // left on the ESP32) costs that service only.
    const raw = settings.rawPort > 0
      ? startService("raw printing", () => startRawServer({ io, port: settings.rawPort, spool, log }), log) : undefined;
    if (raw) services.add({ name: "raw 9100", port: raw.port, sessionsInUse: () => raw.connectionsInUse() });
    const lpd = settings.lpdPort > 0
      ? startService("LPD", () => startLpdServer({ io, port: settings.lpdPort, spool, log, deviceName: settings.deviceName }), log) : undefined;
    if (lpd) services.add({ name: "lpd", port: lpd.port, sessionsInUse: () => lpd.connectionsInUse() });
    const ipp = settings.ippPort > 0
      ? startIpp({ io, port: settings.ippPort, spool, settings, store: host.settingsStore, hardwareAddress: host.hardwareAddress?.(),
        localAddress: host.localAddress, log }) : undefined;
    if (ipp) services.add({ name: "ipp", port: ipp.port, sessionsInUse: () => ipp.connectionsInUse() });
    const page = settings.httpPort > 0
      ? startWebPage({ io, port: settings.httpPort, spool, services, settings, store: host.settingsStore, printouts: host.printouts,
        network: host.network, log }) : undefined;
    // Last: DNS-SD over mDNS announces what did start (0: not announced), on the ports it listens on.
    if (host.mdns) {
      const ports = { ftpPort: ftp.port, rawPort: raw?.port ?? 0, lpdPort: lpd?.port ?? 0, httpPort: page ? settings.httpPort : 0 };
      const printer = ipp ? { port: ipp.port, uuid: ipp.facts.uuid, pdl: ipp.facts.formats.filter((format) => format.pdl).map((format) => format.mimeType),
        urf: urfSupported(ipp.facts), makeAndModel: ipp.facts.makeAndModel, location: ipp.facts.location, color: false, duplex: false } : undefined;
      announceServices({ MDNS: host.mdns, deviceName: settings.deviceName, ports, ipp: printer, network: host.network, log });
    }
  })
  .catch((error: unknown) => {
    // An unhandled rejection would abort the VM (reboot on the device); say why instead.
    trace(`ftprint could not start: ${String(error)}\n`);
  });

function startService<T>(name: string, start: () => T, log: (line: string) => void): T | undefined {
  try {
    return start();
  } catch (error) {
    log(`${name} could not start: ${String(error)}`);
    return undefined;
  }
}
