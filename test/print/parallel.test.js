// The IEEE 1284 parallel port against the virtual printer on simulated pins, in simulated time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeLoop, makeBoard, makeJob, feedJob } from "./helpers.js";
import { Printer1284 } from "../../simulator/devices/printer1284.js";
import { wirePrinter1284 } from "../../simulator/devices/wiring1284.js";
import { Parallel1284Port } from "../../build/modules/print/parallel1284.js";
import { PrinterState } from "../../build/modules/print/port.js";
import { parallelPins, parallelPins595 } from "../../build/hosts/esp32/board.js";

function rig({ pins = parallelPins, printer: printerOptions = {}, port: portOptions = {}, callCostNs = 1000 } = {}) {
  const loop = new FakeLoop();
  const { board, clock, DigitalBank, Digital } = makeBoard(loop, { callCostNs });
  // Unbuffered unless a test asks for a buffer: every byte then holds BUSY for its whole print time, which is
  // what these tests of the driver's byte-by-byte handshake and fault handling pin down.
  const printer = new Printer1284({ bufferSize: 0, ...printerOptions });
  const wiring = wirePrinter1284(board, printer, pins);
  const port = new Parallel1284Port({
    pins, io: { DigitalBank, Digital, Timer: loop.Timer }, now: () => clock.nowMs(), ...portOptions,
  });
  return { loop, board, clock, printer, wiring, port, DigitalBank, Digital };
}

function runJob(r, job, options) {
  const startNs = r.clock.nowNs();
  const feed = feedJob(r.port, r.loop, job, options);
  const finished = r.loop.run(() => feed.done, 600_000);
  return { feed, finished, elapsedNs: r.clock.nowNs() - startNs };
}

function states(feed) { return feed.states.map((s) => s.state); }

test("start-up pulses nINIT for at least 50 us and leaves the printer selected, without auto feed", () => {
  const r = rig();
  r.loop.run(() => r.printer.initPulses > 0, 100);
  assert.equal(r.printer.initPulses, 1);
  assert.deepEqual(r.printer.violations, []);
  assert.equal(r.printer.selectIn, 0);
  assert.equal(r.printer.autoFeed, 1);
  r.port.close();
});

test("a 64 KiB job reaches the printer byte-exact with no handshake violation", (t) => {
  const r = rig();
  const job = makeJob(65536);
  const { feed, finished, elapsedNs } = runJob(r, job);
  assert.ok(finished, "job finished");
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(r.printer.violations, []);
  assert.equal(r.printer.dropped, 0);
  assert.deepEqual(r.printer.bytes(), job);
  assert.equal(r.port.state, PrinterState.Ready);
  const kBps = job.length / (elapsedNs / 1e9) / 1000;
  t.diagnostic(`direct: ${kBps.toFixed(1)} KB/s simulated, ${r.port.stats.slices} slices, max ${r.port.stats.maxSliceBytes} B / ` +
    `${r.port.stats.maxSliceMs.toFixed(3)} ms per slice, ${r.board.calls / job.length} GPIO calls per byte`);
  assert.ok(r.port.stats.maxSliceMs < 3.5, `slice ${r.port.stats.maxSliceMs} ms`);
  r.port.close();
});

test("a job through the 74HC595 option reaches the printer byte-exact with no violation", (t) => {
  const r = rig({ pins: parallelPins595 });
  const job = makeJob(20000, 7);
  const { feed, finished, elapsedNs } = runJob(r, job);
  assert.ok(finished);
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(r.printer.bytes(), job);
  assert.equal(r.wiring.shift595.clocks, job.length * 8);
  const kBps = job.length / (elapsedNs / 1e9) / 1000;
  t.diagnostic(`74HC595: ${kBps.toFixed(1)} KB/s simulated, max ${r.port.stats.maxSliceBytes} B / ` +
    `${r.port.stats.maxSliceMs.toFixed(3)} ms per slice`);
  assert.ok(r.port.stats.maxSliceMs < 3.5);
  r.port.close();
});

