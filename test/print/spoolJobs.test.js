// What the spool tells others about its jobs (modules/print/spool.ts): where each job begins and ends in the byte
// stream the printer port took (the simulator's printout shelf names printouts by job id from this), the first job
// id a host asks for (ids continue after a restart of the simulator), and the progress lines of long jobs. No
// timers: the port's "later" is a manual event queue and the clock is a number the test sets.

import test from "node:test";
import assert from "node:assert/strict";
import { Spool, progressCheckBytes } from "../../build/modules/print/spool.js";
import { JobOutcome, PrintJob } from "../../build/modules/print/job.js";
import { EventQueue, FakePort, SocketFeeder } from "./fakes.js";

function setUp({ bytesPerWrite = Infinity, chunkBytes = 64, chunkCount = 4, jobs = 3, ...options } = {}) {
  const queue = new EventQueue();
  const port = new FakePort(queue, bytesPerWrite);
  const log = [];
  const spool = new Spool(port, (line) => log.push(line), chunkBytes, chunkCount, options);
  const uploads = [];
  for (let i = 0; i < jobs; i++) {
    const feeder = new SocketFeeder(spool);
    feeder.job = new PrintJob(feeder, "ftp");
    uploads.push(feeder);
  }
  return { queue, port, spool, log, uploads };
}

/** An observer that records every call as [event, id, atByte, outcome?]. */
function recorder() {
  const marks = [];
  return { marks, jobStarted: (job, at) => marks.push(["start", job.id, at]), jobEnded: (job, outcome, at) => marks.push(["end", job.id, at, outcome]) };
}

test("the observer learns where each job begins and ends in the port's byte stream, CRs of TYPE A included", () => {
  const observer = recorder();
  const { queue, port, spool, uploads: [a, b, c] } = setUp({ observer, bytesPerWrite: 5 });
  spool.submit(a.job, "a.txt", true);            // TYPE A: two bare LFs become CRLF, 2 bytes more at the port
  spool.submit(b.job, "b.bin", false);
  spool.submit(c.job, "c.bin", false);
  b.arrive("x".repeat(100));
  b.close();
  c.arrive("y".repeat(30));
  c.close();
  a.arrive("one\ntwo\n");
  a.close();
  queue.run();
  assert.deepEqual(observer.marks, [
    ["start", 1, 0], ["end", 1, 10, JobOutcome.Printed],
    ["start", 2, 10], ["end", 2, 110, JobOutcome.Printed],
    ["start", 3, 110], ["end", 3, 140, JobOutcome.Printed],
  ]);
  assert.equal(spool.bytesPrinted, 140);
  assert.equal(port.jobs.reduce((sum, job) => sum + job.bytes.length, 0), 140, "the marks count what the port took");
});

test("a job cut short ends where the port stopped taking its bytes; a job removed before it started is never announced", () => {
  const observer = recorder();
  const { queue, port, spool, uploads: [a, b, c] } = setUp({ observer, bytesPerWrite: 4 });
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  spool.submit(c.job, "c", false);
  port.stalled = true;
  a.arrive("0123456789");
  port.stalled = false;
  port.resume();
  queue.run();
  port.stalled = true;
  a.arrive("abcdefgh");
  queue.run();
  const printedOfA = a.job.bytesPrinted;
  assert.equal(spool.remove(2), true, "job 2 leaves the queue before it reached the port");
  spool.cancel(a.job, JobOutcome.Aborted);
  port.stalled = false;
  c.arrive("zz");
  c.close();
  queue.run();
  assert.deepEqual(observer.marks, [
    ["start", 1, 0], ["end", 1, printedOfA, JobOutcome.Aborted],
    ["start", 3, printedOfA], ["end", 3, printedOfA + 2, JobOutcome.Printed],
  ]);
});

test("job ids start where the host says (the simulator continues after its printouts), 1 otherwise", () => {
  const { spool, uploads: [a, b] } = setUp({ firstJobId: 42 });
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  assert.deepEqual([a.job.id, b.job.id], [42, 43]);
  const plain = setUp();
  plain.spool.submit(plain.uploads[0].job, "a", false);
  assert.equal(plain.uploads[0].job.id, 1);
});

test("an observer that throws changes nothing: the job prints and is recorded", () => {
  const observer = { jobStarted() { throw new Error("disk full"); }, jobEnded() { throw new Error("disk full"); } };
  const { queue, port, spool, uploads: [a] } = setUp({ observer });
  spool.submit(a.job, "a", false);
  a.arrive("hello");
  a.close();
  queue.run();
  assert.equal(port.printed(1), "hello");
  assert.deepEqual([spool.jobsPrinted, a.calls.at(-1)], [1, "jobPrinted"]);
});

test("a long job logs its progress at most once per interval; the clock is read only every progressCheckBytes", () => {
  const clock = { ms: 1000, reads: 0 };
  const now = () => { clock.reads++; return clock.ms; };
  const { queue, spool, log, uploads: [a, b] } = setUp({ now, progressIntervalMs: 5000, chunkBytes: 4096, chunkCount: 1 });
  spool.submit(a.job, "big.bin", false);
  const readsAtStart = clock.reads;
  const chunk = "z".repeat(4096);
  // 1 MiB printed in 4 KiB chunks while the clock goes 1 s per 64 KiB: 16 s in all.
  for (let sent = 0; sent < 1024 * 1024; sent += 4096) {
    a.arrive(chunk);
    queue.run();
    if ((sent + 4096) % 65536 === 0) clock.ms += 1000;
  }
  a.close();
  queue.run();
  const progress = log.filter((line) => /^job 1: \d+ bytes printed of \d+ received$/.test(line));
  // The clock reaches 5 s after the start once 320 KiB have printed, and the next check (every 16 KiB) is at 336 KiB;
  // then 5 s after that line: 656 KiB; then 976 KiB.
  assert.deepEqual(progress.map((line) => Number(/: (\d+) bytes/.exec(line)[1])), [344_064, 671_744, 999_424]);
  assert.ok(clock.reads - readsAtStart <= 1024 * 1024 / progressCheckBytes, `${clock.reads - readsAtStart} clock reads for 1 MiB`);
  // A short job says nothing between "printing" and "printed", however slowly it goes.
  const before = log.length;
  spool.submit(b.job, "small.txt", false);
  b.arrive("x".repeat(progressCheckBytes - 1));
  clock.ms += 60_000;
  b.close();
  queue.run();
  assert.deepEqual(log.slice(before).map((line) => line.replace(/\d+/g, "N")),
    ['job N "small.txt" queued', "job N printing", 'job N "small.txt" printed: N bytes received, N printed']);
});
