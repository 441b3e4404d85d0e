#!/usr/bin/env node
// The XS data-path bench: FTP data socket -> spool -> IEEE 1284 port, in memory, on the XS engine, against a
// reference loop doing only the per-byte GPIO work, in the same run; plus ArrayBuffers and views the firmware
// creates per MiB printed. Called by `npm run bench`; runnable alone (after `npm run build`):
//   node bench/xs.js [mebibytes, default 4] [--node]   (--node: run the same bench on Node too, for comparison)

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildXs } from "../scripts/build-xs.js";
import { bundle, repoRoot } from "../test/xs/bundle.js";

const args = process.argv.slice(2);
const alsoNode = args.includes("--node");
const megabytes = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 4);
const outDirectory = join(repoRoot, ".cache", "xs-bench");
mkdirSync(outDirectory, { recursive: true });
const banner = `globalThis.benchMegabytes = ${megabytes};`;
const entry = join(outDirectory, "entry.js");
const { writeFileSync } = await import("node:fs");
writeFileSync(entry, `import { runBench } from ${JSON.stringify(join(repoRoot, "bench", "xs-bench.js"))};\nrunBench();\n`);

function parse(text) {
  const values = {};
  for (const line of text.split("\n")) {
    const match = /^(\w+) (\S+)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

function report(engine, values) {
  console.log(`${engine}: ${values.mebibytes} MiB through FTP data socket -> spool -> IEEE 1284 port (in memory)`);
  console.log(`  firmware path      ${values.firmware_ms_per_mib} ms/MiB`);
  console.log(`  reference loop     ${values.reference_ms_per_mib} ms/MiB  (BUSY read + bank write + strobe low/high per byte)`);
  console.log(`  ratio              ${values.ratio}x the reference`);
  console.log(`  network floor      ${values.network_floor_ms_per_mib} ms/MiB  (the in-memory network alone; native lwIP on the device)`);
  console.log(`  ratio w/o network  ${values.ratio_without_network}x`);
  console.log(`  allocations        ${values.arraybuffers_per_mib} ArrayBuffers/MiB, ${values.views_per_mib} typed-array views/MiB (steady state, firmware code only)`);
  console.log(`  port slices        ${values.port_slices_per_mib} /MiB`);
}

const xsnap = buildXs();
const xsBundle = await bundle({ entry, outfile: join(outDirectory, "bench-xs.js"), format: "iife", banner });
const result = spawnSync(xsnap, [xsBundle], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
const values = parse(result.stdout);
if (result.status !== 0 || !values.ratio) {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  console.error(`bench/xs.js: the XS run failed (status ${result.status})`);
  process.exit(1);
}
report("XS (xsnap 0.15.0, XS 13.3)", values);

if (alsoNode) {
  const nodeBundle = await bundle({ entry, outfile: join(outDirectory, "bench-node.mjs"), format: "esm", banner });
  const lines = [];
  const originalLog = console.log;
  console.log = (line) => lines.push(String(line));
  try {
    await import(pathToFileURL(nodeBundle).href);
  } finally {
    console.log = originalLog;
  }
  report(`Node ${process.version}`, parse(lines.join("\n")));
}
console.log(`reproduce: npm run build && node bench/xs.js ${megabytes}${alsoNode ? " --node" : ""}`);
