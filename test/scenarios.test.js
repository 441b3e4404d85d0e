// The scenario suite on Node, through node:test: the very bundle of firmware + host + scenarios that
// test/xs/run.js gives XS, so both engines run the same code and the same number of scenarios.
import { test } from "node:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundle, repoRoot } from "./xs/bundle.js";

const outDirectory = join(repoRoot, ".cache", "xs-suite");
mkdirSync(outDirectory, { recursive: true });
const file = await bundle({ entry: join(repoRoot, "test", "xs-host", "suite.js"), outfile: join(outDirectory, "suite-node.mjs"), format: "esm" });
const { scenarios, runScenario } = await import(pathToFileURL(file).href);

for (const scenario of scenarios) test(scenario.name, () => runScenario(scenario));
