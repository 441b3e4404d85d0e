// The e2e harness's second simulator: the firmware built by the real Moddable SDK (mcconfig -p lin) and run in the
// SDK's own simulator, mcsim, headless (scripts/sdk.js). test/e2e/simulator.js starts this one instead of ours when
// FTPRINT_SIMULATOR=mcsim (test/e2e/run-sdk.js sets it for the files test/e2e/targets.js lists).
//
// What differs from our simulator, and how the harness bridges it:
//  - mc/config is compiled in, so every test shares one build: each service on a fixed port (testPorts; checked
//    free before start), the file printer capturing into one folder that is emptied before each start.
//  - Settings a test gives on the command line that the firmware also keeps as preferences (--user/--password,
//    --printer-speed, --printer-language) go into lin's preference file, config.file.root + "modpreferences.json" = /tmp/ (the SDK's
//    modules/files/preference/lin/preference.js), as the setup page would save them; a test's --data folder is
//    copied in before start and back after stop, and whatever the file held before is put back.
//  - Options that only our simulator has (virtual parallel/serial printers, fault injection, --time-scale,
//    --profile, mDNS) are refused with an error: targets.js keeps the tests that need them on our simulator.

import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { spawn } from "node:child_process";
import { buildSim } from "../../scripts/sdk.js";

const sdkScript = new URL("../../scripts/sdk.js", import.meta.url).pathname;

/** The ports the test build listens on (mcconfig's compiled-in config). Away from the defaults of `npm start`. */
export const testPorts = Object.freeze({ ftp: 22121, raw: 29100, lpd: 25515, http: 28080, ipp: 28631, xsbug: 25002 });
const captureDirectory = "/tmp/ftprint-mcsim-capture/";
const preferenceFile = "/tmp/modpreferences.json";    // config.file.root on lin is /tmp/ (modules/files/file/manifest.json)

/** The one test build (incremental: a few seconds when nothing changed); run-sdk.js builds it before the files run. */
export function testBuild() {
  return buildSim([`ftpPort=${testPorts.ftp}`, `rawPort=${testPorts.raw}`, `lpdPort=${testPorts.lpd}`, `httpPort=${testPorts.http}`, `ippPort=${testPorts.ipp}`,
    "printer=file", `captureDirectory=${captureDirectory}`, "logCommands=1"]);
}

