// HTTP/1.1 body framing (modules/ipp/framing.ts, RFC 9112 §6-7): content-length and chunked bodies, the framing
// bytes taken one at a time as exchange.ts reads them, and what it refuses.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BodyFraming } from "../../build/modules/ipp/framing.js";
import { latin1, latin1Text } from "./wire.js";

/** Runs `wire` through the framing as exchange.ts does: framing bytes one by one, body runs as far as they go. */
function unframe(wire, { chunked = true, length = 0, bodyPiece = Infinity } = {}) {
  const framing = new BodyFraming();
  if (chunked) framing.startChunked(); else framing.startLength(length);
  let at = 0, body = "";
  while (at < wire.length && !framing.ended && !framing.failed) {
    if (framing.needsFramingBytes) { framing.byte(wire[at++]); continue; }
    const take = Math.min(framing.runLeft, wire.length - at, bodyPiece);
    body += latin1Text(wire.subarray(at, at + take));
    framing.took(take);
    at += take;
  }
  return { framing, body, rest: latin1Text(wire.subarray(at)) };
}

describe("IPP body framing", () => {
  it("a content-length body is one run, ended when it is all read", () => {
    const { framing, body, rest } = unframe(latin1("hello, then the next request"), { chunked: false, length: 5 });
    assert.ok(framing.ended);
    assert.equal(body, "hello");
    assert.equal(rest, ", then the next request");
    const empty = new BodyFraming();
    empty.startLength(0);
    assert.ok(empty.ended, "no body at all");
  });

  it("a chunked body comes out whole, read in any piece size, with extensions and trailer fields skipped", () => {
    const wire = latin1("5\r\nhello\r\n17;name=value\r\n, chunked bodies, CUPS!\r\n0\r\nx-checksum: 1\r\n\r\nNEXT");
    for (const piece of [1, 2, 7, Infinity]) {
      const { framing, body, rest } = unframe(wire, { bodyPiece: piece });
      assert.ok(framing.ended && !framing.failed, `piece ${piece}`);
      assert.equal(body, "hello, chunked bodies, CUPS!");
      assert.equal(framing.bodyBytes, body.length);
      assert.equal(rest, "NEXT", "nothing past the framing is taken");
    }
    assert.equal(unframe(latin1("3\nabc\n0\n\n")).body, "abc", "bare LF line ends are tolerated");
    assert.equal(unframe(latin1("00000003\r\nabc\r\n0\r\n\r\n")).body, "abc", "leading zeros");
  });

  it("refuses what is not chunked framing: no digits, too many, a missing CRLF after a chunk, an endless extension", () => {
    for (const text of ["\r\n", "x\r\n", "123456789\r\n", "3\r\nabcd\r\n", "3\r\nabc\rX", "3\r", "3;" + "e".repeat(200)]) {
      const { framing } = unframe(latin1(text + "\r\n0\r\n\r\n"));
      assert.ok(framing.failed, JSON.stringify(text));
      assert.ok(!framing.ended);
    }
  });
});
