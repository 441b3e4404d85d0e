// The hardening suite's one entry, bundled with the compiled firmware like the scenario suite (test/xs/bundle.js),
// so the attack scenarios, the fuzzer and the soak run the same on Node and, being engine-neutral, on XS.
export { attacks, tally } from "./attacks.js";
export { runFuzz } from "./fuzz.js";
export { runSoak } from "./soak.js";
export { runScenario } from "../xs-host/runner.js";
export { runServiceFuzz } from "./serviceFuzz.js";
