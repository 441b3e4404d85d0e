#!/usr/bin/env node
// The real Moddable SDK as a tool of the project: `npm run sdk:setup`, `build:sdk`, `build:esp32`, `start:sdk`.
//
// Which SDK: the user's `$MODDABLE` when it is set (its Linux tools must be built: $MODDABLE/build/bin/lin/release),
// otherwise the source snapshot `moddable-sdk-<version>.tar.gz` (from `$FTPRINT_SDK_TARBALL`, or ../shared/sdk/
// beside the checkout), unpacked into .cache/sdk-<version>/ and built there once per version: the Linux tools
// (mcconfig, xsc, xsl, ...), the simulator mcsim and the console debugger xsbug-log. Nothing of the SDK enters the
// repository; .cache/ is ignored.
//
//   node scripts/sdk.js setup                 unpack and build the SDK if needed; prints $MODDABLE
//   node scripts/sdk.js build [name=value...] mcconfig -d -m -p lin -t build: the firmware for mcsim (prints mc.so)
//   node scripts/sdk.js esp32 [name=value...] mcconfig -d -m -p esp32, then its TypeScript, xsc and xsl steps
//   node scripts/sdk.js start [name=value...] build, then run it in mcsim headless (Xvfb + xsbug-log)
//
// name=value pairs reach the firmware as mc/config, as on mcconfig's own command line (ftpPort=2121 ...).
// Fails on any xsl warning about a module of ours (a module that cannot be preloaded as written).

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const sdkVersion = "8.2.3";
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheRoot = join(repoRoot, ".cache", `sdk-${sdkVersion}`);
const tarballName = `moddable-sdk-${sdkVersion}.tar.gz`;
/** mcconfig names the app, and its output folders, after the manifest's folder: the checkout's name. */
const appName = basename(repoRoot);

/** Debian packages the SDK's Linux build needs (its README), and what shows each one is there. */
const buildPackages = [
  ["gcc", () => has("gcc")], ["g++", () => has("g++")], ["make", () => has("make")],
  ["pkg-config", () => has("pkg-config")], ["flex", () => has("flex")], ["bison", () => has("bison")],
  ["gperf", () => has("gperf")], ["libgtk-3-dev", () => quiet("pkg-config", ["--exists", "gtk+-3.0"])],
  ["libncurses-dev", () => quiet("sh", ["-c", "echo '#include <curses.h>' | cc -E - >/dev/null 2>&1"])],
  ["xvfb", () => has("Xvfb") && has("xvfb-run")], ["xauth", () => has("xauth")],
];

function say(line) {
  process.stderr.write(`sdk: ${line}\n`);
}

function fail(line) {
  say(line);
  process.exit(1);
}

function has(command) {
  return quiet("sh", ["-c", `command -v ${command}`]);
}

function quiet(command, args) {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The tools' folder is put first on PATH (the SDK's own makefiles call xsc, xsl ... by name), then ours (tsc). */
function toolEnvironment(moddable) {
  const bin = join(moddable, "build", "bin", "lin", "release");
  const path = [bin, join(repoRoot, "node_modules", ".bin"), process.env.PATH].join(":");
  return { ...process.env, MODDABLE: moddable, PATH: path };
}

function tarballPath() {
  if (process.env.FTPRINT_SDK_TARBALL) return resolve(process.env.FTPRINT_SDK_TARBALL);
  return resolve(repoRoot, "..", "shared", "sdk", tarballName);
}

