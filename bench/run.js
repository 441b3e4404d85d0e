#!/usr/bin/env node
// npm run bench: the same raw-FTP client (bench/client.js) against ftprint on the Node simulator, vsftpd and
// pyftpdlib on loopback, medians of several runs, a table on stdout and the figures as JSON. Must not: assert
// targets (that is not a test; shortfalls are reported), or leave a server running (bench/peers.js stops them).
//
// Usage: node bench/run.js [--full] [--json FILE] [--servers ftprint,vsftpd,pyftpdlib] [--skip FIGURE,...]

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, watch, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { readCommandLine } from "./commandLine.js";
import { FtpControl, sessions, smallJobs, uploadOnce } from "./client.js";
import {
  host, peakRssMiB, peerMissing, repoRoot, resetPeakRss, rssMiB, scratchFolder, startFtprint, startPyftpdlib,
  startVsftpd, removeScratch, simulatorEntry,
} from "./peers.js";

const MiB = 1 << 20;
const serverNames = ["ftprint", "vsftpd", "pyftpdlib"];
const figureNames = ["upload", "small", "sessions", "log", "first_byte", "utilization", "xs", "rss"];
const usage = `Usage: npm run bench [-- --full] [-- --json FILE] [-- --servers ftprint,vsftpd,pyftpdlib] [-- --skip FIGURE,...]
  --full      5 runs of a 64 MiB upload and 3 s windows (default: quick, 3 runs of 32 MiB and 1.5 s windows)
  --quick     the default
  --json F    where to write the figures (default bench/results/<mode>-<date>.json)
  --servers   which servers to run (default all three; a missing peer is skipped with how to install it)
  --skip      figures to leave out: ${figureNames.join(",")}
  --cpu-prof D  run the main ftprint simulator under node --cpu-prof, profiles written to folder D
  --help      this text
Exit status: 0 after a run (targets missed are reported, not failed), 1 when a run fails, 2 for a bad command line.`;

// ---- command line ----

const { values, usageError } = readCommandLine("bench", usage, {
  full: { type: "boolean" }, quick: { type: "boolean" }, json: { type: "string" }, servers: { type: "string" },
  skip: { type: "string" }, "cpu-prof": { type: "string" }, help: { type: "boolean", short: "h" },
});
if (values.full && values.quick) usageError("--full and --quick contradict each other");
/** A comma-separated list from --name, each item one of `allowed`. */
function listOf(name, allowed, fallback) {
  if (values[name] === undefined) return fallback;
  const items = values[name].split(",");
  const wrong = items.filter((item) => !allowed.includes(item));
  if (wrong.length || !items.length) usageError(`--${name} takes ${allowed.join(", ")} (comma-separated), not "${wrong.join(",") || values[name]}"`);
  return items;
}
for (const name of ["json", "cpu-prof"])
  if (values[name] !== undefined && values[name].trim() === "") usageError(`--${name} needs a path`);
const options = {
  full: values.full ?? false,
  json: values.json,
  servers: listOf("servers", serverNames, serverNames),
  skip: new Set(listOf("skip", figureNames, [])),
  cpuProf: values["cpu-prof"],
};

const plan = options.full
  ? { mode: "full", runs: 5, uploadBytes: 64 * MiB, windowMs: 3000, firstByteRuns: 15, utilizationRuns: 3 }
  : { mode: "quick", runs: 3, uploadBytes: 32 * MiB, windowMs: 1500, firstByteRuns: 7, utilizationRuns: 1 };
/** rss_mib is the 64 MiB job's peak; "flat" compares it with a 256 MiB job's (16 MiB shows the heap still settling). */
const rssJobBytes = [16 * MiB, 64 * MiB, 256 * MiB];
const utilizationJobBytes = 2 * MiB;
const printerBytesPerSecond = 150_000;

const notes = [];
const note = (text) => { notes.push(text); console.log(`  note: ${text}`); };
const progress = (text) => process.stderr.write(`bench: ${text}\n`);

// ---- helpers ----

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "?",
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
  };
}

