// `npm start`: runs the built firmware (build/main.js) on Node with simulated SDK modules and real sockets.
// Parses the command line into mc/config (strings, as mcconfig passes them), registers the loader, imports main.

import fs from "node:fs";
import path from "node:path";
import { register } from "node:module";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { setProfile } from "./io/node-net.js";
import { reportUncaught } from "./io/abort.js";
import { setTimeScale } from "./timer.js";
import { setAddress } from "./net.js";
import { setPreferenceRoot } from "./preference.js";
import { setMdnsPort } from "./mdns.js";

const usage = `usage: node simulator/main.js [options]
  --port N               FTP control port (default 2121; 0 = any free port, the firmware logs which)
  --raw-port N           raw TCP printing, AppSocket/JetDirect (default 9100; 0 = off)
  --lpd-port N           LPD, RFC 1179 (default 5515, since 515 needs root; 0 = off)
  --http-port N          the status and setup page (default 8080; 0 = off)
  --ipp-port N           IPP, ipp://127.0.0.1:N/ipp/print (default 8631, since 631 needs root; 0 = off)
  --mdns-port N          UDP port of the mDNS emulation, on 127.0.0.1 only (default 5353; 0 = off)
  --address A            what Net.get("IP") answers, used in PASV replies (default 127.0.0.1)
  --capture DIR          folder for the file printer port, one file per job (default ./capture)
  --data DIR             the device's file root (config.file.root): where the settings saved from the setup page
                         are kept (modpreferences.json) and kept across restarts (default ./sim-data)
  --printer KIND         parallel | serial | file | discard (default parallel: the firmware's IEEE 1284 driver
                         on simulated GPIO, wired to a virtual printer that checks the handshake)
  --printer-speed BPS    bytes per second: the virtual printer's speed (parallel default 150000, serial 2000),
                         or the file port's limit (default 0 = unlimited)
  --baud N               serial printer's baud rate (default 9600)
  --handshake H          serial printer's flow control: xonxoff (XON/XOFF on the UART's RX) | busy (the printer's
                         busy/DTR line on a GPIO) (default xonxoff)
  --paper-out-at N       the virtual printer runs out of paper after N bytes ...
  --paper-out-for S      ... and gets it back S seconds later (default 10)
  --offline-at N         the virtual printer goes offline after N bytes ...
  --offline-for S        ... for S seconds (default 10)
  --error-at N           the virtual parallel printer asserts nERROR after N bytes ...
  --error-for S          ... for S seconds (default 10)
  --log-commands         log every command line (PASS masked), not only sessions and jobs
  --user U --password P  credentials (default: any user and password are accepted)
  --ghostscript CMD      Ghostscript, for the page's previews of PostScript jobs (default gs)
  --time-scale K         simulated time runs K times faster (default 1)
  --profile P            socket behaviour: esp32 (lwIP-like) | lin (SDK desktop simulator) (default esp32)
  --build DIR            folder with the compiled firmware (default ./build)
  --help                 this text
`;

function fail(message) {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "2121" },
      "raw-port": { type: "string", default: "9100" },
      "lpd-port": { type: "string", default: "5515" },
      "http-port": { type: "string", default: "8080" },
      "ipp-port": { type: "string", default: "8631" },
      "mdns-port": { type: "string", default: "5353" },
      address: { type: "string", default: "127.0.0.1" },
      capture: { type: "string", default: "./capture" },
      data: { type: "string", default: "./sim-data" },
      printer: { type: "string", default: "parallel" },
      "printer-speed": { type: "string", default: "0" },
      baud: { type: "string", default: "9600" },
      handshake: { type: "string", default: "xonxoff" },
      "paper-out-at": { type: "string" },
      "paper-out-for": { type: "string" },
      "offline-at": { type: "string" },
      "offline-for": { type: "string" },
      "error-at": { type: "string" },
      "error-for": { type: "string" },
      "log-commands": { type: "boolean", default: false },
      user: { type: "string" },
      password: { type: "string" },
      ghostscript: { type: "string", default: "gs" },
      "time-scale": { type: "string", default: "1" },
      profile: { type: "string", default: "esp32" },
      build: { type: "string", default: path.join(path.dirname(new URL(import.meta.url).pathname), "..", "build") },
      help: { type: "boolean", default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(error.message);
}

