// Starting the simulator (what `npm start` runs) when what it needs cannot be had: a port taken names the port and
// the flag to change it (FTP: the simulator exits 1; the other services stay off while FTP serves); a capture or
// data folder that is a file, cannot be made or cannot be written is one line and exit 1, never a stack or a hang.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { RawClient, connectData } from "./rawClient.js";
import { startSimulator } from "./simulator.js";

const root = new URL("../../", import.meta.url).pathname;

/** Runs the simulator until it exits: { code, signal, stdout, stderr }; killed, and the test failed, after timeoutMs. */
function runToExit(args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["simulator/main.js", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text) => { stdout += text; });
    child.stderr.setEncoding("utf8").on("data", (text) => { stderr += text; });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the simulator still ran after ${timeoutMs} ms (args ${args.join(" ")}); stdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** A TCP port held by someone else on 127.0.0.1 until close(). */
async function takenTcpPort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

function scratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ftprint-startup-"));
}

/** The options a start-up test needs besides the one under test: every other service off, fresh folders. */
function quietArgs(folder) {
  return ["--raw-port", "0", "--lpd-port", "0", "--http-port", "0", "--mdns-port", "0", "--printer", "file",
    "--capture", path.join(folder, "capture"), "--data", path.join(folder, "data")];
}

test("a taken FTP port: one line naming the port and --port, and the simulator exits 1", async () => {
  const taken = await takenTcpPort();
  const folder = scratch();
  try {
    const result = await runToExit([...quietArgs(folder), "--port", String(taken.port)]);
    assert.equal(result.code, 1, `exit status; stderr:\n${result.stderr}`);
    assert.equal(result.stderr, `FTP port ${taken.port} is in use: choose another with --port N\n`);
    assert.match(result.stdout, /^ftprint could not start: Error: bind socket failed$/m, "the firmware's own line, as on the device");
  } finally {
    await taken.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("--listen with an address this machine does not have says so and exits 1", async () => {
  const folder = scratch();
  try {
    const result = await runToExit([...quietArgs(folder), "--port", "0", "--listen", "198.51.100.254"]);    // TEST-NET-2
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, "FTP cannot listen on 198.51.100.254: not an address of this machine (--listen)\n");
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

for (const [flag, label] of [["--raw-port", "raw printing"], ["--lpd-port", "LPD"], ["--http-port", "web page"]]) {
  test(`a taken ${flag}: its line names the port and ${flag}, that service stays off, FTP serves`, async () => {
    const taken = await takenTcpPort();
    const sim = await startSimulator([flag, String(taken.port)]);
    try {
      const line = await sim.waitForLog(new RegExp(`^${label} port ${taken.port} `));
      assert.equal(line, `${label} port ${taken.port} is in use: choose another with ${flag} N (0 turns it off); ${label} stays off`);
      const client = await RawClient.connect(sim.port);
      const { passReply } = await client.login();
      assert.equal(passReply.code, 230, "FTP serves without it");
      assert.equal((await client.command("QUIT")).code, 221);
    } finally {
      await sim.stop();
      await taken.close();
    }
  });
}

test("a taken --mdns-port: its line names the port and --mdns-port, and FTP serves", async () => {
  const blocker = dgram.createSocket("udp4");    // no SO_REUSEADDR: nobody may share the port
  await new Promise((resolve) => blocker.bind(0, "127.0.0.1", resolve));
  const port = blocker.address().port;
  const sim = await startSimulator(["--mdns-port", String(port)]);
  try {
    assert.equal(await sim.waitForLog(/^mDNS port /),
      `mDNS port ${port} is in use: choose another with --mdns-port N (0 turns it off); DNS-SD is not announced`);
    const client = await RawClient.connect(sim.port);
    assert.equal((await client.login()).passReply.code, 230);
    assert.equal((await client.command("QUIT")).code, 221);
  } finally {
    await sim.stop();
    blocker.close();
  }
});

test("--capture naming a file: one line, no stack, exit 1", async () => {
  const folder = scratch();
  const file = path.join(folder, "not-a-folder");
  fs.writeFileSync(file, "x");
  try {
    for (const flag of ["--capture", "--data"]) {
      const result = await runToExit([...quietArgs(folder), "--port", "0", flag, file]);
      assert.equal(result.code, 1, `${flag}: ${result.stderr}`);
      assert.equal(result.stderr, `${flag} ${file}: ${file} is not a folder\n`);
      // A folder inside a file cannot be made either.
      const inside = await runToExit([...quietArgs(folder), "--port", "0", flag, path.join(file, "sub")]);
      assert.equal(inside.code, 1);
      assert.equal(inside.stderr, `${flag} ${path.join(file, "sub")}: cannot create the folder ${path.join(file, "sub")} (ENOTDIR: not a directory)\n`);
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

// Linux only, as npm test is (it installs Debian's clients): /proc takes no new folder, even from root.
test("--capture /proc/x (a folder that cannot be made) answers at once with one line and exit 1", async () => {
  assert.ok(fs.existsSync("/proc/self"), "this test needs Linux's /proc");
  const folder = scratch();
  try {
    const result = await runToExit([...quietArgs(folder), "--port", "0", "--capture", "/proc/x"]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "--capture /proc/x: cannot create the folder /proc/x (ENOENT: no such file or directory)\n");
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("a capture folder that cannot be written: one line and exit 1", async () => {
  const folder = scratch();
  // root may write anywhere chmod forbids; sysfs's top folder refuses even root.
  let target = path.join(folder, "read-only");
  fs.mkdirSync(target, { mode: 0o555 });
  if (process.getuid?.() === 0) {
    assert.ok(fs.existsSync("/sys/kernel"), "as root this test needs Linux's /sys: no other folder refuses root a write");
    target = "/sys/kernel";
  }
  try {
    const result = await runToExit([...quietArgs(folder), "--port", "0", "--capture", target]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^--capture ${target}: cannot write in ${target} \\((EACCES|EPERM|EROFS): [^)]+\\)\\n$`));
  } finally {
    fs.chmodSync(path.join(folder, "read-only"), 0o755);
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("a capture folder that is missing is made, parents too, and jobs land in it", async () => {
  const folder = scratch();
  const capture = path.join(folder, "a", "b", "capture");
  const sim = await startSimulator(["--capture", capture]);
  try {
    assert.ok(fs.statSync(capture).isDirectory());
    const client = await RawClient.connect(sim.port);
    await client.login();
    const data = await connectData(await client.command("EPSV"));
    client.send("STOR made.txt");
    assert.equal((await client.reply()).code, 150);
    data.end("kept");
    assert.equal((await client.reply()).text, "226 Transfer complete; 4 bytes received and printed.");
    assert.deepEqual(fs.readdirSync(capture).filter((name) => name.endsWith("made.txt")).map((name) => fs.readFileSync(path.join(capture, name), "latin1")), ["kept"]);
    await client.command("QUIT");
  } finally {
    await sim.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
