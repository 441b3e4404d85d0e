// LPD (RFC 1179) against the real simulator: LPRng's lpr, lpq and lprm talk straight to it (queue@127.0.0.1%port),
// and a byte-level client sends what no real client would (unknown commands, bad counts, short data files, huge
// control files, garbage). Printed bytes are compared exactly; bad input gets an error byte and loses nothing.

import test from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { sampleBytes, startSimulator } from "./simulator.js";
import { ByteClient, freePort, lpdQueue, runClient, tempFile } from "./printClients.js";

async function withSimulator(options, body) {
  const sim = await startSimulator(["--lpd-port", String(await freePort()), "--raw-port", String(await freePort()), ...options]);
  const { lpd: lpdPort, raw: rawPort } = sim.ports;    // the ports asked for, or the SDK build's on mcsim
  try {
    await sim.waitForLog(new RegExp(`LPD listening on port ${lpdPort}`));
    await body(sim, lpdPort, rawPort);
  } finally {
    await sim.stop();
  }
}

/** Sends one whole job the RFC 1179 way, control file first or last; returns the acknowledgement bytes seen. */
async function sendJob(client, queue, data, controlFile, { controlFirst }) {
  const acks = [];
  acks.push(await client.ask(`\x02${queue}\n`));
  const control = async () => {
    acks.push(await client.ask(`\x02${Buffer.byteLength(controlFile, "latin1")} cfA001host\n`));
    client.send(Buffer.concat([Buffer.from(controlFile, "latin1"), Buffer.from([0])]));
    acks.push((await client.read(1))[0]);
  };
  const dataFile = async () => {
    acks.push(await client.ask(`\x03${data.length} dfA001host\n`));
    client.send(Buffer.concat([data, Buffer.from([0])]));
    acks.push((await client.read(1))[0]);
  };
  if (controlFirst) { await control(); await dataFile(); } else { await dataFile(); await control(); }
  client.end();
  return acks;
}

