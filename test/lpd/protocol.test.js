// The LPD protocol core (modules/lpd/protocol.ts): command and subcommand lines, file counts, the control file
// read in pieces through its fixed buffer, the queue listings, and which jobs remove-jobs names. No sockets.
// Imports the compiled module from build/: run `npm run build` (or `npm test`) first.

import test from "node:test";
import assert from "node:assert/strict";
import {
  ControlFileReader, LpdCommand, LpdSubcommand, controlFileMaxBytes, controlLineBytes, dataFileMaxBytes, formatQueue, listNames,
  parseFileOperands, parseLine, printableText, queueConvertsLineEnds, removalIds,
} from "../../build/modules/lpd/protocol.js";

function bytesOf(text) {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function line(text) {
  const bytes = bytesOf(text);
  return parseLine(bytes, bytes.length);
}

test("command lines split into the code, the queue and the operands at any run of spaces or tabs", () => {
  assert.deepEqual(line("\x02raw"), { code: LpdCommand.ReceiveJob, words: ["raw"] });
  assert.deepEqual(line("\x03text"), { code: LpdCommand.QueueShort, words: ["text"] });
  assert.deepEqual(line("\x04lp  alice\t12 bob"), { code: LpdCommand.QueueLong, words: ["lp", "alice", "12", "bob"] });
  assert.deepEqual(line("\x05raw root 7 8"), { code: LpdCommand.RemoveJobs, words: ["raw", "root", "7", "8"] });
  assert.deepEqual(line("\x01"), { code: LpdCommand.PrintWaiting, words: [] });
  assert.equal(parseLine(new Uint8Array(4), 0), undefined, "an empty line has no code");
});

test("bytes outside printable ASCII become ? in names, so logs and file names stay clean", () => {
  assert.equal(printableText(bytesOf("a\x00b\xffc\x7f"), 0, 6), "a?b?c?");
  assert.deepEqual(line("\x02qu\xe9ue"), { code: 2, words: ["qu?ue"] });
});

test("a file subcommand's count must be a plain decimal number within the limit", () => {
  assert.deepEqual(parseFileOperands(["123", "dfA001host"], dataFileMaxBytes), { count: 123, name: "dfA001host" });
  assert.deepEqual(parseFileOperands(["0", "dfA001host"], dataFileMaxBytes), { count: 0, name: "dfA001host" });
  assert.deepEqual(parseFileOperands(["42"], dataFileMaxBytes), { count: 42, name: "" });
  assert.equal(parseFileOperands([], dataFileMaxBytes), undefined);
  assert.equal(parseFileOperands(["-5", "x"], dataFileMaxBytes), undefined);
  assert.equal(parseFileOperands(["12a", "x"], dataFileMaxBytes), undefined);
  assert.equal(parseFileOperands(["0x10", "x"], dataFileMaxBytes), undefined);
  assert.equal(parseFileOperands(["1e3", "x"], dataFileMaxBytes), undefined);
  assert.equal(parseFileOperands(["99999999999", "x"], dataFileMaxBytes), undefined, "more than 10 digits");
  assert.equal(parseFileOperands([String(dataFileMaxBytes + 1), "x"], dataFileMaxBytes), undefined);
  assert.deepEqual(parseFileOperands([String(controlFileMaxBytes), "cfA"], controlFileMaxBytes), { count: controlFileMaxBytes, name: "cfA" });
  assert.equal(parseFileOperands([String(controlFileMaxBytes + 1), "cfA"], controlFileMaxBytes), undefined);
});

test("the subcommand codes are RFC 1179's", () => {
  assert.deepEqual({ ...LpdSubcommand }, { AbortJob: 1, ControlFile: 2, DataFile: 3 });
});

test("only the queue named text turns bare LF into CRLF", () => {
  assert.equal(queueConvertsLineEnds("text"), true);
  assert.equal(queueConvertsLineEnds("TEXT"), true);
  assert.equal(queueConvertsLineEnds("raw"), false);
  assert.equal(queueConvertsLineEnds("lp"), false);
  assert.equal(queueConvertsLineEnds(""), false);
});

const lprngControlFile = "Hlocalhost\nProot\nJreport.ps\nCA\nLroot\nA root@localhost+325\nQraw\nN/tmp/report.ps\nldfA325localhost\nUdfA325localhost\n";

test("the control file gives host, user, job name and the first file name, however it is cut into pieces", () => {
  const whole = bytesOf(lprngControlFile);
  for (const piece of [1, 2, 3, 7, 64, whole.length]) {
    const reader = new ControlFileReader();
    for (let at = 0; at < whole.length; at += piece) reader.feed(whole, at, Math.min(whole.length, at + piece));
    reader.end();
    assert.deepEqual({ ...reader.info }, { host: "localhost", user: "root", jobName: "report.ps", fileName: "/tmp/report.ps" }, `pieces of ${piece}`);
    assert.equal(reader.lines, 10);
  }
});

test("a last control line without LF counts once the file ends, and only the first N names the job's file", () => {
  const reader = new ControlFileReader();
  const bytes = bytesOf("Nfirst\nNsecond\nPbob");
  reader.feed(bytes, 0, bytes.length);
  assert.equal(reader.info.user, "", "not before the end");
  reader.end();
  assert.equal(reader.info.user, "bob");
  assert.equal(reader.info.fileName, "first");
  reader.reset();
  assert.deepEqual({ ...reader.info }, { host: "", user: "", jobName: "", fileName: "" });
  assert.equal(reader.lines, 0);
});

test("an over-long control line is cut to the buffer and the lines after it are still read", () => {
  const reader = new ControlFileReader();
  const long = "J" + "x".repeat(100000);
  const bytes = bytesOf(`${long}\nPcarol\n`);
  reader.feed(bytes, 0, bytes.length);
  reader.end();
  assert.equal(reader.info.jobName, "x".repeat(controlLineBytes - 1));
  assert.equal(reader.info.user, "carol");
  assert.equal(reader.lines, 2);
});

test("garbage in a control file (binary, empty lines, unknown codes) is skipped", () => {
  const reader = new ControlFileReader();
  const bytes = bytesOf("\n\n\x00\x01\x02\n\xff\xfe\nZzzz\nPdave\n");
  reader.feed(bytes, 0, bytes.length);
  reader.end();
  assert.deepEqual({ ...reader.info }, { host: "", user: "dave", jobName: "", fileName: "" });
});

const jobs = [
  { id: 3, name: "report.ps", owner: "alice", source: "lpd", bytesReceived: 1024, position: 0 },
  { id: 4, name: "raw from 10.0.0.9", owner: "10.0.0.9", source: "raw", bytesReceived: 0, position: 1 },
  { id: 5, name: "letter.txt", owner: "bob", source: "ftp", bytesReceived: 77, position: 2 },
];

test("the short listing has a header and one line per job, ranked, with owner, number, name and size", () => {
  assert.equal(formatQueue("ftprint: printer ready, 3 jobs", jobs, false, []),
    "ftprint: printer ready, 3 jobs\n" +
    "Rank   Owner      Job  Files                                 Total Size\n" +
    "active alice      3    report.ps                             1024 bytes\n" +
    "1st    10.0.0.9   4    raw from 10.0.0.9                     0 bytes\n" +
    "2nd    bob        5    letter.txt                            77 bytes\n");
});

test("the long listing has a paragraph per job with its source", () => {
  assert.equal(formatQueue("dongle: printer busy, 3 jobs", jobs.slice(0, 2), true, []),
    "dongle: printer busy, 3 jobs\n" +
    "\nalice: active                            [job 003 lpd]\n" +
    "        report.ps                        1024 bytes\n" +
    "\n10.0.0.9: 1st                            [job 004 raw]\n" +
    "        raw from 10.0.0.9                0 bytes\n");
});

test("listings name only the jobs or users asked for, and say so when there are none", () => {
  assert.equal(formatQueue("s", [], false, []), "s\nno entries\n");
  assert.equal(formatQueue("s", jobs, true, ["nobody"]), "s\nno entries\n");
  const listed = formatQueue("s", jobs, false, ["5", "alice"]);
  assert.match(listed, /^active alice +3 /m);
  assert.match(listed, /^2nd +bob +5 /m);
  assert.doesNotMatch(listed, /10\.0\.0\.9/);
  assert.equal(listNames(jobs[1], ["4"]), true);
  assert.equal(listNames(jobs[1], ["44"]), false);
  const long = "n".repeat(60);
  assert.match(formatQueue("s", [{ ...jobs[0], name: long }], false, []), new RegExp(`${"n".repeat(37)} 1024 bytes`), "long names are cut to their column");
});

test("ranks past the first read 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st", () => {
  const many = [0, 1, 2, 3, 4, 11, 12, 13, 21, 22].map((position) => ({ ...jobs[0], id: position + 1, position }));
  const ranks = formatQueue("s", many, false, []).split("\n").slice(2, -1).map((row) => row.slice(0, 7).trim());
  assert.deepEqual(ranks, ["active", "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
});

test("remove-jobs: root removes any job named, another agent only its own; no operands take the agent's first job", () => {
  assert.deepEqual(removalIds(jobs, "root", ["4"]), [4]);
  assert.deepEqual(removalIds(jobs, "root", ["4", "5"]), [4, 5]);
  assert.deepEqual(removalIds(jobs, "bob", ["3"]), [], "alice's job");
  assert.deepEqual(removalIds(jobs, "bob", ["5"]), [5]);
  assert.deepEqual(removalIds(jobs, "alice", ["alice"]), [3]);
  assert.deepEqual(removalIds(jobs, "alice", []), [3]);
  assert.deepEqual(removalIds(jobs, "root", []), [3], "root with no operands: the first job");
  assert.deepEqual(removalIds(jobs, "eve", []), []);
  assert.deepEqual(removalIds(jobs, "root", ["-"]), [3, 4, 5]);
  assert.deepEqual(removalIds(jobs, "bob", ["all"]), [5]);
  assert.deepEqual(removalIds(jobs, "root", ["99"]), []);
});
