// The hook simulator/main.js calls to put a virtual printer behind the simulated GPIO/UART modules that the loader
// maps embedded:io/digital, embedded:io/digitalbank and embedded:io/serial to. Node side (captures with fs).

import { mkdirSync } from "node:fs";
import { GpioBoard, SimClock, setDefaultBoard } from "../io/gpio.js";
import { Printer1284 } from "./printer1284.js";
import { SerialPrinter } from "./serialPrinter.js";
import { wirePrinter1284 } from "./wiring1284.js";
import { wireSerialPrinter } from "./wiringSerial.js";
import { PrintoutShelf } from "./shelf.js";

/**
 * options:
 *  printer: "parallel" | "serial" (anything else: returns undefined, nothing is wired)
 *  pins: { parallelPins, serialPins } (default: build/hosts/esp32/board.js, the firmware's own board definition)
 *  bytesPerSecond: the printer's speed (parallel default 150 000, serial 2000)
 *  paperOutAt: paper runs out after N bytes (parallel); it comes back after paperOutForS seconds (default 10)
 *  offlineAt, offlineForS: offline after N bytes, for S seconds
 *  errorAt, errorForS: nERROR asserted after N bytes, for S seconds (parallel)
 *  captureDirectory: the printout shelf (shelf.js; omit: no files): each job the firmware announced in the folder's
 *    journal goes to <dir>/job-<id>.prn with its preview (preview.js: job-<id>.txt laid out, job-<id>.png from
 *    Ghostscript for PostScript, none for binary) and job-<id>.json; bytes no job claimed go to printed-<n>.prn
 *  gs: the Ghostscript command for previews (default "gs")
 *  jobIdleMs: a gap that ends a job at the printer (default 2000)
 *  callCostNs: simulated cost of one GPIO/UART call (default 1000); here a floor (SimClock callCostIsFloor): calls
 *    are at least this far apart in simulated time, which otherwise follows the wall clock (× timeScale)
 *  bufferSize: the parallel printer's input buffer in bytes (default 4096; 0: none, BUSY for each byte's print time)
 *  flow: the serial printer's flow control, "xonxoff" (default) or "busy" (the busy/DTR line; no XON/XOFF sent)
 *  timeScale: simulated time runs this many times faster than the wall clock (as --time-scale)
 *  log(line): where fault events, protocol violations and the totals are reported: one line per violation
 *    ("virtual printer: violation: <kind> at byte <i>", the first 20, then a count), and after every printout and at
 *    close() "virtual printer: N bytes, M violations" (totals since start; tests read these lines)
 * Returns { board, printer, wiring, close() }. The GPIO classes the loader serves use `board` from now on.
 */
