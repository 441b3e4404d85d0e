// The spool (modules/print/spool.ts): jobs print one at a time in arrival order, every byte exactly once, through a
// printer port that takes what it can and says later when it can take more. No timers: the port's "later" is a
// manual event queue (test/print/fakes.js).

import test from "node:test";
import assert from "node:assert/strict";
import { Spool } from "../../build/modules/print/spool.js";
import { JobOutcome, JobState, PrintJob, jobHistoryLength } from "../../build/modules/print/job.js";
import { PrinterState } from "../../build/modules/print/port.js";
import { EventQueue, FakePort, RecordingFeeder, SocketFeeder } from "./fakes.js";

/** A spool on a fake port, with `jobs` upload feeders ready, and its log lines. */
function setUp({ bytesPerWrite = Infinity, chunkBytes = 8, chunkCount = 4, jobs = 3 } = {}) {
  const queue = new EventQueue();
  const port = new FakePort(queue, bytesPerWrite);
  const log = [];
  const spool = new Spool(port, (line) => log.push(line), chunkBytes, chunkCount);
  const uploads = [];
  for (let i = 0; i < jobs; i++) {
    const feeder = new SocketFeeder(spool);
    feeder.job = new PrintJob(feeder);
    uploads.push(feeder);
  }
  return { queue, port, spool, log, uploads };
}

/** Writes `text` into the ring by hand, as far as it has room, and reports it; returns how many bytes went in. */
function deliver(spool, job, text) {
  let at = 0;
  while (at < text.length) {
    const view = spool.ring.receiveView(text.length - at);
    if (!view) break;
    for (let i = 0; i < view.length; i++) view[i] = text.charCodeAt(at + i);
    spool.ring.commit(view.length);
    at += view.length;
  }
  if (at > 0) spool.received(job, at);
  return at;
}

function pattern(length, seed = 0) {
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode((i * 7 + seed) & 255);
  return text;
}

test("a job submitted to an idle spool starts at once, and its bytes reach the printer in order", () => {
  const { queue, port, spool, uploads: [upload], log } = setUp();
  assert.equal(spool.submit(upload.job, "report.txt", false), 0);
  assert.deepEqual(upload.calls, ["jobStarted"]);
  assert.equal(upload.job.id, 1);
  assert.equal(upload.job.state, JobState.Receiving);
  assert.equal(spool.current, upload.job);
  upload.arrive("hello, printer");
  upload.close();
  queue.run();
  assert.equal(port.printed(1), "hello, printer");
  assert.deepEqual(port.calls, [["beginJob", 1, "report.txt"], ["endJob", true]]);
  assert.equal(upload.calls.at(-1), "jobPrinted");
  assert.equal(upload.job.state, JobState.Idle);
  assert.equal(spool.current, undefined);
  assert.deepEqual(log, [
    'job 1 "report.txt" queued',
    "job 1 printing",
    'job 1 "report.txt" printed: 14 bytes received, 14 printed',
  ]);
});

test("jobPrinted comes only after finish, when the printer took the last byte", () => {
  const { queue, port, spool, uploads: [upload] } = setUp();
  port.stalled = true;
  spool.submit(upload.job, "a", false);
  upload.arrive("abc");
  upload.close();
  queue.run();
  assert.equal(upload.job.state, JobState.Draining);
  assert.equal(upload.calls.includes("jobPrinted"), false);
  port.resume();
  queue.run();
  assert.equal(upload.calls.at(-1), "jobPrinted");
  assert.equal(port.printed(1), "abc");
});