if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const port = Number(values.port);
for (const name of ["port", "raw-port", "lpd-port", "http-port", "ipp-port", "mdns-port"])
  if (!/^\d+$/.test(values[name]) || Number(values[name]) > 65535) fail(`--${name} must be 0..65535, not ${values[name]}`);
if (!["parallel", "serial", "file", "discard"].includes(values.printer)) fail(`--printer must be parallel, serial, file or discard`);
for (const name of ["baud", "paper-out-at", "paper-out-for", "offline-at", "offline-for", "error-at", "error-for"])
  if (values[name] !== undefined && !/^\d+$/.test(values[name])) fail(`--${name} must be a whole number`);
const count = (name) => (values[name] === undefined ? undefined : Number(values[name]));
if (!/^\d+$/.test(values["printer-speed"])) fail(`--printer-speed must be a whole number of bytes per second`);
if (!(Number(values["time-scale"]) > 0)) fail(`--time-scale must be a number above 0`);
if (!["xonxoff", "busy"].includes(values.handshake)) fail(`--handshake must be xonxoff or busy`);
if (!["esp32", "lin"].includes(values.profile)) fail(`--profile must be esp32 or lin`);
if ((values.user === undefined) !== (values.password === undefined)) fail(`--user and --password go together`);

const captureDirectory = path.resolve(values.capture);
fs.mkdirSync(captureDirectory, { recursive: true });
const buildRoot = path.resolve(values.build);

/** What mcconfig would generate: every command-line value a string, plus the platform's file root. */
const config = {
  ftpPort: String(port),
  rawPort: values["raw-port"],
  lpdPort: values["lpd-port"],
  httpPort: values["http-port"],
  ippPort: values["ipp-port"],
  printer: values.printer,
  captureDirectory,
  printerBytesPerSecond: values["printer-speed"],
  printerBaud: values.baud,
  printerHandshake: values.handshake,
  deviceName: "ftprint",
  file: { root: path.resolve(values.data) + path.sep },    // lin's is the temp folder; ours persists (--data)
};
if (values["log-commands"]) config.logCommands = "1";
if (values["mdns-port"] === "0") config.mdns = "off";
if (values.user !== undefined) {
  config.ftpUser = values.user;
  config.ftpPassword = values.password;
}

fs.mkdirSync(config.file.root, { recursive: true });
setPreferenceRoot(config.file.root);
register("./loader.js", { parentURL: import.meta.url, data: { config, buildRoot } });
setProfile(values.profile);
setTimeScale(Number(values["time-scale"]));
setAddress(values.address);
setMdnsPort(Number(values["mdns-port"]));

/** trace(...values): joined with no separator and no newline, as on the SDK. */
function trace(...items) {
  process.stdout.write(items.map(String).join(""));
}
trace.left = trace.right = trace.center = (message) => trace(message);
globalThis.trace = trace;

process.on("unhandledRejection", (reason) => reportUncaught(reason));    // an abort on the SDK too
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));

const entry = path.join(buildRoot, "main.js");
if (!fs.existsSync(entry)) {
  process.stderr.write(`no firmware at ${entry}: run npm run build first\n`);
  process.exit(1);
}
// The virtual printer goes behind the simulated GPIO/UART before the firmware opens its pins.
const { createVirtualPrinter } = await import("./devices/index.js");
const wired = values.printer === "parallel" || values.printer === "serial";
const virtualPrinter = wired && await createVirtualPrinter({
  printer: values.printer,
  pins: await import(pathToFileURL(path.join(buildRoot, "hosts/esp32/board.js")).href),    // the firmware's own wiring
  bytesPerSecond: Number(values["printer-speed"]),
  flow: values.handshake,    // the virtual printer speaks what the firmware was told to expect
  paperOutAt: count("paper-out-at"),
  paperOutForS: count("paper-out-for"),
  offlineAt: count("offline-at"),
  offlineForS: count("offline-for"),
  errorAt: count("error-at"),
  errorForS: count("error-for"),
  captureDirectory,
  gs: values.ghostscript,
  timeScale: Number(values["time-scale"]),
});
process.on("exit", () => virtualPrinter && virtualPrinter.close());
const firmware = await import(pathToFileURL(entry).href);
if (typeof firmware.default === "function") firmware.default();    // XS calls a default-exported main
