// The IPP codec (modules/ipp/decoder.ts, request.ts, encoder.ts) against RFC 8010 §3, checked with the tests' own
// message builder and parser (test/ipp/wire.js): incremental decoding at every split, the limits, the request
// record, and the encoder's two passes.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("web/utf8")
const { IppDecoder, utf8Text } = await import("../../build/modules/ipp/decoder.js");
const { RequestBuilder } = await import("../../build/modules/ipp/request.js");
const { IppWriter } = await import("../../build/modules/ipp/encoder.js");
const { utf8Length: utf8Size } = await import("../../build/modules/web/utf8.js");
const { ippListValues, ippNameBytes, ippValueBytes } = await import("../../build/modules/ipp/limits.js");
import { Op, T, concat, latin1, parse, preamble, request } from "./wire.js";

const Status = { ok: 0, badRequest: 0x400, tooLong: 0x409 };

/** Decodes `bytes` fed in the given pieces; returns { builder, decoder, used } (used: bytes taken in all). */
function decode(bytes, pieces = [bytes.length]) {
  const builder = new RequestBuilder();
  const decoder = new IppDecoder(builder);
  builder.decoder = decoder;
  let at = 0, used = 0;
  for (const size of pieces) {
    const taken = decoder.push(bytes, at, Math.min(size, bytes.length - at));
    used += taken;
    at += size;
    if (decoder.done || decoder.failed || at >= bytes.length) break;
  }
  return { builder, decoder, used, request: builder.request };
}

const getPrinterAttributes = (extra = []) => request({
  operation: Op.getPrinterAttributes, requestId: 77,
  groups: [[T.operation, [...preamble(), [T.name, "requesting-user-name", "zoë"], [T.keyword, "requested-attributes", ["printer-state", "media-col-database"]], ...extra]]],
});

describe("IPP decoder", () => {
  it("decodes a request the same whether it comes whole, a byte at a time, or split at any offset", () => {
    const bytes = getPrinterAttributes();
    const whole = decode(bytes).request;
    assert.equal(whole.operation, Op.getPrinterAttributes);
    assert.equal(whole.requestId, 77);
    assert.equal(whole.printerUri, "ipp://localhost/ipp/print");
    assert.equal(whole.userName, "zoë");
    assert.deepEqual(whole.requested, ["printer-state", "media-col-database"]);
    const summary = (r) => JSON.stringify([r.major, r.minor, r.operation, r.requestId, r.charset, r.language, r.printerUri, r.userName, r.requested, r.orderOk]);
    assert.equal(summary(decode(bytes, new Array(bytes.length).fill(1)).request), summary(whole));
    for (let split = 1; split < bytes.length; split++)
      assert.equal(summary(decode(bytes, [split, bytes.length]).request), summary(whole), `split at ${split}`);
  });

  it("stops after end-of-attributes-tag: what follows is the document, left for the caller", () => {
    const head = getPrinterAttributes();
    const document = latin1("%!PS\n");
    const { decoder, used } = decode(concat(head, document));
    assert.ok(decoder.done);
    assert.equal(used, head.length);
    const split = decode(concat(head, document), [10, head.length - 10 + 2, 100]);
    assert.ok(split.decoder.done);
    assert.equal(split.used, head.length, "a piece holding the end tag and document bytes is used only up to the tag");
  });

  it("refuses names and values longer than kept or allowed: bad request, or request-value-too-long", () => {
    const longName = "x".repeat(ippNameBytes + 1);
    const cases = [
      [[T.keyword, longName, "a"], Status.badRequest, /name of 256 bytes/],
      [[T.keyword, "sides", "k".repeat(256)], Status.tooLong, /over 255/],
      [[T.text, "job-message-to-operator", "t".repeat(1024)], Status.tooLong, /over 1023/],
      [[T.uri, "job-uri", `ipp://host/${"p".repeat(ippValueBytes)}`], Status.tooLong, /job-uri: value too long/],
      [[T.integer, "job-id", Uint8Array.of(0, 0, 1)], Status.badRequest, /3 bytes for tag 0x21/],
      [[T.boolean, "my-jobs", Uint8Array.of(1, 1)], Status.badRequest, /2 bytes for tag 0x22/],
    ];
    for (const [attribute, status, reason] of cases) {
      const { decoder } = decode(request({ operation: Op.getJobs, groups: [[T.operation, [...preamble(), attribute]]] }));
      assert.ok(decoder.failed, attribute[1]);
      assert.equal(decoder.status, status, attribute[1]);
      assert.match(decoder.reason, reason);
    }
    // A long value of an attribute we ignore is skipped, not refused, while its syntax allows it.
    const ignored = decode(request({ operation: Op.getJobs, groups: [[T.operation, [...preamble(), [T.text, "job-message-to-operator", "t".repeat(1023)]]]] }));
    assert.ok(ignored.decoder.done);
  });

  it("refuses malformed structure with client-error-bad-request", () => {
    const header = [2, 0, 0, 0x0b, 0, 0, 0, 1];
    const cases = {
      "an attribute before any group": [...header, T.keyword, 0, 1, 0x61, 0, 1, 0x62, T.end],
      "a value with no attribute name": [...header, T.operation, T.keyword, 0, 0, 0, 1, 0x62, T.end],
      "a negative length": [...header, T.operation, T.keyword, 0x80, 0x01],
      "endCollection outside a collection": [...header, T.operation, T.keyword, 0, 1, 0x61, 0, 0, T.endCollection, 0, 0, 0, 0],
      "memberAttrName outside a collection": [...header, T.operation, T.keyword, 0, 1, 0x61, 0, 0, T.memberAttrName, 0, 0, 0, 1, 0x62],
      "end-of-attributes inside a collection": [...header, T.job, T.begCollection, 0, 1, 0x61, 0, 0, T.end],
      "a group tag inside a collection": [...header, T.job, T.begCollection, 0, 1, 0x61, 0, 0, T.printer],
      "an attribute name that is no keyword": [...header, T.operation, T.keyword, 0, 2, 0x61, 0xff, 0, 1, 0x62, T.end],
    };
    for (const [reason, bytes] of Object.entries(cases)) {
      const { decoder } = decode(Uint8Array.from(bytes));
      assert.ok(decoder.failed, reason);
      assert.equal(decoder.status, Status.badRequest);
      assert.equal(decoder.reason, reason);
    }
    let nested = [...header, T.job, T.begCollection, 0, 1, 0x61, 0, 0];
    for (let i = 0; i < 4; i++) nested = [...nested, T.memberAttrName, 0, 0, 0, 1, 0x6d, T.begCollection, 0, 0, 0, 0];
    const deep = decode(Uint8Array.from(nested)).decoder;
    assert.equal(deep.reason, "collections nested too deep");
  });

  it("a request cut short anywhere is truncated: no header yet, or a bad request with the header known", () => {
    const bytes = getPrinterAttributes();
    for (let cut = 0; cut < bytes.length; cut++) {
      const { decoder } = decode(bytes.subarray(0, cut));
      assert.ok(!decoder.done, `done at ${cut}`);
      decoder.truncated();
      assert.ok(decoder.failed);
      assert.equal(decoder.status, Status.badRequest);
      assert.equal(decoder.headerSeen, cut >= 8, `header at ${cut}`);
    }
  });

  it("decodes UTF-8, each malformed sequence as U+FFFD", () => {
    const bytes = Uint8Array.from([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xc3, 0x41, 0xed, 0xa0, 0x80]);
    assert.equal(utf8Text(bytes, bytes.length), "aé€😀\ufffd\ufffdA\ufffd");
  });
});