test("jobs queue in arrival order: submit returns each one's position and only the first starts", () => {
  const { spool, uploads: [a, b, c] } = setUp();
  assert.equal(spool.submit(a.job, "a", false), 0);
  assert.equal(spool.submit(b.job, "b", false), 1);
  assert.equal(spool.submit(c.job, "c", false), 2);
  assert.deepEqual([a.calls, b.calls, c.calls], [["jobStarted"], [], []]);
  assert.deepEqual([a.job.state, b.job.state, c.job.state], [JobState.Receiving, JobState.Waiting, JobState.Waiting]);
  assert.deepEqual([spool.positionOf(a.job), spool.positionOf(b.job), spool.positionOf(c.job)], [0, 1, 2]);
  assert.equal(spool.queueLength, 3);
  assert.equal(spool.positionOf(new PrintJob(new RecordingFeeder())), -1);
});

test("a second job gets jobStarted only when the first has printed, and jobs never interleave", () => {
  const { queue, port, spool, uploads: [a, b, c] } = setUp({ bytesPerWrite: 3 });
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  spool.submit(c.job, "c", false);
  b.arrive(pattern(50, 2));                          // the waiting jobs' bytes stay in their sockets
  c.arrive(pattern(20, 3));
  b.close();
  c.close();
  queue.run();
  assert.deepEqual([b.calls, c.calls], [[], []]);
  assert.equal(b.buffered, 50);
  a.arrive(pattern(100, 1));
  queue.run();
  assert.deepEqual(b.calls, []);
  a.close();
  queue.run();
  assert.deepEqual(a.calls.filter((call) => call !== "ringHasRoom"), ["jobStarted", "jobPrinted"]);
  assert.deepEqual(b.calls.filter((call) => call !== "ringHasRoom"), ["jobStarted", "jobPrinted"]);
  assert.deepEqual(c.calls.filter((call) => call !== "ringHasRoom"), ["jobStarted", "jobPrinted"]);
  assert.deepEqual(port.calls, [
    ["beginJob", 1, "a"], ["endJob", true],
    ["beginJob", 2, "b"], ["endJob", true],
    ["beginJob", 3, "c"], ["endJob", true],
  ]);
  assert.equal(port.printed(1), pattern(100, 1));
  assert.equal(port.printed(2), pattern(50, 2));
  assert.equal(port.printed(3), pattern(20, 3));
});

test("the waiting job's jobStarted comes after the first job's jobPrinted", () => {
  const { queue, spool, uploads: [a, b] } = setUp();
  const order = [];
  a.jobPrinted = () => order.push("a printed");
  b.jobStarted = () => order.push("b started");
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  spool.finish(a.job);
  queue.run();
  assert.deepEqual(order, ["a printed", "b started"]);
});

test("a printer that takes one byte per write and says so later still gets every byte exactly once", () => {
  const { queue, port, spool, uploads: [upload] } = setUp({ bytesPerWrite: 1, chunkBytes: 16, chunkCount: 4 });
  const data = pattern(10_000);
  spool.submit(upload.job, "big.bin", false);
  for (let at = 0; at < data.length; at += 1460) {
    upload.arrive(data.slice(at, at + 1460));
    queue.run();
  }
  upload.close();
  queue.run();
  assert.equal(port.printed(1), data);
  assert.equal(upload.job.bytesReceived, 10_000);
  assert.equal(upload.job.bytesPrinted, 10_000);
  assert.equal(spool.bytesPrinted, 10_000);
  assert.equal(upload.calls.at(-1), "jobPrinted");
  assert.equal(port.writes, 10_000);                  // one byte per write, and no byte offered twice after a take
});

test("while the port owes an onWritable the spool offers it nothing more", () => {
  const { queue, port, spool, uploads: [upload] } = setUp({ bytesPerWrite: 2 });
  spool.submit(upload.job, "x", false);
  upload.arrive("abcdef");
  assert.equal(port.writes, 1);                       // took 2 of 6: wait for onWritable
  upload.arrive("gh");
  assert.equal(port.writes, 1);
  queue.run();
  assert.equal(port.printed(1), "abcdefgh");
});