test("lpr prints a file byte for byte on queue raw, and with CRLF line ends on queue text", async () => {
  await withSimulator([], async (sim, lpdPort) => {
    const binary = sampleBytes(120000, 81);
    const binaryPath = await tempFile("report.bin", binary);
    const run = await runClient("lpr", ["-P", lpdQueue("raw", lpdPort), binaryPath]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    await sim.waitForLog(/job 1 ".*report\.bin" printed: 120000 bytes received, 120000 printed/);
    const text = "first line\nsecond line\r\nthird\n";
    const textPath = await tempFile("letter.txt", text);
    const textRun = await runClient("lpr", ["-P", lpdQueue("text", lpdPort), textPath]);
    assert.equal(textRun.code, 0, textRun.stdout + textRun.stderr);
    await sim.waitForLog(/job 2 ".*letter\.txt" printed/);
    const jobs = await sim.jobs();
    assert.equal(jobs.length, 2);
    assert.ok(jobs[0].bytes.equals(binary), "the raw queue changed the bytes");
    assert.equal(jobs[1].bytes.toString("latin1"), "first line\r\nsecond line\r\nthird\r\n");
    assert.ok(sim.log.some((line) => /LPD control file from 127\.0\.0\.1: user "root"/.test(line)), "the control file's user was not read");
  });
});

test("a job whose control file comes after its data file takes its name and owner from it", async () => {
  await withSimulator([], async (sim, lpdPort) => {
    const data = sampleBytes(40000, 82);
    const client = await ByteClient.connect(lpdPort);
    const acks = await sendJob(client, "raw", data, "Hworkstation\nPmallory\nJquarterly figures\nNfigures.pcl\nldfA001host\n", { controlFirst: false });
    assert.deepEqual(acks, [0, 0, 0, 0, 0]);
    await sim.waitForLog(/job 1 "quarterly figures" printed: 40000 bytes received, 40000 printed/);
    const second = await ByteClient.connect(lpdPort);
    const secondData = sampleBytes(3000, 83);
    assert.deepEqual(await sendJob(second, "lp", secondData, "Hws\nPtrent\nNonly-a-name.txt\nldfA001host\n", { controlFirst: true }), [0, 0, 0, 0, 0]);
    await sim.waitForLog(/job 2 "only-a-name\.txt" printed: 3000 bytes received, 3000 printed/);
    const jobs = await sim.jobs();
    assert.ok(jobs[0].bytes.equals(data) && jobs[1].bytes.equals(secondData));
  });
});

test("lpq lists every queued job short and long, whatever protocol it came by, and lprm removes jobs", async () => {
  await withSimulator(["--printer-speed", "20000"], async (sim, lpdPort, rawPort) => {
    // A raw job held open at the printer, so what follows queues behind it.
    const raw = net.connect({ port: rawPort, host: "127.0.0.1" });
    raw.on("error", () => {});
    let rawClosed = false;
    raw.on("close", () => { rawClosed = true; });
    const pending = [];
    try {
      await new Promise((resolve) => raw.once("connect", resolve));
      raw.write(sampleBytes(30000, 84));
      await sim.waitForLog(/job 1 printing/);
      const path = await tempFile("queued.txt", sampleBytes(20000, 85));
      pending.push(runClient("lpr", ["-P", lpdQueue("raw", lpdPort), path]));
      await sim.waitForLog(/job 2 ".*queued\.txt" queued, 1 ahead/);

      const short = await runClient("lpq", ["-s", "-P", lpdQueue("raw", lpdPort)]);
      assert.equal(short.code, 0, short.stderr);
      assert.match(short.stdout, /printer ready, 2 jobs/);
      assert.match(short.stdout, /^Rank +Owner +Job +Files +Total Size$/m);
      assert.match(short.stdout, /^active 127\.0\.0\.1 +1 +raw from 127\.0\.0\.1 +\d+ bytes$/m);
      assert.match(short.stdout, /^1st +root +2 +\S*queued\.txt +0 bytes$/m);
      const long = await runClient("lpq", ["-l", "-P", lpdQueue("raw", lpdPort)]);
      assert.equal(long.code, 0, long.stderr);
      assert.match(long.stdout, /^127\.0\.0\.1: active +\[job 001 raw\]$/m);
      assert.match(long.stdout, /^root: 1st +\[job 002 lpd\]$/m);
      assert.match(long.stdout, /^ {8}\S*queued\.txt +0 bytes$/m);

      // lprm of the LPD job: the client is told nothing went wrong (an error would make it send the job again).
      const removed = await runClient("lprm", ["-P", lpdQueue("raw", lpdPort), "2"]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /job 2 dequeued/);
      const lpr = await pending.pop();
      assert.equal(lpr.code, 0, lpr.stdout + lpr.stderr);
      await sim.waitForLog(/job 2 ".*queued\.txt" removed: 0 bytes received, 0 printed/);
      // lprm of the raw job (root may remove anyone's): its connection is closed.
      const removedRaw = await runClient("lprm", ["-P", lpdQueue("raw", lpdPort), "1"]);
      assert.match(removedRaw.stdout, /job 1 dequeued/);
      await sim.waitForLog(/job 1 "raw from 127\.0\.0\.1" removed/);
      const deadline = Date.now() + 20000;
      while (!rawClosed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(rawClosed, "the removed raw job's connection stayed open");
      const empty = await runClient("lpq", ["-s", "-P", lpdQueue("raw", lpdPort)]);
      assert.match(empty.stdout, /no entries/);
      const nothing = await runClient("lprm", ["-P", lpdQueue("raw", lpdPort), "77"]);
      assert.match(nothing.stdout, /no matching jobs/);
      // Nothing lingers: a new job prints whole.
      const after = sampleBytes(9000, 86);
      const afterRun = await runClient("lpr", ["-P", lpdQueue("raw", lpdPort), await tempFile("after.bin", after)]);
      assert.equal(afterRun.code, 0, afterRun.stderr);
      await sim.waitForLog(/job 3 ".*after\.bin" printed: 9000 bytes received, 9000 printed/);
      const jobs = await sim.jobs();
      assert.ok(jobs[jobs.length - 1].bytes.equals(after));
      assert.ok(!jobs.some((job) => /queued\.txt/.test(job.file)), "the removed LPD job reached the printer");
    } finally {
      raw.destroy();
      await Promise.all(pending);
    }
  });
});

test("bad input gets an error byte and a close, and loses nothing", async () => {
  await withSimulator([], async (sim, lpdPort) => {
    // An unknown command.
    let client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x09raw\n"), 1);
    await client.readToClose();
    await sim.waitForLog(/LPD error from 127\.0\.0\.1: unknown command 9; connection closed/);

    // A bad data file count.
    client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x02raw\n"), 0);
    assert.equal(await client.ask("\x03twelve dfA001host\n"), 1);
    await client.readToClose();
    await sim.waitForLog(/bad data file count "twelve"/);

    // A control file larger than we take.
    client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x02raw\n"), 0);
    assert.equal(await client.ask("\x02100000000 cfA001host\n"), 1);
    await client.readToClose();
    await sim.waitForLog(/bad control file count "100000000"/);

    // A large control file of long garbage lines, within the limit: read through the small buffer, acknowledged.
    client = await ByteClient.connect(lpdPort);
    const bigControl = "J" + "g".repeat(9000) + "\nPoscar\n" + "\xff\x00junk\n".repeat(500);
    const data = sampleBytes(2000, 87);
    assert.deepEqual(await sendJob(client, "raw", data, bigControl, { controlFirst: true }), [0, 0, 0, 0, 0]);
    await sim.waitForLog(/job 1 "g+" printed: 2000 bytes received, 2000 printed/);

    // Garbage instead of a command line, longer than any line.
    client = await ByteClient.connect(lpdPort);
    client.send(Buffer.alloc(3000, 0x41));
    assert.equal((await client.read(1))[0], 1);
    await client.readToClose();
    await sim.waitForLog(/a line longer than 256 bytes/);

    // A data file shorter than announced, then close: the job is cut short and logged.
    client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x02raw\n"), 0);
    assert.equal(await client.ask("\x031000 dfA002host\n"), 0);
    client.send(sampleBytes(500, 88));
    client.end();
    await sim.waitForLog(/LPD job 2 cut short: the data file had 500 of 1000 bytes when 127\.0\.0\.1 closed/);
    await sim.waitForLog(/job 2 "dfA002host" cut short, client gone: 500 bytes received/);

    // The abort subcommand drops the job received so far; the connection goes on.
    client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x02raw\n"), 0);
    assert.equal(await client.ask("\x0310 dfA003host\n"), 0);
    client.send(Buffer.from("0123456789\x00", "latin1"));
    assert.equal((await client.read(1))[0], 0);
    assert.equal(await client.ask("\x01\n"), 0);
    client.end();
    await sim.waitForLog(/job 3 "dfA003host" aborted: 10 bytes received/);

    // A file not followed by its zero byte.
    client = await ByteClient.connect(lpdPort);
    assert.equal(await client.ask("\x02raw\n"), 0);
    assert.equal(await client.ask("\x034 dfA004host\n"), 0);
    client.send("abcdX");
    assert.equal((await client.read(1))[0], 1);
    await client.readToClose();
    await sim.waitForLog(/a file not followed by its zero byte/);

    // Print-waiting-jobs is a harmless no-op.
    client = await ByteClient.connect(lpdPort);
    client.send("\x01raw\n");
    assert.equal((await client.readToClose()).length, 0);
    await sim.waitForLog(/LPD print-waiting-jobs from 127\.0\.0\.1: nothing to do/);

    // After all that, a real client's job prints whole, and only the good jobs reached the printer whole.
    const good = sampleBytes(50000, 89);
    const run = await runClient("lpr", ["-P", lpdQueue("raw", lpdPort), await tempFile("good.bin", good)]);
    assert.equal(run.code, 0, run.stderr);
    await sim.waitForLog(/job 5 ".*good\.bin" printed: 50000 bytes received, 50000 printed/);
    const jobs = await sim.jobs();
    assert.ok(jobs[0].bytes.equals(data));
    assert.ok(jobs[jobs.length - 1].bytes.equals(good));
  });
});

test("a third LPD connection while two are open gets an error byte; a silent one does not hold its slot", async () => {
  await withSimulator([], async (sim, lpdPort) => {
    const first = await ByteClient.connect(lpdPort), second = await ByteClient.connect(lpdPort);
    try {
      assert.equal(await first.ask("\x02raw\n"), 0);
      assert.equal(await second.ask("\x02raw\n"), 0);
      const third = await ByteClient.connect(lpdPort);
      third.send("\x03raw\n");
      assert.deepEqual([...(await third.readToClose())], [1]);
      await sim.waitForLog(/LPD connection from 127\.0\.0\.1 turned away: all 2 connections in use/);
    } finally {
      first.destroy();
      second.destroy();
    }
    // The server learns of the two closes on its own time: until then a new client is still turned away (a lone
    // error byte), so ask again until a slot is free, then check the answer.
    let answer;
    for (let attempt = 0; attempt < 100; attempt++) {
      const listing = await ByteClient.connect(lpdPort);
      listing.send("\x03raw\n");
      answer = (await listing.readToClose()).toString("latin1");
      if (answer !== "\x01") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(answer, /no entries/);
  });
});
