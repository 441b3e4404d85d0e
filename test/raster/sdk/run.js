#!/usr/bin/env node
// The raster kernels in the real SDK: builds test/raster/sdk/ (main.js with the C kernel compiled in, and the
// TypeScript one) for mcsim, release (the C at -O3), writes a corpus, runs it in mcsim headless and checks that
//  - the C and TypeScript kernels gave the same bytes and results on thousands of random calls of each operation,
//    and both threw RangeError on misuse;
//  - every file converted to the same bytes with the C kernel and the TypeScript kernel in XS, and with the
//    TypeScript kernel on Node (the simulator's), the bad ones failing alike.
// Run by test/e2e/run-sdk.js (npm run test:sdk), or by itself: node test/raster/sdk/run.js. Takes the machine's
// mcsim lock (test/e2e/mcsim.js) unless its caller holds it (FTPRINT_MCSIM_LOCK_HELD). bench/raster.js uses
// runInMcsim() for timings.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { takeMachineLock } from "../../e2e/mcsim.js";
import { buildSimApp, sdkEnvironment, setup } from "../../../scripts/sdk.js";
import * as kernel from "../../../build/modules/raster/scriptKernel.js";
import { convertFile } from "../convert.js";
import { encodePwg, encodeUrf, syntheticPage } from "../rasterFiles.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The app's compiled-in config.corpus (manifest.json): one mcsim run at a time, under the lock. */
export const corpusFolder = "/tmp/ftprint-raster-mcsim/";

/** Ghostscript's rendering of a PostScript page of text and graphics, when gs is installed (as npm test installs it). */
export function ghostscriptFile(device, options, name) {
  const ps = join(corpusFolder, "page.ps");
  writeFileSync(ps, `%!PS
/Helvetica findfont 28 scalefont setfont 72 700 moveto (Driverless printing, line by line) show
/Times-Roman findfont 12 scalefont setfont
0 1 30 { /i exch def 72 660 i 14 mul sub moveto (The quick brown fox jumps over the lazy dog. 0123456789) show } for
newpath 80 120 moveto 500 300 lineto 6 setlinewidth stroke
0 1 10 { /i exch def i 10 div setgray 80 i 40 mul add 320 40 60 rectfill } for
0.3 0.6 0.9 setrgbcolor 350 80 150 150 rectfill showpage
`);
  const out = join(corpusFolder, name);
  const result = spawnSync("gs", ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", `-sDEVICE=${device}`, ...options, "-sPAPERSIZE=letter", `-sOutputFile=${out}`, ps], { encoding: "utf8" });
  return result.status === 0 && existsSync(out) ? name : undefined;
}

/** An empty corpus folder. */
export function resetCorpusFolder() {
  rmSync(corpusFolder, { recursive: true, force: true });
  mkdirSync(corpusFolder, { recursive: true });
}

/** The corpus: synthetic pages of every kind, Ghostscript's, several pages in one file, and bad files. */
export function writeCorpus() {
  resetCorpusFolder();
  const files = [];
  const add = (name, bytes, format, languages, chunks = [65536]) => {
    if (bytes) writeFileSync(join(corpusFolder, name), bytes);
    for (const language of languages) files.push({ name, format, language, chunks });
  };
  const letter300 = syntheticPage(2550, 3300, 300, 1), a4600 = syntheticPage(4960, 7016, 600, 2);
  const cutUp = [1, 7, 1460, 333, 4096, 2, 65536];
  add("letter300-black_1.pwg", encodePwg([{ page: letter300, dpi: 300, kind: "black_1" }]), "image/pwg-raster", ["pcl5", "pcl3", "escp2"], cutUp);
  add("letter300-sgray_8.pwg", encodePwg([{ page: letter300, dpi: 300, kind: "sgray_8" }]), "image/pwg-raster", ["pcl5", "pcl3", "escp2"], cutUp);
  add("letter300-srgb_8.pwg", encodePwg([{ page: letter300, dpi: 300, kind: "srgb_8" }]), "image/pwg-raster", ["pcl5"]);
  add("letter300-W8.urf", encodeUrf([{ page: letter300, dpi: 300, kind: "W8" }]), "image/urf", ["pcl3"]);
  add("letter300-SRGB24.urf", encodeUrf([{ page: letter300, dpi: 300, kind: "SRGB24" }]), "image/urf", ["escp2"], cutUp);
  add("a4600-sgray_8.pwg", encodePwg([{ page: a4600, dpi: 600, kind: "sgray_8", widthPoints: 595, heightPoints: 842 }]), "image/pwg-raster", ["pcl5"]);
  add("a4600-black_1.pwg", encodePwg([{ page: a4600, dpi: 600, kind: "black_1", widthPoints: 595, heightPoints: 842 }]), "image/pwg-raster", ["pcl3", "pcl5"]);
  add("pages.pwg", encodePwg([
    { page: syntheticPage(2550, 3300, 300, 3), dpi: 300, kind: "black_1" }, { page: syntheticPage(2550, 3300, 300, 4), dpi: 300, kind: "srgb_8" },
    { page: syntheticPage(1275, 1650, 150, 5), dpi: 150, kind: "sgray_8" },
  ]), "image/pwg-raster", ["pcl5", "pcl3"]);
  const gsFiles = [
    ghostscriptFile("pwgraster", ["-r300"], "gs-black_1.pwg"),
    ghostscriptFile("pwgraster", ["-r600", "-dcupsColorSpace=18", "-dcupsBitsPerColor=8"], "gs-sgray_8.pwg"),
    ghostscriptFile("urf", ["-r300", "-dcupsColorSpace=19", "-dcupsBitsPerColor=8"], "gs-SRGB24.urf"),
  ];
  if (gsFiles[0]) add(gsFiles[0], undefined, "image/pwg-raster", ["pcl5", "pcl3", "escp2"], cutUp);
  if (gsFiles[1]) add(gsFiles[1], undefined, "image/pwg-raster", ["pcl5"]);
  if (gsFiles[2]) add(gsFiles[2], undefined, "image/urf", ["pcl3", "escp2"]);
  const good = encodePwg([{ page: letter300, dpi: 300, kind: "sgray_8" }]);
  add("cut.pwg", good.subarray(0, Math.floor(good.length * 0.7)), "image/pwg-raster", ["pcl5", "escp2"], cutUp);
  const overflow = good.slice();
  overflow.set([0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127, 0, 127], 4 + 1796 + 60);
  add("overflow.pwg", overflow, "image/pwg-raster", ["pcl5", "pcl3"]);
  return { files, ghostscript: gsFiles.filter(Boolean).length };
}

/**
 * Runs the app in mcsim on list.json's files (each converted `repeat` times by each kernel) and returns
 * results.json. Needs the lock; builds the app (incrementally) first.
 */
export async function runInMcsim({ files, kernelRounds, timeoutMs = 30 * 60_000 }) {
  const moddable = setup();
  const library = buildSimApp(join(here, "manifest.json"), { debug: false, moddable });
  writeFileSync(join(corpusFolder, "list.json"), JSON.stringify({ files, kernelRounds }));
  for (const name of ["results.json", "failure.txt"]) rmSync(join(corpusFolder, name), { force: true });
  const child = spawn("xvfb-run", ["-a", "mcsim", library], { env: sdkEnvironment(moddable), stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text) => { stderr += text; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  let ended;
  try {
    for (;;) {
      if (existsSync(join(corpusFolder, "results.json"))) return JSON.parse(readFileSync(join(corpusFolder, "results.json"), "utf8"));
      if (existsSync(join(corpusFolder, "failure.txt"))) throw new Error(`the app failed in mcsim: ${readFileSync(join(corpusFolder, "failure.txt"), "utf8")}`);
      if (ended) throw new Error(`mcsim exited (${JSON.stringify(ended)}) before writing results: ${stderr.slice(-2000)}`);
      if (Date.now() - started > timeoutMs) throw new Error(`no results from mcsim in ${timeoutMs / 1000} s`);
      ended = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 200))]);
    }
  } finally {
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}

