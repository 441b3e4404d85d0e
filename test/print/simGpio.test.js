// The simulated embedded:io/digital and embedded:io/digitalbank keep the SDK's API and errors
// ($(MODDABLE)/modules/io/digital/digital.js and esp32/digitalbank.c).
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeLoop, makeBoard } from "./helpers.js";

test("DigitalBank validates like esp32/digitalbank.c: pins, mode, edges, input-only pins, pins in use", () => {
  const { DigitalBank } = makeBoard(new FakeLoop());
  assert.throws(() => new DigitalBank({ pins: 0, mode: DigitalBank.Output }), { message: "invalid" });
  assert.throws(() => new DigitalBank({ pins: 1 << 4, mode: 16 }), { name: "RangeError", message: "invalid mode" });
  assert.throws(() => new DigitalBank({ pins: 1 << 4, mode: DigitalBank.Input, onReadable() {} }),
    { name: "RangeError", message: "invalid edges" });
  assert.throws(() => new DigitalBank({ pins: 1 << 4, mode: DigitalBank.Output, rises: 1 << 4, onReadable() {} }),
    { name: "RangeError", message: "invalid mode" });
  assert.throws(() => new DigitalBank({ pins: 1 << 2, bank: 1, mode: DigitalBank.Output }), { name: "RangeError", message: "input only" });
  assert.throws(() => new DigitalBank({ pins: 1 << 20, mode: DigitalBank.Input }), { message: "invalid pin" });
  const a = new DigitalBank({ pins: 0b110000, mode: DigitalBank.Output });
  assert.throws(() => new DigitalBank({ pins: 0b100000, mode: DigitalBank.Input }), { message: "in use" });
  a.close();
  new DigitalBank({ pins: 0b100000, mode: DigitalBank.Input }).close();
  assert.deepEqual([DigitalBank.Input, DigitalBank.InputPullUp, DigitalBank.InputPullDown, DigitalBank.InputPullUpDown,
    DigitalBank.Output, DigitalBank.OutputOpenDrain], [0, 1, 2, 3, 8, 9]);
});

test("read and write rules: outputs can't be read, inputs can't be written, bits outside the mask are 0, activeLow inverts", () => {
  const { DigitalBank, board } = makeBoard(new FakeLoop());
  const out = new DigitalBank({ pins: (1 << 13) | (1 << 14), mode: DigitalBank.Output, activeLow: true, initialValue: 1 << 13 });
  assert.equal(board.outputLevel(13), 0, "initialValue applies through activeLow");
  assert.equal(board.outputLevel(14), 1);
  assert.throws(() => out.read(), { message: "can't read output" });
  out.write(0xffffffff);
  assert.equal(board.outputLevel(13), 0);
  assert.equal(board.outputLevel(14), 0);
  const inp = new DigitalBank({ pins: 1 << 4, mode: DigitalBank.InputPullUp });
  assert.throws(() => inp.write(1), { message: "can't write input" });
  assert.equal(inp.read(), 1 << 4);
  inp.close();
  assert.throws(() => inp.read(), SyntaxError);
  inp.close();
});

test("Digital is a one-pin bank: 0/1 reads, any non-zero writes 1, bank from pin >> 5, edges delivered as a mask", () => {
  const loop = new FakeLoop();
  const { Digital, board } = makeBoard(loop);
  let level = 0;
  board.drive(36, () => level);
  const seen = [];
  const input = new Digital({ pin: 36, mode: Digital.Input, edge: Digital.Rising | Digital.Falling,
    onReadable(triggers) { seen.push([triggers, this.read()]); } });
  const out = new Digital({ pin: 33, mode: Digital.Output });
  out.write(5);
  assert.equal(board.outputLevel(33), 1);
  level = 1;
  board.poke();
  loop.advance(1);
  level = 0;
  board.poke();
  loop.advance(1);
  assert.deepEqual(seen, [[1 << 4, 1], [1 << 4, 0]]);
  assert.equal(Digital.Rising, 1);
  assert.equal(Digital.Falling, 2);
  input.close();
  out.close();
});

test("each GPIO call costs simulated time, and waiting on the loop adds the loop's time", () => {
  const loop = new FakeLoop();
  const { Digital, clock } = makeBoard(loop, { callCostNs: 2500 });
  const out = new Digital({ pin: 23, mode: Digital.Output });
  const t0 = clock.nowNs();
  for (let i = 0; i < 4; i++) out.write(i & 1);
  assert.equal(clock.nowNs() - t0, 10_000);
  loop.advance(3);
  assert.equal(clock.nowNs() - t0, 3_010_000);
  out.close();
});

test("with callCostIsFloor (the live simulator) the call cost is a floor under the outside clock, not added to it", () => {
  const loop = new FakeLoop();
  const { Digital, clock } = makeBoard(loop, { callCostNs: 2500 });
  clock.callCostIsFloor = true;
  const out = new Digital({ pin: 23, mode: Digital.Output });
  const t0 = clock.nowNs();
  for (let i = 0; i < 4; i++) out.write(i & 1);
  assert.equal(clock.nowNs() - t0, 10_000, "back-to-back calls are still callCostNs apart");
  loop.advance(3);
  assert.equal(clock.nowNs(), 3_000_000, "the outside clock's time, the calls' cost not added on top");
  out.write(1);
  assert.equal(clock.nowNs(), 3_002_500);
  out.close();
});
