// `npm start`: runs the built firmware (build/main.js) on Node with simulated SDK modules and real sockets.
// Parses the command line into mc/config (strings, as mcconfig passes them), registers the loader, imports main.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { register } from "node:module";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { observeListens, setListenAddress, setProfile } from "./io/node-net.js";
import { reportUncaught } from "./io/abort.js";
import { setTimeScale } from "./timer.js";
import { setAddress } from "./net.js";
import { setPreferenceRoot } from "./preference.js";
import { setMdnsListenAddress, setMdnsPort } from "./mdns.js";

const usage = `usage: node simulator/main.js [options]
  --port N               FTP control port (default 2121; 0 = any free port, the firmware logs which)
  --raw-port N           raw TCP printing, AppSocket/JetDirect (default 9100; 0 = off)
  --lpd-port N           LPD, RFC 1179 (default 5515, since 515 needs root; 0 = off)
  --http-port N          the status and setup page (default 8080; 0 = off)
  --ipp-port N           IPP, ipp://127.0.0.1:N/ipp/print (default 8631, since 631 needs root; 0 = off)
  --mdns-port N          UDP port of the mDNS emulation (default 5353; 0 = off)
  --listen A             the IPv4 address every service binds, mDNS too (default 127.0.0.1: this machine only;
                         0.0.0.0: every interface, so the local network can print to it)
  --address A            what Net.get("IP") answers: the address in PASV replies and DNS-SD's A record (default
                         the --listen address; with --listen 0.0.0.0, this machine's first network address)
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
  --printer-language L   what IPP's raster jobs are turned into: pcl5 | pcl3 | escp2 (default pcl5; a choice
                         saved from the setup page wins)
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

Exit status: 0 when stopped by SIGINT or SIGTERM; 1 when it cannot start (the FTP port cannot be had, the capture
or data folder is unusable); 2 for a bad command line; 70 when an exception escapes the firmware (a reboot on the
device). A raw, LPD, page or mDNS port that cannot be had leaves that service off, with a line saying which.
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
      listen: { type: "string", default: "127.0.0.1" },
      address: { type: "string" },
      capture: { type: "string", default: "./capture" },
      data: { type: "string", default: "./sim-data" },
      printer: { type: "string", default: "parallel" },
      "printer-speed": { type: "string", default: "0" },
      baud: { type: "string", default: "9600" },
      handshake: { type: "string", default: "xonxoff" },
      "printer-language": { type: "string" },
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
  fail(String(error.message).replace(/\. To specify a positional argument.*$/s, ""));    // parseArgs' hint misleads here
}

if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const port = Number(values.port);
for (const name of ["port", "raw-port", "lpd-port", "http-port", "ipp-port", "mdns-port"])
  if (!/^\d+$/.test(values[name]) || Number(values[name]) > 65535) fail(`--${name} must be 0..65535, not ${values[name]}`);
if (!["parallel", "serial", "file", "discard"].includes(values.printer)) fail(`--printer must be parallel, serial, file or discard, not ${values.printer}`);
for (const name of ["paper-out-at", "paper-out-for", "offline-at", "offline-for", "error-at", "error-for"])
  if (values[name] !== undefined && !/^\d+$/.test(values[name])) fail(`--${name} must be a whole number, not ${values[name]}`);
if (!/^\d+$/.test(values.baud) || !(Number(values.baud) >= 1 && Number(values.baud) <= 20_000_000)) fail(`--baud must be 1..20000000, not ${values.baud}`);
const count = (name) => (values[name] === undefined ? undefined : Number(values[name]));
if (!/^\d+$/.test(values["printer-speed"])) fail(`--printer-speed must be a whole number of bytes per second, not ${values["printer-speed"]}`);
if (!/^\d+(\.\d+)?$/.test(values["time-scale"]) || !(Number(values["time-scale"]) > 0)) fail(`--time-scale must be a number above 0, not ${values["time-scale"]}`);
if (!["xonxoff", "busy"].includes(values.handshake)) fail(`--handshake must be xonxoff or busy, not ${values.handshake}`);
if (values["printer-language"] !== undefined && !["pcl5", "pcl3", "escp2"].includes(values["printer-language"])) fail(`--printer-language must be pcl5, pcl3 or escp2, not ${values["printer-language"]}`);
if (!["esp32", "lin"].includes(values.profile)) fail(`--profile must be esp32 or lin, not ${values.profile}`);
if ((values.user === undefined) !== (values.password === undefined)) fail(`--user and --password go together`);
if (!isIPv4(values.listen)) fail(`--listen must be an IPv4 address such as 127.0.0.1 or 0.0.0.0, not ${values.listen}`);
if (values.address !== undefined && (!isIPv4(values.address) || values.address === "0.0.0.0"))
  fail(`--address must be this machine's IPv4 address as clients reach it, not ${values.address}`);
const listenAddress = values.listen;
const address = values.address ?? (listenAddress === "0.0.0.0" ? networkAddress() : listenAddress);

/** The TCP services and the flags that set their ports; FTP first, as main.ts starts it first. */
const services = [
  { flag: "port", label: "FTP", port },
  { flag: "raw-port", label: "raw printing", port: Number(values["raw-port"]) },
  { flag: "lpd-port", label: "LPD", port: Number(values["lpd-port"]) },
  { flag: "http-port", label: "web page", port: Number(values["http-port"]) },
  { flag: "ipp-port", label: "IPP", port: Number(values["ipp-port"]) },
];
for (const [i, service] of services.entries()) {
  const same = services.slice(0, i).find((other) => other.port === service.port && service.port > 0);
  if (same) fail(`--${service.flag} ${service.port} is --${same.flag} already: each service needs a port of its own`);
}

