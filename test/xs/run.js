#!/usr/bin/env node
// npm run test:xs: runs the scenario suite on the XS engine. Builds xsnap if it is not cached
// (scripts/build-xs.js), bundles the suite with the compiled firmware (build/, so run `npm run build` first;
// the test:xs script does), runs it under xsnap and passes its output through. Exits non-zero unless the closing
// line says every scenario of the table ran and passed. Usage: node test/xs/run.js [name filter]

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildXs } from "../../scripts/build-xs.js";
import { bundle, repoRoot } from "./bundle.js";

const filter = process.argv[2] ?? "";
const outDirectory = join(repoRoot, ".cache", "xs-suite");
mkdirSync(outDirectory, { recursive: true });

const xsnap = buildXs();
const xsBundle = await bundle({
  entry: join(repoRoot, "test", "xs", "entry.js"),
  outfile: join(outDirectory, "suite-xs.js"),
  format: "iife",
  banner: `globalThis.scenarioFilter = ${JSON.stringify(filter)};`,
});

// How many scenarios the table holds, counted by Node from the same sources, so that a run that silently stopped
// early (xsnap exits 0 when a module throws at load time) cannot pass.
const nodeBundle = await bundle({
  entry: join(repoRoot, "test", "xs-host", "suite.js"),
  outfile: join(outDirectory, "suite-count.mjs"),
  format: "esm",
});
const { scenarios } = await import(pathToFileURL(nodeBundle).href + `?t=${Date.now()}`);
const expected = scenarios.filter((scenario) => !filter || scenario.name.includes(filter)).length;

// Run as a program (.js), not a module: xsnap reports an uncaught exception in a program with exit status 5, but
// ends a module that throws silently with status 0 (docs/xs-notes.md).
const result = spawnSync(xsnap, [xsBundle], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);

const closing = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout.trimEnd().split("\n").pop() ?? "");
let problem;
if (result.error) problem = `could not run ${xsnap}: ${result.error.message}`;
else if (result.status !== 0) problem = `xsnap exited with status ${result.status}${result.signal ? ` (${result.signal})` : ""}`;
else if (!closing) problem = "xsnap stopped before the closing count line";
else if (Number(closing[1]) + Number(closing[2]) !== expected) problem = `XS ran ${Number(closing[1]) + Number(closing[2])} scenarios, the table has ${expected}`;
else if (Number(closing[2]) !== 0) problem = `${closing[2]} scenario(s) failed on XS`;
if (problem) {
  process.stderr.write(`test:xs: ${problem}\n`);
  process.exit(1);
}
