// Raw TCP printing (AppSocket, port 9100) against the real simulator with real clients: netcat and socat send a
// job, the printer gets it byte for byte; jobs queue behind each other whole; a client that sends nothing is
// dropped after the idle timeout and its slot serves the next client; a third client is turned away.

import test from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { sampleBytes, startSimulator } from "./simulator.js";
import { freePort, runClient, tempFile } from "./printClients.js";

async function withSimulator(options, body) {
  const sim = await startSimulator(["--raw-port", String(await freePort()), ...options]);
  const rawPort = sim.ports.raw;    // the port asked for, or the SDK build's on mcsim
  try {
    await sim.waitForLog(new RegExp(`raw printing \\(AppSocket\\) listening on port ${rawPort}`));
    await body(sim, rawPort);
  } finally {
    await sim.stop();
  }
}

test("nc and socat each print a job byte for byte, logged with the client's address", async () => {
  await withSimulator([], async (sim, rawPort) => {
    const first = sampleBytes(150000, 71), second = sampleBytes(70001, 72);
    const ncRun = await runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: first });
    assert.equal(ncRun.code, 0, ncRun.stderr);
    await sim.waitForLog(/job 1 "raw from 127\.0\.0\.1" printed: 150000 bytes received, 150000 printed/);
    const path = await tempFile("socat.bin", second);
    const socatRun = await runClient("socat", ["-u", `OPEN:${path}`, `TCP:127.0.0.1:${rawPort}`]);
    assert.equal(socatRun.code, 0, socatRun.stderr);
    await sim.waitForLog(/job 2 "raw from 127\.0\.0\.1" printed: 70001 bytes received, 70001 printed/);
    const jobs = await sim.jobs();
    assert.equal(jobs.length, 2);
    assert.ok(jobs[0].bytes.equals(first), "nc's job differs");
    assert.ok(jobs[1].bytes.equals(second), "socat's job differs");
    assert.ok(sim.log.includes("raw job from 127.0.0.1"), "no connection line in the log");
  });
});

test("two raw jobs sent at once to a slow printer print one after the other, whole", async () => {
  await withSimulator(["--printer-speed", "100000"], async (sim, rawPort) => {
    const a = sampleBytes(60000, 73), b = sampleBytes(45000, 74);
    const [runA, runB] = await Promise.all([
      runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: a }),
      runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: b }),
    ]);
    assert.equal(runA.code, 0, runA.stderr);
    assert.equal(runB.code, 0, runB.stderr);
    await sim.waitForLog(/job 2 .* printed: /);
    await sim.waitForLog(/job 1 .* printed: /);
    const jobs = await sim.jobs();
    assert.equal(jobs.length, 2);
    const sorted = jobs.map((job) => job.bytes).sort((x, y) => x.length - y.length);
    assert.ok(sorted[0].equals(b) && sorted[1].equals(a), "a job came out mixed or cut");
    assert.ok(sim.log.some((line) => /job 2 "raw from 127\.0\.0\.1" queued, 1 ahead/.test(line)), "the second job did not queue behind the first");
  });
});

test("a client that connects and sends nothing is dropped after the idle timeout, and its slot prints the next job", async () => {
  await withSimulator([], async (sim, rawPort) => {
    const silent = [];
    const closedCount = { value: 0 };
    try {
      for (let i = 0; i < 2; i++) {
        const socket = net.connect({ port: rawPort, host: "127.0.0.1" });
        socket.on("error", () => {});
        socket.on("close", () => { closedCount.value++; });
        silent.push(socket);
        await new Promise((resolve) => socket.once("connect", resolve));
      }
      await sim.waitForLog(/raw job from 127\.0\.0\.1/);
      // Both slots are taken: a third client is closed at once.
      const third = await runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: "turned away\n" });
      assert.notEqual(third.signal, "SIGKILL", "the third client was not closed");
      await sim.waitForLog(/raw connection from 127\.0\.0\.1 turned away: all 2 connections in use/);
      await sim.waitForLog(/raw connection from 127\.0\.0\.1 dropped: sent nothing for 30 s/, { timeoutMs: 90000 });
      const deadline = Date.now() + 30000;
      while (closedCount.value < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(closedCount.value, 2, "the silent clients' connections were not closed");
      const payload = sampleBytes(5000, 75);
      const run = await runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: payload });
      assert.equal(run.code, 0, run.stderr);
      await sim.waitForLog(/job \d+ "raw from 127\.0\.0\.1" printed: 5000 bytes received, 5000 printed/);
      const jobs = await sim.jobs();
      assert.equal(jobs.length, 1, "the silent connections or the turned-away one made a job");
      assert.ok(jobs[0].bytes.equals(payload));
    } finally {
      for (const socket of silent) socket.destroy();
    }
  });
});
