// simulator/main.js + loader.js, run as `npm start` would, on a stand-in firmware (fixtures/firmware).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = path.join(root, "test/simulator/fixtures/firmware");

function start(args) {
  const child = spawn(process.execPath, ["simulator/main.js", "--build", fixture, ...args], { cwd: root });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => { output.stdout += d; });
  child.stderr.on("data", (d) => { output.stderr += d; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  async function waitFor(pattern) {
    for (let i = 0; i < 500; i++) {
      const match = output.stdout.match(pattern);
      if (match) return match;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${pattern} in ${JSON.stringify(output)}`);
  }
  return { child, output, exited, waitFor };
}

describe("simulator/main.js", () => {
  it("maps every specifier, builds a frozen string config, serves on the logged port and stops on SIGTERM", async () => {
    const capture = fs.mkdtempSync(path.join(os.tmpdir(), "ftprint-capture-"));
    const data = path.join(capture, "data");    // --data: the file root (lin's temp folder; ours persists)
    const sim = start(["--port", "0", "--address", "10.1.2.3", "--capture", capture, "--data", data, "--user", "u", "--password", "p",
      "--printer", "file", "--printer-speed", "500", "--time-scale", "10", "--profile", "lin"]);
    const [, port] = await sim.waitFor(/listening on port (\d+)\n/);
    const [, json] = await sim.waitFor(/config (.*) frozen=true\n/);
    // A failed assertion must not leave the simulator running: the test would then wait for it until it times out.
    process.once("exit", () => sim.child.kill());
    assert.deepEqual(JSON.parse(json), {
      ftpPort: "0", rawPort: "9100", lpdPort: "5515", httpPort: "8080", ippPort: "8631", printer: "file", captureDirectory: capture, printerBytesPerSecond: "500", printerBaud: "9600", printerHandshake: "xonxoff", deviceName: "ftprint",
      file: { root: data + path.sep }, ftpUser: "u", ftpPassword: "p",
    });
    await sim.waitFor(/ip 10\.1\.2\.3 host sim-host print-ok ticks number file function\n/);
    const echoed = await new Promise((resolve, reject) => {
      const socket = net.connect({ port: Number(port), host: "127.0.0.1" }, () => socket.write("ping"));
      socket.on("data", (d) => { resolve(String(d)); socket.destroy(); });
      socket.on("error", reject);
    });
    assert.equal(echoed, "ping");
    await sim.waitFor(/timer fired\n/);
    sim.child.kill("SIGTERM");
    assert.deepEqual(await sim.exited, { code: 0, signal: null });
    assert.equal(sim.output.stderr, "");
  });

  it("--help prints the options and exits 0; a bad option exits 2", async () => {
    const help = start(["--help"]);
    assert.equal((await help.exited).code, 0);
    assert.match(help.output.stdout, /--time-scale K/);
    const bad = start(["--profile", "win"]);
    assert.equal((await bad.exited).code, 2);
    assert.match(bad.output.stderr, /--profile must be esp32 or lin/);
  });

  it("a port in use is the firmware's exception, and an escaping exception ends the process non-zero", async () => {
    const blocker = net.createServer().listen(0);
    await new Promise((r) => blocker.on("listening", r));
    const sim = start(["--port", String(blocker.address().port), "--printer", "file"]);
    const { code } = await sim.exited;
    blocker.close();
    assert.notEqual(code, 0);
    assert.match(sim.output.stderr, /bind socket failed/);
  });
});
