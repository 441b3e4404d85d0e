// The file printer port (modules/print/filePort.ts, --printer file): a file that cannot be made or written is a
// printer fault, never an exception and never a byte reported taken that is not in the file. Runs the compiled port
// with the SDK's `file` and `timer` replaced by an in-memory disk whose faults the test switches (filePort/).

import test from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { FakeLoop, feedJob, makeJob } from "./helpers.js";

const here = new URL("./filePort/", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;
const outfile = join(root, ".cache", "test-filePort", "filePort.mjs");
mkdirSync(join(root, ".cache", "test-filePort"), { recursive: true });
await build({
  entryPoints: [join(here, "entry.js")], outfile, bundle: true, format: "esm", platform: "neutral", target: "esnext",
  logLevel: "silent",
  plugins: [{
    name: "fakes",
    setup(builder) {
      builder.onResolve({ filter: /^file$/ }, () => ({ path: join(here, "fakeFile.js") }));
      builder.onResolve({ filter: /^timer$/ }, () => ({ path: join(here, "fakeTimer.js") }));
    },
  }],
});
const { FilePort, PrinterState, disk, useTimer } = await import(pathToFileURL(outfile).href);

const jobFile = "/capture/00001-job.prn";

function rig(options = {}) {
  disk.reset();
  const loop = new FakeLoop();
  useTimer(loop.Timer);
  const log = [];
  const port = new FilePort("/capture", 0, { log: (line) => log.push(line), retryMs: 1000, ...options });
  return { loop, log, port };
}

test("a job whose folder is gone puts the port in error, takes nothing, and prints whole once the folder is back", () => {
  const { loop, log, port } = rig();
  const job = makeJob(10_000);
  disk.folderPresent = false;
  const feed = feedJob(port, loop, job);
  assert.equal(port.state, PrinterState.Error);
  assert.deepEqual(feed.states.map((s) => s.state), [PrinterState.Error]);
  assert.equal(feed.offset, 0, "nothing taken");
  loop.advance(5000);
  assert.equal(feed.offset, 0, "still nothing taken while the folder is missing");
  assert.ok(feed.onWritables >= 4, `the port kept trying (${feed.onWritables} retries)`);
  assert.equal(log.length, 1, "the reason is logged once per fault");
  assert.match(log[0], /^capture: cannot create \/capture\/00001-job\.prn \(Error: file not found: .*\); trying again every 1000 ms$/);
  disk.folderPresent = true;
  loop.advance(1000);
  assert.equal(feed.done, true);
  assert.deepEqual(feed.states.map((s) => s.state), [PrinterState.Error, PrinterState.Ready]);
  assert.deepEqual(disk.files.get(jobFile), job);
  assert.deepEqual(feed.violations, []);
  assert.equal(loop.pending, 0, "no timer left behind");
});

test("a write that fails part way (a full disk) is a fault; once there is room the file holds each byte once", () => {
  const { loop, log, port } = rig();
  const job = makeJob(20_000, 3);
  disk.capacity = 6_000;                   // the second 4096-byte write stops after 1,904 bytes and throws
  const feed = feedJob(port, loop, job);
  assert.equal(port.state, PrinterState.Error);
  assert.equal(feed.offset, 4096, "only the write that went through counts as taken");
  assert.equal(disk.files.get(jobFile).length, 6_000, "the failed write left part of itself in the file");
  assert.match(log[0], /^capture: cannot write \/capture\/00001-job\.prn \(Error: file write failed \(ENOSPC\)\)/);
  loop.advance(3000);
  assert.equal(feed.offset, 4096);
  disk.capacity = Infinity;
  loop.advance(1000);
  assert.equal(feed.done, true);
  assert.equal(port.state, PrinterState.Ready);
  assert.deepEqual(disk.files.get(jobFile), job, "whole, nothing doubled where the failed write had reached");
  assert.deepEqual(feed.violations, []);
});

test("a job ended during a fault stops the retries, and the next job that can be written clears the fault", () => {
  const { loop, port } = rig();
  disk.folderPresent = false;
  const first = feedJob(port, loop, makeJob(100));
  assert.equal(port.state, PrinterState.Error);
  port.endJob(false);                      // ABOR, or the job removed from the queue
  assert.equal(loop.pending, 0, "no retry after the job is gone");
  assert.equal(first.offset, 0);
  disk.folderPresent = true;
  const second = feedJob(port, loop, makeJob(100, 9), { jobId: 2 });
  assert.equal(second.done, true);
  assert.equal(port.state, PrinterState.Ready);
  assert.equal(disk.files.get("/capture/00002-job.prn").length, 100);
});

test("no method throws while the disk fails, whatever the spool calls", () => {
  const { loop, port } = rig({ retryMs: 10 });
  disk.folderPresent = false;
  port.attach({ onWritable() {}, onStateChanged() {} });
  assert.doesNotThrow(() => {
    port.beginJob(1, "x");
    port.write(new Uint8Array(8), 0, 8);
    loop.advance(50);
    port.endJob(true);
    port.close();
  });
  assert.equal(loop.pending, 0);
});
