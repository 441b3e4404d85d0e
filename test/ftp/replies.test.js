// The one reply writer (modules/ftp/replies.ts): every byte of single and multi-line replies, and what it refuses.

import test from "node:test";
import assert from "node:assert/strict";
import { Reply, replyLineBytes, writeReply, writeReplyContinuation, writeAscii, writeText } from "../../build/modules/ftp/replies.js";

const latin1 = new TextDecoder("latin1");

/** What a buffer holds up to `end`, as a string of bytes. */
function text(bytes, end) {
  return latin1.decode(bytes.subarray(0, end));
}

test("a single-line reply is the code, a space, the text and CRLF, and the new offset is its length", () => {
  const into = new Uint8Array(64);
  const end = writeReply(into, 0, Reply.TransferComplete, "Transfer complete.");
  assert.equal(text(into, end), "226 Transfer complete.\r\n");
  assert.equal(end, 24);
  assert.equal(replyLineBytes("Transfer complete."), 24);
});

test("every digit of the code is written, zeros included", () => {
  const into = new Uint8Array(16);
  assert.equal(text(into, writeReply(into, 0, 150, "")), "150 \r\n");
  assert.equal(text(into, writeReply(into, 0, 501, "x")), "501 x\r\n");
  assert.equal(text(into, writeReply(into, 0, Reply.RestartMarker, "y")), "110 y\r\n");
});

test("a reply written after another lands right behind it", () => {
  const into = new Uint8Array(64);
  let at = writeReply(into, 0, Reply.NeedPassword, "Password, please.");
  at = writeReply(into, at, Reply.LoggedIn, "Logged in.");
  assert.equal(text(into, at), "331 Password, please.\r\n230 Logged in.\r\n");
});

test("a multi-line reply is NNN-first, indented middle lines, then NNN last (RFC 959 §4.2, RFC 2389)", () => {
  const into = new Uint8Array(128);
  let at = writeReply(into, 0, Reply.SystemStatus, "Features:", true);
  at = writeReplyContinuation(into, at, "EPSV");
  at = writeReplyContinuation(into, at, "UTF8");
  at = writeReply(into, at, Reply.SystemStatus, "End");
  assert.equal(text(into, at), "211-Features:\r\n EPSV\r\n UTF8\r\n211 End\r\n");
  assert.equal(at, 15 + 7 + 7 + 9);
});

test("a continuation line that starts with digits is indented, so it cannot end the reply", () => {
  const into = new Uint8Array(32);
  assert.equal(text(into, writeReplyContinuation(into, 0, "226 done")), " 226 done\r\n");
});

test("CR and LF in the text become spaces, so a file name cannot forge a reply line", () => {
  const into = new Uint8Array(64);
  const end = writeReply(into, 0, Reply.FileUnavailable, "x\r\n230 Logged in.\n");
  assert.equal(text(into, end), "550 x  230 Logged in. \r\n");
  assert.equal(end, replyLineBytes("x\r\n230 Logged in.\n"));
});

test("CR and LF in a continuation line become spaces too", () => {
  const into = new Uint8Array(64);
  assert.equal(text(into, writeReplyContinuation(into, 0, "a\r\n211 End")), " a  211 End\r\n");
});

test("characters outside printable ASCII become one ? per UTF-16 unit", () => {
  const into = new Uint8Array(64);
  const end = writeReply(into, 0, Reply.Okay, "caf\u00e9 \t\u007f\u00ff\u{1F5A8}!");
  assert.equal(text(into, end), "200 caf? ?????!\r\n");
});

test("0xFF never reaches the wire, so no Telnet IAC needs doubling", () => {
  const into = new Uint8Array(16);
  const end = writeReply(into, 0, Reply.Okay, "\u00ff\u00ff");
  assert.deepEqual([...into.subarray(4, end - 2)], [0x3f, 0x3f]);
});

test("a reply that fits exactly is written, one byte less throws and writes nothing", () => {
  const exact = new Uint8Array(replyLineBytes("Okay."));
  assert.equal(writeReply(exact, 0, Reply.Okay, "Okay."), 11);
  assert.equal(text(exact, 11), "200 Okay.\r\n");
  const short = new Uint8Array(10);
  assert.throws(() => writeReply(short, 0, Reply.Okay, "Okay."), { message: "reply overflow" });
  assert.deepEqual([...short], new Array(10).fill(0));
});

test("a reply that does not fit behind what is already queued throws", () => {
  const into = new Uint8Array(20);
  const at = writeReply(into, 0, Reply.Okay, "first");   // 11 bytes
  assert.equal(at, 11);
  assert.throws(() => writeReply(into, at, Reply.Okay, "second"), { message: "reply overflow" });
  assert.equal(writeReply(into, at, Reply.Okay, "ok"), 19);
});

test("a continuation line that fits exactly is written, one byte less throws", () => {
  assert.equal(writeReplyContinuation(new Uint8Array(7), 0, "EPSV"), 7);
  assert.throws(() => writeReplyContinuation(new Uint8Array(6), 0, "EPSV"), { message: "reply overflow" });
});

test("writeText writes the bytes in place and returns the offset after them", () => {
  const into = new Uint8Array(8).fill(0x2a);
  assert.equal(writeText(into, 2, "ab\n"), 5);
  assert.equal(text(into, 8), "**ab ***");
});

test("writeAscii keeps ASCII as it is, line ends and control characters included, and turns the rest into ?", () => {
  const into = new Uint8Array(16).fill(0x2a);
  const end = writeAscii(into, 1, "PORT1\r\n\t\x7f\u00e9\u{1F5A8}");
  assert.equal(end, 13);
  assert.deepEqual([...into], [0x2a, 0x50, 0x4f, 0x52, 0x54, 0x31, 13, 10, 9, 0x7f, 0x3f, 0x3f, 0x3f, 0x2a, 0x2a, 0x2a]);
});

test("codes are named by intent, and two names may share one number", () => {
  assert.equal(Reply.TransferComplete, 226);
  assert.equal(Reply.AbortOkay, 226);
  assert.equal(Reply.ConnectionBroken, 426);
  assert.equal(Reply.LocalFailure, 451);
  assert.equal(Reply.NotLoggedIn, 530);
  assert.equal(Reply.EnteringExtendedPassive, 229);
  assert.equal(Object.isFrozen(Reply), true);
});