/** Installs the missing build packages as root on Debian; elsewhere stops, naming them. */
function ensureBuildPackages() {
  const missing = buildPackages.filter(([, present]) => !present()).map(([name]) => name);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0 || !has("apt-get"))
    fail(`building the SDK needs these packages: ${missing.join(" ")}\n  on Debian/Ubuntu: sudo ${command}`);
  say(`installing ${missing.join(" ")}`);
  execFileSync("sh", ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${command} -qq >/dev/null`], { stdio: "inherit" });
}

/** Returns $MODDABLE, ready to use: the user's, or the snapshot built in .cache/. */
export function setup() {
  if (process.env.MODDABLE) {
    const moddable = resolve(process.env.MODDABLE);
    if (!existsSync(join(moddable, "build", "bin", "lin", "release", "mcconfig")))
      fail(`$MODDABLE is ${moddable}, but its Linux tools are not built: cd $MODDABLE/build/makefiles/lin && make`);
    ensureXsbugLog(moddable);
    return moddable;
  }
  const moddable = join(cacheRoot, "moddable");
  const stamp = join(cacheRoot, "built");
  const tarball = tarballPath();
  if (!existsSync(tarball)) {
    if (existsSync(stamp)) return moddable;    // built before; the tarball is only needed to build
    fail(`no SDK: set $MODDABLE to a Moddable SDK ${sdkVersion}, or put ${tarballName} at ${tarball} (or name it in $FTPRINT_SDK_TARBALL)`);
  }
  const digest = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === digest) return moddable;

  ensureBuildPackages();
  say(`unpacking ${tarball} into ${cacheRoot}`);
  rmSync(cacheRoot, { recursive: true, force: true });
  mkdirSync(cacheRoot, { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", cacheRoot], { stdio: "inherit" });
  if (!existsSync(join(moddable, "build", "makefiles", "lin"))) fail(`${tarball} did not unpack to moddable/`);
  say("building the SDK's Linux tools and mcsim (about 2 minutes on 2 cores)");
  const started = Date.now();
  execFileSync("make", ["-j2"], { cwd: join(moddable, "build", "makefiles", "lin"), env: toolEnvironment(moddable), stdio: ["ignore", "ignore", "inherit"] });
  ensureXsbugLog(moddable);
  writeFileSync(stamp, digest + "\n");
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return moddable;
}

/** xsbug-log (tools/xsbug-log) needs its one npm dependency. */
function ensureXsbugLog(moddable) {
  const folder = join(moddable, "tools", "xsbug-log");
  if (existsSync(join(folder, "node_modules", "saxophone"))) return;
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent"], { cwd: folder, stdio: ["ignore", "ignore", "inherit"] });
}

/** Runs mcconfig (and make) with the SDK's tools; returns the output, failing on errors and on our xsl warnings. */
function runTool(moddable, command, args, { allowFailure } = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, env: toolEnvironment(moddable), encoding: "utf8", maxBuffer: 64 << 20 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.error) fail(`${command}: ${result.error.message}`);
  if (result.status !== 0 && !allowFailure?.(output)) {
    process.stderr.write(output.split("\n").filter((line) => !/^# (tsc|xsc|xsid|cc) /.test(line)).join("\n"));
    fail(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
  return output;
}

/** xsl's "### warning: MODULE: ..." lines about our own modules (the SDK's own, such as wifi's, are reported only). */
function checkWarnings(output) {
  const warnings = output.split("\n").filter((line) => line.startsWith("### warning"));
  const ours = warnings.filter((line) => /^### warning: (main|ftprint\/|(ftp|print|device|raw|lpd|web|network|raster|ipp)\/)/.test(line));
  for (const line of warnings) say(line.replace(/^### /, ""));
  if (ours.length) fail(`${ours.length} xsl warning(s) about the firmware's own modules`);
}

/** mcconfig's output folder per platform and config, so a test build never overwrites the user's. */
function outputFolder(platform, config) {
  const tag = config.length ? "-" + createHash("sha256").update(config.join("\n")).digest("hex").slice(0, 8) : "";
  return join(repoRoot, ".cache", "sdk-build", platform + tag);
}

/** mcconfig -d -m -p lin -t build; returns the mc.so path. */
export function buildSim(config = [], moddable = setup()) {
  const out = outputFolder("lin", config);
  mkdirSync(out, { recursive: true });
  checkWarnings(runTool(moddable, "mcconfig", ["-d", "-m", "-p", "lin", "-t", "build", "-o", out, "manifest.json", ...config]));
  const library = join(out, "bin", "lin", "mc", "debug", appName, "mc.so");
  if (!existsSync(library)) fail(`mcconfig ran but made no ${library}`);
  return library;
}

/**
 * Another app for mcsim (a test app with its own manifest, such as test/raster/sdk/): mcconfig -m -p lin -t build,
 * debug (-d) or release (the C at -O3, as the bench wants it); returns the mc.so path.
 */
export function buildSimApp(manifest, { debug = true, config = [], moddable = setup() } = {}) {
  const name = basename(dirname(resolve(manifest)));
  const out = join(repoRoot, ".cache", "sdk-build", `${name}-lin-${debug ? "debug" : "release"}`);
  mkdirSync(out, { recursive: true });
  checkWarnings(runTool(moddable, "mcconfig", [...(debug ? ["-d"] : []), "-m", "-p", "lin", "-t", "build", "-o", out, resolve(manifest), ...config]));
  const library = join(out, "bin", "lin", "mc", debug ? "debug" : "release", name, "mc.so");
  if (!existsSync(library)) fail(`mcconfig ran but made no ${library}`);
  return library;
}

