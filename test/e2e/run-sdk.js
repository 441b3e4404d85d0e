#!/usr/bin/env node
// npm run test:sdk: the end-to-end client suite against the firmware as the real Moddable SDK builds and runs it.
// Builds the SDK if needed (scripts/sdk.js), then the ESP32 image's TypeScript, xsc and xsl steps and the mcsim test
// build, then runs the files test/e2e/targets.js marks "mcsim" with FTPRINT_SIMULATOR=mcsim, so that
// test/e2e/simulator.js starts mcsim instead of our simulator. Every e2e file must be in the table. Files named on
// the command line (`node test/e2e/run-sdk.js ipp.test.js`) run alone, under the same lock.

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildEsp32, setup } from "../../scripts/sdk.js";
import { takeMachineLock, testBuild } from "./mcsim.js";
import { targets } from "./targets.js";

const here = new URL(".", import.meta.url).pathname;
const listed = new Set(targets.map((target) => target.file));
const unlisted = readdirSync(here).filter((file) => file.endsWith(".test.js") && !listed.has(file));
if (unlisted.length) {
  process.stderr.write(`test/e2e/targets.js does not say where these run: ${unlisted.join(", ")}\n`);
  process.exit(1);
}

// One mcsim suite at a time on a machine: its ports are compiled in, and lin keeps preferences in /tmp/.
await takeMachineLock();
process.env.FTPRINT_MCSIM_LOCK_HELD = String(process.pid);    // the test files below run under this lock

setup();
process.stderr.write(`esp32: TypeScript, xsc and xsl steps passed (${buildEsp32()})\n`);
const library = testBuild();
process.stderr.write(`mcsim test build: ${library}\n`);
for (const target of targets.filter((target) => !target.on.includes("mcsim")))
  process.stderr.write(`on our simulator only: ${target.file} (${target.why})\n`);

const only = process.argv.slice(2);
const unknown = only.filter((file) => !targets.some((target) => target.file === file && target.on.includes("mcsim")));
if (unknown.length) {
  process.stderr.write(`not mcsim targets in test/e2e/targets.js: ${unknown.join(", ")}\n`);
  process.exit(1);
}
const files = targets.filter((target) => target.on.includes("mcsim") && (only.length === 0 || only.includes(target.file)))
  .map((target) => join(here, target.file));
// 30 minutes a file: ipp.test.js's ipp-everywhere run prints 34 raster documents, which mcsim's debug build
// converts in 6 to 12 minutes on this machine (each wait inside the tests has its own, shorter, timeout).
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-timeout=1800000", ...files], {
  stdio: "inherit",
  env: { ...process.env, FTPRINT_SIMULATOR: "mcsim", FTPRINT_MCSIM_LIBRARY: library },
});
// The raster kernels in mcsim: the C one compiled into an SDK build gives the TypeScript one's bytes (under the same
// lock, which this process holds: FTPRINT_MCSIM_LOCK_HELD).
const raster = spawnSync(process.execPath, [join(here, "..", "raster", "sdk", "run.js")], { stdio: "inherit", env: process.env });
process.exit(result.status === 0 && raster.status === 0 ? 0 : 1);
