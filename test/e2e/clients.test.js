// Real third-party FTP clients against the simulator (npm start's firmware on loopback): each upload must come
// out of the printer capture byte for byte: curl, python's ftplib, basic-ftp, lftp, tnftp and inetutils ftp.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "basic-ftp";
import { startSimulator, sampleBytes } from "./simulator.js";

const run = promisify(execFile);
const here = new URL(".", import.meta.url).pathname;
let sim, folder, payload, payloadPath;

before(async () => {
  sim = await startSimulator();
  folder = await mkdtemp(join(tmpdir(), "ftprint-clients-"));
  payload = sampleBytes(300_000, 7);
  payloadPath = join(folder, "payload.bin");
  await writeFile(payloadPath, payload);
});

after(async () => {
  await sim?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** The job captured since `before` jobs were there, after its 226 was logged. */
async function newJob(countBefore) {
  const jobs = await sim.jobs();
  assert.equal(jobs.length, countBefore + 1, "exactly one new job");
  return jobs[jobs.length - 1];
}

/** Runs a client that reads commands on standard input (the interactive ftp programs). */
function runWithInput(command, args, input, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${command} timed out:\n${output}`)); }, timeoutMs);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("exit", (code) => { clearTimeout(timer); resolve({ code, output }); });
    child.stdin.end(input);
  });
}

test("curl uploads with EPSV and the printer gets every byte", async () => {
  const count = (await sim.jobs()).length;
  await run("curl", ["-sS", "--user", "user:secret", "-T", payloadPath, `ftp://127.0.0.1:${sim.port}/PORT1/curl-epsv.bin`]);
  const job = await newJob(count);
  assert.match(job.file, /curl-epsv\.bin$/);
  assert.ok(job.bytes.equals(payload));
});

test("curl uploads with PASV when EPSV is disabled", async () => {
  const count = (await sim.jobs()).length;
  await run("curl", ["-sS", "--disable-epsv", "--user", "user:secret", "-T", payloadPath, `ftp://127.0.0.1:${sim.port}/PORT1/curl-pasv.bin`]);
  assert.ok((await newJob(count)).bytes.equals(payload));
});

test("curl uploads in active mode (EPRT, then PORT)", async () => {
  const count = (await sim.jobs()).length;
  await run("curl", ["-sS", "--ftp-port", "127.0.0.1", "--user", "user:secret", "-T", payloadPath, `ftp://127.0.0.1:${sim.port}/PORT1/curl-active.bin`]);
  assert.ok((await newJob(count)).bytes.equals(payload));
});

test("curl --use-ascii sends CRLF text that prints unchanged", async () => {
  const count = (await sim.jobs()).length;
  const textPath = join(folder, "unix.txt");
  await writeFile(textPath, "line one\nline two\n");
  await run("curl", ["-sS", "--use-ascii", "--user", "user:secret", "-T", textPath, `ftp://127.0.0.1:${sim.port}/PORT1/curl.txt`]);
  assert.equal((await newJob(count)).bytes.toString("latin1"), "line one\r\nline two\r\n");
});

for (const mode of ["pasv", "epsv", "port"]) {
  test(`python ftplib uploads in ${mode} mode and gets 226`, async () => {
    const count = (await sim.jobs()).length;
    const { stdout } = await run("python3", [join(here, "ftplib_client.py"), String(sim.port), mode, payloadPath, `ftplib-${mode}.bin`]);
    assert.match(stdout, /^226 Transfer complete; 300000 bytes received and printed\.$/m);
    assert.match(stdout, /^221 /m);
    assert.ok((await newJob(count)).bytes.equals(payload));
  });
}

test("python ftplib abort() mid-upload gets 426 then 226 and the session goes on", async () => {
  const count = (await sim.jobs()).length;
  const { stdout } = await run("python3", [join(here, "ftplib_client.py"), String(sim.port), "pasv", payloadPath, "aborted.bin", "20000"]);
  assert.match(stdout, /^abort: 426 Transfer aborted; the print job was cancelled\.\nabort: 226 ABOR successful\.$/m);
  assert.match(stdout, /^next: 200 NOOP okay\.$/m);
  const line = await sim.waitForLog(/job \d+ "aborted\.bin" aborted/);
  assert.match(line, /aborted: \d+ bytes received/);
  const jobs = await sim.jobs();
  assert.equal(jobs.length, count + 1);
  const printed = jobs[jobs.length - 1].bytes;
  assert.ok(printed.length <= 20000, "nothing after the abort point");
  assert.ok(printed.equals(payload.subarray(0, printed.length)), "what printed is an exact prefix");
});

test("npm basic-ftp uploads (OPTS UTF8 ON before login, EPSV) byte for byte", async () => {
  const count = (await sim.jobs()).length;
  const client = new Client(30000);
  try {
    await client.access({ host: "127.0.0.1", port: sim.port, user: "user", password: "secret" });
    await client.cd("PORT1");
    const response = await client.uploadFrom(payloadPath, "basic-ftp.bin");
    assert.equal(response.code, 226);
    const listing = await client.list("/");
    assert.deepEqual(listing.map((entry) => entry.name).sort(), ["PORT1", "status.txt"]);
  } finally {
    client.close();
  }
  assert.ok((await newJob(count)).bytes.equals(payload));
});

test("lftp uploads after its AUTH TLS is refused (PASV, absolute CWD)", async () => {
  const count = (await sim.jobs()).length;
  const script = `set net:max-retries 1; set net:timeout 15; set cmd:fail-exit yes; cd /PORT1; put ${payloadPath} -o lftp.bin; quit`;
  const { stdout, stderr } = await run("lftp", ["-u", "user,secret", "-p", String(sim.port), "-e", script, "127.0.0.1"], { timeout: 60000 });
  assert.doesNotMatch(stdout + stderr, /error/i);
  assert.ok((await newJob(count)).bytes.equals(payload));
  assert.ok(sim.log.some((line) => /< AUTH TLS/.test(line)), "lftp really tried AUTH TLS");
});

test("Debian's ftp (tnftp) uploads in binary mode", async () => {
  const count = (await sim.jobs()).length;
  const { output } = await runWithInput("tnftp", ["-n", "-v", "127.0.0.1", String(sim.port)],
    `user user secret\nbinary\ncd PORT1\nput ${payloadPath} tnftp.bin\nquit\n`);
  assert.match(output, /226 Transfer complete/);
  assert.ok((await newJob(count)).bytes.equals(payload));
});

test("inetutils ftp uploads in active mode (PORT) in binary", async () => {
  const count = (await sim.jobs()).length;
  const { output } = await runWithInput("inetutils-ftp", ["-n", "-v", "127.0.0.1", String(sim.port)],
    `user user secret\nbinary\ncd PORT1\nput ${payloadPath} inetutils.bin\nquit\n`);
  assert.match(output, /226 Transfer complete/);
  assert.ok(sim.log.some((line) => /< PORT 127,0,0,1,/.test(line)), "inetutils really used PORT");
  assert.ok((await newJob(count)).bytes.equals(payload));
});

test("inetutils ftp in its default ASCII type turns Unix LF into CRLF", async () => {
  const count = (await sim.jobs()).length;
  const textPath = join(folder, "plain.txt");
  await writeFile(textPath, "first\nsecond\nthird\n");   // inetutils converts LF itself; a CR already there it would double
  await runWithInput("inetutils-ftp", ["-n", "127.0.0.1", String(sim.port)], `user user secret\nascii\nput ${textPath} plain.txt\nquit\n`);
  assert.equal((await newJob(count)).bytes.toString("latin1"), "first\r\nsecond\r\nthird\r\n");
});

test("mput prints each file as its own job", async () => {
  const count = (await sim.jobs()).length;
  const one = join(folder, "one.txt"), two = join(folder, "two.txt");
  await writeFile(one, "ONE");
  await writeFile(two, "TWO");
  const { output } = await runWithInput("tnftp", ["-n", "-v", "-i", "127.0.0.1", String(sim.port)],
    `user user secret\nbinary\ncd PORT1\nlcd ${folder}\nmput one.txt two.txt\nquit\n`);
  assert.equal(output.match(/226 Transfer complete/g)?.length, 2, output);
  const jobs = (await sim.jobs()).slice(count);
  assert.deepEqual(jobs.map((job) => job.bytes.toString()), ["ONE", "TWO"]);
});