function git(args) {
  const result = spawnSync("git", args, { cwd: repoRoot, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

// ---- the figures ----

/** Upload, small jobs and sessions against every running server, runs interleaved so drift hits all alike. */
async function measureAll(servers, figures, label) {
  const byServer = Object.fromEntries(servers.map((server) => [server.name, { upload: [], small: [], sessions: [] }]));
  for (const server of servers) {                                // warm-up: one of each, not counted
    await uploadOnce(host, server.port, MiB, { name: `${server.pathPrefix}warm.bin` });
    await smallJobs(host, server.port, 200, { nameFor: (i) => `${server.pathPrefix}warm-${i}.bin` });
    await sessions(host, server.port, 200);
    server.clean();
  }
  for (let run = 0; run < plan.runs; run++) {
    for (const server of servers) {
      if (!figures.has("upload")) break;
      const result = await uploadOnce(host, server.port, plan.uploadBytes, { name: `${server.pathPrefix}upload-${run}.bin` });
      byServer[server.name].upload.push(result.mibPerS);
      server.clean();
    }
    for (const server of servers) {
      if (!figures.has("small")) break;
      byServer[server.name].small.push(await smallJobs(host, server.port, plan.windowMs,
        { nameFor: (i) => `${server.pathPrefix}small-${run}-${i}.bin` }));
      server.clean();
    }
    for (const server of servers) {
      if (!figures.has("sessions")) break;
      byServer[server.name].sessions.push(await sessions(host, server.port, plan.windowMs));
    }
    progress(`${label}: run ${run + 1} of ${plan.runs} done`);
  }
  return byServer;
}

/**
 * first_byte_ms: STOR sent → the first byte at ftprint's printer port. The file port writes each job to its own
 * file in the capture folder; an fs.watch (inotify) on that folder sees the first write, and we stat the file then.
 * Also kept, for comparison: STOR → the firmware's "job N printing" log line reaching us.
 */
async function measureFirstByte() {
  const capture = scratchFolder("capture");
  let waiting, logWaiting;
  const ftprint = await startFtprint({
    printer: "file", capture,
    onLine: (line) => {
      if (logWaiting && /^job \d+ printing/.test(line)) { logWaiting(performance.now()); logWaiting = undefined; }
    },
  });
  const watcher = watch(capture, (_event, filename) => {
    if (!waiting || !filename) return;
    try {
      if (statSync(join(capture, String(filename))).size > 0) { waiting(performance.now()); waiting = undefined; }
    } catch { /* created and not yet written, or gone */ }
  });
  const firstByte = [], jobStart = [];
  try {
    const control = await FtpControl.connect(host, ftprint.port);
    await control.login();
    await control.command("TYPE I", 200);
    for (let run = -1; run < plan.firstByteRuns; run++) {     // run -1 warms up
      const arrived = new Promise((resolve) => { waiting = resolve; });
      const logged = new Promise((resolve) => { logWaiting = resolve; });
      let storAt = 0;
      await control.store(`first-byte-${run}.bin`, 64 * 1024, { onStor: (at) => { storAt = at; } });
      const [byteAt, logAt] = await Promise.race([
        Promise.all([arrived, logged]),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no capture-file growth seen within 5 s")), 5000)),
      ]);
      if (run >= 0) { firstByte.push(byteAt - storAt); jobStart.push(logAt - storAt); }
      ftprint.clean();
    }
    await control.quit();
  } finally {
    watcher.close();
    await ftprint.stop();
    removeScratch(capture);
  }
  return { firstByteMs: median(firstByte), jobLogMs: median(jobStart), runs: firstByte.length };
}

/**
 * printer_utilization: a 2 MiB job to the virtual IEEE 1284 printer (--printer parallel) at ~150 KB/s, the network
 * far faster. bench/printer-probe.js (preloaded into the simulator) watches the printer model latch bytes and
 * reads its print engine's busy time (engineBusyNs: the engine prints out of the printer's input buffer, one byte
 * per cycle, never two at once), over the job's span at the printer (first latch to the end of the last byte
 * printed), both on the printer's own simulated clock. It can not exceed 1. The same latches on the wall clock say whether the
 * simulated GPIO time ran at real time (clock_ratio: simulated span / wall span, 1 = real time). Kept for
 * comparison: the old estimate, bytes / nominal rate over the client's 150 -> 226, which mixes the two clocks.
 */
async function measureUtilization() {
  const lines = [];
  const probes = [];
  let probeArrived;
  const ftprint = await startFtprint({
    printer: "parallel", extraArgs: ["--printer-speed", String(printerBytesPerSecond)],
    nodeArgs: ["--import", new URL("./printer-probe.js", import.meta.url).href],
    onLine: (line) => {
      lines.push(line);
      const probe = /^bench-printer: (.*)$/.exec(line);
      if (!probe) return;
      probes.push(Object.fromEntries(probe[1].split(" ").map((pair) => pair.split("=")).map(([key, value]) => [key, Number(value)])));
      probeArrived?.();
    },
  });
  const shares = [], clockRatios = [], clientShares = [], violations = [];
  try {
    for (let run = 0; run < plan.utilizationRuns; run++) {
      const seen = probes.length;
      const arrived = new Promise((resolve) => { probeArrived = resolve; });
      const result = await uploadOnce(host, ftprint.port, utilizationJobBytes, { name: `utilization-${run}.bin` });
      if (probes.length === seen) {
        // The probe reports once the printer's engine has printed its buffer, on the printer's clock, which the GPIO
        // calls' cost floor can put seconds ahead of the wall clock by the end of a job: wait for it to catch up.
        await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      }
      const probe = probes[seen];
      const wallS = (result.end - result.preliminary) / 1000;
      clientShares.push(utilizationJobBytes / printerBytesPerSecond / wallS);
      if (probe) {
        shares.push(probe.busy_ns / probe.span_ns);
        clockRatios.push(probe.latch_span_ns / 1e6 / probe.latch_span_wall_ms);
        violations.push(probe.violations);
      }
      progress(`printer utilization run ${run + 1} of ${plan.utilizationRuns}: 150 -> 226 ${wallS.toFixed(2)} s` +
        (probe ? `, printer busy ${(probe.busy_ns / 1e9).toFixed(2)} s of ${(probe.span_ns / 1e9).toFixed(2)} s on its clock, ` +
          `which ran ${(probe.latch_span_ns / 1e6 / probe.latch_span_wall_ms).toFixed(2)}x real time` : ", no probe line"));
    }
  } finally {
    await ftprint.stop();
  }
  const description = /printer: (.*)$/.exec(lines.find((line) => /listening on port/.test(line)) ?? "")?.[1];
  return {
    utilization: median(shares), clockRatio: median(clockRatios), clientEstimate: median(clientShares),
    violations: violations.reduce((sum, count) => sum + count, 0), description, lines,
  };
}

/** rss_mib: VmHWM of the simulator child across one upload, reset before each (clear_refs 5), for two sizes. */
async function measureRss(printer) {
  const ftprint = await startFtprint({ printer });
  const peaks = {};
  try {
    await uploadOnce(host, ftprint.port, MiB, { name: "rss-warm.bin" });
    for (const bytes of rssJobBytes) {
      const reset = resetPeakRss(ftprint.pid);
      const before = rssMiB(ftprint.pid);
      await uploadOnce(host, ftprint.port, bytes, { name: `rss-${bytes}.bin` });
      peaks[bytes] = { before, peak: peakRssMiB(ftprint.pid), reset };
      ftprint.clean();
    }
  } finally {
    await ftprint.stop();
  }
  return peaks;
}

/**
 * The XS figures come from bench/xs.js (the XS runner's bench, on xsnap). It prints a human report; we read
 * "ratio w/o network" as xs_cost_ratio (the in-memory network stands for lwIP, native code on the device, so it
 * is not the firmware's cost; the ratio with it is kept in the details), and the allocation line. A JSON object
 * with our key names, if it ever prints one last, takes precedence.
 */
async function measureXs() {
  const script = join(repoRoot, "bench", "xs.js");
  if (!existsSync(script)) return { figures: null, note: "bench/xs.js is not there yet (the XS runner's bench); XS figures are null" };
  const args = [script, String(options.full ? 16 : 4)];
  progress(`XS data-path bench: node bench/xs.js ${args[1]}`);
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  child.stdout.on("data", (chunk) => { out += chunk; });
  child.stderr.on("data", (chunk) => { err += chunk; });
  const status = await new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("exit", (code, signal) => { clearTimeout(timer); resolve(signal ?? code); });
  });
  const number = (pattern) => { const match = pattern.exec(out); return match ? Number(match[1]) : undefined; };
  const allocations = /allocations\s+([\d.]+) ArrayBuffers\/MiB, ([\d.]+) typed-array views\/MiB/.exec(out);
  const parsed = {
    xs_cost_ratio: number(/ratio w\/o network\s+([\d.]+)x/) ?? number(/^\s*ratio\s+([\d.]+)x/m),
    xs_cost_ratio_with_network: number(/^\s*ratio\s+([\d.]+)x/m),
    xs_buffers_per_mib: allocations ? Number(allocations[1]) : undefined,
    xs_views_per_mib: allocations ? Number(allocations[2]) : undefined,
    firmware_ms_per_mib: number(/firmware path\s+([\d.]+) ms\/MiB/),
    reference_ms_per_mib: number(/reference loop\s+([\d.]+) ms\/MiB/),
    network_floor_ms_per_mib: number(/network floor\s+([\d.]+) ms\/MiB/),
    mebibytes: Number(args[1]),
  };
  const figures = { ...parsed, ...(lastJsonObject(out) ?? {}) };
  if (status !== 0 || figures.xs_cost_ratio === undefined)
    return { figures: null, note: `bench/xs.js exited with ${status} and gave no ratio: ${(err || out).trim().slice(-400)}` };
  return { figures, report: out.trim() };
}

function lastJsonObject(text) {
  const at = text.lastIndexOf("\n{");
  if (at < 0) return undefined;
  try { return JSON.parse(text.slice(at + 1)); } catch { return undefined; }
}

// ---- the table ----

function format(value, digits = 1) {
  if (value === null || value === undefined) return "n/a";
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(digits);
}

function ratio(ours, theirs) {
  return ours === null || theirs === null || ours === undefined || theirs === undefined || theirs === 0 ? null : ours / theirs;
}

function printTable(rows) {
  const header = ["figure", "ftprint", "vsftpd", "pyftpdlib", "ftprint/vsftpd", "ftprint/pyftpdlib", "target", "met"];
  const table = [header, ...rows.map((row) => [row.label, row.ftprint, row.vsftpd ?? "", row.pyftpdlib ?? "",
    row.vsRatio ?? "", row.pyRatio ?? "", row.target ?? "", row.met ?? ""])];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => String(cells[column]).length)));
  const line = (cells) => cells.map((cell, column) => column === 0 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column])).join("  ");
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const cells of table.slice(1)) console.log(line(cells));
}

