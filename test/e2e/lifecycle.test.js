// Tests that start a simulator of their own, one at a time: credentials given at start (on mcsim, saved as the
// setup page saves them) and a clean stop on SIGTERM (on mcsim: npm run start:sdk ending mcsim, Xvfb and
// xsbug-log, and exiting 0).

import { spawnSync } from "node:child_process";
import { test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "./rawClient.js";
import { simulatorKind, startSimulator } from "./simulator.js";

test("configured credentials: a wrong pair gets 530 late, the right one logs in", async () => {
  // Our simulator scales the 2 s delay down; on mcsim it is real.
  const locked = await startSimulator(["--user", "print", "--password", "s3cret", ...(simulatorKind === "node" ? ["--time-scale", "20"] : [])]);
  try {
    const client = await RawClient.connect(locked.port);
    await client.reply();
    await client.command("USER print");
    const sent = Date.now();
    assert.equal((await client.command("PASS wrong")).text, "530 Login incorrect.");
    assert.ok(Date.now() - sent >= 50, "the refusal is delayed");
    await client.command("USER print");
    assert.equal((await client.command("PASS s3cret")).code, 230);
    client.close();
  } finally {
    await locked.stop();
  }
});

test("the server stops cleanly on SIGTERM", async () => {
  const other = await startSimulator();
  const result = await other.stop();
  assert.equal(result.code, 0);
  if (simulatorKind === "mcsim") {
    // start:sdk exits only once mcsim, Xvfb and xsbug-log are gone.
    const left = spawnSync("pgrep", ["-f", process.env.FTPRINT_MCSIM_LIBRARY ?? "mcsim"], { encoding: "utf8" });
    assert.equal(left.stdout.trim(), "", "processes left running after the stop");
  }
});

