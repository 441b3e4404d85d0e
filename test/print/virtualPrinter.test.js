// simulator/devices/index.js as simulator/main.js uses it: the loader's default GPIO/UART modules, real Node
// timers, fault injection by options, and one capture file per printed job.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeJob, feedJob } from "./helpers.js";
import { createVirtualPrinter } from "../../simulator/devices/index.js";
import Digital from "../../simulator/io/digital.js";
import DigitalBank from "../../simulator/io/digitalbank.js";
import Serial from "../../simulator/io/serial.js";
import { Parallel1284Port } from "../../build/modules/print/parallel1284.js";
import { SerialPrinterPort } from "../../build/modules/print/serialPrinter.js";
import { PrinterState } from "../../build/modules/print/port.js";
import { parallelPins, serialPins } from "../../build/hosts/esp32/board.js";

// The SDK Timer's shape over Node timers (repeat/schedule/pause), standing in for simulator/timer.js.
const NodeTimer = {
  set(callback, delay = 0, repeat = 0) {
    const timer = { callback, repeat, handle: undefined };
    NodeTimer.schedule(timer, delay, repeat);
    return timer;
  },
  schedule(timer, delay, repeat = 0) {
    clearTimeout(timer.handle);
    timer.handle = undefined;
    if (delay === undefined) return;
    timer.repeat = repeat;
    timer.handle = setTimeout(function fire() {
      timer.handle = timer.repeat ? setTimeout(fire, timer.repeat) : undefined;
      timer.callback(timer);
    }, delay);
  },
  clear(timer) { if (timer) clearTimeout(timer.handle); },
};

function waitFor(condition, ms) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const poll = setInterval(() => {
      if (condition()) { clearInterval(poll); resolve(); }
      else if (Date.now() - start > ms) { clearInterval(poll); reject(new Error("timed out")); }
    }, 5);
  });
}

test("parallel: paper out at byte 3000 for 0.3 s through the npm-start hook, job captured to a file intact", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ftprint-capture-"));
  const logs = [];
  const virtual = await createVirtualPrinter({ printer: "parallel", captureDirectory: dir, paperOutAt: 3000,
    paperOutForS: 0.3, jobIdleMs: 800, log: (line) => logs.push(line) });
  const port = new Parallel1284Port({ pins: parallelPins, io: { Digital, DigitalBank, Timer: NodeTimer } });
  const job = makeJob(10000, 53);
  const loop = { now: 0 };
  const feed = feedJob(port, loop, job);
  try {
    await waitFor(() => feed.done, 10_000);
    await waitFor(() => virtual.printer.jobs.length === 1, 5_000);
    assert.deepEqual(feed.states.map((s) => s.state), [PrinterState.PaperOut, PrinterState.Ready]);
    assert.deepEqual(virtual.printer.violations, []);
    const files = readdirSync(dir).filter((name) => name.endsWith(".prn"));    // previews (printed-1.txt) sit beside it
    assert.deepEqual(files, ["printed-1.prn"]);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, files[0]))), job);
    assert.ok(logs.some((l) => l.includes("paper out after 3000 bytes")), logs.join("\n"));
  } finally {
    port.close();
    virtual.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serial: XON/XOFF through the npm-start hook at 115200 baud", async () => {
  const virtual = await createVirtualPrinter({ printer: "serial", bytesPerSecond: 20000, log() {} });
  const port = new SerialPrinterPort({ pins: serialPins, io: { Serial, Digital, Timer: NodeTimer }, baud: 115200 });
  const job = makeJob(6000, 59);
  const feed = feedJob(port, { now: 0 }, job);
  try {
    await waitFor(() => feed.done && virtual.printer.count === job.length, 10_000);
    assert.deepEqual(virtual.printer.bytes(), job);
    assert.deepEqual(virtual.printer.violations, []);
  } finally {
    port.close();
    virtual.close();
  }
});
