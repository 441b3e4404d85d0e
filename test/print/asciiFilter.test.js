// TYPE A line ends (modules/print/asciiFilter.ts) on their own and through the spool: a bare LF becomes CRLF, a CRLF
// stays one, also when its CR and LF arrive in different chunks; TYPE I goes to the printer byte for byte.

import test from "node:test";
import assert from "node:assert/strict";
import { LineEndFilter, carriageReturn } from "../../build/modules/print/asciiFilter.js";
import { Spool } from "../../build/modules/print/spool.js";
import { PrintJob } from "../../build/modules/print/job.js";
import { EventQueue, FakePort, SocketFeeder } from "./fakes.js";

const bytesOf = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Every way to cut `text` into consecutive non-empty pieces (2^(n-1) of them: 64 for the 7 bytes below). */
function* partitions(text) {
  for (let cuts = 0; cuts < 1 << (text.length - 1); cuts++) {
    const pieces = [];
    let start = 0;
    for (let i = 1; i < text.length; i++) {
      if (cuts & (1 << (i - 1))) { pieces.push(text.slice(start, i)); start = i; }
    }
    pieces.push(text.slice(start));
    yield pieces;
  }
}

/**
 * Uploads `pieces` (one arrival each, with the queue run between them) as one job and returns what the printer got.
 * `bytesPerWrite` shapes the port; the ring is small (4-byte chunks) so the data wraps round it.
 */
function printThroughSpool(pieces, { lineEnds, bytesPerWrite = Infinity, chunkBytes = 4, chunkCount = 2 }) {
  const queue = new EventQueue();
  const port = new FakePort(queue, bytesPerWrite);
  const spool = new Spool(port, () => {}, chunkBytes, chunkCount);
  const feeder = new SocketFeeder(spool);
  const job = new PrintJob(feeder);
  feeder.job = job;
  spool.submit(job, "text.txt", lineEnds);
  for (const piece of pieces) {
    feeder.arrive(piece);
    queue.run();
  }
  feeder.close();
  queue.run();
  assert.deepEqual(feeder.calls.filter((call) => call !== "ringHasRoom"), ["jobStarted", "jobPrinted"]);
  assert.deepEqual(port.calls, [["beginJob", 1, "text.txt"], ["endJob", true]]);
  return { printed: port.printed(1), job, spool };
}

test("safeRun lets a run without a bare LF go whole", () => {
  const filter = new LineEndFilter();
  assert.equal(filter.safeRun(bytesOf("ab\r\ncd"), 0, 6), 6);
  assert.equal(filter.crOwed, false);
});

test("safeRun stops just before a bare LF", () => {
  const filter = new LineEndFilter();
  assert.equal(filter.safeRun(bytesOf("ab\ncd"), 0, 5), 2);
  assert.equal(filter.crOwed, false);
});

test("safeRun at a bare LF answers 0 and owes a CR; after tookCr the LF may go", () => {
  const filter = new LineEndFilter();
  const bytes = bytesOf("x\ny");
  assert.equal(filter.safeRun(bytes, 1, 2), 0);
  assert.equal(filter.crOwed, true);
  filter.tookCr();
  assert.equal(filter.crOwed, false);
  assert.equal(filter.previousWasCr, true);
  assert.equal(filter.safeRun(bytes, 1, 2), 2);
});

test("an LF whose CR the printer took in an earlier write is not bare", () => {
  const filter = new LineEndFilter();
  const bytes = bytesOf("a\r\nb");
  filter.took(bytes, 0, 2);
  assert.equal(filter.previousWasCr, true);
  assert.equal(filter.safeRun(bytes, 2, 2), 2);
  filter.took(bytes, 2, 1);
  assert.equal(filter.previousWasCr, false);
});

test("safeRun does not change what the printer is known to have taken", () => {
  const filter = new LineEndFilter();
  assert.equal(filter.safeRun(bytesOf("a\r"), 0, 2), 2);
  assert.equal(filter.previousWasCr, false);
});

test("reset forgets a CR taken and a CR owed", () => {
  const filter = new LineEndFilter();
  filter.safeRun(bytesOf("\n"), 0, 1);
  filter.tookCr();
  filter.safeRun(bytesOf("\n\n"), 1, 1);
  filter.reset();
  assert.equal(filter.crOwed, false);
  assert.equal(filter.previousWasCr, false);
});