/** The machine's mcsim lock, unless a caller (npm run test:sdk) holds it for us. */
export async function holdMcsimLock() {
  if (process.env.FTPRINT_MCSIM_LOCK_HELD) return;
  await takeMachineLock();
  process.env.FTPRINT_MCSIM_LOCK_HELD = String(process.pid);
}

async function main() {
  await holdMcsimLock();
  const { files, ghostscript } = writeCorpus();
  const results = await runInMcsim({ files, kernelRounds: 3000 });
  const problems = [...results.kernels.mismatches];
  const rows = [];
  for (const entry of files) {
    const result = results.files.find((r) => r.name === entry.name && r.language === entry.language);
    if (!result) { problems.push(`${entry.name} ${entry.language}: no result from mcsim`); continue; }
    const bytes = new Uint8Array(readFileSync(join(corpusFolder, entry.name)));
    const node = convertFile(kernel, bytes, { format: entry.format, language: entry.language });
    const c = readFileSync(join(corpusFolder, `${entry.name}.${entry.language}.c.prn`));
    const ts = readFileSync(join(corpusFolder, `${entry.name}.${entry.language}.ts.prn`));
    const label = `${entry.name} → ${entry.language}`;
    if (!c.equals(ts)) problems.push(`${label}: C and TypeScript (both in mcsim) differ`);
    if (!c.equals(Buffer.from(node.output))) problems.push(`${label}: mcsim's C and Node's TypeScript differ (${c.length} and ${node.output.length} bytes)`);
    if (result.c.status !== node.converter.status || result.c.error !== node.converter.error || result.ts.error !== node.converter.error)
      problems.push(`${label}: C "${result.c.error}", TypeScript in XS "${result.ts.error}", on Node "${node.converter.error}"`);
    rows.push(`${label.padEnd(40)} ${String(bytes.length).padStart(9)} in ${String(c.length).padStart(9)} out  ${node.converter.status === 1 ? "finished" : "failed: " + node.converter.error}`);
  }
  const k = results.kernels.counts;
  process.stdout.write(`raster kernels in mcsim (SDK 8.2.3, release build): ${k.encode} encodeLine, ${k.dither} ditherLine, ${k.decode} decodeLine, ` +
    `${k.transcode} transcodeLine, ${k.copy} copyBytes calls compared, ${k.misuse} misuses (${results.kernelMs} ms)\n${files.length} conversions (${ghostscript} Ghostscript files), identical bytes C / TypeScript in XS / TypeScript on Node:\n${rows.join("\n")}\n`);
  if (problems.length) {
    process.stderr.write(`raster kernels in mcsim: ${problems.length} problem(s):\n  ${problems.join("\n  ")}\n`);
    process.exit(1);
  }
  process.stdout.write("raster kernels in mcsim: all identical\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
