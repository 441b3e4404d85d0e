// ftprint: an FTP print server. Upload a print-ready file (PostScript, PCL, text) to /PORT1 and it goes to the
// printer byte for byte. The host module (hosts/esp32 or hosts/sim, chosen by the manifest) supplies the IO.

import { startPrintServer } from "ftp/server";
import { createHost } from "ftprint/host";

createHost()
  .then((host) => {
    startPrintServer({
      io: host.io,
      port: host.settings.ftpPort,
      printer: host.printer,
      localAddress: host.localAddress,
      log: host.log,
      credentials: host.settings.credentials,
      deviceName: host.settings.deviceName,
      logCommands: host.settings.logCommands,
      passivePorts: host.settings.passivePorts,
    });
  })
  .catch((error: unknown) => {
    // An unhandled rejection would abort the VM (reboot on the device); say why instead.
    trace(`ftprint could not start: ${String(error)}\n`);
  });
