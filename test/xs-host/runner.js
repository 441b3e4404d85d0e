// Runs the scenario table on whatever engine loads it: each scenario gets a fresh ScenarioHost, runs, and then
// the host's end-of-scenario checks. Reports one line per scenario and returns the counts. Engine-neutral.

import { ScenarioHost } from "./host.js";

/** Runs one scenario; throws its failure (the scenario's own first, not a teardown error it caused). */
export function runScenario(scenario) {
  const host = new ScenarioHost(scenario.options);
  let failure;
  try {
    scenario.run(host);
    host.finish();
  } catch (error) {
    failure = error;
  } finally {
    try {
      host.shutDown();
    } catch (error) {
      failure ??= error;
    }
    host.release();
  }
  if (failure) throw failure;
}

/** `report(line)` prints; `filter` keeps scenarios whose name contains it. Returns { passed, failed }. */
export function runScenarios(scenarios, { report, filter = "" }) {
  let passed = 0;
  let failed = 0;
  for (const scenario of scenarios) {
    if (filter && !scenario.name.includes(filter)) continue;
    try {
      runScenario(scenario);
      passed++;
      report(`ok - ${scenario.name}`);
    } catch (error) {
      failed++;
      report(`not ok - ${scenario.name}`);
      for (const line of String(error?.stack ?? error).split("\n")) report(`    ${line}`);
      if (error?.stack && !String(error.stack).includes(String(error.message))) report(`    ${error.message}`);
    }
  }
  return { passed, failed };
}