/** The SDK's tools on PATH, for running mcsim and the like. */
export function sdkEnvironment(moddable = setup()) {
  return toolEnvironment(moddable);
}

/**
 * The ESP32 build as far as it goes without ESP-IDF: mcconfig writes the makefile and the per-module tsconfigs
 * and stops at "$IDF_PATH not set"; then the makefile's own rule for mc.xs.c runs every tsc, xsc and xsl step
 * (IDF_PATH and IDF_VERSION given so the makefile parses, SDKCONFIG_H emptied: it comes from the IDF build).
 */
export function buildEsp32(config = [], moddable = setup()) {
  const out = outputFolder("esp32", config);
  mkdirSync(out, { recursive: true });
  runTool(moddable, "mcconfig", ["-d", "-m", "-p", "esp32", "-t", "build", "-o", out, "manifest.json", ...config],
    { allowFailure: (output) => output.includes("$IDF_PATH not set") });
  const tmp = join(out, "tmp", "esp32", "debug", appName);
  const target = join(tmp, "mc.xs.c");
  checkWarnings(runTool(moddable, "make", ["-f", join(tmp, "makefile"), "IDF_PATH=/nonexistent", "IDF_VERSION=none", "SDKCONFIG_H=", target]));
  if (!existsSync(target)) fail(`the esp32 xsl step made no ${target}`);
  return target;
}

/**
 * Runs mc.so in mcsim under Xvfb with xsbug-log, which prints the firmware's trace() lines and takes xsdb commands
 * on stdin. Returns the child (its own process group, so a signal reaches mcsim, Xvfb and xsbug-log together).
 */
export function runSim(library, { moddable = setup(), xsbugPort = Number(process.env.XSBUG_PORT) || 5002, stdio = ["pipe", "pipe", "pipe"] } = {}) {
  const env = { ...toolEnvironment(moddable), XSBUG_PORT: String(xsbugPort), XSBUG_LOG_PORT: String(xsbugPort) };
  const xsbugLog = join(moddable, "tools", "xsbug-log", "xsbug-log.js");
  return spawn("xvfb-run", ["-a", process.execPath, xsbugLog, "mcsim", library], { cwd: repoRoot, env, stdio, detached: true });
}

/** xsbug-log's console decorations around a trace line: "(xsdb) ", erase-line, "[Thread 1] ". */
export function traceLine(line) {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\(xsdb\) /g, "").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/^\[Thread \d+\] /, "");
}

function start(config) {
  // The e2e harness (test/e2e/mcsim.js) has built the test firmware once already and names it here.
  const library = process.env.FTPRINT_MCSIM_LIBRARY || buildSim(config);
  say(`running ${library} in mcsim (Ctrl-C stops it)`);
  const child = runSim(library, { stdio: ["pipe", "pipe", "inherit"] });
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (text) => {
    pending += text;
    let end;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = traceLine(pending.slice(0, end));
      pending = pending.slice(end + 1);
      if (line.trim() !== "") process.stdout.write(line + "\n");
    }
  });
  process.stdin.on("data", (data) => child.stdin.write(data));    // xsdb commands: info instruments, ...
  process.stdin.on("error", () => {});
  child.stdin.on("error", () => {});
  let stopping = false;
  const stop = () => {
    stopping = true;
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone already */ }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Asked to stop: a clean exit once mcsim, Xvfb and xsbug-log are gone. Otherwise mcsim ended by itself (an abort,
  // xsbug-log's "quit"): its status is ours.
  child.on("exit", async (code, signal) => {
    // Every process of the group gone (mcsim may outlive xvfb-run by a moment), then exit.
    for (let waited = 0; waited < 5000 && groupAlive(child.pid); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const [command, ...rest] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  const config = rest.filter((argument) => {
    if (/^[A-Za-z][\w.]*=/.test(argument)) return true;
    fail(`unknown argument "${argument}": give settings as name=value`);
    return false;
  });
  switch (command) {
    case "setup": process.stdout.write(setup() + "\n"); break;
    case "build": process.stdout.write(buildSim(config) + "\n"); break;
    case "esp32": process.stdout.write(buildEsp32(config) + "\n"); break;
    case "start": start(config); break;
    default: fail(`usage: node scripts/sdk.js setup | build | esp32 | start [name=value ...]`);
  }
}
