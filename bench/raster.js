#!/usr/bin/env node
// npm run bench:raster: pages per minute of the raster conversion (modules/raster/), at 300 and 600 dpi, on the
// same pages: the TypeScript kernel on Node (the simulator), the TypeScript and the C kernel on the SDK's XS in
// mcsim (release build: XS and the C at -O3; test/raster/sdk/), and CUPS's ippevepcl (cups-ipp-utils), which
// turns PWG raster into PCL with an ordered dither and mode 2 only. Also the bytes each sends to the printer.
// Must not: assert anything (not a test), or touch mcsim or its corpus folder without the machine's lock
// (test/e2e/mcsim.js).
//
// Usage: npm run bench:raster [-- --runs N] [-- --no-mcsim] [-- --json FILE]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readCommandLine } from "./commandLine.js";
import * as kernel from "../build/modules/raster/scriptKernel.js";
import { convertFile } from "../test/raster/convert.js";
import { encodePwg, syntheticPage } from "../test/raster/rasterFiles.js";
import { corpusFolder, ghostscriptFile, holdMcsimLock, resetCorpusFolder, runInMcsim } from "../test/raster/sdk/run.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = `Usage: npm run bench:raster [-- --runs N] [-- --no-mcsim] [-- --json FILE]
  --runs N    runs of each measurement, the median kept (default 3; the C kernel in mcsim: 3 N)
  --no-mcsim  leave out the SDK's XS (mcsim): the TypeScript kernel on Node and ippevepcl only
  --json F    where to write the figures (default bench/results/raster-<date>.json)
  --help      this text`;

const { values, usageError } = readCommandLine("bench:raster", usage, {
  runs: { type: "string" }, "no-mcsim": { type: "boolean" }, json: { type: "string" }, help: { type: "boolean", short: "h" },
});
const options = { runs: values.runs === undefined ? 3 : Number(values.runs), mcsim: !values["no-mcsim"], json: values.json };
if (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > 100) usageError(`--runs must be 1..100, not ${values.runs}`);

const ippevepcl = ["/usr/sbin/ippevepcl", "/usr/lib/cups/command/ippevepcl"].find((path) => existsSync(path));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function perMinute(ms) {
  return ms > 0 ? 60_000 / ms : Infinity;
}

// ---- the pages: a synthetic page (text-like strokes, rules, a ramp, a photo-like patch) and Ghostscript's
// rendering of a text page, each at 300 and 600 dpi, as black_1 and sgray_8 PWG raster on Letter ----

await holdMcsimLock();    // the corpus folder is the mcsim app's (compiled in), shared with test/raster/sdk/run.js
resetCorpusFolder();
const inputs = [];
for (const dpi of [300, 600]) {
  const page = syntheticPage(Math.floor(612 * dpi / 72), Math.floor(792 * dpi / 72), dpi, 11);
  for (const kind of ["black_1", "sgray_8"]) {
    const name = `synthetic-${dpi}-${kind}.pwg`;
    writeFileSync(join(corpusFolder, name), encodePwg([{ page, dpi, kind, widthPoints: 612, heightPoints: 792 }]));
    inputs.push({ name, dpi, kind, source: "synthetic" });
  }
  for (const [kind, extra] of [["black_1", []], ["sgray_8", ["-dcupsColorSpace=18", "-dcupsBitsPerColor=8"]]]) {
    const name = ghostscriptFile("pwgraster", [`-r${dpi}`, ...extra], `gs-${dpi}-${kind}.pwg`);
    if (name) inputs.push({ name, dpi, kind, source: "Ghostscript" });
  }
}
const languages = ["pcl5", "pcl3"];

// ---- the TypeScript kernel on Node ----

const rows = [];
for (const input of inputs) {
  const bytes = new Uint8Array(readFileSync(join(corpusFolder, input.name)));
  for (const language of languages) {
    const times = [];
    let output;
    for (let run = 0; run < options.runs; run++) {
      const started = performance.now();
      output = convertFile(kernel, bytes, { format: "image/pwg-raster", language }).output;
      times.push(performance.now() - started);
    }
    rows.push({ ...input, language, inputBytes: bytes.length, outputBytes: output.length, node: median(times) });
  }
}

// ---- CUPS's ippevepcl on the same files (PCL, mode 2) ----

const cups = {};
if (ippevepcl) {
  for (const input of inputs) {
    const times = [];
    let size = 0;
    for (let run = 0; run < options.runs; run++) {
      const started = performance.now();
      const result = spawnSync(ippevepcl, [join(corpusFolder, input.name)], { env: { ...process.env, CONTENT_TYPE: "image/pwg-raster" }, maxBuffer: 64 << 20 });
      times.push(performance.now() - started);
      size = result.stdout.length;
    }
    cups[input.name] = { ms: median(times), bytes: size };
  }
} else process.stderr.write("bench/raster: ippevepcl is not installed (Debian: apt-get install cups-ipp-utils); its column is left empty\n");

// ---- both kernels on the SDK's XS in mcsim ----

let mcsim;
if (options.mcsim) {
  const files = [];
  for (const input of inputs)
    for (const language of languages)
      files.push({ name: input.name, format: "image/pwg-raster", language, chunks: [65536], repeat: options.runs * 3, repeatScript: input.dpi === 600 && input.kind === "sgray_8" ? 1 : options.runs });
  const results = await runInMcsim({ files, kernelRounds: 0 });
  mcsim = {};
  for (const result of results.files) mcsim[`${result.name} ${result.language}`] = { c: result.c.ms / result.c.repeat, ts: result.ts.ms / result.ts.repeat, bytes: result.c.bytes };
}

// ---- the table ----

const figures = [];
const line = (cells) => `| ${cells.join(" | ")} |`;
const table = [
  line(["page", "dpi", "kind", "language", "in bytes", "out bytes", "ippevepcl out bytes", "TS on Node ppm", "TS on XS (mcsim) ppm", "C on XS (mcsim) ppm", "ippevepcl ppm"]),
  line(["---", "---:", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
];
const round = (value) => (value === undefined ? "" : value >= 100 ? String(Math.round(value)) : value.toFixed(1));
for (const row of rows) {
  const sim = mcsim?.[`${row.name} ${row.language}`];
  const peer = cups[row.name];
  const figure = {
    page: row.source, dpi: row.dpi, kind: row.kind, language: row.language, inputBytes: row.inputBytes, outputBytes: row.outputBytes,
    ippevepclBytes: peer?.bytes, nodeMs: row.node, xsScriptMs: sim?.ts, xsNativeMs: sim?.c, ippevepclMs: peer?.ms,
  };
  figures.push(figure);
  table.push(line([row.source, row.dpi, row.kind, row.language, row.inputBytes, row.outputBytes, peer?.bytes ?? "",
    round(perMinute(row.node)), round(sim && perMinute(sim.ts)), round(sim && perMinute(sim.c)), round(peer && perMinute(peer.ms))]));
}
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
process.stdout.write(`raster conversion, pages per minute (medians of ${options.runs} runs; mcsim: C ${options.runs * 3} runs), ${cpu}, ${os.cpus().length} CPUs, Node ${process.version}\n${table.join("\n")}\n`);
const jsonFile = options.json ?? join(repoRoot, "bench", "results", `raster-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.json`);
mkdirSync(dirname(jsonFile), { recursive: true });
writeFileSync(jsonFile, JSON.stringify({ cpu, cpus: os.cpus().length, node: process.version, runs: options.runs, figures }, null, 2) + "\n");
process.stdout.write(`figures written to ${jsonFile}\n`);
