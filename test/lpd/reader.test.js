// The LPD connection's input, byte-exact, without a socket (modules/lpd/protocol.ts, LpdReader): what it asks to
// read in each state, what it reports, and that it never asks for a data file's bytes (the intake's) or past a line.
// Imports the compiled module from build/: run `npm run build` (or `npm test`) first.

import test from "node:test";
import assert from "node:assert/strict";
import { LpdInput, LpdRead, LpdReader, controlLineBytes } from "../../build/modules/lpd/protocol.js";
import { lpdControlReadBytes, lpdLineBytes } from "../../build/modules/lpd/limits.js";

const names = Object.fromEntries(Object.entries(LpdRead).map(([name, value]) => [value, name]));

function bytesOf(text) {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * What a socket with `text` buffered gives the reader, as the connection reads it: wanted() bytes at a time into
 * the head of reader.input. Stops where the reader wants nothing (a data file, no input expected) or at `stopAt`
 * (an event the test acts on). Returns the events other than More, how many bytes it read, and the reads' sizes.
 */
function serve(reader, text, stopAt = []) {
  const bytes = bytesOf(text);
  const events = [], reads = [];
  let at = 0;
  while (at < bytes.length) {
    const count = reader.wanted(bytes.length - at);
    if (count === 0) break;
    assert.ok(count <= bytes.length - at, "asks for more than the socket holds");
    reader.input.set(bytes.subarray(at, at + count));
    at += count;
    reads.push(count);
    const event = reader.received(count);
    if (event !== LpdRead.More) events.push(names[event]);
    if (stopAt.includes(event)) break;
  }
  return { events, read: at, reads };
}

test("a fresh reader expects nothing; open() makes it wait for a command line, read a byte at a time", () => {
  const reader = new LpdReader();
  assert.equal(reader.state, LpdInput.None);
  assert.equal(reader.wanted(100), 0);
  reader.open();
  assert.equal(reader.state, LpdInput.Command);
  const { events, read, reads } = serve(reader, "\x02PORT1\n", [LpdRead.Command]);
  assert.deepEqual(events, ["Command"]);
  assert.equal(read, 7);
  assert.ok(reads.every((count) => count === 1), "lines are read one byte at a time");
  assert.deepEqual(reader.takeLine(), { code: 2, words: ["PORT1"] });
});

test("takeLine() starts the next line: two subcommand lines come apart", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectSubcommands();
  assert.deepEqual(serve(reader, "\x01\n", [LpdRead.Subcommand]).events, ["Subcommand"]);
  assert.deepEqual(reader.takeLine(), { code: 1, words: [] });
  assert.deepEqual(serve(reader, "\x02 12  cfA001host\n", [LpdRead.Subcommand]).events, ["Subcommand"]);
  assert.deepEqual(reader.takeLine(), { code: 2, words: ["12", "cfA001host"] });
});

test("an empty line is reported, and takeLine() gives undefined for it", () => {
  const reader = new LpdReader();
  reader.open();
  assert.deepEqual(serve(reader, "\n", [LpdRead.Command]).events, ["Command"]);
  assert.equal(reader.takeLine(), undefined);
});

test("a line of lpdLineBytes is taken; one byte more is LineTooLong", () => {
  const reader = new LpdReader();
  reader.open();
  assert.deepEqual(serve(reader, "\x02" + "q".repeat(lpdLineBytes - 1) + "\n", [LpdRead.Command]).events, ["Command"]);
  assert.equal(reader.takeLine().words[0].length, lpdLineBytes - 1);
  const { events, read } = serve(reader, "\x02" + "q".repeat(lpdLineBytes), [LpdRead.LineTooLong]);
  assert.deepEqual(events, ["LineTooLong"]);
  assert.equal(read, lpdLineBytes + 1, "reported at the first byte past the buffer");
});

