// The control-connection line reader (modules/ftp/lineReader.ts), fed the bytes real clients send (lftp, tnftp, inetutils ftp, ftplib: see each case).
// Imports the compiled module from build/: run `npm run build` (or `npm test`) first.

import test from "node:test";
import assert from "node:assert/strict";
import { LineReader } from "../../build/modules/ftp/lineReader.js";
import { commandLineBytes } from "../../build/modules/ftp/limits.js";

/** Bytes of a string whose characters are all 0..255 (so "\xff" is the byte 0xFF). */
function bytesOf(text) {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * Feeds each chunk the way the session does (feed, take the line if one ended, feed the rest) and returns what
 * came out: a string per line, or { tooLong: true } for a line that was too long.
 */
function readLines(chunks, reader = new LineReader()) {
  const lines = [];
  for (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? bytesOf(chunk) : chunk;
    let at = 0;
    do {
      at = reader.feed(bytes, at, bytes.length);
      if (reader.lineReady) {
        const tooLong = reader.tooLong;
        const line = reader.takeLine();
        lines.push(tooLong ? { tooLong: true, line } : line);
      }
    } while (at < bytes.length);
  }
  return lines;
}

test("a line ended by CRLF comes out without its line end", () => {
  assert.deepEqual(readLines(["USER anonymous\r\n"]), ["USER anonymous"]);
});

test("a line ended by a bare CR comes out, and a CRLF after it is one line end, not two", () => {
  assert.deepEqual(readLines(["ABOR\r"]), ["ABOR"]);
  assert.deepEqual(readLines(["NOOP\rPWD\r\n"]), ["NOOP", "PWD"]);
});

test("a line ended by a bare LF comes out", () => {
  assert.deepEqual(readLines(["NOOP\nPWD\n"]), ["NOOP", "PWD"]);
});

test("feed stops right after the byte that ended a line and reports the line ready", () => {
  const reader = new LineReader();
  const bytes = bytesOf("NOOP\r\nPWD\r\n");
  assert.equal(reader.feed(bytes, 0, bytes.length), 5);
  assert.equal(reader.lineReady, true);
  assert.equal(reader.tooLong, false);
  assert.equal(reader.takeLine(), "NOOP");
  assert.equal(reader.lineReady, false);
  assert.equal(reader.feed(bytes, 5, bytes.length), 10);    // the LF of the first CRLF is skipped on the way
  assert.equal(reader.takeLine(), "PWD");
  assert.equal(reader.feed(bytes, 10, bytes.length), 11);
  assert.equal(reader.lineReady, false);
});

test("a partial line waits for more bytes and reports nothing yet", () => {
  const reader = new LineReader();
  const bytes = bytesOf("STOR rep");
  assert.equal(reader.feed(bytes, 0, bytes.length), 8);
  assert.equal(reader.lineReady, false);
  assert.deepEqual(readLines(["ort.txt\r\n"], reader), ["STOR report.txt"]);
});

test("two lines split at every byte position, line ends included, come out the same", () => {
  const text = "USER a\r\nPASS b\r\nNOOP\r\n";
  for (let split = 0; split <= text.length; split++) {
    assert.deepEqual(readLines([text.slice(0, split), text.slice(split)]), ["USER a", "PASS b", "NOOP"], `split at ${split}`);
  }
});

test("the same lines fed one byte per feed come out the same", () => {
  const text = "USER a\r\nPASS b\r\nNOOP\r\n";
  assert.deepEqual(readLines([...text]), ["USER a", "PASS b", "NOOP"]);
});

test("several pipelined lines in one feed come out one by one", () => {
  assert.deepEqual(readLines(["USER a\r\nPASS b\r\nTYPE I\r\nPASV\r\nSTOR x.txt\r\n"]),
    ["USER a", "PASS b", "TYPE I", "PASV", "STOR x.txt"]);
});

test("IAC IAC is one 0xFF byte in the line", () => {
  assert.deepEqual(readLines(["STOR a\xff\xffb\r\n"]), ["STOR a\xffb"]);
});

test("IAC IAC split between two feeds is still one 0xFF byte", () => {
  assert.deepEqual(readLines(["STOR a\xff", "\xffb\r\n"]), ["STOR a\xffb"]);
});

test("IAC WILL, WONT, DO and DONT are skipped together with their option byte", () => {
  assert.deepEqual(readLines(["\xff\xfb\x01NO\xff\xfcAOP\xff\xfd\x03\r\n"]), ["NOOP"]);
  assert.deepEqual(readLines(["N\xff\xfeAOOP\r\n"]), ["NOOP"]);
});

test("IAC DO with its option byte in the next feed is still skipped whole", () => {
  assert.deepEqual(readLines(["NO\xff", "\xfd", "AOP\r\n"]), ["NOOP"]);
});

test("BSD ABOR (IAC IP IAC DM ABOR) comes out as ABOR", () => {
  assert.deepEqual(readLines(["\xff\xf4\xff\xf2ABOR\r\n"]), ["ABOR"]);
});

test("BSD ABOR that lost its urgent second IAC (IAC IP DM ABOR) comes out as ABOR", () => {
  assert.deepEqual(readLines(["\xff\xf4\xf2ABOR\r\n"]), ["ABOR"]);
});

test("lftp ABOR that lost its urgent DM (IAC IP IAC ABOR) keeps the A and comes out as ABOR", () => {
  assert.deepEqual(readLines(["\xff\xf4\xffABOR\r\n"]), ["ABOR"]);
});

test("lftp ABOR sent in three segments comes out as ABOR", () => {
  assert.deepEqual(readLines(["\xff\xf4\xff", "\xf2", "ABOR\r\n"]), ["ABOR"]);
});

test("ftplib ABOR that lost its urgent LF (ABOR CR) comes out, and the next command is read intact", () => {
  assert.deepEqual(readLines(["ABOR\r", "PWD\r\n"]), ["ABOR", "PWD"]);
});

test("a 5,000-byte line reports tooLong with no text, and the next line is read intact", () => {
  const reader = new LineReader();
  const bytes = bytesOf("STOR " + "x".repeat(4995) + "\r\nNOOP\r\n");
  const lines = readLines([bytes], reader);
  assert.deepEqual(lines, [{ tooLong: true, line: "" }, "NOOP"]);
  assert.equal(reader.tooLong, false);
});

test("a 5,000-byte line spread over many feeds reports tooLong once, and the next line is read intact", () => {
  const text = "x".repeat(5000) + "\r\nNOOP\r\n";
  const chunks = [];
  for (let at = 0; at < text.length; at += 256) chunks.push(text.slice(at, at + 256));
  assert.deepEqual(readLines(chunks), [{ tooLong: true, line: "" }, "NOOP"]);
});

test("a line of exactly the buffer's size is kept whole and one byte more is too long", () => {
  assert.equal(commandLineBytes, 512);
  const longest = "STOR " + "y".repeat(commandLineBytes - 5);
  assert.deepEqual(readLines([longest + "\r\n"]), [longest]);
  assert.deepEqual(readLines([longest + "z\r\n", "NOOP\r\n"]), [{ tooLong: true, line: "" }, "NOOP"]);
});

test("a too-long line ended by a bare LF is followed by an intact line", () => {
  assert.deepEqual(readLines(["q".repeat(600) + "\nNOOP\n"]), [{ tooLong: true, line: "" }, "NOOP"]);
});

test("NUL bytes are ignored, including Telnet's CR NUL", () => {
  assert.deepEqual(readLines(["NO\0OP\r\0PWD\r\n"]), ["NOOP", "PWD"]);
});

test("blank lines are ignored", () => {
  assert.deepEqual(readLines(["\r\n\r\n\n\r\rNOOP\r\n\r\n"]), ["NOOP"]);
});

test("leading spaces and non-ASCII junk before the verb are trimmed, trailing spaces kept", () => {
  assert.deepEqual(readLines(["  \xf2\x80NOOP  \r\n"]), ["NOOP  "]);
});

test("bytes above 0x7F inside the line are kept as Latin-1 characters", () => {
  assert.deepEqual(readLines(["STOR caf\xc3\xa9.txt\r\n"]), ["STOR caf\xc3\xa9.txt"]);
});

test("clear() forgets a half-read line and a pending IAC, for a reused slot", () => {
  const reader = new LineReader();
  const bytes = bytesOf("STOR half\xff");
  reader.feed(bytes, 0, bytes.length);
  reader.clear();
  assert.deepEqual(readLines(["\xfbNOOP\r\n"], reader), ["NOOP"]);   // a remembered IAC would make 0xFB eat the N
});
