// ftprint: a network print server for legacy printers. Upload a print-ready file (PostScript, PCL, text) over FTP
// to /PORT1, or send it to raw port 9100, by LPD or by IPP, and it goes to the printer byte for byte, one job at a time.
// The host module (hosts/esp32 or hosts/sim, chosen by the manifest) supplies the IO; this file only starts the
// services, each on the port its setting names (0 turns one off), around the one spool they share.

import { startFtpServer } from "ftp/server";
import { chunkBytes, chunkCount } from "print/limits";
import { createHost } from "ftprint/host";
import type { Host } from "device/host";
import { Spool } from "print/spool";
import { startRawServer } from "raw/server";
import { startLpdServer } from "lpd/server";
import { startWebPage } from "web/start";
import { startIpp } from "ipp/start";
import { urfSupported } from "ipp/printer";
import { ServicesStatus } from "web/status";
import { announceServices } from "network/announce";

/** mDNS's own port (RFC 6762): DNS-SD is on whenever the host has mdns. */
const mdnsPort = 5353;

createHost().then(startServices, (error: unknown) => {
  // No host, so no host log: trace is all there is. An unhandled rejection would abort the VM (reboot on the device).
  trace(`ftprint could not start: ${String(error)}\n`);
});

function startServices(host: Host): void {
  const { settings, io, log } = host;
  try {
    const spool = new Spool(host.printer, log, chunkBytes, chunkCount, { firstJobId: host.firstJobId, observer: host.jobObserver });
    // FTP is always on (it is what the dongle is for), and unguarded: without it the firmware has failed to start.
    // Its port 0 means "any free port", which the tests use.
    const services = new ServicesStatus();    // the page lists what registers here
    const ftp = startFtpServer({
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
    services.add({ name: "ftp", port: ftp.port, sessionsInUse: () => ftp.connectionsInUse() });
    // The others, each on when its port setting is not 0, each guarded alike.
    const raw = startService("raw printing", settings.rawPort, log, () => startRawServer({ io, port: settings.rawPort, spool, log }));
    if (raw) services.add({ name: "raw 9100", port: raw.port, sessionsInUse: () => raw.connectionsInUse() });
    const lpd = startService("LPD", settings.lpdPort, log,
      () => startLpdServer({ io, port: settings.lpdPort, spool, log, deviceName: settings.deviceName }));
    if (lpd) services.add({ name: "lpd", port: lpd.port, sessionsInUse: () => lpd.connectionsInUse() });
    const ipp = startService("IPP", settings.ippPort, log, () => startIpp({ io, port: settings.ippPort, spool, settings,
      store: host.settingsStore, hardwareAddress: host.hardwareAddress?.(), localAddress: host.localAddress, log }));
    if (ipp) services.add({ name: "ipp", port: ipp.port, sessionsInUse: () => ipp.connectionsInUse() });
    const page = startService("web page", settings.httpPort, log, () => startWebPage({ io, port: settings.httpPort, spool, services,
      settings, store: host.settingsStore, printouts: host.printouts, network: host.network, log }));
    // Last: DNS-SD over mDNS announces what did start (0: not announced), on the ports it listens on.
    const mdns = host.mdns;
    if (!mdns) return;
    const ports = { ftpPort: ftp.port, rawPort: raw?.port ?? 0, lpdPort: lpd?.port ?? 0, httpPort: page ? settings.httpPort : 0 };
    const printer = ipp ? { port: ipp.port, uuid: ipp.facts.uuid, pdl: ipp.facts.formats.filter((format) => format.pdl).map((format) => format.mimeType),
      urf: urfSupported(ipp.facts), makeAndModel: ipp.facts.makeAndModel, location: ipp.facts.location, color: false, duplex: false } : undefined;
    startService("DNS-SD", mdnsPort, log, () => announceServices({ MDNS: mdns, deviceName: settings.deviceName, ports, ipp: printer, network: host.network, log }));
  } catch (error) {
    log(`ftprint could not start: ${String(error)}`);
  }
}

/**
 * One service started, if its port is not 0; one that cannot start costs that service only. Its listener throws
 * "bind socket failed" (lin), "socket bind" or RangeError "no memory" (ESP32: no listening PCB left), from the two
 * xs_listener_constructor()s in $(MODDABLE)/modules/io/socket/lin/tcp.c and lwip/tcp.c.
 */
function startService<T>(name: string, port: number, log: (line: string) => void, start: () => T): T | undefined {
  if (port === 0) return undefined;
  try {
    return start();
  } catch (error) {
    log(`${name} could not start on port ${port}: ${String(error)}`);
    return undefined;
  }
}
