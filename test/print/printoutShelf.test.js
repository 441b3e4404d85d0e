// The virtual printer's printout shelf (simulator/devices/shelf.js): one printout per job, named by the job id the
// firmware wrote into the capture folder's journal, whether the printer ran jobs together (sent back to back) or
// split one (a pause inside it); bytes no job claimed numbered after the highest printed-N; nothing of an earlier
// run overwritten. A stand-in printer model: the shelf only asks it for `count` and `slice()`.

import test from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrintoutShelf, journalName } from "../../simulator/devices/shelf.js";

/** What the shelf needs of Printer1284/SerialPrinter: a byte count and slices of everything printed. */
function fakePrinter() {
  let printed = Buffer.alloc(0);
  return {
    get count() { return printed.length; },
    slice: (from, to) => new Uint8Array(printed.subarray(from, Math.min(to, printed.length))),
    print(text) { printed = Buffer.concat([printed, Buffer.from(text, "latin1")]); },
  };
}

function setUp(prepare = () => {}) {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-shelf-"));
  prepare(folder);
  const printer = fakePrinter();
  const log = [];
  const shelf = new PrintoutShelf({ folder, printer, log: (line) => log.push(line) });
  // The lines hosts/sim/printouts.ts writes (JSON.stringify of the same objects).
  const mark = (object) => appendFileSync(join(folder, journalName), JSON.stringify(object) + "\n");
  const meta = (name) => JSON.parse(readFileSync(join(folder, name), "utf8"));
  const text = (name) => readFileSync(join(folder, name), "latin1");
  return { folder, printer, log, shelf, mark, meta, text, done: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Lets the previews' promises settle (text previews resolve at once). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("jobs sent back to back come out of the printer as one printout but go on the shelf as one file per job id", async () => {
  const { printer, shelf, mark, meta, text, done } = setUp();
  try {
    mark({ job: 7, at: 0, name: "a.txt", source: "ftp" });
    printer.print("first job\r\n");
    mark({ job: 7, end: 11, outcome: "printed" });
    mark({ job: 8, at: 11, name: "b.txt", source: "lpd" });
    printer.print("second job\r\n");
    shelf.poll();                                   // job 7's last byte is printed: it goes on the shelf at once
    await settle();
    assert.equal(text("job-7.prn"), "first job\r\n");
    mark({ job: 8, end: 23, outcome: "printed" });
    shelf.poll();                                   // and job 8 as soon as it has printed, saying so for both
    await settle();
    assert.deepEqual([meta("job-7.json").printedWith, meta("job-8.json").printedWith], [[8], [7]]);
    shelf.printoutEnded(0, 23);                     // the printer paused: one printout with both jobs
    await settle();
    assert.equal(text("job-8.prn"), "second job\r\n");
    assert.equal(text("job-7.txt"), "first job", "the preview is named by the job id too");
    assert.deepEqual(meta("job-7.json"), { job: 7, name: "a.txt", source: "ftp", outcome: "printed", bytes: 11, kind: "text",
      file: "job-7.prn", preview: "job-7.txt", note: "", parts: 1, printedWith: [8] });
    assert.deepEqual([meta("job-8.json").printedWith, meta("job-8.json").parts, meta("job-8.json").source], [[7], 1, "lpd"]);
  } finally {
    done();
  }
});

test("a job the printer split (it paused inside it) is one file with every byte, and says it came out in 2 parts", async () => {
  const { folder, printer, shelf, mark, meta, text, done } = setUp();
  try {
    const binary = Array.from({ length: 3000 }, (_, i) => String.fromCharCode((i * 37) & 0xff)).join("");
    mark({ job: 1, at: 0, name: "big.bin", source: "raw" });
    printer.print(binary.slice(0, 1000));
    shelf.printoutEnded(0, 1000);                   // paper out: the printer's idle gap ended a printout mid-job
    printer.print(binary.slice(1000));
    mark({ job: 1, end: 3000, outcome: "printed" });
    shelf.poll();
    shelf.printoutEnded(1000, 3000);
    await settle();
    assert.equal(text("job-1.prn"), binary);
    const { parts, printedWith, kind, preview, note } = meta("job-1.json");
    assert.deepEqual({ parts, printedWith, kind, preview, note },
      { parts: 2, printedWith: [], kind: "binary", preview: "", note: "binary, 3000 bytes, not previewed" });
    assert.deepEqual(readdirSync(folder).filter((name) => name.startsWith("printed-")), [], "every byte was claimed by job 1");
  } finally {
    done();
  }
});

test("a job cut short keeps what the printer got; a job that printed nothing gets no printout", async () => {
  const { folder, printer, shelf, mark, meta, done } = setUp();
  try {
    mark({ job: 3, at: 0, name: "gone.txt", source: "ftp" });
    printer.print("half");
    mark({ job: 3, end: 4, outcome: "aborted" });
    mark({ job: 4, at: 4, name: "empty", source: "ftp" });
    mark({ job: 4, end: 4, outcome: "printed" });
    mark({ job: 5, at: 4, name: "open.txt", source: "ftp" });
    printer.print("still coming");
    shelf.close();                                  // exit while job 5 is still open
    await settle();
    assert.equal(meta("job-3.json").outcome, "aborted");
    assert.deepEqual([meta("job-5.json").outcome, meta("job-5.json").bytes], ["incomplete", 12]);
    assert.deepEqual(readdirSync(folder).filter((name) => name.startsWith("job-4")), []);
  } finally {
    done();
  }
});

test("after a restart: an earlier journal is dropped, earlier printouts are never overwritten, unclaimed bytes number on", async () => {
  const { folder, printer, shelf, log, mark, meta, text, done } = setUp((folder) => {
    writeFileSync(join(folder, "printed-4.prn"), "old printout");
    writeFileSync(join(folder, "job-1.prn"), "old job 1");
    writeFileSync(join(folder, journalName), `${JSON.stringify({ job: 1, at: 0, name: "old", source: "ftp" })}\n`);
  });
  try {
    assert.equal(existsSync(join(folder, journalName)), false, "the earlier run's byte counts started from another zero");
    printer.print("no job said it was coming");    // e.g. a firmware without the journal
    shelf.printoutEnded(0, 25);
    await settle();
    assert.equal(text("printed-5.prn"), "no job said it was coming");
    assert.equal(meta("printed-5.json").job, 0);
    assert.equal(text("printed-4.prn"), "old printout");
    // A journal that claims a job id already on the shelf (the firmware continues after the highest one, so this
    // is a mistake): the earlier printout stays.
    mark({ job: 1, at: 25, name: "new", source: "ftp" });
    printer.print("new");
    mark({ job: 1, end: 28, outcome: "printed" });
    shelf.poll();
    await settle();
    assert.equal(text("job-1.prn"), "old job 1");
    assert.ok(log.some((line) => /job 1: .*job-1\.prn is an earlier printout, left as it was$/.test(line)), log.join("\n"));
  } finally {
    done();
  }
});
