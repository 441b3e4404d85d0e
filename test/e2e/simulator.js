// Starts the real simulator (`node simulator/main.js`, what `npm start` runs) as a child process on an ephemeral
// port with a fresh capture folder, and reads the firmware's log to learn the port and follow sessions and jobs.

import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

export async function startSimulator(options = []) {
  const capture = await mkdtemp(join(tmpdir(), "ftprint-capture-"));
  const args = ["simulator/main.js", "--port", "0", "--capture", capture, "--printer", "file", "--log-commands", ...options];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  const waiters = [];
  let pending = "";
  const onText = (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      log.push(line);
      for (const waiter of [...waiters]) if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding("latin1").on("data", onText);
  child.stderr.setEncoding("latin1").on("data", onText);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

  /** Resolves with the first log line (from now or already seen, if `seen`) matching `pattern`. */
  function waitForLog(pattern, { timeoutMs = 20000, seen = true } = {}) {
    if (seen) {
      const line = log.find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
    }
    return new Promise((resolve, reject) => {
      const waiter = { pattern, resolve };
      waiters.push(waiter);
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; log:\n${log.join("\n")}`));
      }, timeoutMs);
      timer.unref();
      exited.then(() => reject(new Error(`simulator exited; log:\n${log.join("\n")}`)));
    });
  }

  const listening = await waitForLog(/listening on port (\d+)/);
  const port = Number(/listening on port (\d+)/.exec(listening)[1]);

  return {
    port,
    capture,
    log,
    waitForLog,
    /** Captured jobs in job order: [{ file, bytes }]. */
    async jobs() {
      const files = (await readdir(capture)).filter((f) => /^\d{5}-/.test(f)).sort();
      return Promise.all(files.map(async (file) => ({ file, bytes: await readFile(join(capture, file)) })));
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const result = await exited;
      await rm(capture, { recursive: true, force: true });
      return result;
    },
  };
}

/** Deterministic test data: `size` bytes covering every byte value, LF, CR and CRLF included. */
export function sampleBytes(size, seed = 1) {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
