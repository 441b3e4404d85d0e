// ftprint: a network print server for legacy printers. Upload a print-ready file (PostScript, PCL, text) over FTP
// to /PORT1, or send it to raw port 9100 or by LPD, and it goes to the printer byte for byte, one job at a time.
// The host module (hosts/esp32 or hosts/sim, chosen by the manifest) supplies the IO; this file only starts the
// services, each on the port its setting names (0 turns one off), around the one spool they share.

import { startPrintServer } from "ftp/server";
import { chunkBytes, chunkCount } from "ftp/limits";
import { createHost } from "ftprint/host";
import { Spool } from "print/spool";
import { startRawServer } from "raw/server";
import { startLpdServer } from "lpd/server";

createHost()
  .then((host) => {
    const { settings, io, log } = host;
    const spool = new Spool(host.printer, log, chunkBytes, chunkCount);
    // FTP is always on (it is what the dongle is for); its port 0 means "any free port", which the tests use.
    startPrintServer({
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
    // ---- further services start here, each guarded by its port setting ----
    if (settings.rawPort > 0) startRawServer({ io, port: settings.rawPort, spool, log });
    if (settings.lpdPort > 0) startLpdServer({ io, port: settings.lpdPort, spool, log, deviceName: settings.deviceName });
  })
  .catch((error: unknown) => {
    // An unhandled rejection would abort the VM (reboot on the device); say why instead.
    trace(`ftprint could not start: ${String(error)}\n`);
  });
