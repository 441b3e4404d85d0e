// The status file's text (modules/print/statusReport.ts), line for line, from a spool driven through a fake port.

import test from "node:test";
import assert from "node:assert/strict";
import { statusReport } from "../../build/modules/print/statusReport.js";
import { Spool } from "../../build/modules/print/spool.js";
import { JobOutcome, PrintJob } from "../../build/modules/print/job.js";
import { PrinterState } from "../../build/modules/print/port.js";
import { EventQueue, FakePort, RecordingFeeder } from "./fakes.js";

function setUp() {
  const port = new FakePort(new EventQueue());
  return { port, spool: new Spool(port, () => {}, 8, 2) };
}

/** Puts `text` into the ring and reports it, as a feeder does. */
function deliver(spool, job, text) {
  const view = spool.ring.receiveView(text.length);
  for (let i = 0; i < view.length; i++) view[i] = text.charCodeAt(i);
  spool.ring.commit(view.length);
  spool.received(job, view.length);
}

test("an idle printer's status says nothing is printing and lists no jobs", () => {
  const { spool } = setUp();
  assert.equal(statusReport(spool, "office"),
    "office print server\n" +
    "printer: ready (fake printer)\n" +
    "printing: nothing\n" +
    "waiting: 0 jobs\n" +
    "jobs printed: 0, aborted: 0, cut short: 0\n" +
    "bytes printed: 0\n");
});

test("the status shows the job printing, the queue, the counters and the recent jobs oldest first", () => {
  const { port, spool } = setUp();
  const jobs = [0, 1, 2, 3].map(() => new PrintJob(new RecordingFeeder()));
  spool.submit(jobs[0], "first.txt", false);
  deliver(spool, jobs[0], "12345");
  spool.finish(jobs[0]);
  spool.submit(jobs[1], "second.txt", false);
  deliver(spool, jobs[1], "abc");
  spool.cancel(jobs[1], JobOutcome.Aborted);
  spool.submit(jobs[2], "third.txt", false);
  port.stalled = true;
  deliver(spool, jobs[2], "xy");
  spool.submit(jobs[3], "fourth.txt", false);
  port.changeState(PrinterState.PaperOut);
  assert.equal(statusReport(spool, "ftprint"),
    "ftprint print server\n" +
    "printer: paper out (fake printer)\n" +
    'printing: job 3 "third.txt", 2 bytes received, 0 printed\n' +
    "waiting: 1 jobs\n" +
    "jobs printed: 1, aborted: 1, cut short: 0\n" +
    "bytes printed: 8\n" +
    "recent jobs:\n" +
    '  job 1 printed: 5 bytes received, 5 printed, "first.txt"\n' +
    '  job 2 aborted: 3 bytes received, 3 printed, "second.txt"\n');
});

test("a long job name is cut to 48 characters ending in ...", () => {
  const { spool } = setUp();
  const job = new PrintJob(new RecordingFeeder());
  spool.submit(job, "n".repeat(60), false);
  spool.cancel(job, JobOutcome.ClientLost);
  const lines = statusReport(spool, "p").split("\n");
  assert.equal(lines.at(-2), `  job 1 client lost: 0 bytes received, 0 printed, "${"n".repeat(45)}..."`);
});
