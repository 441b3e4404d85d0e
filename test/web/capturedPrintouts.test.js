// The simulator's printout shelf, firmware side (hosts/sim/printouts.ts, compiled, on the simulator's `file` module
// through its loader, as `npm start` runs it): job ids continue after those in the capture folder, the journal it
// writes for the virtual printer, and the printouts it lists for the page (checked field by field, newest first).

import test from "node:test";
import assert from "node:assert/strict";
import { register } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const buildRoot = new URL("../../build/", import.meta.url).pathname;
register("../../simulator/loader.js", { parentURL: import.meta.url, data: { config: {}, buildRoot } });
const { CapturedPrintouts, journalName } = await import("../../build/hosts/sim/printouts.js");
const { JobOutcome, PrintJob } = await import("../../build/modules/print/job.js");
const { PrintoutShelf } = await import("../../simulator/devices/shelf.js");

function folderWith(files) {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-shelf-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

function job(id, name, bytesPrinted = 10) {
  const printJob = new PrintJob({}, "lpd");
  Object.assign(printJob, { id, name, bytesPrinted });
  return printJob;
}

test("job ids continue after the highest job-N printout or file-port capture in the folder; an empty folder starts at 1", () => {
  const folder = folderWith({ "job-12.prn": "x", "job-9.json": "{}", "00031-report.ps": "x", "printed-80.prn": "x", "notes.txt": "" });
  try {
    assert.equal(new CapturedPrintouts(folder, "parallel", true).firstJobId, 32);
    assert.equal(new CapturedPrintouts(join(folder, "missing"), "parallel", true).firstJobId, 1, "no folder yet: nothing printed");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("the journal: an earlier one is removed, then one line per job start and end, which the virtual printer's shelf reads", async () => {
  const folder = folderWith({ [journalName]: '{"job":1,"at":0}\n' });
  try {
    const shelf = new CapturedPrintouts(folder, "parallel", true);
    assert.equal(existsSync(join(folder, journalName)), false);
    // The virtual printer's side of the same folder (made first in the simulator, as here it is made before any job).
    const printed = Buffer.from("0123456789");
    const paper = new PrintoutShelf({ folder, printer: { count: 10, slice: (a, b) => new Uint8Array(printed.subarray(a, b)) } });
    shelf.jobStarted(job(5, 'quote " and\nnewline'), 0);
    shelf.jobEnded(job(5, "", 10), JobOutcome.Printed, 10);
    shelf.jobStarted(job(6, "x".repeat(100)), 10);
    shelf.jobEnded(job(6, "", 0), JobOutcome.Removed, 10);
    const lines = readFileSync(join(folder, journalName), "utf8").split("\n");
    assert.deepEqual(lines.slice(0, 4).map((line) => JSON.parse(line)), [
      { job: 5, at: 0, name: 'quote " and\nnewline', source: "lpd" }, { job: 5, end: 10, outcome: "printed" },
      { job: 6, at: 10, name: "x".repeat(64), source: "lpd" }, { job: 6, end: 10, outcome: "removed" }]);
    assert.equal(shelf.pending(), 1, "job 5 printed bytes and its printout is not on the shelf yet; job 6 printed none");
    // It reads those lines and keeps job 5 under its id.
    paper.poll();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(readFileSync(join(folder, "job-5.prn"), "latin1"), "0123456789");
    assert.equal(shelf.pending(), 0);
    assert.deepEqual(shelf.list(10).map((p) => [p.job, p.name, p.file, p.preview]), [[5, 'quote " and\nnewline', "job-5.prn", "job-5.txt"]]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("without a virtual printer (file or discard port) nothing is journalled and the shelf says why there is nothing", () => {
  const folder = folderWith({});
  try {
    const shelf = new CapturedPrintouts(folder, "file", false);
    shelf.jobStarted(job(1, "a"), 0);
    shelf.jobEnded(job(1, "a"), JobOutcome.Printed, 10);
    assert.equal(existsSync(join(folder, journalName)), false);
    assert.match(shelf.note(), /^The file printer port has no virtual printer behind it/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("list: newest job first, then unclaimed printouts, at most `limit`; a file that is not what it should be is checked field by field", () => {
  const meta = (fields) => JSON.stringify({ bytes: 5, kind: "text", note: "", parts: 1, printedWith: [], ...fields });
  const folder = folderWith({
    "job-2.json": meta({ job: 2, name: "two", file: "job-2.prn", preview: "job-2.txt" }),
    "job-10.json": meta({ job: 10, name: "ten", file: "job-10.prn", preview: "../../etc/passwd", parts: "many", printedWith: [9, "x"] }),
    "printed-3.json": meta({ job: 0, file: "printed-3.prn", preview: "printed-3.txt" }),
    "job-11.json": "{ not json",
  });
  try {
    const shelf = new CapturedPrintouts(folder, "parallel", true);
    const listed = shelf.list(10);
    assert.deepEqual(listed.map((p) => [p.job, p.name]), [[10, "ten"], [2, "two"], [0, ""]]);
    assert.deepEqual([listed[0].preview, listed[0].parts, listed[0].printedWith], ["", 1, [9]], "a bad preview name is dropped");
    assert.deepEqual(shelf.list(2).map((p) => p.job), [10, 2]);
    assert.equal(shelf.open("job-2.json"), undefined, "only printouts and previews are served");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
