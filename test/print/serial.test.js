// The serial printer port over the simulated ESP32 UART, against the virtual serial printer, in simulated time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeLoop, makeBoard, makeJob, feedJob } from "./helpers.js";
import { createSerialClass } from "../../simulator/io/serial.js";
import { SerialPrinter } from "../../simulator/devices/serialPrinter.js";
import { wireSerialPrinter } from "../../simulator/devices/wiringSerial.js";
import { SerialPrinterPort } from "../../build/modules/print/serialPrinter.js";
import { PrinterState } from "../../build/modules/print/port.js";
import { serialPins } from "../../build/hosts/esp32/board.js";

function rig({ handshake = "xonxoff", baud = 115200, printer: printerOptions = {}, port: portOptions = {} } = {}) {
  const loop = new FakeLoop();
  const { board, clock, Digital } = makeBoard(loop);
  const Serial = createSerialClass(board);
  const flow = handshake === "busy" ? "busy" : "xonxoff";
  const printer = new SerialPrinter({ flow, ...printerOptions });
  const wiring = wireSerialPrinter(board, printer, serialPins);
  const port = new SerialPrinterPort({
    pins: serialPins, io: { Serial, Digital, Timer: loop.Timer }, baud, handshake, now: () => clock.nowMs(), ...portOptions,
  });
  return { loop, board, clock, printer, wiring, port, Serial };
}

function printAll(r, job, options) {
  const startNs = r.clock.nowNs();
  const feed = feedJob(r.port, r.loop, job, options);
  const finished = r.loop.run(() => feed.done && r.printer.count === job.length, 600_000);
  return { feed, finished, elapsedMs: (r.clock.nowNs() - startNs) / 1e6 };
}

test("XON/XOFF: a 20 KB job into a 1 KB printer buffer arrives byte-exact with no overrun", (t) => {
  const r = rig({ printer: { bytesPerSecond: 5000 } });
  const job = makeJob(20000, 31);
  const { feed, finished, elapsedMs } = printAll(r, job);
  assert.ok(finished);
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(r.printer.bytes(), job);
  assert.ok(r.printer.xoffSent > 0, "the printer had to stop the port");
  assert.equal(r.printer.xoffSent, r.printer.xonSent);
  t.diagnostic(`${r.printer.xoffSent} XOFF/XON pairs, ${r.port.stats.writes} UART writes, ${r.port.stats.outputFull} "output full", ` +
    `${elapsedMs.toFixed(0)} ms simulated`);
  assert.equal(r.port.stats.outputFull, 0);
  r.port.close();
});

test("busy line (CTS) handshake: the same job arrives byte-exact with no overrun", (t) => {
  const r = rig({ handshake: "busy", printer: { bytesPerSecond: 5000 } });
  const job = makeJob(20000, 37);
  const { feed, finished } = printAll(r, job);
  assert.ok(finished);
  assert.deepEqual(feed.violations, []);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(r.printer.bytes(), job);
  assert.ok(r.port.stats.stops > 0, "the busy line stopped the port");
  r.port.close();
});

test("without flow control the virtual printer overruns and says so", () => {
  const r = rig({ handshake: "none", printer: { bytesPerSecond: 2000 } });
  const job = makeJob(6000, 41);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => feed.done, 600_000);
  r.loop.advance(5000);
  assert.ok(r.printer.violations.some((v) => v.kind === "overrun"));
  r.port.close();
});

test("printer offline for 3 s: the port reports busy after a second, then ready, and nothing is lost", () => {
  const r = rig({ printer: { bytesPerSecond: 5000 }, port: { busyReportMs: 1000 } });
  const job = makeJob(8000, 43);
  const feed = feedJob(r.port, r.loop, job);
  r.loop.run(() => r.printer.count >= 2000, 60_000);
  r.printer.goOffline(r.clock.nowNs(), 3e9);
  r.wiring.poke();
  assert.ok(r.loop.run(() => feed.done && r.printer.count === job.length, 600_000));
  assert.deepEqual(r.printer.bytes(), job);
  assert.deepEqual(r.printer.violations, []);
  assert.deepEqual(feed.states.map((s) => s.state), [PrinterState.Busy, PrinterState.Ready]);
  r.port.close();
});

test("9600 baud: throughput follows the wire (about 960 B/s) when the printer is faster", (t) => {
  const r = rig({ baud: 9600, printer: { bytesPerSecond: 20000 } });
  const job = makeJob(4800, 47);
  const { finished, elapsedMs } = printAll(r, job);
  assert.ok(finished);
  assert.deepEqual(r.printer.bytes(), job);
  const bytesPerSecond = job.length / (elapsedMs / 1000);
  t.diagnostic(`9600 baud: ${bytesPerSecond.toFixed(0)} B/s simulated`);
  assert.ok(bytesPerSecond > 900 && bytesPerSecond <= 960, `${bytesPerSecond}`);
  r.port.close();
});

test("simulated UART: ESP32 rules for port 0, the 128-byte FIFO, and onWritable once after construction", () => {
  const loop = new FakeLoop();
  const { board } = makeBoard(loop);
  const Serial = createSerialClass(board);
  assert.throws(() => new Serial({ port: 0, transmit: 4, baud: 9600 }), { name: "RangeError", message: "port in use" });
  assert.throws(() => new Serial({ port: 1, baud: 9600 }), { message: "invalid" });
  const counts = [];
  const uart = new Serial({ port: 1, transmit: 4, baud: 9600, onWritable(count) { counts.push(count); } });
  assert.throws(() => new Serial({ port: 2, transmit: 4, baud: 9600 }), { message: "in use" });
  assert.deepEqual(counts, []);
  loop.step();
  assert.deepEqual(counts, [128]);
  assert.equal(uart.write(new Uint8Array(100)), undefined);
  assert.throws(() => uart.write(new Uint8Array(29)), { message: "output full" });
  uart.write(new Uint8Array(28));
  loop.run(() => counts.length === 2, 1000);
  assert.ok(counts[1] > 118, `onWritable(${counts[1]}) once the FIFO drained below 10`);
  uart.close();
  assert.throws(() => uart.write(1), SyntaxError);
  uart.close();
});