const verdict = (ok) => (ok === null ? "?" : ok ? "yes" : "NO");

// ---- main ----

async function main() {
  const started = performance.now();
  const info = machine();
  const figuresWanted = new Set(figureNames.filter((figure) => !options.skip.has(figure)));
  const commit = git(["rev-parse", "--short", "HEAD"]);
  console.log(`ftprint bench, ${plan.mode} mode: medians of ${plan.runs} runs, upload ${plan.uploadBytes / MiB} MiB, ` +
    `${plan.windowMs / 1000} s windows${options.full ? "" : " (--full: 5 runs, 64 MiB, 3 s)"}`);
  if (!options.full) console.log("  (quick: an upload lasts a tenth of a second or so, so upload_mib_s moves by 20-30% from run to run; use --full for the README)");
  console.log(`machine: ${info.nproc} CPUs, ${info.cpu}, ${info.memory_gib} GiB, ${info.kernel}, node ${info.node}; commit ${commit ?? "?"}`);
  if (options.servers.includes("ftprint") && !existsSync(simulatorEntry)) throw new Error(`${simulatorEntry} is not there; the simulator is needed for ftprint`);
  if (process.env.BENCH_SIMULATOR) note(`simulator entry from BENCH_SIMULATOR: ${process.env.BENCH_SIMULATOR}`);

  // The peers that can run here.
  const servers = [];
  const versions = {};
  try {
    for (const name of options.servers) {
      if (name === "ftprint") continue;
      const missing = peerMissing(name);
      if (missing) { note(`${name} skipped: ${missing}`); continue; }
      const server = name === "vsftpd" ? await startVsftpd() : await startPyftpdlib();
      versions[name] = server.version;
      servers.push(server);
    }

    // ftprint with an instant sink: the discard port if this build has it, else the file port on tmpfs.
    let sink = "discard";
    let ftprint;
    if (options.servers.includes("ftprint")) {
      const lines = [];
      const nodeArgs = options.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProf] : [];
      ftprint = await startFtprint({ printer: "discard", nodeArgs, onLine: (line) => lines.push(line) });
      const description = /printer: (.*)$/.exec(lines.find((line) => /listening on port/.test(line)) ?? "")?.[1] ?? "?";
      if (!/discard/.test(description)) {
        await ftprint.stop();
        sink = "file";
        ftprint = await startFtprint({ printer: "file", nodeArgs });
        note(`the simulator has no discard printer yet (said "${description}"): ftprint printed to files on tmpfs (--printer file --capture ${ftprint.uploads})`);
      }
      servers.unshift(ftprint);
      console.log(`ftprint: node ${relative(repoRoot, simulatorEntry)} --port 0 --printer ${sink} (profile esp32, the default); peers: ${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(", ") || "none"}`);
    }

    const byServer = await measureAll(servers, figuresWanted, "upload/small jobs/sessions");
    for (const server of servers) await server.stop();
    servers.length = 0;

    // The firmware's log: one line per command on stdout. The same figures with it filtered out (bench/quiet-trace.js).
    let quiet;
    if (figuresWanted.has("log") && ftprint) {
      const quietServer = await startFtprint({ printer: sink, quietLog: true });
      servers.push(quietServer);
      quiet = (await measureAll([quietServer], figuresWanted, "ftprint with its log filtered"))[quietServer.name];
      await quietServer.stop();
      servers.length = 0;
    }

    const firstByte = figuresWanted.has("first_byte") && ftprint ? await measureFirstByte() : undefined;
    const utilization = figuresWanted.has("utilization") && ftprint ? await measureUtilization() : undefined;
    const rss = figuresWanted.has("rss") && ftprint ? await measureRss(sink) : undefined;
    const xs = figuresWanted.has("xs") ? await measureXs() : { figures: null, note: "XS figures skipped (--skip xs)" };
    if (xs.note) note(xs.note);

    // ---- the figures ----
    const peerFigure = (key) => {
      const figure = {};
      for (const name of ["ftprint", "vsftpd", "pyftpdlib"]) figure[name] = byServer[name] ? median(byServer[name][key]) : null;
      return figure;
    };
    const xsValue = (key) => (xs.figures && Number.isFinite(xs.figures[key]) ? xs.figures[key] : null);
    const figures = {
      upload_mib_s: peerFigure("upload"),
      small_jobs_per_s: peerFigure("small"),
      sessions_per_s: peerFigure("sessions"),
      first_byte_ms: firstByte?.firstByteMs ?? null,
      printer_utilization: utilization?.utilization ?? null,
      xs_cost_ratio: xsValue("xs_cost_ratio"),
      xs_buffers_per_mib: xsValue("xs_buffers_per_mib"),
      xs_views_per_mib: xsValue("xs_views_per_mib"),
      rss_mib: rss?.[64 * MiB]?.peak ?? null,
    };

    // ---- the table ----
    console.log("");
    const rows = [];
    const peerRow = (label, key, digits) => {
      const figure = figures[key];
      const vsRatio = ratio(figure.ftprint, figure.vsftpd), pyRatio = ratio(figure.ftprint, figure.pyftpdlib);
      const targeted = key === "upload_mib_s" || key === "sessions_per_s";
      const met = targeted && vsRatio !== null && pyRatio !== null ? vsRatio >= 0.5 && pyRatio >= 1.0 : null;
      rows.push({
        label, ftprint: format(figure.ftprint, digits), vsftpd: format(figure.vsftpd, digits),
        pyftpdlib: format(figure.pyftpdlib, digits), vsRatio: vsRatio === null ? "n/a" : `${vsRatio.toFixed(2)}x`,
        pyRatio: pyRatio === null ? "n/a" : `${pyRatio.toFixed(2)}x`,
        target: targeted ? ">=0.5x vsftpd, >=1.0x pyftpdlib" : "", met: targeted ? verdict(met) : "",
      });
    };
    const soloRow = (label, value, digits, target, met) => rows.push({ label, ftprint: format(value, digits), target, met: target ? verdict(met) : "" });
    if (figuresWanted.has("upload")) peerRow(`upload_mib_s (${plan.uploadBytes / MiB} MiB, TYPE I)`, "upload_mib_s", 1);
    if (figuresWanted.has("small")) peerRow("small_jobs_per_s (1 KiB, one session)", "small_jobs_per_s", 0);
    if (figuresWanted.has("sessions")) peerRow("sessions_per_s (connect, login, quit)", "sessions_per_s", 0);
    if (firstByte) soloRow(`first_byte_ms (STOR -> printer port, 64 KiB job)`, figures.first_byte_ms, 2, "", null);
    if (utilization) soloRow(`printer_utilization (2 MiB at ${printerBytesPerSecond / 1000} KB/s)`, figures.printer_utilization, 3,
      ">=0.99", figures.printer_utilization === null ? null : figures.printer_utilization >= 0.99);
    soloRow("xs_cost_ratio", figures.xs_cost_ratio, 2, "<=1.3", figures.xs_cost_ratio === null ? null : figures.xs_cost_ratio <= 1.3);
    soloRow("xs_buffers_per_mib", figures.xs_buffers_per_mib, 1, "0", figures.xs_buffers_per_mib === null ? null : figures.xs_buffers_per_mib === 0);
    soloRow("xs_views_per_mib", figures.xs_views_per_mib, 1, "", null);
    if (rss) {
      const large = rss[64 * MiB]?.peak, larger = rss[256 * MiB]?.peak;
      const flat = large !== undefined && larger !== undefined ? Math.abs(larger - large) <= Math.max(4, 0.05 * large) : null;
      soloRow(`rss_mib (peak VmHWM, 64 MiB upload; 256 MiB: ${format(larger)})`, figures.rss_mib, 1, "flat", flat);
    }
    printTable(rows);

    if (quiet) {
      const line = (key, label, digits) => {
        const loud = figures[key === "upload" ? "upload_mib_s" : key === "small" ? "small_jobs_per_s" : "sessions_per_s"].ftprint;
        const hushed = median(quiet[key]);
        if (hushed === null || loud === null) return;
        console.log(`  ${label}: ${format(loud, digits)} with the firmware log, ${format(hushed, digits)} with it filtered (${((hushed / loud - 1) * 100).toFixed(0)}%)`);
      };
      console.log("\nftprint's per-command log (stdout pipe) vs bench/quiet-trace.js:");
      if (figuresWanted.has("upload")) line("upload", "upload_mib_s", 1);
      if (figuresWanted.has("small")) line("small", "small_jobs_per_s", 0);
      if (figuresWanted.has("sessions")) line("sessions", "sessions_per_s", 0);
    }
    if (firstByte?.jobLogMs !== undefined) console.log(`\nfirst_byte_ms: median of ${firstByte.runs} runs (fs.watch on the file port's capture folder on tmpfs); STOR -> "job N printing" log line: ${format(firstByte.jobLogMs, 2)} ms`);
    if (utilization) console.log(`printer_utilization: ${utilization.description ?? "?"}; the printer's print engine busy time over the job's span, ` +
      `on its own simulated clock (bench/printer-probe.js); that clock ran ${format(utilization.clockRatio, 2)}x real time during the job ` +
      `(1 = real time); ${utilization.violations} handshake violations; the old estimate, (bytes / ${printerBytesPerSecond} B/s) / (150 reply -> 226 on the wall clock): ${format(utilization.clientEstimate, 3)}`);
    if (xs.figures) console.log(`xs (bench/xs.js, ${xs.figures.mebibytes} MiB on xsnap): firmware ${xs.figures.firmware_ms_per_mib} ms/MiB, reference loop ${xs.figures.reference_ms_per_mib} ms/MiB, in-memory network ${xs.figures.network_floor_ms_per_mib} ms/MiB; ratio ${xs.figures.xs_cost_ratio_with_network}x with the network, ${xs.figures.xs_cost_ratio}x without (reported)`);
    if (rss) console.log(`rss_mib: VmHWM reset before each upload (clear_refs): ${rssJobBytes.map((bytes) => `${bytes / MiB} MiB job ${format(rss[bytes].before)} -> ${format(rss[bytes].peak)} MiB${rss[bytes].reset ? "" : " (not reset)"}`).join(", ")}`);

    // ---- the JSON ----
    const jsonPath = options.json ?? join(repoRoot, "bench", "results", `${plan.mode}-${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}.json`);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify(figures, null, 2) + "\n");
    const metaPath = jsonPath.replace(/\.json$/, "") + ".meta.json";
    writeFileSync(metaPath, JSON.stringify({
      mode: plan.mode, plan, machine: info, commit, versions, ftprint_printer: sink, notes,
      ftprint_log_filtered: quiet ? { upload_mib_s: median(quiet.upload), small_jobs_per_s: median(quiet.small), sessions_per_s: median(quiet.sessions) } : null,
      first_byte: firstByte ?? null, rss: rss ?? null, xs: xs.figures ?? null,
      printer: utilization ? { clock_ratio: utilization.clockRatio, client_estimate: utilization.clientEstimate, violations: utilization.violations } : null,
      runs: byServer,
    }, null, 2) + "\n");
    console.log(`\nfigures: ${relative(process.cwd(), jsonPath)} (details: ${relative(process.cwd(), metaPath)}); ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const server of servers) await server.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(`bench failed: ${error?.stack ?? error}`);
  process.exit(1);
});