test("the same job twice in a row prints twice, as two jobs when the printer sees an idle gap", () => {
  const r = rig({ printer: { jobIdleMs: 500 } });
  const job = makeJob(3000, 3);
  assert.ok(runJob(r, job).finished);
  r.loop.advance(1000);
  assert.ok(runJob(r, job).finished);
  r.printer.flushJob();
  assert.equal(r.printer.jobs.length, 2);
  assert.deepEqual(r.printer.jobs[0], job);
  assert.deepEqual(r.printer.jobs[1], job);
  r.port.close();
});

test("paper out mid-job: the port reports paper out, waits, and after new paper prints every byte exactly once", () => {
  const r = rig({ printer: { paperOutAt: 5000 } });
  const job = makeJob(12000, 5);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => r.port.state === PrinterState.PaperOut, 10_000);
  assert.equal(r.port.state, PrinterState.PaperOut);
  r.loop.advance(3000); // stays out of paper for 3 s
  assert.equal(r.printer.count, 5000);
  assert.equal(feed.offset, 5000, "the spool keeps the bytes the port did not take");
  assert.equal(r.port.state, PrinterState.PaperOut);
  assert.ok(!feed.done);
  r.printer.loadPaper();
  r.wiring.poke();
  assert.ok(r.loop.run(() => feed.done, 60_000));
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(states(feed), [PrinterState.PaperOut, PrinterState.Ready]);
  r.port.close();
});

test("offline for 2 s mid-job: the state goes offline then ready, and the job completes intact", () => {
  const r = rig({ printer: { offlineAt: 4000, offlineForMs: 2000 } });
  const job = makeJob(9000, 9);
  const { feed, finished } = runJob(r, job);
  assert.ok(finished);
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(states(feed), [PrinterState.Offline, PrinterState.Ready]);
  const offline = feed.states[0], back = feed.states[1];
  assert.ok(back.atMs - offline.atMs >= 1900, `offline for ${back.atMs - offline.atMs} ms`);
});

test("nERROR asserted holds the job in the error state until it clears, with nothing lost", () => {
  const r = rig();
  const job = makeJob(8000, 11);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => r.printer.count >= 2000, 10_000);
  r.printer.setError(true);
  r.wiring.poke();
  r.loop.run(() => r.port.state === PrinterState.Error, 1000);
  assert.equal(r.port.state, PrinterState.Error);
  const stuckAt = r.printer.count;
  r.loop.advance(5000);
  assert.equal(r.printer.count, stuckAt);
  r.printer.setError(false);
  r.wiring.poke();
  assert.ok(r.loop.run(() => feed.done, 60_000));
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(states(feed), [PrinterState.Error, PrinterState.Ready]);
  r.port.close();
});

test("an idle port follows the status lines: offline and back while no job runs", () => {
  const r = rig();
  const seen = [];
  r.port.attach({ onWritable() {}, onStateChanged(s) { seen.push(s); } });
  r.loop.advance(10);
  r.printer.goOffline(r.clock.nowNs());
  r.wiring.poke();
  r.loop.advance(10);
  assert.equal(r.port.state, PrinterState.Offline);
  r.printer.goOnline();
  r.wiring.poke();
  r.loop.advance(10);
  assert.equal(r.port.state, PrinterState.Ready);
  assert.deepEqual(seen, [PrinterState.Offline, PrinterState.Ready]);
  r.port.close();
});

test("a slow printer: nothing is strobed while BUSY is high, and short BUSY waits are not reported as busy", () => {
  const r = rig({ printer: { bytesPerSecond: 500 }, port: { busyReportMs: 200 } });
  const job = makeJob(600, 13);
  const { feed, finished } = runJob(r, job);
  assert.ok(finished);
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  // 500 B/s: each byte holds BUSY for 2 ms, so the port gives the turn back and polls on its timer.
  assert.ok(r.port.stats.stalls > 0);
  assert.deepEqual(states(feed), []);
  r.port.close();
});

test("BUSY held for seconds with good status lines is reported busy, then ready when bytes flow again", () => {
  const r = rig({ port: { busyReportMs: 500 } });
  const job = makeJob(6000, 19);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => r.printer.count >= 1000, 10_000);
  r.printer.holdBusy(r.clock.nowNs(), 3e9);
  assert.ok(r.loop.run(() => feed.done, 60_000));
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(states(feed), [PrinterState.Busy, PrinterState.Ready]);
  r.port.close();
});

