// Timeouts measured in simulated time, which only our simulator can run faster (--time-scale): the 900 s idle
// timeout. The scenario suite (test/scenarios) covers every timeout in virtual time on Node and XS as well.

import { test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "./rawClient.js";
import { startSimulator } from "./simulator.js";

test("a session idle for 900 s (scaled) gets 421 and is closed", async () => {
  const fast = await startSimulator(["--time-scale", "200"]);
  try {
    const client = await RawClient.connect(fast.port);
    await client.login();
    const started = Date.now();
    assert.equal((await client.reply(20000)).text, "421 Idle too long; closing the control connection.");
    await client.waitClosed();
    assert.ok(Date.now() - started >= 4000, "not before 900 simulated seconds");
  } finally {
    await fast.stop();
  }
});
