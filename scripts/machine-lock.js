// One mcsim suite at a time on a machine: their ports are compiled in, and lin keeps preferences in /tmp/.
// A lock file holding the holder's pid; one left by a process that is gone is taken over. Waits up to 30 minutes.
// test/e2e/run-sdk.js takes it for the SDK suite and sets FTPRINT_MACHINE_LOCK_HELD for the steps it runs.

import { readFileSync, rmSync, writeFileSync } from "node:fs";

const lock = "/tmp/ftprint-mcsim.lock";

export async function takeMachineLock() {
  if (process.env.FTPRINT_MACHINE_LOCK_HELD === "1") return;
  for (const deadline = Date.now() + 30 * 60_000; ;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      process.on("exit", () => rmSync(lock, { force: true }));
      for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
      process.env.FTPRINT_MACHINE_LOCK_HELD = "1";
      return;
    } catch {
      let holder = 0;
      try { holder = Number(readFileSync(lock, "utf8")); } catch { /* just removed */ }
      let alive = false;
      try { alive = holder > 0 && process.kill(holder, 0); } catch { /* ESRCH: gone */ }
      if (!alive) { rmSync(lock, { force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`another mcsim suite (pid ${holder}) has held ${lock} for 30 minutes`);
      process.stderr.write(`waiting for the mcsim suite of pid ${holder} to end\n`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}