test("the virtual printer catches a driver too fast for it: set-up and strobe width under 0.5 us", () => {
  // 200 ns per GPIO call instead of 1 us: the driver's one-call set-up becomes too short (see the DOUBT in #sendSlice)
  const r = rig({ callCostNs: 200 });
  const job = makeJob(100, 23);
  assert.ok(runJob(r, job).finished);
  const kinds = new Set(r.printer.violations.map((v) => v.kind.split(" ")[0]));
  assert.ok(kinds.has("set-up"), [...kinds].join());
  assert.ok(kinds.has("strobe"), [...kinds].join());
  r.port.close();
});

test("a long job yields to the event loop between slices", (t) => {
  const r = rig();
  const job = makeJob(200_000, 17);
  r.loop.run(() => r.printer.initPulses > 0, 100); // the fake loop's time stands still while zero-delay timers run
  let probeRuns = 0, done = false;
  const probe = () => { probeRuns++; if (!done) r.loop.Timer.set(probe, 0); };
  r.loop.Timer.set(probe, 0);
  const feed = feedJob(r.port, r.loop, job, { chunkBytes: 8192 });
  assert.ok(r.loop.run(() => feed.done, 600_000));
  done = true;
  const slices = r.port.stats.slices;
  t.diagnostic(`${slices} slices, ${probeRuns} probe runs, ${feed.shortWrites} short writes, budget ${r.port.stats.budget} B`);
  assert.deepEqual(r.printer.bytes(), job);
  assert.ok(slices >= job.length / 512, "the job was cut into slices");
  // between two slices the zero-delay probe got its turn
  assert.ok(probeRuns >= slices - 1, `probe ran ${probeRuns} times for ${slices} slices`);
  assert.ok(r.port.stats.maxSliceMs < 3.5);
  r.port.close();
});

test("close() releases every pin and timer, so a new port can claim the same pins", () => {
  const r = rig();
  r.loop.advance(5);
  r.port.close();
  assert.equal(r.loop.pending, 0, "no timer left behind");
  const again = new Parallel1284Port({
    pins: parallelPins, io: { DigitalBank: r.DigitalBank, Digital: r.Digital, Timer: r.loop.Timer },
  });
  again.close();
});

/** The fake loop's time stands still with no timer pending: move it on, and let the printer's engine catch up. */
function drain(r, ms = 1000) {
  r.loop.advance(ms);
  r.printer.advance(r.clock.nowNs());
}

// ---- the printer's input buffer (bufferSize > 0, the simulator's default): BUSY only while taking a byte in or
// while the buffer is full; the print engine drains the buffer at its own rate; faults count bytes printed ----

test("buffered printer: a job fills the buffer, prints byte-exact, and the engine's busy time is its bytes' print time", () => {
  const r = rig({ printer: { bufferSize: 256 } });
  const job = makeJob(20000, 29);
  const feed = feedJob(r.port, r.loop, job);
  let maxBuffered = 0;
  assert.ok(r.loop.run(() => { maxBuffered = Math.max(maxBuffered, r.printer.buffered); return feed.done; }, 60_000));
  drain(r);
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.equal(r.printer.dropped, 0);
  assert.equal(r.printer.received, job.length);
  assert.ok(maxBuffered >= 256, `the host filled the buffer (${maxBuffered} bytes held at most)`);
  assert.ok(Math.abs(r.printer.engineBusyNs - job.length * r.printer.cycleNs) < job.length, String(r.printer.engineBusyNs));
  r.port.close();
});

test("buffered printer: paper out after exactly N bytes printed; the buffered bytes print after new paper, once", () => {
  const r = rig({ printer: { bufferSize: 1024, paperOutAt: 5000 } });
  const job = makeJob(12000, 31);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => r.port.state === PrinterState.PaperOut, 10_000);
  assert.equal(r.port.state, PrinterState.PaperOut);
  r.loop.advance(3000);
  r.printer.advance(r.clock.nowNs());
  assert.equal(r.printer.count, 5000, "the engine stopped at the byte");
  assert.ok(r.printer.received > 5000 && r.printer.received <= 5000 + 1024, `received ${r.printer.received}`);
  assert.equal(feed.offset, r.printer.received, "the port took what the buffer took, and the spool keeps the rest");
  assert.deepEqual(r.printer.bytes(), job.subarray(0, 5000));
  r.printer.loadPaper(r.clock.nowNs());
  r.wiring.poke();
  assert.ok(r.loop.run(() => feed.done, 60_000));
  drain(r);
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(states(feed), [PrinterState.PaperOut, PrinterState.Ready]);
  r.port.close();
});

