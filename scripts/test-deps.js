#!/usr/bin/env node
// The first step of `npm test`: the real clients the end-to-end tests drive, and what LPRng needs to run.
// As root on Debian it installs what is missing; anywhere else it stops at once with one message naming the
// packages and the command that installs them. (The SDK's own build packages are scripts/sdk.js's business.)
//
// LPRng, not CUPS, provides `lpr`/`lpq`/`lprm` here: the LPD tests address queues as queue@host%port, which is
// LPRng's syntax, and Debian's lprng and cups-bsd conflict. So LPRng is looked for by package, not by command:
// cups-bsd has an `lpq` too. Of CUPS only cups-ipp-utils (ipptool and the IPP test files) is installed: Debian's
// cups-client conflicts with lprng as well (installing it removes LPRng).

import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";

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
const printcap = existsSync("/etc/printcap");    // LPRng's clients refuse to run without one; empty will do
if (missing.length === 0 && printcap) process.exit(0);

const canInstall = process.getuid?.() === 0 && has("apt-get");
if (!canInstall) {
  const steps = [];
  if (missing.length) steps.push(`sudo apt-get install ${missing.join(" ")}`);
  if (!printcap) steps.push("sudo touch /etc/printcap");
  process.stderr.write(`npm test drives real clients; missing here: ${[...missing, ...(printcap ? [] : ["/etc/printcap"])].join(", ")}.\n` +
    `On Debian or Ubuntu: ${steps.join(" && ")}\n(npm run test:node runs all but the SDK suite; every suite needs these clients.)\n`);
  process.exit(1);
}
if (missing.length) {
  process.stderr.write(`test-deps: installing ${missing.join(" ")}\n`);
  execFileSync("sh", ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")} >/dev/null`],
    { stdio: ["ignore", "inherit", "inherit"] });
}
if (!printcap) writeFileSync("/etc/printcap", "");
