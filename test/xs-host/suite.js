// The one entry both engines load: the scenario table and the runner, bundled with the compiled firmware.
export { scenarios } from "../scenarios/index.js";
export { runScenario, runScenarios } from "./runner.js";