export async function createVirtualPrinter(options = {}) {
  const kind = options.printer;
  if (kind !== "parallel" && kind !== "serial") return undefined;
  const pins = options.pins ?? (await import("../../build/hosts/esp32/board.js"));
  const timeScale = options.timeScale ?? 1;
  const startMs = Date.now();
  const clock = new SimClock({ callCostNs: options.callCostNs ?? 1000, timeSourceMs: () => (Date.now() - startMs) * timeScale,
    callCostIsFloor: true });
  const board = new GpioBoard({
    clock,
    scheduler: { set: (fn, ms) => setTimeout(fn, ms / timeScale), clear: (handle) => clearTimeout(handle) },
  });
  setDefaultBoard(board);
  const log = options.log ?? ((line) => process.stdout.write(line + "\n"));

  let printer, wiring, shelf;
  let printoutStart = 0;    // where the printer's current printout began, in bytes of the stream
  // Violations are the model's record (an array it appends to); they are logged from here, at most
  // MaxViolationLines of them, so a driver bug cannot flood the log, and always counted in the totals.
  const MaxViolationLines = 20;
  let violationsLogged = 0;
  const reportViolations = () => {
    const violations = printer.violations;
    for (; violationsLogged < violations.length; violationsLogged++) {
      if (violationsLogged === MaxViolationLines) log(`virtual printer: more violations, counted in the totals only`);
      if (violationsLogged >= MaxViolationLines) continue;
      const { kind, byteIndex } = violations[violationsLogged];
      log(`virtual printer: violation: ${kind} at byte ${byteIndex}`);
    }
  };
  const reportTotals = () => {
    reportViolations();
    log(`virtual printer: ${printer.count} bytes, ${printer.violations.length} violations`);
    if (kind === "serial") log(`virtual printer: stopped the host ${printer.stops} times (${printer.flow === "busy" ? "busy line" : "XOFF"})`);
  };
  // The printer ended a printout (a pause of jobIdleMs, or close()): the shelf files it under the jobs it holds.
  const onJob = (bytes) => {
    const from = printoutStart;
    printoutStart += bytes.length;
    shelf?.printoutEnded(from, printoutStart);
    reportTotals();
  };
  const jobIdleMs = options.jobIdleMs ?? 2000;

  const pending = [];   // faults started by the watcher once N bytes are printed
  if (kind === "parallel") {
    // Paper-out and offline are the model's own (exact to the byte); the watcher only brings the paper back.
    printer = new Printer1284({ bytesPerSecond: options.bytesPerSecond || 150_000, jobIdleMs, onJob,
      paperOutAt: options.paperOutAt ?? 0, offlineAt: options.offlineAt ?? 0, offlineForMs: (options.offlineForS ?? 10) * 1000,
      bufferSize: options.bufferSize ?? 4096 });
    wiring = wirePrinter1284(board, printer, pins.parallelPins);
    if (options.paperOutAt) pending.push({ when: () => printer.paperOut, forS: options.paperOutForS ?? 10, what: "paper out",
      start() {}, end: () => printer.loadPaper(clock.nowNs()) });
    if (options.offlineAt) pending.push({ when: () => printer.count >= options.offlineAt, forS: options.offlineForS ?? 10,
      what: "offline", start() {}, end() {} });
    if (options.errorAt) pending.push({ when: () => printer.count >= options.errorAt, forS: options.errorForS ?? 10,
      what: "error (nERROR)", start: () => printer.setError(true, clock.nowNs()),
      end: () => printer.setError(false, clock.nowNs()) });
  } else {
    printer = new SerialPrinter({ bytesPerSecond: options.bytesPerSecond || 2000, jobIdleMs, onJob,
      flow: options.flow === "busy" ? "busy" : "xonxoff" });
    wiring = wireSerialPrinter(board, printer, pins.serialPins);
    if (options.offlineAt) pending.push({ when: () => printer.count >= options.offlineAt, forS: options.offlineForS ?? 10,
      what: "offline", start: () => printer.goOffline(clock.nowNs(), (options.offlineForS ?? 10) * 1e9), end() {} });
  }

  if (options.captureDirectory) {
    mkdirSync(options.captureDirectory, { recursive: true });
    shelf = new PrintoutShelf({ folder: options.captureDirectory, printer, gs: options.gs ?? "gs", log });
  }

  // A 20 ms watcher notices the faults' trigger points, ends them after their duration, closes printouts after an
  // idle gap (the printer models have no timers of their own), and lets the shelf keep each job once it printed.
  const timers = new Set();
  let countSeen = 0;
  const watcher = setInterval(() => {
    if (kind === "parallel") printer.advance(clock.nowNs());   // the buffered model's engine runs when looked at
    for (const fault of [...pending]) {
      if (!fault.when()) continue;
      pending.splice(pending.indexOf(fault), 1);
      fault.start();
      wiring.poke();
      log(`virtual printer: ${fault.what} after ${printer.count} bytes, for ${fault.forS} s`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        fault.end();
        wiring.poke();
        log(`virtual printer: ${fault.what} over`);
      }, (fault.forS * 1000) / timeScale);
      timers.add(timer);
    }
    printer.checkIdle(clock.nowNs());
    if (shelf && printer.count !== countSeen) {
      countSeen = printer.count;
      shelf.poll();
    }
    reportViolations();
  }, 20);

  return {
    board,
    printer,
    wiring,
    shelf,
    close() {
      clearInterval(watcher);
      for (const timer of timers) clearTimeout(timer);
      if (kind === "parallel") printer.advance(clock.nowNs());
      if (!printer.flushJob()) reportTotals();    // flushJob() reports them itself when a job was still open
      shelf?.close();
      wiring.dispose();
      board.dispose();
    },
  };
}
