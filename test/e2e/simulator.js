// Starts the real simulator (`node simulator/main.js`, what `npm start` runs) as a child process on an ephemeral
// port with a fresh capture folder, and reads the firmware's log to learn the port and follow sessions and jobs.
// By default the firmware captures jobs to files (--printer file); { printer: "parallel" | "serial" } puts the
// firmware's real driver and the virtual printer behind the simulated pins instead (see printed()).

import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMcsim } from "./mcsim.js";

const root = new URL("../../", import.meta.url).pathname;

/** Which simulator the e2e tests drive: ours (`npm start`) unless test/e2e/run-sdk.js asks for the SDK's mcsim. */
export const simulatorKind = process.env.FTPRINT_SIMULATOR === "mcsim" ? "mcsim" : "node";

/**
 * options: extra command-line arguments. settings.printer: the --printer kind (default "file").
 */
export async function startSimulator(options = [], { printer = "file" } = {}) {
  const log = [];
  const logTimes = [];    // when each line arrived (Date.now)
  const waiters = [];
  let pending = "";
  const onText = (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      log.push(line);
      logTimes.push(Date.now());
      for (const waiter of [...waiters]) if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  let exited, child;
  const watch = (started) => {
    child = started;
    exited = new Promise((resolve) => started.on("exit", (code, signal) => resolve({ code, signal })));
  };
  // The real SDK's simulator, when the run asks for it (test/e2e/run-sdk.js): the same tests, another simulator.
  const sdk = simulatorKind === "mcsim" ? await startMcsim(["--printer", printer, ...options], { onText, exited: watch }) : undefined;
  const capture = sdk?.capture ?? await mkdtemp(join(tmpdir(), "ftprint-capture-"));
  if (!sdk) {
    // Settings saved from the page go to a fresh --data folder (a test that wants them kept passes its own).
    // The other services are off unless a test names a port for them (later options win in parseArgs): two
    // simulators at once must not both want 9100.
    const args = ["simulator/main.js", "--port", "0", "--raw-port", "0", "--lpd-port", "0", "--http-port", "0", "--ipp-port", "0", "--mdns-port", "0",
      "--capture", capture, "--data", join(capture, "data"), "--printer", printer, "--log-commands", ...options];
    watch(spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] }));
    child.stdout.setEncoding("latin1").on("data", onText);
    child.stderr.setEncoding("latin1").on("data", onText);
  }
  // "close" comes after "exit" once stdout and stderr are drained: the lines written at exit are in `log` then.
  const closed = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));

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
        // Already resolved: its waiter is gone, and splice(-1) would drop someone else's.
        if (!waiters.includes(waiter)) return;
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; log:\n${log.join("\n")}`));
      }, timeoutMs);
      timer.unref();
      exited.then(() => reject(new Error(`simulator exited; log:\n${log.join("\n")}`)));
    });
  }

  const listening = await waitForLog(/FTP print server listening on port (\d+)/, { timeoutMs: sdk ? 60000 : 20000 });
  const port = Number(/listening on port (\d+)/.exec(listening)[1]);
  // The other services' ports: as asked of our simulator, the build's on mcsim (0 when a service is off).
  const asked = (flag) => Number(options[options.lastIndexOf(flag) + 1] ?? 0) || 0;
  const ports = sdk?.ports ?? { raw: asked("--raw-port"), lpd: asked("--lpd-port"), http: asked("--http-port"), ipp: asked("--ipp-port") };
  // Each other service asked for has said whether it listens (or why not) before a test connects to it: main.ts
  // starts them after FTP, and a test that loads the page at once was refused now and then (issue 12).
  const said = { raw: /^raw printing /, lpd: /^LPD /, http: /^web page /, ipp: /^IPP / };
  for (const [name, pattern] of Object.entries(said)) if (ports[name] > 0) await waitForLog(pattern, { timeoutMs: 20000 });

  return {
    /** "node" (npm start's simulator) or "mcsim" (the SDK's). */
    kind: simulatorKind,
    port,
    ports,
    capture,
    log,
    waitForLog,
    /** When the first line matching `pattern` arrived (Date.now), or undefined. */
    timeOf(pattern) {
      const index = log.findIndex((line) => pattern.test(line));
      return index < 0 ? undefined : logTimes[index];
    },
    /** mcsim only: sends an xsdb command to xsbug-log ("info instruments"); what it prints lands in `log`. */
    xsdb(command) {
      if (!sdk) throw new Error("xsdb is the SDK simulator's debugger; our simulator has none");
      sdk.child.stdin.write(command + "\n");
    },
    /** Captured jobs in job order: [{ file, bytes }]. */
    async jobs() {
      if (sdk) return sdk.jobs();
      const files = (await readdir(capture)).filter((f) => /^\d{5}-/.test(f)).sort();
      return Promise.all(files.map(async (file) => ({ file, bytes: await readFile(join(capture, file)) })));
    },
    /**
     * The virtual printer (parallel/serial): resolves once it has reported a total of at least `bytes` printed
     * (it reports after each job, a job ending after an idle gap), with { bytes, violations, printed } where
     * `printed` is every printout (job-<id>.prn, or printed-N.prn for bytes no job claimed) concatenated in order.
     */
    async printed(bytes, { timeoutMs = 30000 } = {}) {
      const pattern = /^virtual printer: (\d+) bytes, (\d+) violations$/;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const totals = log.filter((line) => pattern.test(line)).map((line) => pattern.exec(line).slice(1).map(Number));
        const last = totals[totals.length - 1];
        if (last && last[0] >= bytes) {
          const files = (await readdir(capture)).filter((f) => /^(job|printed)-\d+\.prn$/.test(f))
            .sort((a, b) => Number(/\d+/.exec(a)[0]) - Number(/\d+/.exec(b)[0]));
          const parts = await Promise.all(files.map((file) => readFile(join(capture, file))));
          return { bytes: last[0], violations: last[1], printed: Buffer.concat(parts), jobs: files.length };
        }
        const left = deadline - Date.now();
        if (left <= 0 || child.exitCode !== null)
          throw new Error(`the virtual printer did not report ${bytes} bytes; log:\n${log.join("\n")}`);
        await waitForLog(pattern, { timeoutMs: left, seen: false }).catch(() => {});
      }
    },
    async stop() {
      if (sdk) return sdk.stop();
      if (child.exitCode === null) child.kill("SIGTERM");
      const result = await closed;
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
