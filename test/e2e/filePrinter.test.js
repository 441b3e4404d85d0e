// --printer file when the capture folder goes away under a running simulator: a printer fault (STAT says "error",
// nothing counted as printed, no 226, the session answers), and once the folder is back the job prints whole
// and only then gets its 226. Never a closed control connection, never a crash.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { RawClient, connectData } from "./rawClient.js";
import { startSimulator, sampleBytes, simulatorKind } from "./simulator.js";

// --time-scale 10 makes the port try again every 100 ms of real time; the SDK's simulator (mcsim) has no such
// option, and there it is every second.
const faster = simulatorKind === "mcsim" ? [] : ["--time-scale", "10"];

/** The "Printer: ..." line of a STAT reply. */
function printerLine(reply) {
  assert.equal(reply.code, 211, reply.text);
  return reply.lines.find((line) => /^ ?Printer: /.test(line))?.trim();
}

test("a capture folder gone at the start of a job is a printer fault until it is back; then the job prints whole and gets its 226", async () => {
  const sim = await startSimulator(faster);
  const capture = sim.capture.replace(/\/$/, "");    // mcsim's ends with "/"
  const away = `${capture}.away`;
  try {
    fs.renameSync(capture, away);
    const uploader = await RawClient.connect(sim.port);
    await uploader.login();
    assert.equal((await uploader.command("TYPE I")).code, 200);
    const data = await connectData(await uploader.command("EPSV"));
    uploader.send("STOR fault.bin");
    assert.equal((await uploader.reply()).code, 150);
    const payload = sampleBytes(50_000, 5);
    data.end(payload);
    const reason = await sim.waitForLog(/^capture: cannot create /);
    assert.match(reason, new RegExp(`^capture: cannot create ${capture}/\\d{5}-fault\\.bin \\(.*\\); trying again every 1000 ms$`));
    await sim.waitForLog(/^printer error$/);

    // Replies keep their order on a connection: had a 226 been sent, it would be this reply.
    const own = await uploader.command("STAT");
    assert.equal(printerLine(own), `Printer: error (capture to ${capture}/)`, own.text);
    assert.match(own.text, /Your job \d+ is printing: \d+ bytes received, 0 printed/);
    const other = await RawClient.connect(sim.port);
    await other.login();
    assert.equal(printerLine(await other.command("STAT")), `Printer: error (capture to ${capture}/)`);

    fs.renameSync(away, capture);
    assert.equal((await uploader.reply(30000)).text, "226 Transfer complete; 50000 bytes received and printed.");
    // The log can trail the replies (mcsim's goes through xsbug): wait for the line, then look at the order.
    await sim.waitForLog(/^job \d+ "fault\.bin" printed/);
    const ready = sim.log.indexOf("printer ready"), printed = sim.log.findIndex((line) => /^job \d+ "fault\.bin" printed/.test(line));
    assert.ok(ready >= 0 && ready < printed, "the job completed after the fault cleared");
    const jobs = await sim.jobs();
    assert.equal(jobs.length, 1);
    assert.ok(jobs[0].bytes.equals(payload), "every byte in the file, once");
    assert.equal(printerLine(await other.command("STAT")), `Printer: ready (capture to ${capture}/)`);
    assert.equal((await uploader.command("QUIT")).code, 221);
    assert.equal((await other.command("QUIT")).code, 221);
  } finally {
    if (fs.existsSync(away)) fs.renameSync(away, capture);
    await sim.stop();
  }
});

test("a job that cannot be written is a fault that ABOR ends: 426 then 226, nothing counted as printed", async () => {
  const sim = await startSimulator(faster);
  // The folder replaced by a file: nothing can be made in it.
  const capture = sim.capture.replace(/\/$/, "");
  const away = `${capture}.away`;
  try {
    fs.renameSync(capture, away);
    fs.writeFileSync(capture, "not a folder");
    const client = await RawClient.connect(sim.port);
    await client.login();
    const data = await connectData(await client.command("EPSV"));
    client.send("STOR never.txt");
    assert.equal((await client.reply()).code, 150);
    data.write("some text\n");
    await sim.waitForLog(/^printer error$/);
    client.send("ABOR");
    assert.equal((await client.reply()).code, 426);
    assert.equal((await client.reply()).code, 226);
    assert.match(await sim.waitForLog(/^job \d+ "never\.txt" aborted/), /aborted: \d+ bytes received, 0 printed$/);
    assert.equal((await client.command("NOOP")).code, 200, "the session goes on");
    assert.equal((await client.command("QUIT")).code, 221);
    data.destroy();
  } finally {
    fs.rmSync(capture, { force: true });
    if (fs.existsSync(away)) fs.renameSync(away, capture);
    await sim.stop();
  }
});
