// Issue 3 end to end: real FTP clients against the real simulator process, printing through the firmware's own
// IEEE 1284 and UART drivers into the virtual printers, which check the handshake and record every byte.
// No timing assertions: latencies are measured and reported (t.diagnostic), only their answers are asserted.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "basic-ftp";
import { RawClient, connectData, readAll } from "./rawClient.js";
import { startSimulator, sampleBytes } from "./simulator.js";

const run = promisify(execFile);
const here = new URL(".", import.meta.url).pathname;
const folder = await mkdtemp(join(tmpdir(), "ftprint-printer-"));
after(async () => { await rm(folder, { recursive: true, force: true }); });

async function payloadFile(name, bytes) {
  const file = join(folder, name);
  await writeFile(file, bytes);
  return file;
}

async function loggedIn(sim) {
  const client = await RawClient.connect(sim.port);
  const { passReply } = await client.login();
  assert.equal(passReply.code, 230);
  return client;
}

async function quit(client) {
  assert.equal((await client.command("QUIT")).text, "221 Goodbye.");
  await client.waitClosed();
}

/** STOR in binary over EPSV, all data sent; the final reply is the client's next one (after any asked meanwhile). */
async function startUpload(client, name, bytes) {
  assert.equal((await client.command("TYPE I")).code, 200);
  const data = await connectData(await client.command("EPSV"));
  client.send(`STOR ${name}`);
  assert.equal((await client.reply()).code, 150);
  data.end(bytes);
}

/** The "Printer: ..." line of a STAT reply. */
function printerLine(reply) {
  assert.equal(reply.code, 211, reply.text);
  return reply.lines.find((line) => /^ ?Printer: /.test(line))?.trim();
}

test("uploads by curl, ftplib and basic-ftp come out of the default parallel port byte for byte, with no protocol violation", async (t) => {
  // No options but the test harness's own: the default printer of `npm start` (IEEE 1284 at 150 KB/s, real time).
  const sim = await startSimulator([], { printer: "parallel" });
  try {
    assert.ok(sim.log.some((line) => /printer: IEEE 1284 parallel$/.test(line)), "the firmware drives the parallel port");
    const uploads = [sampleBytes(120_000, 31), sampleBytes(90_000, 32), sampleBytes(70_000, 33), sampleBytes(50_000, 34),
      sampleBytes(60_000, 35)];
    const files = await Promise.all(uploads.map((bytes, i) => payloadFile(`parallel-${i}.bin`, bytes)));
    await run("curl", ["-sS", "--user", "user:secret", "-T", files[0], `ftp://127.0.0.1:${sim.port}/PORT1/curl-epsv.bin`]);
    await run("curl", ["-sS", "--disable-epsv", "--user", "user:secret", "-T", files[1], `ftp://127.0.0.1:${sim.port}/PORT1/curl-pasv.bin`]);
    for (const [i, mode] of [[2, "pasv"], [3, "port"]]) {
      const { stdout } = await run("python3", [join(here, "ftplib_client.py"), String(sim.port), mode, files[i], `ftplib-${mode}.bin`]);
      assert.match(stdout, new RegExp(`^226 Transfer complete; ${uploads[i].length} bytes received and printed\\.$`, "m"));
    }
    const client = new Client(30000);
    try {
      await client.access({ host: "127.0.0.1", port: sim.port, user: "user", password: "secret" });
      assert.equal((await client.uploadFrom(files[4], "/PORT1/basic-ftp.bin")).code, 226);
    } finally {
      client.close();
    }
    const expected = Buffer.concat(uploads);
    const result = await sim.printed(expected.length);
    assert.equal(result.bytes, expected.length, "nothing printed twice");
    assert.ok(result.printed.equals(expected), "what printed is the uploads, in order, byte for byte");
    assert.equal(result.violations, 0, "IEEE 1284 protocol violations");
    t.diagnostic(`${result.bytes} bytes in ${result.jobs} printer jobs, ${result.violations} violations`);
  } finally {
    await sim.stop();
  }
  // The simulator's last words (at exit) repeat the totals.
  assert.ok(sim.log.some((line) => /^virtual printer: 390000 bytes, 0 violations$/.test(line)), sim.log.join("\n"));
});