test("the CR the spool sends is the one byte 13", () => {
  assert.deepEqual([...carriageReturn], [13]);
});

test("TYPE A of a\\nb\\r\\nc\\n cut into pieces at every set of positions prints a\\r\\nb\\r\\nc\\r\\n", () => {
  let cases = 0;
  for (const pieces of partitions("a\nb\r\nc\n")) {
    const { printed } = printThroughSpool(pieces, { lineEnds: true });
    assert.equal(printed, "a\r\nb\r\nc\r\n", JSON.stringify(pieces));
    cases++;
  }
  assert.equal(cases, 64);
});

test("TYPE A through a printer that takes one byte per write, at every cut, still prints a\\r\\nb\\r\\nc\\r\\n", () => {
  for (const pieces of partitions("a\nb\r\nc\n")) {
    const { printed } = printThroughSpool(pieces, { lineEnds: true, bytesPerWrite: 1 });
    assert.equal(printed, "a\r\nb\r\nc\r\n", JSON.stringify(pieces));
  }
});

test("TYPE A through one-byte ring chunks, at every cut, still prints a\\r\\nb\\r\\nc\\r\\n", () => {
  for (const pieces of partitions("a\nb\r\nc\n")) {
    const { printed } = printThroughSpool(pieces, { lineEnds: true, bytesPerWrite: 2, chunkBytes: 1, chunkCount: 3 });
    assert.equal(printed, "a\r\nb\r\nc\r\n", JSON.stringify(pieces));
  }
});

test("TYPE A turns each of several bare LFs in a row into CRLF, and a job may start with one", () => {
  assert.equal(printThroughSpool(["\n\n\nx\r\n\r\n"], { lineEnds: true }).printed, "\r\n\r\n\r\nx\r\n\r\n");
});

test("TYPE A leaves a lone CR alone: it is the printer's carriage return", () => {
  assert.equal(printThroughSpool(["over\rstrike\r"], { lineEnds: true }).printed, "over\rstrike\r");
});

test("TYPE A counts the CRs it adds as printed bytes", () => {
  const { job, spool } = printThroughSpool(["a\nb\r\nc\n"], { lineEnds: true });
  assert.equal(job.bytesReceived, 7);
  assert.equal(job.bytesPrinted, 9);
  assert.equal(spool.bytesPrinted, 9);
});

test("TYPE I of a\\nb\\r\\nc\\n cut at every set of positions goes to the printer byte for byte", () => {
  for (const pieces of partitions("a\nb\r\nc\n")) {
    for (const bytesPerWrite of [Infinity, 1, 3]) {
      const { printed, job } = printThroughSpool(pieces, { lineEnds: false, bytesPerWrite });
      assert.equal(printed, "a\nb\r\nc\n", JSON.stringify(pieces));
      assert.equal(job.bytesPrinted, 7);
    }
  }
});

test("TYPE I passes all 256 byte values unchanged, twice round a small ring", () => {
  let all = "";
  for (let i = 0; i < 512; i++) all += String.fromCharCode(i & 255);
  const pieces = [];
  for (let at = 0; at < all.length; at += 7) pieces.push(all.slice(at, at + 7));
  assert.equal(printThroughSpool(pieces, { lineEnds: false, bytesPerWrite: 5 }).printed, all);
});

test("a job after a TYPE A job that ended in CR starts with a clean line-end state", () => {
  const queue = new EventQueue();
  const port = new FakePort(queue);
  const spool = new Spool(port, () => {}, 4, 2);
  const jobs = [0, 1].map(() => { const feeder = new SocketFeeder(spool); const job = new PrintJob(feeder); feeder.job = job; return job; });
  spool.submit(jobs[0], "first", true);
  spool.submit(jobs[1], "second", true);
  jobs[0].feeder.arrive("x\r");
  jobs[0].feeder.close();
  jobs[1].feeder.arrive("\ny");
  jobs[1].feeder.close();
  queue.run();
  assert.equal(port.printed(1), "x\r");
  assert.equal(port.printed(2), "\r\ny");                // its LF is bare: the CR was another job's
});
