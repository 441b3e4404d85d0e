// What the raw 9100 and LPD end-to-end tests share: free ports for the simulator, the real clients (nc, socat,
// LPRng's lpr/lpq/lprm) run as child processes, and a byte-level LPD client over node:net for bad input.

import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port nobody listens on now (bind 0, read, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command with `input` on stdin; resolves { code, stdout, stderr } when it exits (killed after timeoutMs).
 * LPRng's clients need a printcap file to exist (an empty one will do: .ci/run makes it), nothing else.
 */
export function runClient(command, args, { input, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("latin1").on("data", (text) => { stdout += text; });
    child.stderr.setEncoding("latin1").on("data", (text) => { stderr += text; });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

/** Writes `bytes` to a new file in a fresh temporary folder and returns its path. */
export async function tempFile(name, bytes) {
  const folder = await mkdtemp(join(tmpdir(), "ftprint-print-"));
  const path = join(folder, name);
  await writeFile(path, bytes);
  return path;
}

/** LPRng's address of a queue on our simulator: queue@127.0.0.1%port. */
export function lpdQueue(queue, port) {
  return `${queue}@127.0.0.1%${port}`;
}

/**
 * A byte-level TCP client: send bytes, read exactly n bytes back, see the close. For the LPD protocol's one-byte
 * acknowledgements and for bad input no real client would send.
 */
export class ByteClient {
  static connect(port) {
    return new Promise((resolve, reject) => {
      const client = new ByteClient();
      client.socket = net.connect({ port, host: "127.0.0.1" }, () => resolve(client));
      client.socket.once("error", reject);
      client.socket.on("error", () => {});
      client.socket.on("data", (data) => { client.#received = Buffer.concat([client.#received, data]); client.#wake(); });
      client.socket.on("close", () => { client.closed = true; client.#wake(); });
    });
  }

  socket;
  closed = false;
  #received = Buffer.alloc(0);
  #waiters = [];

  send(bytes) {
    this.socket.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  }

  /** The next `count` bytes, or fewer if the server closes first. */
  async read(count, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    while (this.#received.length < count && !this.closed) {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} bytes; have ${this.#received.length}`);
      await new Promise((resolve) => { this.#waiters.push(resolve); setTimeout(resolve, 200).unref(); });
    }
    const taken = this.#received.subarray(0, count);
    this.#received = this.#received.subarray(taken.length);
    return Buffer.from(taken);
  }

  /** Everything until the server closes. */
  async readToClose(timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`the server did not close within ${timeoutMs} ms`);
      await new Promise((resolve) => { this.#waiters.push(resolve); setTimeout(resolve, 200).unref(); });
    }
    const all = this.#received;
    this.#received = Buffer.alloc(0);
    return Buffer.from(all);
  }

  /** Sends a line and returns the one-byte answer (undefined if the server closed instead). */
  async ask(line) {
    this.send(line);
    const answer = await this.read(1);
    return answer.length ? answer[0] : undefined;
  }

  #wake() {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  end() { this.socket.end(); }
  destroy() { this.socket.destroy(); }
}
