// What the README promises a new user, run as written: its Debian `ftp` session (with tnftp and inetutils ftp),
// status.txt asked for from /PORT1, and the 226 of a TYPE A upload, whose line ends add bytes on the way.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RawClient, connectData } from "./rawClient.js";
import { startSimulator } from "./simulator.js";

const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
let sim;
before(async () => { sim = await startSimulator(); });
after(async () => { await sim?.stop(); });

/** The `ftp>` lines of the README's "Debian's ftp" example, comments dropped. */
function readmeFtpSession() {
  const block = readme.split("# Debian's ftp (tnftp) or inetutils ftp\n")[1];
  assert.ok(block, "the README has its Debian ftp example");
  const lines = [];
  for (const line of block.split("\n").slice(1)) {
    if (!line.startsWith("ftp> ")) break;
    lines.push(line.slice(5).replace(/\s+#.*$/, ""));
  }
  return lines;
}

/** `promise`, or a failure naming `what` after timeoutMs. */
function within(promise, what, timeoutMs = 10000) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Runs `command` in `cwd` with `input` on stdin; fails the test with its output if it runs past timeoutMs. */
function runClient(command, args, { cwd, input, timeoutMs = 30000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("latin1").on("data", (text) => { output += text; });
    child.stderr.setEncoding("latin1").on("data", (text) => { output += text; });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} still ran after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, output }); });
    child.stdin.end(input);
  });
}

for (const client of ["tnftp", "inetutils-ftp"]) {
  test(`the README's ftp session works as written in ${client}: the jobs print and status.txt is shown after cd PORT1`, async () => {
    const session = readmeFtpSession();
    assert.deepEqual(session, ["binary", "cd PORT1", "put report.ps", "mput *.pcl", "get /status.txt -"]);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ftprint-readme-"));
    try {
      fs.writeFileSync(path.join(folder, "report.ps"), "%!PS\nshowpage\n");
      fs.writeFileSync(path.join(folder, "a.pcl"), "\x1bEpage a\x1bE");
      fs.writeFileSync(path.join(folder, "b.pcl"), "\x1bEpage b\x1bE");
      const before = (await sim.jobs()).length;
      // -n and "user": log in from the script, as a person would at the prompts; -i: mput asks nothing.
      const { output } = await runClient(client, ["-n", "-i", "-v", "127.0.0.1", String(sim.port)],
        { cwd: folder, input: `user anonymous guest\n${session.join("\n")}\nquit\n` });
      assert.doesNotMatch(output, /^550 /m, output);
      assert.match(output, /^ftprint print server$/m, `status.txt was shown:\n${output}`);
      assert.match(output, /"report\.ps"/, "the status lists the job just printed");
      const jobs = (await sim.jobs()).slice(before);
      assert.deepEqual(jobs.map((job) => [job.file.replace(/^\d+-/, ""), job.bytes.toString("latin1")]), [
        ["report.ps", "%!PS\nshowpage\n"], ["a.pcl", "\x1bEpage a\x1bE"], ["b.pcl", "\x1bEpage b\x1bE"],
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
}

test("RETR status.txt in /PORT1 says where the file is; RETR /status.txt from there sends it", async () => {
  const client = await RawClient.connect(sim.port);
  await client.login();
  assert.equal((await client.command("CWD PORT1")).code, 250);
  assert.equal((await client.command("RETR status.txt")).text, "550 status.txt is in /, not in /PORT1: get /status.txt.");
  const data = await connectData(await client.command("EPSV"));
  let text = "";
  data.setEncoding("latin1").on("data", (chunk) => { text += chunk; });
  const closed = new Promise((resolve) => data.on("close", resolve));
  client.send("RETR /status.txt");
  assert.equal((await client.reply()).code, 150);
  assert.equal((await client.reply()).code, 226);
  await within(closed, "the server closing the data connection after RETR");
  assert.match(text, /^ftprint print server\r?\n/);
  assert.equal((await client.command("QUIT")).code, 221);
});

test("the 226 of a TYPE A upload counts what came and what was printed: bare LFs become CRLF", async () => {
  const client = await RawClient.connect(sim.port);
  await client.login();
  assert.equal((await client.command("TYPE A")).code, 200);
  const before = (await sim.jobs()).length;
  const sent = "one\ntwo\r\nthree\n";            // 15 bytes, two of them bare LFs
  const data = await connectData(await client.command("EPSV"));
  client.send("STOR lines.txt");
  assert.equal((await client.reply()).code, 150);
  data.end(sent);
  assert.equal((await client.reply()).text, "226 Transfer complete; 15 bytes received, 17 printed.");
  const [job] = (await sim.jobs()).slice(before);
  assert.equal(job.bytes.toString("latin1"), "one\r\ntwo\r\nthree\r\n");
  assert.equal(job.bytes.length, 17, "the printed count is what the printer got");
  // Text that needs no change keeps the one count.
  const plain = await connectData(await client.command("EPSV"));
  client.send("STOR crlf.txt");
  assert.equal((await client.reply()).code, 150);
  plain.end("a\r\nb\r\n");
  assert.equal((await client.reply()).text, "226 Transfer complete; 6 bytes received and printed.");
  assert.equal((await client.command("QUIT")).code, 221);
});
