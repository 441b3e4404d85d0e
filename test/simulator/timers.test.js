// The SDK Timer API, pinned once for the event loop's virtual clock and for the Node simulator's scaled real time.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createEventLoop } from "../../simulator/io/event-loop.js";
import Timer, { setTimeScale } from "../../simulator/timer.js";
import Time from "../../simulator/time.js";

const INVALID_HOST_DATA = { name: "SyntaxError", message: "C: xsGetHostData: invalid host data" };

const clocks = [
  ["event loop (virtual time)", () => {
    const loop = createEventLoop();
    return { Timer: loop.Timer, loop, wait: async (ms) => loop.advance(ms) };
  }],
  ["Node timer module (time scale 2)", () => {
    setTimeScale(2);
    return { Timer, wait: (ms) => new Promise((r) => setTimeout(r, ms / 2 + 10)) };
  }],
];

for (const [name, make] of clocks) {
  describe(name, () => {
    it("a one-shot fires once with this === globalThis and its id, then its id is dead", async () => {
      const { Timer, wait } = make();
      const calls = [];
      const id = Timer.set(function (arg) { calls.push([this === globalThis, arg === id]); }, 100);
      await wait(50);
      assert.deepEqual(calls, []);
      await wait(100);
      assert.deepEqual(calls, [[true, true]]);
      assert.throws(() => Timer.schedule(id, 10), INVALID_HOST_DATA);
      assert.doesNotThrow(() => Timer.clear(id));
      assert.doesNotThrow(() => Timer.clear(undefined));
    });

    it("repeat, pause with schedule(id), re-arm, clear", async () => {
      const { Timer, wait } = make();
      let count = 0;
      const id = Timer.repeat(() => count++, 100);
      await wait(350);
      assert.equal(count, 3);
      Timer.schedule(id);
      await wait(300);
      assert.equal(count, 3);
      Timer.schedule(id, 50, 100);
      await wait(200);
      assert.equal(count, 5);
      Timer.clear(id);
      await wait(300);
      assert.equal(count, 5);
    });
  });
}

describe("event loop", () => {
  it("repeats don't drift, defer is FIFO, runUntilIdle leaves future timers, pendingTimers counts", () => {
    const loop = createEventLoop();
    const seen = [];
    const id = loop.Timer.repeat(() => seen.push(loop.now()), 30);
    loop.defer(() => seen.push("a"));
    loop.defer(() => seen.push("b"));
    assert.equal(loop.runUntilIdle(), 2);
    assert.equal(loop.pendingTimers(), 1);
    loop.Timer.delay(50);    // blocks: time passes, nothing runs
    assert.deepEqual(seen, ["a", "b"]);
    loop.advance(45);
    assert.deepEqual(seen, ["a", "b", 50, 60, 90]);
    loop.Timer.clear(id);
    assert.equal(loop.pendingTimers(), 0);
  });

  it("an escaping exception goes to onUncaught, or out of advance() by default", () => {
    const loop = createEventLoop();
    loop.Timer.set(() => { throw new Error("boom"); }, 5);
    assert.throws(() => loop.advance(10), { message: "boom" });
    const caught = [];
    loop.onUncaught = (e) => caught.push(e.message);
    loop.defer(() => { throw new Error("later"); });
    loop.runUntilIdle();
    assert.deepEqual(caught, ["later"]);
  });
});

describe("Node time module", () => {
  it("ticks are epoch milliseconds running at the time scale", async () => {
    assert.ok(Time.ticks >= Date.now() - 5, "started at the epoch, never behind it (ahead when scaled)");
    setTimeScale(100);
    const start = Time.ticks;
    await new Promise((r) => setTimeout(r, 50));
    const delta = Time.delta(start);
    setTimeScale(1);
    assert.ok(delta >= 4000 && delta < 20000, String(delta));
  });
});