/**
 * A fault the virtual parallel printer injects after `at` bytes for `forS` simulated seconds (10x faster than real
 * time here), in the middle of one upload: STAT from the uploading session and from another one shows it while it
 * lasts, the 226 comes after it, and every byte prints once.
 */
async function faultMidJob(t, { option, forOption, what, logName, stateName }) {
  const at = 60_000, size = 200_000;
  const sim = await startSimulator([option, String(at), forOption, "20", "--time-scale", "10"], { printer: "parallel" });
  try {
    const uploader = await loggedIn(sim), watcher = await loggedIn(sim);
    const payload = sampleBytes(size, 41);
    await startUpload(uploader, `${logName}.bin`, payload);
    await sim.waitForLog(new RegExp(`^virtual printer: ${what.replace(/[()]/g, "\\$&")} after \\d+ bytes`));
    // The firmware sees the status lines change on its own turn: ask until it says so (it must, well before the end).
    let seen;
    for (let tries = 0; tries < 100 && seen === undefined; tries++) {
      const line = printerLine(await watcher.command("STAT"));
      if (line === `Printer: ${stateName} (IEEE 1284 parallel)`) seen = line;
      else await sleep(20);
    }
    assert.equal(seen, `Printer: ${stateName} (IEEE 1284 parallel)`, "another session's STAT shows the fault");
    // STAT on the uploading session's control connection: replies keep their order on a connection, so a 226
    // sent before now would be this reply.
    const own = await uploader.command("STAT");
    assert.equal(printerLine(own), `Printer: ${stateName} (IEEE 1284 parallel)`, own.text);
    const progress = own.lines.find((line) => /Your job \d+ is printing/.test(line));
    const printedSoFar = Number(/(\d+) printed/.exec(progress)[1]);
    assert.ok(printedSoFar >= at && printedSoFar < size, `stopped mid-job: ${progress}`);
    assert.equal((await uploader.reply(60000)).text, `226 Transfer complete; ${size} bytes received and printed.`);
    assert.ok(sim.log.some((line) => line === `virtual printer: ${what} over`), "the 226 came after the fault ended");
    assert.equal(printerLine(await watcher.command("STAT")), "Printer: ready (IEEE 1284 parallel)");
    const result = await sim.printed(size);
    assert.equal(result.bytes, size, "nothing printed twice");
    assert.ok(result.printed.equals(payload), "every byte printed once, in order");
    assert.equal(result.violations, 0, "IEEE 1284 protocol violations");
    const states = sim.log.filter((line) => /^printer /.test(line));
    assert.ok(states.includes(`printer ${stateName}`), states.join("; "));
    t.diagnostic(`stopped at ${printedSoFar} bytes; firmware states: ${states.join(", ")}; ${result.violations} violations`);
    await quit(uploader);
    await quit(watcher);
  } finally {
    await sim.stop();
  }
}

test("paper out mid-job: STAT says paper out while it lasts, the 226 waits, every byte prints once", (t) =>
  faultMidJob(t, { option: "--paper-out-at", forOption: "--paper-out-for", what: "paper out", logName: "paper-out", stateName: "paper out" }));

test("offline mid-job, then online again: STAT says offline meanwhile, nothing lost or duplicated", (t) =>
  faultMidJob(t, { option: "--offline-at", forOption: "--offline-for", what: "offline", logName: "offline", stateName: "offline" }));

test("nERROR mid-job: STAT says error meanwhile, nothing lost or duplicated", (t) =>
  faultMidJob(t, { option: "--error-at", forOption: "--error-for", what: "error (nERROR)", logName: "error", stateName: "error" }));