test("a printer that stalls holds the bytes in the ring, and the socket is read only as far as the ring has room", () => {
  const { queue, port, spool, uploads: [upload] } = setUp({ chunkBytes: 8, chunkCount: 4 });
  port.stalled = true;
  spool.submit(upload.job, "x", false);
  upload.arrive(pattern(100));
  queue.run();
  assert.equal(spool.ring.filled, 32);
  assert.equal(upload.buffered, 68);
  assert.equal(upload.job.bytesReceived, 32);
  assert.equal(upload.job.bytesPrinted, 0);
  port.resume();
  upload.close();
  queue.run();
  assert.equal(port.printed(1), pattern(100));
});

test("an onWritable that comes when nothing waits is harmless", () => {
  const { queue, port, spool, uploads: [upload] } = setUp();
  port.resume();                                       // an onWritable out of the blue, with no job
  queue.run();
  spool.submit(upload.job, "x", false);
  port.resume();
  queue.run();
  upload.arrive("abc");
  upload.close();
  queue.run();
  assert.equal(port.printed(1), "abc");
});

test("cancelling the printing job drops its ring, ends it incomplete and starts the next", () => {
  const { queue, port, spool, uploads: [a, b], log } = setUp({ bytesPerWrite: 4 });
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  port.stalled = true;
  a.arrive("0123456789");                              // 10 bytes in the ring, none printed
  assert.equal(spool.ring.filled, 10);
  port.stalled = false;
  spool.cancel(a.job, JobOutcome.Aborted);
  assert.deepEqual(port.calls, [["beginJob", 1, "a"], ["endJob", false], ["beginJob", 2, "b"]]);
  assert.equal(spool.ring.filled, 0);
  assert.equal(a.job.state, JobState.Idle);
  assert.deepEqual(b.calls, ["jobStarted"]);
  assert.equal(spool.current, b.job);
  b.arrive("second");
  b.close();
  queue.run();
  assert.equal(port.printed(1), "");
  assert.equal(port.printed(2), "second");             // nothing of the first job's ring leaked into it
  assert.equal(a.calls.includes("jobPrinted"), false);
  assert.deepEqual(spool.history().map((r) => [r.id, r.outcome, r.bytesReceived, r.bytesPrinted]),
    [[1, JobOutcome.Aborted, 10, 0], [2, JobOutcome.Printed, 6, 6]]);
  assert.equal(log.includes('job 1 "a" aborted: 10 bytes received, 0 printed'), true);
});

test("cancelling the printing job part way keeps what the printer already took", () => {
  const { queue, port, spool, uploads: [a] } = setUp({ bytesPerWrite: 4 });
  spool.submit(a.job, "a", false);
  a.arrive("0123456789");                              // 4 taken now, the rest waits for onWritable
  spool.cancel(a.job, JobOutcome.ClientLost);
  queue.run();                                         // the late onWritable finds no job: harmless
  assert.equal(port.printed(1), "0123");
  assert.deepEqual(port.calls, [["beginJob", 1, "a"], ["endJob", false]]);
  assert.deepEqual(spool.history().map((r) => [r.outcome, r.bytesReceived, r.bytesPrinted]), [[JobOutcome.ClientLost, 10, 4]]);
  assert.equal(spool.jobsClientLost, 1);
});

test("cancelling a waiting job takes it out of the queue; it never starts and the others move up", () => {
  const { queue, port, spool, uploads: [a, b, c] } = setUp();
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  spool.submit(c.job, "c", false);
  spool.cancel(b.job, JobOutcome.ClientLost);
  assert.equal(spool.positionOf(b.job), -1);
  assert.equal(spool.positionOf(c.job), 1);
  assert.equal(b.job.state, JobState.Idle);
  assert.deepEqual(port.calls, [["beginJob", 1, "a"]]);    // the printing job is not disturbed
  a.arrive("A");
  a.close();
  c.arrive("C");
  c.close();
  queue.run();
  assert.deepEqual(b.calls, []);
  assert.deepEqual(port.calls, [["beginJob", 1, "a"], ["endJob", true], ["beginJob", 3, "c"], ["endJob", true]]);
  assert.deepEqual(spool.history().map((r) => [r.id, r.outcome]), [[2, JobOutcome.ClientLost], [1, JobOutcome.Printed], [3, JobOutcome.Printed]]);
});

