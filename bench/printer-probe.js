// Preloaded into the simulator (node --import) by `npm run bench` for printer_utilization: watches the virtual
// IEEE 1284 printer (simulator/devices/printer1284.js) latch bytes, on its own simulated clock and on the wall
// clock, and prints one "bench-printer:" line per job when the firmware logs the job printed. Must not: change
// what the printer or the firmware do (it only wraps setStrobe and the global trace to look).
//
// The printer model is busy for exactly cycleNs after each byte it latches (a strobe while BUSY is dropped and
// counted as a violation, so busy periods never overlap), and faults are off in the bench: its busy time in a job
// is bytes × cycleNs. Its utilization is that over the job's span at the printer, first latch to the end of the
// last byte's cycle, both on the printer's own clock. The wall-clock span of the same latches says whether that
// clock (SimClock: wall time plus callCostNs per GPIO call) ran at real time.

import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

// The printer model of the simulator being run (process.argv[1] is its main.js; BENCH_SIMULATOR may name a copy).
const { Printer1284 } = await import(pathToFileURL(join(dirname(process.argv[1]), "devices", "printer1284.js")).href);

let job = undefined;    // { bytes, firstNs, lastNs, firstWallMs, lastWallMs, cycleNs, violationsBefore, printer }

const setStrobe = Printer1284.prototype.setStrobe;
Printer1284.prototype.setStrobe = function (level, t) {
  const before = this.count;
  const result = setStrobe.call(this, level, t);
  if (this.count > before) {
    const wall = performance.now();
    if (!job || job.printer !== this) {
      job = { bytes: 0, firstNs: t, firstWallMs: wall, cycleNs: this.cycleNs, violationsBefore: this.violations.length, printer: this };
    }
    job.bytes += this.count - before;
    job.lastNs = t;
    job.lastWallMs = wall;
  }
  return result;
};

function report() {
  if (!job) return;
  const { bytes, firstNs, lastNs, firstWallMs, lastWallMs, cycleNs, printer } = job;
  const spanNs = lastNs + cycleNs - firstNs;
  installed(`bench-printer: bytes=${bytes} busy_ns=${Math.round(bytes * cycleNs)} span_ns=${Math.round(spanNs)} ` +
    `latch_span_ns=${Math.round(lastNs - firstNs)} latch_span_wall_ms=${(lastWallMs - firstWallMs).toFixed(3)} ` +
    `cycle_ns=${cycleNs.toFixed(1)} violations=${printer.violations.length - job.violationsBefore}\n`);
  job = undefined;
}

// The firmware's "job N "name" printed: ..." line comes once the port took the last byte: the job's end.
let installed = (text) => process.stdout.write(String(text));
function probingTrace(...items) {
  const text = items.map(String).join("");
  if (/^job \d+ ".*" printed/.test(text)) {
    installed(text);
    report();
    return;
  }
  if (/^job \d+ printing/.test(text)) job = undefined;
  installed(text);
}

// An accessor, so that `globalThis.trace = fn` in simulator/main.js installs its writer behind our probe.
Object.defineProperty(globalThis, "trace", {
  configurable: true,
  enumerable: false,
  get: () => probingTrace,
  set: (fn) => { if (typeof fn === "function" && fn !== probingTrace) installed = fn; },
});