describe("IPP request record", () => {
  it("notes when attributes-charset and attributes-natural-language are not the first two, in that order", () => {
    const order = (attributes) => decode(request({ operation: Op.getPrinterAttributes, groups: [[T.operation, attributes]] })).request.orderOk;
    const [charset, language, uri] = preamble();
    assert.equal(order([charset, language, uri]), true);
    assert.equal(order([language, charset, uri]), false);
    assert.equal(order([charset, uri]), false);
    assert.equal(order([uri, charset, language]), false);
    const none = decode(request({ operation: Op.getPrinterAttributes, groups: [[T.operation, []]] })).request;
    assert.equal(none.charset, undefined);
  });

  it("keeps lists (requested-attributes, job-ids) up to their limit, and refuses an operation attribute of the wrong syntax", () => {
    const ids = Array.from({ length: ippListValues + 5 }, (_, i) => i + 1);
    const { request: r } = decode(request({ operation: Op.getJobs, groups: [[T.operation, [...preamble(), [T.integer, "job-ids", ids]]]] }));
    assert.equal(r.jobIds.length, ippListValues);
    const wrong = decode(request({ operation: Op.getJobs, groups: [[T.operation, [...preamble(), [T.keyword, "job-id", "7"]]]] }));
    assert.ok(wrong.decoder.failed);
    assert.equal(wrong.decoder.status, Status.badRequest);
    assert.match(wrong.decoder.reason, /^job-id: wrong syntax/);
    const twice = decode(request({ operation: Op.getJobs, groups: [[T.operation, [...preamble(), [T.integer, "limit", [1, 2]]]]] }));
    assert.ok(twice.decoder.failed, "a single-valued attribute with two values");
  });

  it("reads the job template attributes and media-col, and notes unknown or ill-typed ones as unsupported", () => {
    const { request: r, decoder } = decode(request({
      operation: Op.printJob,
      groups: [
        [T.operation, [...preamble(), [T.nameWithLanguage, "job-name", Uint8Array.from([0, 2, 0x65, 0x6e, 0, 3, 0x61, 0x62, 0x63])]]],
        [T.job, [
          [T.integer, "copies", 2],
          [T.keyword, "sides", "one-sided"],
          [T.begCollection, "media-col", [[
            [T.begCollection, "media-size", [[[T.integer, "x-dimension", 21000], [T.integer, "y-dimension", 29700]]]],
            [T.keyword, "media-type", "stationery"],
            [T.keyword, "media-source", "auto"],
            [T.integer, "media-top-margin", 0],
          ]]],
          [T.enum, "finishings", [3, 4]],
          [T.resolution, "printer-resolution", [600, 600, 3]],
          [T.keyword, "print-scaling", "fit"],
          [T.integer, "print-quality", 4],
        ]],
      ],
      data: latin1("data"),
    }));
    assert.ok(decoder.done);
    assert.equal(r.jobName, "abc");
    assert.equal(r.copies, 2);
    assert.equal(r.sides, "one-sided");
    assert.deepEqual({ ...r.mediaCol }, { xDimension: 21000, yDimension: 29700, source: "auto", type: "stationery", other: false });
    assert.deepEqual(r.finishings, [3, 4]);
    assert.deepEqual(r.resolution, { x: 600, y: 600, units: 3 });
    assert.deepEqual(r.unsupported.map((a) => [a.name, a.tag, a.value]), [["print-scaling", T.unsupportedValue, undefined], ["print-quality", T.integer, undefined]]);
  });
});