for (const handshake of ["xonxoff", "busy"]) {
  test(`a serial printer paced by ${handshake === "busy" ? "its busy line" : "XON/XOFF"} prints every byte once, with no overrun`, async (t) => {
    // The line (115200 baud, 11.5 KB/s) is much faster than the printer (500 B/s), so its 1 KiB buffer fills and
    // it has to stop the dongle again and again. Time runs 20x faster: 40 simulated seconds of printing take 2.
    const sim = await startSimulator(["--baud", "115200", "--printer-speed", "500", "--handshake", handshake, "--time-scale", "20"],
      { printer: "serial" });
    try {
      const description = handshake === "busy" ? "UART 115200 8N1 busy line" : "UART 115200 8N1 XON/XOFF";
      assert.ok(sim.log.some((line) => line.endsWith(`printer: ${description}`)), sim.log.join("\n"));
      const payload = sampleBytes(20_000, 51);
      const file = await payloadFile(`serial-${handshake}.bin`, payload);
      const { stdout } = await run("python3", [join(here, "ftplib_client.py"), String(sim.port), "pasv", file, "serial.bin"]);
      assert.match(stdout, /^226 Transfer complete; 20000 bytes received and printed\.$/m);
      const result = await sim.printed(payload.length);
      assert.equal(result.bytes, payload.length, "nothing printed twice");
      assert.ok(result.printed.equals(payload), "every byte printed once, in order");
      assert.equal(result.violations, 0, "receive buffer overruns at the printer");
      // Its own line, which may come after the totals printed() waited for.
      const stops = await sim.waitForLog(/^virtual printer: stopped the host \d+ times/);
      const count = Number(/(\d+) times/.exec(stops)[1]);
      assert.ok(count > 0, `the printer really stopped the dongle: ${stops}`);
      t.diagnostic(`${stops}; ${result.violations} overruns`);
    } finally {
      await sim.stop();
    }
  });
}

test("while a long parallel job prints, another session's NOOP, STAT and LIST are answered", async (t) => {
  // Real time and the default printer speed (150 KB/s): about 7 s of printing to talk through.
  const sim = await startSimulator([], { printer: "parallel" });
  try {
    const payload = sampleBytes(1024 * 1024, 61);
    const file = await payloadFile("long.bin", payload);
    const other = await loggedIn(sim);
    const upload = run("curl", ["-sS", "--user", "user:secret", "-T", file, `ftp://127.0.0.1:${sim.port}/PORT1/long.bin`]);
    let uploaded = false;
    upload.then(() => { uploaded = true; }, () => {});
    await sim.waitForLog(/job \d+ printing$/);
    const worst = { NOOP: 0, STAT: 0, LIST: 0 };
    let rounds = 0, sawPrinting = false;
    while (!uploaded) {
      let start = performance.now();
      assert.equal((await other.command("NOOP")).text, "200 NOOP okay.");
      worst.NOOP = Math.max(worst.NOOP, performance.now() - start);
      start = performance.now();
      const status = await other.command("STAT");
      worst.STAT = Math.max(worst.STAT, performance.now() - start);
      assert.equal(status.code, 211);
      if (status.lines.some((line) => /Printing job \d+: \d+ bytes received, \d+ printed/.test(line))) sawPrinting = true;
      start = performance.now();
      const data = await connectData(await other.command("PASV"));
      other.send("LIST");
      const listing = readAll(data);
      assert.equal((await other.reply()).code, 150);
      assert.match((await listing).toString("latin1"), /PORT1/);
      assert.equal((await other.reply()).code, 226);
      worst.LIST = Math.max(worst.LIST, performance.now() - start);
      rounds++;
      await sleep(50);
    }
    await upload;
    assert.ok(rounds > 0 && sawPrinting, "commands were answered while the job printed");
    const report = `worst reply latency while printing 1 MiB at 150 KB/s over ${rounds} rounds: ` +
      `NOOP ${worst.NOOP.toFixed(1)} ms, STAT ${worst.STAT.toFixed(1)} ms, PASV+LIST ${worst.LIST.toFixed(1)} ms`;
    t.diagnostic(report);
    console.log(report);
    await quit(other);
    const result = await sim.printed(payload.length);
    assert.ok(result.printed.equals(payload), "the long job printed byte for byte");
    assert.equal(result.violations, 0, "IEEE 1284 protocol violations");
  } finally {
    await sim.stop();
  }
});
