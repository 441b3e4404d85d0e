#!/usr/bin/env node
// The long forms of the hardening runs (the CI runs short ones in test/hardening/*.test.js):
//   npm run fuzz -- --count N [--seed S] [--round R]     fuzz the control channel; --round repeats one round
//   npm run fuzz -- --service lpd|raw|both|ipp|all --count N [--seed S] [--round R]   fuzz the raw 9100, LPD and IPP servers
//   npm run soak -- --jobs N [--seed S]                  jobs through random faults
// Prints the figures the README's Reliability section quotes, and heap use after GC across the run when node runs
// with --expose-gc (the npm scripts pass it). Exits 1 on any failure, printing its seed and reproducer; 2 for an
// unknown flag or a bad value (named, with the usage); --help prints the usage.
import { parseArgs } from "node:util";
import { loadHardening } from "./load.js";

const usage = `usage: npm run fuzz -- [--count N] [--seed S] [--round R]        fuzz the control channel (default 10000 inputs)
       npm run fuzz -- --service lpd|raw|both|ipp|all [--count N] [--seed S] [--round R]   fuzz raw 9100, LPD, IPP
       npm run soak -- [--jobs N] [--seed S]                       jobs through random faults (default 500)
  --count N   inputs to send (a whole number above 0)
  --jobs N    jobs to soak (a whole number above 0)
  --seed S    the random seed (a whole number; default a random one, printed)
  --round R   repeat round R only, as a failure's reproducer prints it
  --service   lpd, raw, both (those two), ipp, or all: fuzz those servers instead of FTP's control channel
  --help      this text
Exit status: 0 when every check held, 1 on a failure (its seed and reproducer printed), 2 for a bad command line.`;

/** A command-line mistake: what was wrong, the usage, exit 2. */
function fail(message) {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

const flags = {
  fuzz: { count: { type: "string" }, seed: { type: "string" }, round: { type: "string" }, service: { type: "string" }, help: { type: "boolean" } },
  soak: { jobs: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } },
};
const [what, ...rest] = process.argv.slice(2);
if (what === "--help" || what === "-h") {
  console.log(usage);
  process.exit(0);
}
if (!Object.hasOwn(flags, what ?? "")) fail(what === undefined ? "say fuzz or soak" : `unknown run "${what}": say fuzz or soak`);
let values;
try {
  ({ values } = parseArgs({ args: rest, options: flags[what], strict: true, allowPositionals: false }));
} catch (error) {
  fail(`${what}: ${String(error.message).replace(/\. To specify a positional argument.*$/s, "")}`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
/** A whole number from --name, at least `least`; undefined when the flag was not given. */
function whole(name, least) {
  const text = values[name];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < least || !Number.isSafeInteger(Number(text)))
    fail(`--${name} must be a whole number${least > 0 ? ` of at least ${least}` : ""}, not "${text}"`);
  return Number(text);
}
const options = { count: whole("count", 1), jobs: whole("jobs", 1), seed: whole("seed", 0), round: whole("round", 0) };
const service = values.service;
if (service !== undefined && !["lpd", "raw", "both", "ipp", "all"].includes(service)) fail(`--service must be lpd, raw, both, ipp or all, not "${service}"`);
const seed = options.seed ?? Math.floor(Math.random() * 1e9);
const started = Date.now();
const heap = [];
const sampleHeap = () => {
  if (!globalThis.gc) return;
  globalThis.gc();
  heap.push(process.memoryUsage().heapUsed);
};
const mib = (bytes) => (bytes / 1048576).toFixed(1);
/** Samples come every 200 rounds (fuzz) or 5 batches (soak) and at the end; the first one is still warming up. */
function heapLine() {
  if (!globalThis.gc) return "heap: run node with --expose-gc to sample it (the npm scripts do)";
  const last = mib(heap[heap.length - 1]);
  if (heap.length < 3) return `heap after GC: ${last} MiB at the end (a short run: ${heap.length} sample${heap.length > 1 ? "s" : ""}, too few to compare)`;
  const settled = heap.slice(1);
  return `heap after GC: ${mib(heap[1])} MiB early, ${last} MiB at the end (min ${mib(Math.min(...settled))}, max ${mib(Math.max(...settled))})`;
}

if (what === "fuzz" && service !== undefined) {
  const { runServiceFuzz } = await loadHardening("cli-service-fuzz");
  const count = options.count ?? 10_000;
  let nextReport = 0;
  const stats = runServiceFuzz({
    seed, count, service, only: options.round,
    report: (line) => console.error(line),
    afterRound(stats, round) {
      if (round % 200 === 0) sampleHeap();
      if (stats.inputs >= nextReport) {
        console.log(`  ${stats.inputs} inputs, ${stats.rounds} rounds, ${Math.round((Date.now() - started) / 1000)} s`);
        nextReport += Math.max(10_000, Math.floor(count / 10));
      }
    },
  });
  sampleHeap();
  console.log(`service fuzz (${service}): seed ${seed}, ${stats.inputs} inputs in ${stats.rounds} rounds: ${stats.lpdConnections} LPD, ${stats.rawConnections} raw and ${stats.ippConnections} IPP connections ` +
    `(${stats.ippAnswers} IPP answers, ${stats.ippJobs} hostile IPP jobs printed as sent, ${stats.ippRasterJobs} of them raster as converted), ` +
    `${stats.listings} listings, ${stats.removals} removals, ${stats.refusals} error bytes, ${stats.turnedAway} turned away, ${stats.stalls} printer stalls; ` +
    `${stats.rawWhole} hostile raw jobs ended by FIN printed whole, ${stats.goodJobs} well-formed jobs (${stats.goodBytes} bytes) printed whole; crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}; ` +
    `${Math.round((Date.now() - started) / 1000)} s`);
  console.log(heapLine());
  process.exit(stats.failure ? 1 : 0);
} else if (what === "fuzz") {
  const { runFuzz } = await loadHardening("cli-fuzz");
  const count = options.count ?? 10_000;
  let nextReport = 0;
  const stats = runFuzz({
    seed, count, only: options.round,
    report: (line) => console.error(line),
    afterRound(stats, round) {
      if (round % 200 === 0) sampleHeap();
      if (stats.inputs >= nextReport) {
        console.log(`  ${stats.inputs} inputs, ${stats.sessions} sessions, ${Math.round((Date.now() - started) / 1000)} s`);
        nextReport += Math.max(10_000, Math.floor(count / 10));
      }
    },
  });
  sampleHeap();
  console.log(`fuzz: seed ${seed}, ${stats.inputs} inputs in ${stats.sessions} sessions (${stats.rounds} rounds, ${stats.dataConnections} data connections, ` +
    `${stats.cleanCloses} clean closes, ${stats.refusedAtConnect} turned away at connect); crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}; ` +
    `${Math.round((Date.now() - started) / 1000)} s`);
  console.log(heapLine());
  process.exit(stats.failure ? 1 : 0);
} else if (what === "soak") {
  const { runSoak } = await loadHardening("cli-soak");
  const stats = runSoak({ seed, jobs: options.jobs ?? 500, report: (line) => console.log(line), sample: sampleHeap });
  sampleHeap();
  console.log(stats.summary);
  console.log(heapLine());
  process.exit(stats.failure ? 1 : 0);
}