const captureDirectory = path.resolve(values.capture);
const dataDirectory = path.resolve(values.data);
for (const [flag, folder] of [["--capture", captureDirectory], ["--data", dataDirectory]]) {
  const problem = folderProblem(folder);
  if (problem) {
    process.stderr.write(`${flag} ${values[flag.slice(2)]}: ${problem}\n`);
    process.exit(1);
  }
}
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
  file: { root: dataDirectory + path.sep },    // lin's is the temp folder; ours persists (--data)
};
if (values["log-commands"]) config.logCommands = "1";
if (values["printer-language"] !== undefined) config.printerLanguage = values["printer-language"];    // else the firmware's default
if (values["mdns-port"] === "0") config.mdns = "off";
if (values.user !== undefined) {
  config.ftpUser = values.user;
  config.ftpPassword = values.password;
}

setPreferenceRoot(config.file.root);
register("./loader.js", { parentURL: import.meta.url, data: { config, buildRoot } });
setProfile(values.profile);
setTimeScale(Number(values["time-scale"]));
setAddress(address);
setListenAddress(listenAddress);
setMdnsListenAddress(listenAddress);
setMdnsPort(Number(values["mdns-port"]));
watchServicePorts();
process.stdout.write(listenAddress === "0.0.0.0"
  ? `simulator: services on every interface (--listen 0.0.0.0); PASV and DNS-SD give ${address}\n`
  : `simulator: services on ${listenAddress} only (--listen 0.0.0.0 serves the network)\n`);

/** trace(...values): joined with no separator and no newline, as on the SDK. */
function trace(...items) {
  const text = items.map(String).join("");
  process.stdout.write(text);
  // main.ts's last word when the firmware cannot start (on the device it then sits idle): here, the end.
  if (text.startsWith("ftprint could not start")) exitSoon(1);
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


// ---- helpers ----

function isIPv4(text) {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return Boolean(parts) && parts.slice(1).every((part) => Number(part) <= 255);
}

/** The first IPv4 address of this machine that is not loopback: what a dongle's Net.get("IP") would be. */
function networkAddress() {
  for (const entries of Object.values(os.networkInterfaces()))
    for (const entry of entries ?? []) if (entry.family === "IPv4" && !entry.internal) return entry.address;
  return "127.0.0.1";
}

/** Exits on the next turn, once the lines of this one (the firmware's own "could not start") are out. */
function exitSoon(code) {
  setImmediate(() => process.exit(code));
}

/** "ENOENT: no such file or directory" from Node's "ENOENT: no such file or directory, mkdir '/x'". */
function reason(error) {
  return error.code ? String(error.message).replace(/, \w+ '.*'$/, "") : String(error);
}

/**
 * Why `folder` cannot hold the simulator's files, or undefined when it can: it is made if missing (with its
 * parents; not Node's recursive mkdir, which loops for ever on a path such as /proc/x), must be a folder, and a
 * file must be creatable in it.
 */
function folderProblem(folder) {
  const make = (dir) => {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if (error.code === "EEXIST") return;
      const parent = path.dirname(dir);
      if (error.code !== "ENOENT" || parent === dir) throw error;
      make(parent);
      fs.mkdirSync(dir);
    }
  };
  try {
    make(folder);
  } catch (error) {
    return `cannot create the folder ${folder} (${reason(error)})`;
  }
  if (!fs.statSync(folder).isDirectory()) return `${folder} is not a folder`;
  const probe = path.join(folder, `.ftprint-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, "");
    fs.unlinkSync(probe);
  } catch (error) {
    return `cannot write in ${folder} (${reason(error)})`;
  }
  return undefined;
}

/**
 * Names the port and the flag when a service's listener cannot be had. The firmware only sees the SDK's
 * "bind socket failed" and logs "... could not start"; node-net tells us every listen attempt. The first one is
 * FTP's (main.ts starts it first); the others are matched by port, once each, so a PASV listener that later tries
 * the same port number is not taken for a service. Without FTP the simulator exits 1: it serves nothing.
 */
function watchServicePorts() {
  const awaited = services.slice(1).filter((service) => service.port > 0);
  let ftpSeen = false;
  observeListens((listenPort, code) => {
    let service;
    if (!ftpSeen) {
      ftpSeen = true;
      service = services[0];
    } else {
      const index = awaited.findIndex((candidate) => candidate.port === listenPort);
      if (index < 0) return;
      [service] = awaited.splice(index, 1);
    }
    if (!code) return;
    const fatal = service === services[0];
    const change = `choose another with --${service.flag} N${fatal ? "" : ` (0 turns it off); ${service.label} stays off`}`;
    const why = code === "EADDRINUSE" ? `is in use: ${change}`
      : code === "EACCES" ? `needs privileges (EACCES): ${change}`
      : code === "ENOTSUP" ? `cannot be had: this Node has no process.binding("tcp_wrap") to bind ${listenAddress} with (Node 20 has it)`
      : `cannot be had on ${listenAddress} (${code}): ${change}`;
    process.stderr.write(code === "EADDRNOTAVAIL"
      ? `${service.label} cannot listen on ${listenAddress}: not an address of this machine (--listen)\n`
      : `${service.label} port ${listenPort} ${why}\n`);
    if (fatal) exitSoon(1);
  });
}