test("buffered printer: offline after N bytes printed and nERROR mid-job lose and repeat nothing", () => {
  const offline = rig({ printer: { bufferSize: 512, offlineAt: 4000, offlineForMs: 2000 } });
  const job = makeJob(9000, 37);
  const a = runJob(offline, job);
  assert.ok(a.finished);
  drain(offline);
  assert.deepEqual(offline.printer.bytes(), job);
  assert.deepEqual(offline.printer.violations, []);
  assert.deepEqual(states(a.feed), [PrinterState.Offline, PrinterState.Ready]);
  offline.port.close();

  const error = rig({ printer: { bufferSize: 512 } });
  const feed = feedJob(error.port, error.loop, job);
  error.loop.run(() => error.printer.count >= 2000, 10_000);
  error.printer.setError(true, error.clock.nowNs());
  error.wiring.poke();
  error.loop.run(() => error.port.state === PrinterState.Error, 1000);
  const stuckAt = error.printer.count;
  error.loop.advance(5000);
  error.printer.advance(error.clock.nowNs());
  assert.equal(error.printer.count, stuckAt, "the engine stops while nERROR is asserted");
  error.printer.setError(false, error.clock.nowNs());
  error.wiring.poke();
  assert.ok(error.loop.run(() => feed.done, 60_000));
  drain(error);
  assert.deepEqual(error.printer.bytes(), job);
  assert.deepEqual(error.printer.violations, []);
  assert.deepEqual(states(feed), [PrinterState.Error, PrinterState.Ready]);
  error.port.close();
});

test("buffered printer model: BUSY briefly per byte, held while the buffer is full; strobe while BUSY and data changes under nSTROBE are still caught", () => {
  const printer = new Printer1284({ bufferSize: 2, bytesPerSecond: 1000 }); // 1 ms per byte
  let t = 1e6;
  const strobe = (byte) => { printer.setData(byte, t); t += 1000; printer.setStrobe(0, t); t += 600; printer.setStrobe(1, t); };
  strobe(1);                       // the engine takes it at once: the buffer is empty again
  assert.equal(printer.busy(t), true, "BUSY while the byte is taken in");
  t += 5000;
  assert.equal(printer.busy(t), false, "then low: the buffer has room");
  strobe(2);
  t += 5000;
  strobe(3);                       // buffer: 2, 3 (full)
  assert.equal(printer.busy(t + 100_000), true, "held while the buffer is full");
  t += 1000;
  strobe(4);                       // while BUSY: dropped
  assert.deepEqual(printer.violations.map((v) => v.kind), ["strobe while BUSY"]);
  assert.equal(printer.dropped, 1);
  t += 1000;
  printer.setData(5, t);
  printer.setStrobe(0, t + 1000);
  printer.setData(6, t + 1500);
  printer.setStrobe(1, t + 2000);
  assert.deepEqual(printer.violations.map((v) => v.kind), ["strobe while BUSY", "strobe while BUSY",
    "data changed while nSTROBE low"]);
  printer.checkIdle(t + 10e9);
  assert.deepEqual([...printer.bytes()], [1, 2, 3]);
  assert.deepEqual(printer.jobs.map((job) => [...job]), [[1, 2, 3]]);
  assert.equal(printer.engineBusyNs, 3e6);
});

test("buffered printer: the driver too fast for it still shows set-up and strobe width violations", () => {
  const r = rig({ callCostNs: 200, printer: { bufferSize: 4096 } });
  const job = makeJob(100, 23);
  assert.ok(runJob(r, job).finished);
  const kinds = new Set(r.printer.violations.map((v) => v.kind.split(" ")[0]));
  assert.ok(kinds.has("set-up"), [...kinds].join());
  assert.ok(kinds.has("strobe"), [...kinds].join());
  r.port.close();
});