test("cancelling a job that is not queued changes nothing", () => {
  const { spool, port, uploads: [a, b] } = setUp();
  spool.submit(a.job, "a", false);
  spool.cancel(b.job, JobOutcome.Aborted);
  spool.finish(a.job);
  spool.cancel(a.job, JobOutcome.Aborted);              // already printed
  assert.deepEqual(port.calls, [["beginJob", 1, "a"], ["endJob", true]]);
  assert.equal(spool.jobsAborted, 0);
  assert.equal(spool.history().length, 1);
});

test("an empty job, finished while waiting, completes in its turn without reading", () => {
  const { queue, port, spool, uploads: [a] } = setUp();
  const empty = new RecordingFeeder();
  const emptyJob = new PrintJob(empty);
  spool.submit(a.job, "a", false);
  spool.submit(emptyJob, "empty", false);
  spool.finish(emptyJob);
  assert.equal(emptyJob.state, JobState.Waiting);
  assert.equal(emptyJob.endOfData, true);
  assert.deepEqual(empty.calls, []);
  a.arrive("A");
  a.close();
  queue.run();
  assert.deepEqual(empty.calls, ["jobPrinted"]);
  assert.deepEqual(port.calls, [["beginJob", 1, "a"], ["endJob", true], ["beginJob", 2, "empty"], ["endJob", true]]);
  assert.equal(port.printed(2), "");
  assert.deepEqual(spool.history().map((r) => [r.id, r.outcome, r.bytesReceived, r.bytesPrinted]),
    [[1, JobOutcome.Printed, 1, 1], [2, JobOutcome.Printed, 0, 0]]);
});

test("an empty job at the head completes as soon as it is finished", () => {
  const { spool, port } = setUp();
  const feeder = new RecordingFeeder();
  const job = new PrintJob(feeder);
  spool.submit(job, "empty", true);
  spool.finish(job);
  assert.deepEqual(feeder.calls, ["jobStarted", "jobPrinted"]);
  assert.deepEqual(port.calls, [["beginJob", 1, "empty"], ["endJob", true]]);
  assert.equal(spool.current, undefined);
});

test("a job behind an empty waiting job starts when the empty one completes", () => {
  const { queue, port, spool, uploads: [a, c] } = setUp();
  const empty = new RecordingFeeder();
  const emptyJob = new PrintJob(empty);
  spool.submit(a.job, "a", false);
  spool.submit(emptyJob, "empty", false);
  spool.submit(c.job, "c", false);
  spool.finish(emptyJob);
  c.arrive("C");
  c.close();
  spool.finish(a.job);
  queue.run();
  assert.deepEqual(port.calls.map((call) => call.join(" ")),
    ["beginJob 1 a", "endJob true", "beginJob 2 empty", "endJob true", "beginJob 3 c", "endJob true"]);
  assert.equal(port.printed(3), "C");
  assert.equal(c.calls.at(-1), "jobPrinted");
});

test("a feeder that calls received() from ringHasRoom() re-enters safely and every byte prints once", () => {
  const { queue, port, spool, uploads: [upload] } = setUp({ bytesPerWrite: 5, chunkBytes: 4, chunkCount: 2 });
  const data = pattern(333);
  let sent = 0;
  let depth = 0, deepest = 0;
  const readPiece = () => {                              // up to 3 bytes into the ring, then received() at once
    let count = 0;
    for (let view; count < 3 && sent < data.length && (view = spool.ring.receiveView(Math.min(3 - count, data.length - sent)));) {
      for (let i = 0; i < view.length; i++) view[i] = data.charCodeAt(sent + i);
      spool.ring.commit(view.length);
      sent += view.length;
      count += view.length;
    }
    if (count > 0) spool.received(upload.job, count);
    else if (sent === data.length && !upload.job.endOfData) spool.finish(upload.job);
  };
  upload.jobStarted = () => { upload.calls.push("jobStarted"); readPiece(); };
  upload.ringHasRoom = () => {                           // called from inside the spool's pump
    depth++;
    deepest = Math.max(deepest, depth);
    upload.calls.push("ringHasRoom");
    readPiece();
    depth--;
  };
  spool.submit(upload.job, "reentrant", false);
  queue.run();
  assert.equal(port.printed(1), data);
  assert.equal(upload.job.bytesReceived, 333);
  assert.equal(upload.job.bytesPrinted, 333);
  assert.equal(upload.calls.at(-1), "jobPrinted");
  assert.equal(deepest, 1);                              // the spool ran its loop again instead of recursing
});

