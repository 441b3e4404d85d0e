#!/usr/bin/env node
// The first step of `npm test`: the real clients the end-to-end tests drive, and what LPRng needs to run.
// As root on Debian it installs what is missing; anywhere else it stops at once with one message naming the
// packages and the command that installs them. (The SDK's own build packages are scripts/sdk.js's business.)
//
// LPRng, not CUPS, provides `lpr`/`lpq`/`lprm` here: the LPD tests address queues as queue@host%port, which is
// LPRng's syntax, and Debian's lprng and cups-bsd conflict. So LPRng is looked for by package, not by command:
// cups-bsd has an `lpq` too. Debian's cups-client (lpadmin, lp, lpstat) conflicts with lprng as well (installing it
// removes LPRng), and so does the package `cups`, which depends on it. What the driverless test (test/e2e/
// driverless.test.js) needs of CUPS is installed piece by piece instead: the scheduler (cups-daemon, with
// cups-server-common's MIME and filter tables), cups-filters (its PDF and text filters, Ghostscript's gstoraster) and
// cups-ipp-utils (ipptool), none of which conflicts with LPRng, without their recommendations (avahi, colord,
// cups-browsed: daemons the tests do not want); and cups-client and cups are only unpacked (dpkg-deb -x) into
// .cache/, never installed, and what the test needs of them run from there on the installed libcups2. Every
// apt-get install here is --no-remove: should Debian ever make one of these conflict with LPRng, it stops instead of
// removing it.

import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** [Debian package, how to tell it is there]. */
const needed = [
  ["lftp", () => has("lftp")],
  ["tnftp", () => has("tnftp")],
  ["inetutils-ftp", () => has("inetutils-ftp")],
  ["curl", () => has("curl")],
  ["python3", () => has("python3")],
  ["netcat-openbsd", () => has("nc.openbsd")],    // -N (close after EOF) is OpenBSD netcat's
  ["socat", () => has("socat")],
  ["lprng", () => installed("lprng")],
  ["bind9-dnsutils", () => has("dig")],           // the DNS-SD client of test/e2e/mdns.test.js
  ["chromium", () => has("chromium")],            // the page's browser tests, driven by playwright-core
  ["ghostscript", () => has("gs")],               // the simulator's PostScript previews
  ["cups-ipp-utils", () => has("ipptool")],       // CUPS's IPP client and test files (test/e2e/ipp.test.js)
];
/** The driverless test's CUPS (see above), installed without recommendations. */
const neededCups = [
  ["cups-daemon", () => existsSync("/usr/sbin/cupsd")],
  ["cups-server-common", () => existsSync("/usr/share/cups/mime/mime.types")],
  ["cups-filters", () => existsSync("/usr/lib/cups/filter/gstoraster")],
];

/**
 * What is only unpacked, into .cache/<package>/, and the files test/e2e/cupsd.js runs from there: cups-client's lp
 * and lpadmin, and the `cups` package's rastertopwg (the filter that makes Apple raster, image/urf, which CUPS's IPP
 * Everywhere driver prefers to PWG raster when a printer offers both; `cups` depends on cups-client, so it cannot be
 * installed either).
 */
const unpacked = [
  ["cups-client", ["usr/bin/lp", "usr/bin/lpstat", "usr/sbin/lpadmin"]],
  ["cups", ["usr/lib/cups/filter/rastertopwg"]],
];
const cacheFolder = join(new URL("..", import.meta.url).pathname, ".cache");

function has(command) {
  return run("sh", ["-c", `command -v ${command}`]);
}

function installed(debianPackage) {
  return run("sh", ["-c", `dpkg-query -W -f='\${Status}' ${debianPackage} 2>/dev/null | grep -q 'install ok installed'`]);
}

function run(command, args) {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const missing = needed.filter(([, present]) => !present()).map(([name]) => name);
const missingCups = neededCups.filter(([, present]) => !present()).map(([name]) => name);
const printcap = existsSync("/etc/printcap");    // LPRng's clients refuse to run without one; empty will do
const notUnpacked = unpacked.filter(([name, files]) => !isUnpacked(name, files)).map(([name]) => name);
if (missing.length === 0 && missingCups.length === 0 && printcap && notUnpacked.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && has("apt-get");
if (!canInstall) {
  const steps = [];
  if (missing.length) steps.push(`sudo apt-get install --no-remove ${missing.join(" ")}`);
  if (missingCups.length) steps.push(`sudo apt-get install --no-remove --no-install-recommends ${missingCups.join(" ")}`);
  if (!printcap) steps.push("sudo touch /etc/printcap");
  for (const name of notUnpacked) steps.push(`apt-get download ${name} && dpkg-deb -x ${name}_*.deb ${join(cacheFolder, name)}`);
  const absent = [...missing, ...missingCups, ...(printcap ? [] : ["/etc/printcap"]), ...notUnpacked.map((name) => `${name} unpacked in ${join(cacheFolder, name)}`)];
  process.stderr.write(`npm test drives real clients; missing here: ${absent.join(", ")}.\n` +
    `On Debian or Ubuntu: ${steps.join(" && ")}\n(npm run test:node runs all but the SDK suite; every suite needs these clients.)\n`);
  process.exit(1);
}
if (missing.length || missingCups.length) {
  process.stderr.write(`test-deps: installing ${[...missing, ...missingCups].join(" ")}\n`);
  const install = "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-remove";
  execFileSync("sh", ["-c", [
    "apt-get update -qq",
    ...(missing.length ? [`${install} ${missing.join(" ")} >/dev/null`] : []),
    ...(missingCups.length ? [`${install} --no-install-recommends ${missingCups.join(" ")} >/dev/null`] : []),
  ].join(" && ")], { stdio: ["ignore", "inherit", "inherit"] });
}
if (!printcap) writeFileSync("/etc/printcap", "");
for (const name of notUnpacked) unpack(name);

/** The installed libcups2's version: cups-client must be the same build (its package says so: libcups2 (= v)). */
function libcupsVersion() {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Version}", "libcups2"], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

/** Unpacked at the installed libcups2's version (each package's binaries are built against that libcups2). */
function isUnpacked(name, files) {
  const stamp = join(cacheFolder, name, "version");
  return existsSync(stamp) && readFileSync(stamp, "utf8").trim() === libcupsVersion() && files.every((file) => existsSync(join(cacheFolder, name, file)));
}

/** apt-get download name=<libcups2's version> (after an apt-get update if the lists lack it), then dpkg-deb -x. */
function unpack(name) {
  const version = libcupsVersion(), folder = join(cacheFolder, name);
  process.stderr.write(`test-deps: unpacking ${name} ${version} into ${folder} (not installed: it conflicts with lprng)\n`);
  const download = mkdtempSync(join(tmpdir(), `ftprint-${name}-`));
  try {
    chmodSync(download, 0o777);    // apt fetches as its own user, _apt, and warns when it cannot write there
    const fetch = `cd '${download}' && apt-get download -qq ${name}=${version}`;
    execFileSync("sh", ["-c", `(${fetch} 2>/dev/null) || (apt-get update -qq && ${fetch})`], { stdio: ["ignore", "inherit", "inherit"] });
    const deb = readdirSync(download).find((file) => file.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download ${name}=${version} left no package in ${download}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    execFileSync("dpkg-deb", ["-x", join(download, deb), folder], { stdio: ["ignore", "inherit", "inherit"] });
    writeFileSync(join(folder, "version"), version + "\n");
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}
