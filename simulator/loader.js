// Node module hooks that resolve the firmware's specifiers the way its manifest maps them on the device
// (docs/ARCHITECTURE.md), plus a generated, deep-frozen `mc/config`. Registered by simulator/main.js. Node only.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const CONFIG_URL = "ftprint:mc/config";

/** Specifiers every importer gets. */
const always = {
  "embedded:io/socket/tcp": path.join(here, "io/tcp.js"),
  "embedded:io/socket/listener": path.join(here, "io/listener.js"),
  "embedded:network/http/server": path.join(here, "httpServer.js"),    // manifest_httpserver.json's module
};

/** Mapped only when the simulator provides them (esp32-only IO on the SDK); otherwise they fail as on lin. */
const optional = {
  "embedded:io/digital": path.join(here, "io/digital.js"),
  "embedded:io/digitalbank": path.join(here, "io/digitalbank.js"),
  "embedded:io/serial": path.join(here, "io/serial.js"),
};

/** SDK names that collide with Node built-ins (`net`, `timer`...): only firmware imports see the SDK ones. */
const sdkModules = {
  timer: path.join(here, "timer.js"),
  time: path.join(here, "time.js"),
  file: path.join(here, "file.js"),
  net: path.join(here, "net.js"),
  preference: path.join(here, "preference.js"),
  mdns: path.join(here, "mdns.js"),
};

let buildRoot = path.resolve("build");
let configJson = "{}";

export function initialize(data = {}) {
  if (data.buildRoot) buildRoot = path.resolve(data.buildRoot);
  configJson = JSON.stringify(data.config ?? {});
}

/** The manifest's "<folder>/*": "./modules/<folder>/*" entries. */
const moduleFolders = ["ftp", "print", "device", "raw", "lpd", "web", "network", "raster", "ipp"];

function firmwareFolders() {
  return Object.fromEntries(moduleFolders.map((folder) => [`${folder}/`, path.join(buildRoot, `modules/${folder}/`)]));
}

function isFirmware(parentURL) {
  if (!parentURL?.startsWith("file:")) return false;
  const parent = fileURLToPath(parentURL);
  return parent.startsWith(buildRoot + path.sep);
}

function notFound(specifier) {
  // The message XS gives when a manifest lacks a module ($(MODDABLE)/xs/sources/xsModule.c, fxResolveSpecifier).
  const error = new Error(`module "${specifier}" not found`);
  error.code = "ERR_MODULE_NOT_FOUND";
  return error;
}

function found(file) {
  return { url: pathToFileURL(file).href, shortCircuit: true };
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "mc/config") return { url: CONFIG_URL, shortCircuit: true };
  if (Object.hasOwn(always, specifier)) return found(always[specifier]);
  if (Object.hasOwn(optional, specifier)) {
    if (fs.existsSync(optional[specifier])) return found(optional[specifier]);
    throw notFound(specifier);
  }
  const name = specifier.replace(/\.m?js$/, "");    // XS strips the suffix, so both spellings mean one module
  if (name === "ftprint/host") return found(path.join(buildRoot, "hosts/sim/host.js"));
  // The dongle's pin table: mapped for esp32 by the manifest; here, because our simulator has the dongle's GPIO.
  if (name === "ftprint/board") return found(path.join(buildRoot, "hosts/esp32/board.js"));
  // The raster kernel: C (modules/raster/native/rasterKernel.c) on the SDK's builds, the TypeScript one here.
  if (name === "raster/kernel") return found(path.join(buildRoot, "modules/raster/scriptKernel.js"));
  for (const [prefix, folder] of Object.entries(firmwareFolders())) {
    if (name.startsWith(prefix)) return found(path.join(folder, name.slice(prefix.length) + ".js"));
  }
  if (Object.hasOwn(sdkModules, specifier) && isFirmware(context.parentURL)) return found(sdkModules[specifier]);
  if (specifier.startsWith("embedded:")) throw notFound(specifier);
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url === CONFIG_URL) {
    const source = `const freeze = (value) => {
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) freeze(value[key]);
    Object.freeze(value);
  }
  return value;
};
export default freeze(JSON.parse(${JSON.stringify(configJson)}));
`;
    return { format: "module", source, shortCircuit: true };
  }
  return nextLoad(url, context);
}