test("the socket feeder, which pulls from inside ringHasRoom, gets a 5,000-byte upload through a 16-byte ring", () => {
  const { queue, port, spool, uploads: [upload] } = setUp({ bytesPerWrite: 7, chunkBytes: 4, chunkCount: 4 });
  spool.submit(upload.job, "x", false);
  upload.arrive(pattern(5000, 9));
  upload.close();
  queue.run();
  assert.equal(port.printed(1), pattern(5000, 9));
  assert.equal(spool.ring.filled, 0);
});

test("history keeps the last 8 jobs, oldest first, with their outcomes and byte counts", () => {
  assert.equal(jobHistoryLength, 8);
  const { queue, spool } = setUp({ jobs: 0 });
  const outcomes = [];
  for (let i = 1; i <= 11; i++) {
    const feeder = new SocketFeeder(spool);
    const job = new PrintJob(feeder, "ftp");
    feeder.job = job;
    job.owner = `user${i}`;
    spool.submit(job, `job${i}.txt`, false);
    feeder.arrive("x".repeat(i));
    queue.run();
    if (i % 4 === 0) { spool.cancel(job, JobOutcome.Aborted); outcomes.push(JobOutcome.Aborted); }
    else if (i % 5 === 0) { spool.cancel(job, JobOutcome.ClientLost); outcomes.push(JobOutcome.ClientLost); }
    else { feeder.close(); queue.run(); outcomes.push(JobOutcome.Printed); }
  }
  assert.deepEqual(spool.history().map((r) => ({ ...r })), [4, 5, 6, 7, 8, 9, 10, 11].map((id) => ({
    id, name: `job${id}.txt`, owner: `user${id}`, source: "ftp", bytesReceived: id, bytesPrinted: id, outcome: outcomes[id - 1],
  })));
  assert.equal(spool.jobsPrinted, 7);                    // 1, 2, 3, 6, 7, 9, 11
  assert.equal(spool.jobsAborted, 2);                    // 4, 8
  assert.equal(spool.jobsClientLost, 2);                 // 5, 10
  assert.equal(spool.bytesPrinted, 66);                  // 1 + ... + 11: the printer took each job's bytes on arrival
});

test("a new spool has no history and zero counters", () => {
  const { spool } = setUp();
  assert.deepEqual(spool.history(), []);
  assert.deepEqual([spool.jobsPrinted, spool.jobsAborted, spool.jobsClientLost, spool.bytesPrinted], [0, 0, 0, 0]);
  assert.equal(spool.printerState, PrinterState.Ready);
});

test("job ids count up across jobs, and submit resets a reused job's counts", () => {
  const { queue, spool, uploads: [a] } = setUp();
  spool.submit(a.job, "one", true);
  a.arrive("abc");
  spool.finish(a.job);
  queue.run();
  spool.submit(a.job, "two", false);                    // the session slot's one PrintJob, reused
  assert.deepEqual([a.job.id, a.job.name, a.job.lineEnds, a.job.bytesReceived, a.job.bytesPrinted, a.job.endOfData],
    [2, "two", false, 0, 0, false]);
});

