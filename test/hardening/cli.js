#!/usr/bin/env node
// The long forms of the hardening runs (the CI runs short ones in test/hardening/*.test.js):
//   npm run fuzz -- --count N [--seed S] [--round R]     fuzz the control channel; --round repeats one round
//   npm run fuzz -- --service lpd|raw|both|ipp|all --count N [--seed S] [--round R]   fuzz the raw 9100, LPD and IPP servers
//   npm run soak -- --jobs N [--seed S]                  jobs through random faults
// Prints the figures the README's Reliability section quotes, and heap use after GC across the run when node runs
// with --expose-gc (the npm scripts pass it). Exits 1 on any failure, printing its seed and reproducer.
import { loadHardening } from "./load.js";

const [what, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i < rest.length; i += 2) options[rest[i].replace(/^--/, "")] = Number(rest[i + 1]);
const seed = Number.isFinite(options.seed) ? options.seed : Math.floor(Math.random() * 1e9);
const started = Date.now();
const heap = [];
const sampleHeap = () => {
  if (!globalThis.gc) return;
  globalThis.gc();
  heap.push(process.memoryUsage().heapUsed);
};
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const heapLine = () => heap.length < 3 ? "heap: run node with --expose-gc to sample it"
  : `heap after GC: ${mib(heap[1])} MiB early, ${mib(heap[heap.length - 1])} MiB at the end (min ${mib(Math.min(...heap.slice(1)))}, max ${mib(Math.max(...heap.slice(1)))})`;

const service = rest.includes("--service") ? rest[rest.indexOf("--service") + 1] : undefined;

if (what === "fuzz" && service !== undefined) {
  if (!["lpd", "raw", "both", "ipp", "all"].includes(service)) {
    console.error("--service takes lpd, raw, both (those two), ipp or all");
    process.exit(2);
  }
  const { runServiceFuzz } = await loadHardening("cli-service-fuzz");
  const count = options.count || 10_000;
  let nextReport = 0;
  const stats = runServiceFuzz({
    seed, count, service, only: Number.isFinite(options.round) ? options.round : undefined,
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
    `(${stats.ippAnswers} IPP answers, ${stats.ippJobs} hostile IPP jobs printed as sent), ` +
    `${stats.listings} listings, ${stats.removals} removals, ${stats.refusals} error bytes, ${stats.turnedAway} turned away, ${stats.stalls} printer stalls; ` +
    `${stats.rawWhole} hostile raw jobs ended by FIN printed whole, ${stats.goodJobs} well-formed jobs (${stats.goodBytes} bytes) printed whole; crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}; ` +
    `${Math.round((Date.now() - started) / 1000)} s`);
  console.log(heapLine());
  process.exit(stats.failure ? 1 : 0);
} else if (what === "fuzz") {
  const { runFuzz } = await loadHardening("cli-fuzz");
  const count = options.count || 10_000;
  let nextReport = 0;
  const stats = runFuzz({
    seed, count, only: Number.isFinite(options.round) ? options.round : undefined,
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
  const stats = runSoak({ seed, jobs: options.jobs || 500, report: (line) => console.log(line), sample: sampleHeap });
  sampleHeap();
  console.log(stats.summary);
  console.log(heapLine());
  process.exit(stats.failure ? 1 : 0);
} else {
  console.error("usage: node test/hardening/cli.js fuzz [--service lpd|raw|both] --count N [--seed S] [--round R] | soak --jobs N [--seed S]");
  process.exit(2);
}
