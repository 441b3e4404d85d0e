// Preloaded into the simulator (node --import) by `npm run bench` for printer_utilization: watches the virtual
// IEEE 1284 printer (simulator/devices/printer1284.js) latch bytes, on its own simulated clock and on the wall
// clock, and prints one "bench-printer:" line per job once the firmware logged the job printed and the printer's
// engine has printed everything it took. Must not: change what the printer or the firmware do (it only wraps
// setStrobe and the global trace to look).
//
// The printer model reports its print engine's busy time (engineBusyNs: with its input buffer, the time the engine
// spent printing bytes out of the buffer; without one, cycleNs per byte latched). Utilization is the engine's busy
// time during the job over the job's span at the printer, first latch to the end of the last byte printed
// (lastPrintEndNs), both on the printer's own clock. The wall-clock span of the same latches says whether that
// clock (SimClock: the wall clock, with callCostNs per GPIO call as a floor) ran at real time.

import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

// The printer model of the simulator being run (process.argv[1] is its main.js; BENCH_SIMULATOR may name a copy).
const { Printer1284 } = await import(pathToFileURL(join(dirname(process.argv[1]), "devices", "printer1284.js")).href);

// { bytes, firstNs, lastNs, firstWallMs, lastWallMs, busyBeforeNs, violationsBefore, printer }
let job = undefined;

const setStrobe = Printer1284.prototype.setStrobe;
Printer1284.prototype.setStrobe = function (level, t) {
  const before = this.received;
  const busyBeforeNs = this.engineBusyNs;
  const result = setStrobe.call(this, level, t);
  if (this.received > before) {
    const wall = performance.now();
    if (!job || job.printer !== this) {
      job = { bytes: 0, firstNs: t, firstWallMs: wall, busyBeforeNs, violationsBefore: this.violations.length, printer: this };
    }
    job.bytes += this.received - before;
    job.lastNs = t;
    job.lastWallMs = wall;
  }
  return result;
};

/** Reports the job once the printer's engine has printed all it took (the simulator's watcher runs it every 20 ms). */
function report() {
  const finished = job;
  job = undefined;
  if (!finished) return;
  const poll = setInterval(() => {
    const { bytes, firstNs, lastNs, firstWallMs, lastWallMs, busyBeforeNs, printer } = finished;
    if (printer.buffered > 0) return;
    clearInterval(poll);
    const busyNs = printer.engineBusyNs - busyBeforeNs;
    const spanNs = printer.lastPrintEndNs - firstNs;
    installed(`bench-printer: bytes=${bytes} busy_ns=${Math.round(busyNs)} span_ns=${Math.round(spanNs)} ` +
      `latch_span_ns=${Math.round(lastNs - firstNs)} latch_span_wall_ms=${(lastWallMs - firstWallMs).toFixed(3)} ` +
      `cycle_ns=${printer.cycleNs.toFixed(1)} buffer=${printer.bufferSize} ` +
      `violations=${printer.violations.length - finished.violationsBefore}\n`);
  }, 5);
  poll.unref?.();
}

// The firmware's "job N "name" printed: ..." line comes once the port took the last byte: the job's end at the host.
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
