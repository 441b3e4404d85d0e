// The raw 9100 and LPD fuzzer (test/hardening/serviceFuzz.js), a quick fixed-seed run for CI. Long runs:
// npm run fuzz -- --service lpd|raw|both --count N [--seed S]   (and --round R to repeat one failing round)
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadHardening } from "./load.js";

const { runServiceFuzz } = await loadHardening("serviceFuzz");

test("10,000 fuzzed raw 9100 and LPD inputs (seed 7): nothing escapes, replies well formed, nothing leaks, good jobs print whole", () => {
  const stats = runServiceFuzz({ seed: 7, count: 10_000 });
  console.log(`service fuzz seed ${stats.seed}: ${stats.inputs} inputs, ${stats.lpdConnections} LPD and ${stats.rawConnections} raw connections in ${stats.rounds} rounds, ` +
    `${stats.listings} listings, ${stats.removals} removals, ${stats.refusals} error bytes, ${stats.turnedAway} turned away, ${stats.stalls} printer stalls, ` +
    `${stats.rawWhole} hostile raw jobs whole, ${stats.goodJobs} well-formed jobs (${stats.goodBytes} bytes) printed whole; crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}`);
  assert.equal(stats.failure, undefined, stats.failure);
  assert.ok(stats.inputs >= 10_000);
  assert.equal(stats.goodJobs, stats.rounds * 2);
  assert.ok(stats.listings > 0 && stats.removals > 0 && stats.turnedAway > 0 && stats.rawWhole > 0, "the grammar stopped reaching listings, removals, full slots or whole raw jobs");
});

test("1,500 fuzzed IPP inputs and 1,000 mixed with raw and LPD (seed 7): answers well formed, IPP jobs print what was sent, nothing leaks, good jobs print whole", () => {
  for (const [service, count] of [["ipp", 1_500], ["all", 1_000]]) {
    const stats = runServiceFuzz({ seed: 7, count, service });
    console.log(`service fuzz ${service} seed ${stats.seed}: ${stats.inputs} inputs, ${stats.ippConnections} IPP, ${stats.lpdConnections} LPD and ${stats.rawConnections} raw connections in ${stats.rounds} rounds, ` +
      `${stats.ippAnswers} IPP answers, ${stats.ippJobs} hostile IPP jobs printed as sent (${stats.ippRasterJobs} raster, as converted), ${stats.turnedAway} turned away, ${stats.stalls} printer stalls, ` +
      `${stats.goodJobs} well-formed jobs (${stats.goodBytes} bytes) printed whole; crashes ${stats.crashes}, slots leaked ${stats.slotsLeaked}`);
    assert.equal(stats.failure, undefined, stats.failure);
    assert.ok(stats.inputs >= count);
    assert.equal(stats.goodJobs, stats.rounds * 3, "the LPD, raw and IPP jobs after each round");
    assert.ok(stats.ippAnswers > 0 && stats.ippJobs > 0, "the grammar stopped reaching IPP answers or printed IPP jobs");
    if (service === "ipp") assert.ok(stats.ippRasterJobs > 0, "the grammar stopped reaching raster jobs that print");
  }
});