describe("IPP encoder", () => {
  it("counts exactly what it writes, and the tests' parser reads every value back", () => {
    const write = (w) => {
      w.header(2, 0, 0x0001, 0xfffffffe);
      w.group(T.operation);
      w.string(T.charset, "attributes-charset", "utf-8");
      w.text("status-message", "Grüße, 東京 😀");
      w.group(T.printer);
      w.integer("int", -5);
      w.enums("enums", [3, 4, 5]);
      w.boolean("bool", true);
      w.keywords("keywords", ["a", "b"]);
      w.resolution("res", 600, 300, 3);
      w.range("range", 1, 99);
      w.dateTime("date", Date.UTC(2026, 11, 24, 18, 30, 15, 900));
      w.outOfBand(T.noValue, "nothing");
      w.beginCollection("col");
      w.member("media-size");
      w.beginCollection("");
      w.member("x-dimension"); w.integer("", 21000);
      w.endCollection();
      w.member("media-type"); w.keyword("", "stationery");
      w.endCollection();
      w.group(T.end);
    };
    const counter = new IppWriter();
    write(counter);
    const bytes = new Uint8Array(counter.length + 3);
    const writer = new IppWriter(bytes, 3);
    write(writer);
    assert.equal(writer.length, counter.length);
    const message = parse(bytes.subarray(3));
    assert.equal(message.status, 1);
    assert.equal(message.requestId, 0xfffffffe);
    const printer = message.groups[1].attributes;
    assert.equal(message.groups[0].attributes["status-message"].values[0], "Grüße, 東京 😀");
    assert.deepEqual(printer.int.values, [-5]);
    assert.deepEqual(printer.enums.values, [3, 4, 5]);
    assert.deepEqual(printer.bool.values, [true]);
    assert.deepEqual(printer.keywords.values, ["a", "b"]);
    assert.deepEqual(printer.res.values, [[600, 300, 3]]);
    assert.deepEqual(printer.range.values, [[1, 99]]);
    assert.deepEqual(printer.date.values, [{ year: 2026, month: 12, day: 24, hour: 18, minute: 30, second: 15 }]);
    assert.equal(message.data.length, 0, "nothing after end-of-attributes");
    assert.deepEqual(printer.nothing.values, [{ outOfBand: T.noValue }]);
    assert.deepEqual(printer.col.values, [{ "media-size": { "x-dimension": 21000 }, "media-type": "stationery" }]);
  });

  it("cuts a string at its syntax's limit on a character boundary", () => {
    assert.equal(utf8Size("aé€😀"), 10);
    assert.equal(utf8Size("aé€😀", 9), 6, "the 4-byte character does not fit in 9 bytes after 6");
    const name = "é".repeat(200);    // 400 bytes; a name holds 255
    const counter = new IppWriter();
    counter.nameValue("job-name", name);
    const bytes = new Uint8Array(counter.length);
    new IppWriter(bytes).nameValue("job-name", name);
    const valueLength = (bytes[3 + 8] << 8) | bytes[3 + 9];
    assert.equal(valueLength, 254);
    assert.equal(bytes.length, 1 + 2 + 8 + 2 + 254);
  });
});
