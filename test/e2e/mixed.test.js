// FTP, raw 9100 and LPD at once into the one spool, with a slow printer so the jobs really queue: each captured
// job equals exactly one of the inputs, none interleaved, none lost. The clients are real: curl, nc, LPRng's lpr.

import test from "node:test";
import assert from "node:assert/strict";
import { sampleBytes, startSimulator } from "./simulator.js";
import { freePort, lpdQueue, runClient, tempFile } from "./printClients.js";

test("jobs sent at once by FTP, raw 9100 and LPD each come out whole, one after the other", async () => {
  const sim = await startSimulator(["--raw-port", String(await freePort()), "--lpd-port", String(await freePort()), "--printer-speed", "150000"]);
  const { raw: rawPort, lpd: lpdPort } = sim.ports;    // the ports asked for, or the SDK build's on mcsim
  try {
    await sim.waitForLog(/LPD listening on port/);
    const inputs = {
      ftp: sampleBytes(90000, 91),
      ftp2: sampleBytes(30000, 92),
      raw: sampleBytes(80000, 93),
      raw2: sampleBytes(25000, 94),
      lpd: sampleBytes(70000, 95),
    };
    const paths = {};
    for (const [name, bytes] of Object.entries(inputs)) paths[name] = await tempFile(`${name}.bin`, bytes);
    const runs = await Promise.all([
      runClient("curl", ["-sS", "--user", "user:secret", "-T", paths.ftp, `ftp://127.0.0.1:${sim.port}/PORT1/ftp.bin`]),
      runClient("python3", ["-c", `import ftplib,sys
f=ftplib.FTP(); f.connect("127.0.0.1", ${sim.port}); f.login("u","p"); f.cwd("PORT1")
f.storbinary("STOR ftp2.bin", open(sys.argv[1], "rb")); f.quit()`, paths.ftp2]),
      runClient("nc.openbsd", ["-N", "127.0.0.1", String(rawPort)], { input: inputs.raw }),
      runClient("socat", ["-u", `OPEN:${paths.raw2}`, `TCP:127.0.0.1:${rawPort}`]),
      runClient("lpr", ["-P", lpdQueue("raw", lpdPort), paths.lpd]),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stdout + run.stderr);
    for (let id = 1; id <= 5; id++) await sim.waitForLog(new RegExp(`job ${id} ".*" printed: `), { timeoutMs: 60000 });
    const jobs = await sim.jobs();
    assert.equal(jobs.length, 5, `captured: ${jobs.map((job) => job.file).join(", ")}`);
    const unmatched = new Set(Object.keys(inputs));
    for (const job of jobs) {
      const match = [...unmatched].find((name) => inputs[name].equals(job.bytes));
      assert.ok(match, `captured job ${job.file} (${job.bytes.length} bytes) equals no input whole: interleaved or cut`);
      unmatched.delete(match);
    }
    assert.equal(unmatched.size, 0);
    // They really queued: some job waited behind another.
    assert.ok(sim.log.some((line) => /queued, [1-4] ahead/.test(line)), "no job waited in the queue");
    assert.ok(!sim.log.some((line) => /removed|aborted|cut short/.test(line)), "a job was lost");
  } finally {
    await sim.stop();
  }
});