test("a printer state change is kept and logged once; the same state again is not logged", () => {
  const { port, spool, log } = setUp();
  port.changeState(PrinterState.PaperOut);
  port.changeState(PrinterState.PaperOut);
  port.changeState(PrinterState.Ready);
  assert.equal(spool.printerState, PrinterState.Ready);
  assert.deepEqual(log, ["printer paper out", "printer ready"]);
});

test("the queue log says how many jobs are ahead", () => {
  const { spool, log, uploads: [a, b, c] } = setUp();
  spool.submit(a.job, "a", false);
  spool.submit(b.job, "b", false);
  spool.submit(c.job, "c", false);
  assert.deepEqual(log, ['job 1 "a" queued', "job 1 printing", 'job 2 "b" queued, 1 ahead', 'job 3 "c" queued, 2 ahead']);
});

test("a feeder that submits its session's next job from jobPrinted gets that job started once", () => {
  const { queue, port, spool, uploads: [upload] } = setUp();
  const order = [];
  let uploads = 0;
  upload.jobStarted = () => { order.push(`started ${upload.job.id}`); };
  upload.jobPrinted = () => {                            // 226 goes out and the next pipelined STOR is run at once
    order.push(`printed ${upload.job.id}`);
    if (++uploads < 3) spool.submit(upload.job, `file${uploads + 1}`, false);
  };
  spool.submit(upload.job, "file1", false);
  spool.finish(upload.job);
  spool.finish(upload.job);
  spool.finish(upload.job);
  queue.run();
  assert.deepEqual(order, ["started 1", "printed 1", "started 2", "printed 2", "started 3", "printed 3"]);
  assert.deepEqual(port.calls.map((call) => call.join(" ")),
    ["beginJob 1 file1", "endJob true", "beginJob 2 file2", "endJob true", "beginJob 3 file3", "endJob true"]);
  assert.equal(spool.current, undefined);
});

test("remove() takes a waiting job out of the queue, records it as removed, and the printing job goes on", () => {
  const { queue, port, spool, uploads: [first, second, third], log } = setUp();
  spool.submit(first.job, "first", false);
  spool.submit(second.job, "second", false);
  spool.submit(third.job, "third", false);
  first.job.owner = "alice";
  assert.equal(spool.remove(second.job.id), true);
  assert.deepEqual(second.calls, ["jobRemoved"]);
  assert.deepEqual(spool.jobs.map((job) => job.name), ["first", "third"]);
  assert.equal(spool.remove(second.job.id), false, "a job no longer queued cannot be removed twice");
  first.arrive("abc");
  first.close();
  queue.run();
  third.arrive("xyz");
  third.close();
  queue.run();
  assert.equal(port.printed(1), "abc");
  assert.equal(port.printed(2), undefined, "the removed job never reached the printer");
  assert.equal(port.printed(3), "xyz");
  const outcomes = spool.history().map((record) => [record.name, record.outcome]);
  assert.deepEqual(outcomes, [["second", JobOutcome.Removed], ["first", JobOutcome.Printed], ["third", JobOutcome.Printed]]);
  assert.equal(spool.history()[1].owner, "alice");
  assert.ok(log.some((line) => /job 2 "second" removed/.test(line)));
  assert.equal(spool.jobsRemoved, 1);
  assert.equal(spool.jobsAborted, 0);
});

test("remove() of the printing job drops what the printer has not taken and starts the next one", () => {
  const { queue, port, spool, uploads: [first, second] } = setUp({ bytesPerWrite: 2 });
  spool.submit(first.job, "first", false);
  spool.submit(second.job, "second", false);
  first.arrive("0123456789");
  assert.equal(spool.remove(first.job.id), true);
  assert.deepEqual(port.calls.filter((call) => call[0] === "endJob"), [["endJob", false]]);
  assert.equal(spool.current, second.job);
  assert.ok(second.calls.includes("jobStarted"));
  second.arrive("ok");
  second.close();
  queue.run();
  assert.equal(port.printed(2), "ok");
});