test("a control file is read to its count and no further, its info kept; then its zero byte ends it", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectSubcommands();
  const control = "Hbuild\nPalice\nJreport\nNreport.ps\nldfA001build\n";
  assert.equal(reader.expectControlFile(control.length), false);
  assert.equal(reader.state, LpdInput.ControlFile);
  // The control file, its zero byte and the next subcommand arrive in one segment.
  const first = serve(reader, control + "\0\x03 500 dfA001build\n", [LpdRead.ControlFileEnd]);
  assert.deepEqual(first.events, ["ControlFileEnd"]);
  assert.equal(first.read, control.length, "not one byte past the file");
  assert.deepEqual({ ...reader.control.info }, { host: "build", user: "alice", jobName: "report", fileName: "report.ps" });
  assert.equal(reader.state, LpdInput.FileEnd);
  const rest = serve(reader, "\0\x03 500 dfA001build\n", [LpdRead.FileEnd]);
  assert.deepEqual(rest.events, ["FileEnd"]);
  assert.equal(rest.read, 1);
  assert.equal(reader.state, LpdInput.Subcommand);
});

test("a control file longer than the input buffer comes in reads of at most lpdControlReadBytes", () => {
  const reader = new LpdReader();
  reader.open();
  const control = "P" + "u".repeat(300) + "\n";
  reader.expectControlFile(control.length);
  const { events, reads } = serve(reader, control, [LpdRead.ControlFileEnd]);
  assert.deepEqual(events, ["ControlFileEnd"]);
  assert.deepEqual(reads, [lpdControlReadBytes, lpdControlReadBytes, control.length - 2 * lpdControlReadBytes]);
  assert.equal(reader.control.info.user, "u".repeat(controlLineBytes - 1), "a line longer than the control buffer is cut");
});

test("a control file of 0 bytes is complete at once: its zero byte is next", () => {
  const reader = new LpdReader();
  reader.open();
  assert.equal(reader.expectControlFile(0), true);
  assert.equal(reader.state, LpdInput.FileEnd);
  assert.equal(reader.wanted(5), 1);
});

test("a file followed by anything but its zero byte is NoZeroByte", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectControlFile(2);
  assert.deepEqual(serve(reader, "N\nX", [LpdRead.NoZeroByte]).events, ["ControlFileEnd", "NoZeroByte"]);
});

test("a data file is not the reader's: it asks for none of its bytes until the intake has them all", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectSubcommands();
  reader.expectDataFile();
  assert.equal(reader.state, LpdInput.DataFile);
  assert.equal(reader.wanted(4096), 0);
  assert.deepEqual(serve(reader, "%!PS\n").events, []);
  reader.dataFileEnded();
  assert.equal(reader.state, LpdInput.FileEnd);
  assert.deepEqual(serve(reader, "\0", [LpdRead.FileEnd]).events, ["FileEnd"]);
});

test("a removed job's file is read and dropped to its count, then its zero byte is acknowledged", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectDataFile();
  reader.discard(300);
  assert.equal(reader.state, LpdInput.Discarding);
  const { events, read, reads } = serve(reader, "x".repeat(300) + "\0", [LpdRead.FileEnd]);
  assert.deepEqual(events, ["FileEnd"]);
  assert.equal(read, 301);
  assert.deepEqual(reads, [lpdControlReadBytes, lpdControlReadBytes, 300 - 2 * lpdControlReadBytes, 1]);
  assert.equal(reader.control.info.user, "", "dropped bytes are not read as a control file");
  reader.discard(0);
  assert.equal(reader.state, LpdInput.FileEnd, "nothing left to drop: the zero byte is next");
});

test("wanted() never asks past what the socket holds, nor past the file", () => {
  const reader = new LpdReader();
  reader.open();
  assert.equal(reader.wanted(0), 0);
  reader.expectControlFile(10);
  assert.equal(reader.wanted(3), 3);
  assert.equal(reader.wanted(500), 10);
});

test("stop() ends input (an answer going out); open() starts over with a clean control file", () => {
  const reader = new LpdReader();
  reader.open();
  reader.expectControlFile(6);
  serve(reader, "Pbob\n\n");
  assert.equal(reader.control.info.user, "bob");
  reader.stop();
  assert.equal(reader.wanted(10), 0);
  reader.open();
  assert.equal(reader.state, LpdInput.Command);
  assert.equal(reader.control.info.user, "");
  serve(reader, "\x03", []);
  assert.deepEqual(serve(reader, "PORT1\n", [LpdRead.Command]).events, ["Command"]);
  assert.deepEqual(reader.takeLine(), { code: 3, words: ["PORT1"] }, "a line split across segments is one line");
});