const ourOptions = {
  port: { type: "string" }, "raw-port": { type: "string" }, "lpd-port": { type: "string" }, "http-port": { type: "string" }, "ipp-port": { type: "string" },
  "mdns-port": { type: "string" }, capture: { type: "string" }, data: { type: "string" }, printer: { type: "string" },
  "log-commands": { type: "boolean" }, "printer-speed": { type: "string" }, user: { type: "string" }, password: { type: "string" },
  "printer-language": { type: "string" },
};

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Starts mcsim; returns what startSimulator's callers use, with the log lines as the firmware traced them. */
export async function startMcsim(args, { onText, exited }) {
  let values;
  try {
    ({ values } = parseArgs({ args, options: ourOptions, strict: true }));
  } catch (error) {
    throw new Error(`the SDK simulator (mcsim) cannot do this: ${error.message}; targets.js should keep such a test on our simulator`);
  }
  if (values.printer && values.printer !== "file")
    throw new Error(`mcsim has no ${values.printer} printer (no GPIO or UART on the SDK's simulator); only --printer file`);
  if (!process.env.FTPRINT_MCSIM_LOCK_HELD) {    // a test file run by hand, outside npm run test:sdk
    await takeMachineLock();
    process.env.FTPRINT_MCSIM_LOCK_HELD = String(process.pid);
  }
  // A file before this one may still be stopping its mcsim (start:sdk ends mcsim, Xvfb and xsbug-log in turn).
  for (const [name, port] of Object.entries(testPorts)) {
    let free = await portFree(port);
    for (const deadline = Date.now() + 20_000; !free && Date.now() < deadline; free = await portFree(port)) await sleep(500);
    if (!free) throw new Error(`port ${port} (${name}) is taken: the mcsim test build needs it free`);
  }

  await rm(captureDirectory, { recursive: true, force: true });
  await mkdir(captureDirectory, { recursive: true });
  const before = existsSync(preferenceFile) ? await readFile(preferenceFile) : undefined;
  const saved = values.data && existsSync(join(values.data, "modpreferences.json"))
    ? JSON.parse(await readFile(join(values.data, "modpreferences.json"), "utf8")) : {};
  const ftprint = (saved.ftprint ??= {});
  if (values.user !== undefined) Object.assign(ftprint, { ftpUser: values.user, ftpPassword: values.password ?? "" });
  if (values["printer-speed"] !== undefined) ftprint.printerSpeed = Number(values["printer-speed"]);
  if (values["printer-language"] !== undefined) ftprint.printerLanguage = values["printer-language"];
  await writeFile(preferenceFile, JSON.stringify(saved));

  // What a user runs (npm run start:sdk), on the test build: its clean stop on SIGTERM is tested with every stop.
  const library = process.env.FTPRINT_MCSIM_LIBRARY ?? testBuild();
  const child = spawn(process.execPath, [sdkScript, "start"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FTPRINT_MCSIM_LIBRARY: library, XSBUG_PORT: String(testPorts.xsbug) },
  });
  child.stdin.on("error", () => {});
  // A test file ended from outside (the runner's timeout sends SIGTERM) must not leave its mcsim holding the ports
  // for the files after it: start:sdk stops mcsim, Xvfb and xsbug-log on SIGTERM.
  const stopChild = () => { if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM"); };
  process.on("exit", stopChild);
  for (const signal of ["SIGINT", "SIGTERM"]) if (process.listenerCount(signal) === 0) process.on(signal, () => process.exit(1));
  child.stdout.setEncoding("latin1").on("data", onText);
  child.stderr.setEncoding("latin1").on("data", onText);
  exited(child);

  let stopped;
  return {
    child,
    capture: captureDirectory,
    ports: { raw: testPorts.raw, lpd: testPorts.lpd, http: testPorts.http, ipp: testPorts.ipp },
    /** SIGTERM to start:sdk, which ends mcsim, Xvfb and xsbug-log; then the preference file as it was. */
    stop: () => (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const result = await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
        else child.on("close", (code, signal) => resolve({ code, signal }));
      });
      process.off("exit", stopChild);
      if (values.data && existsSync(preferenceFile)) {
        await mkdir(values.data, { recursive: true });
        await copyFile(preferenceFile, join(values.data, "modpreferences.json"));
      }
      if (before) await writeFile(preferenceFile, before);
      else await rm(preferenceFile, { force: true });
      return result;
    })()),
    async jobs() {
      const files = (await readdir(captureDirectory)).filter((f) => /^\d{5}-/.test(f)).sort();
      return Promise.all(files.map(async (file) => ({ file, bytes: await readFile(join(captureDirectory, file)) })));
    },
  };
}

/**
 * One mcsim at a time on a machine (its ports are compiled in, lin keeps preferences in /tmp/): a lock file holding
 * the pid of its holder (test/e2e/run-sdk.js, or a test file run by hand); one left by a process that is gone is
 * taken over. Waits up to 30 minutes.
 */
export async function takeMachineLock() {
  const lock = "/tmp/ftprint-mcsim.lock";
  for (const deadline = Date.now() + 30 * 60_000; ;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      process.on("exit", () => rmSync(lock, { force: true }));
      for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
      return;
    } catch {
      let holder = 0;
      try { holder = Number(readFileSync(lock, "utf8")); } catch { /* just removed */ }
      let alive = false;
      try { alive = holder > 0 && process.kill(holder, 0); } catch { /* ESRCH: gone */ }
      if (!alive) { rmSync(lock, { force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`another mcsim suite (pid ${holder}) has held ${lock} for 30 minutes`);
      process.stderr.write(`waiting for the mcsim suite of pid ${holder} to end\n`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}
