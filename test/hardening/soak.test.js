// The soak (test/hardening/soak.js), a short fixed-seed run for CI. Long runs: npm run soak -- --jobs N [--seed S]
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadHardening } from "./load.js";

const { runSoak } = await loadHardening("soak");

test("300 jobs through random faults (seed 6): every 226 printed once and whole, nothing lost, doubled or interleaved", () => {
  const stats = runSoak({ seed: 6, jobs: 300 });
  console.log(stats.summary);
  assert.equal(stats.failure, undefined, stats.failure);
  assert.equal(stats.jobs, 300);
});
