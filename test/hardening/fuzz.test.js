// The control-channel fuzzer (test/hardening/fuzz.js), a quick fixed-seed run for CI. Long runs:
// npm run fuzz -- --count N [--seed S]   (and --round R to repeat one failing round)
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadHardening } from "./load.js";

const { runFuzz } = await loadHardening("fuzz");

test("10,000 fuzzed control-channel inputs (seed 6): every one answered or cleanly closed, nothing escapes, nothing leaks", () => {
  const stats = runFuzz({ seed: 6, count: 10_000 });
  console.log(`fuzz seed ${stats.seed}: ${stats.inputs} inputs in ${stats.sessions} sessions, ${stats.rounds} rounds, ${stats.dataConnections} data connections, crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}`);
  assert.equal(stats.failure, undefined, stats.failure);
  assert.ok(stats.inputs >= 10_000);
});
