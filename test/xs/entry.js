// What xsnap runs: the whole scenario suite, one line per scenario and the closing count line.
// `scenarioFilter` is defined by the bundle's banner (xsnap gives a script no argv).
import { scenarios, runScenarios } from "../xs-host/suite.js";

const { passed, failed } = runScenarios(scenarios, { report: (line) => print(line), filter: globalThis.scenarioFilter ?? "" });
print(`${passed} passed, ${failed} failed`);
