// Preloaded into the simulator (node --import) by `npm run bench` to measure what the firmware's log costs: keeps
// the global `trace` the simulator installs, but passes on only the lines the bench reads (listening, job start and
// end) and drops the per-command and per-session lines. Must not: change anything else in the simulator.

const kept = /listening on port|^job \d+ (printing|")|could not start|failed/;
let installed = (text) => process.stdout.write(String(text));

function quietTrace(text) {
  if (kept.test(String(text))) installed(text);
}

// An accessor, so that `globalThis.trace = fn` in simulator/main.js installs its writer behind our filter.
Object.defineProperty(globalThis, "trace", {
  configurable: true,
  enumerable: false,
  get: () => quietTrace,
  set: (fn) => { if (typeof fn === "function" && fn !== quietTrace) installed = fn; },
});
