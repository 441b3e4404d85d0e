// The servers the bench measures, started and stopped by the bench itself on unprivileged loopback ports:
// ftprint on the Node simulator, vsftpd and pyftpdlib (Debian's) with our own configuration, each in a temp folder.
// Must not: leave a process behind (every child is registered and killed on exit, failure or Ctrl-C).

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const host = "127.0.0.1";
const vsftpdPath = "/usr/sbin/vsftpd";
/** Debian's interpreter: the `python3` on PATH may be another one without python3-pyftpdlib. */
const debianPython = "/usr/bin/python3";
/** tmpfs when there is one, so the peers' disk writes cost what ftprint's discarding costs, near enough. */
const scratchRoot = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();

export const installHints = {
  vsftpd: "install it with `sudo apt-get install vsftpd` (Debian/Ubuntu; the bench runs its own instance, the system service may stay disabled)",
  pyftpdlib: "install it with `sudo apt-get install python3-pyftpdlib` (the bench runs it with /usr/bin/python3)",
};

// ---- child processes: all of them stopped whatever happens ----

const children = new Set();
const scratchFolders = new Set();

function stopAllNow() {
  for (const child of children) {
    try { child.kill("SIGKILL"); } catch { /* gone */ }
  }
  children.clear();
  for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
  scratchFolders.clear();
}
process.on("exit", stopAllNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
    stopAllNow();
    process.exit(130);
  });
}

function track(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Stops a child politely (SIGTERM), then firmly after `graceMs`. */
export function stopChild(child, graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const firm = setTimeout(() => { try { child.kill("SIGKILL"); } catch { /* gone */ } }, graceMs);
    child.once("exit", () => { clearTimeout(firm); resolve(); });
    try { child.kill("SIGTERM"); } catch { /* gone */ }
  });
}

export function scratchFolder(prefix) {
  const folder = mkdtempSync(join(scratchRoot, `ftprint-bench-${prefix}-`));
  scratchFolders.add(folder);
  return folder;
}

export function removeScratch(folder) {
  rmSync(folder, { recursive: true, force: true });
  scratchFolders.delete(folder);
}

/** Empties a folder the server writes into, between measurements (uploads pile up otherwise). */
export function emptyFolder(folder) {
  for (const name of readdirSync(folder)) rmSync(join(folder, name), { recursive: true, force: true });
}

// ---- ports ----

/** A free TCP port on loopback (the kernel's pick; closed again at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A passive-port range below Linux's ephemeral range (32768+), so the client's own sockets never collide. */
let nextPassiveBase = 20000 + 200 * Math.floor(Math.random() * 30);
function passiveRange(size = 200) {
  const range = [nextPassiveBase, nextPassiveBase + size - 1];
  nextPassiveBase += size;
  if (nextPassiveBase > 32000) nextPassiveBase = 20000;
  return range;
}

async function waitForPort(port, child, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited at start: ${child.output().trim()}`);
    const up = await new Promise((resolve) => {
      const socket = net.connect({ host, port });
      socket.once("connect", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms: ${child.output().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Keeps the last few KiB of a child's output, for error messages. */
function collectOutput(child) {
  let text = "";
  const keep = (chunk) => { text = (text + chunk).slice(-8192); };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.output = () => text;
  return child;
}

// ---- the peers ----

/** Why a peer cannot run here, or undefined when it can. */
export function peerMissing(name) {
  if (name === "vsftpd") {
    if (!existsSync(vsftpdPath)) return `${vsftpdPath} not found; ${installHints.vsftpd}`;
    if (process.getuid?.() !== 0) return "vsftpd needs root here (anonymous login chroots and drops to the ftp user); run the bench as root or skip it";
    return undefined;
  }
  if (name === "pyftpdlib") {
    if (!existsSync(debianPython)) return `${debianPython} not found; ${installHints.pyftpdlib}`;
    const probe = spawnSyncQuiet(debianPython, ["-c", "import pyftpdlib"]);
    if (probe !== 0) return `${debianPython} cannot import pyftpdlib; ${installHints.pyftpdlib}`;
    return undefined;
  }
  return `unknown peer ${name}`;
}

function spawnSyncQuiet(command, args) {
  return spawnSync(command, args, { stdio: "ignore" }).status;
}

function vsftpdVersion() {
  // vsftpd -v writes its version to standard input (fd 0), hence the redirection
  const result = spawnSync("/bin/sh", ["-c", `${vsftpdPath} -v 0>&1`], { encoding: "utf8" });
  return /version\s+([\d.]+)/.exec((result.stdout ?? "") + (result.stderr ?? ""))?.[1] ?? "?";
}

/**
 * vsftpd 3.0.x, anonymous with uploads. Its anon_root must not be writable (it refuses a writable chroot), so
 * uploads go to `up/` inside it. isolate=NO and seccomp_sandbox=NO because containers refuse the namespaces and
 * the sandbox breaks on newer kernels; neither changes the data path.
 */
export async function startVsftpd() {
  const folder = scratchFolder("vsftpd");
  const root = join(folder, "root"), uploads = join(root, "up");
  mkdirSync(uploads, { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(uploads, 0o777);
  const emptyDir = join(folder, "empty");
  mkdirSync(emptyDir, { mode: 0o755 });
  const port = await freePort();
  const [pasvMin, pasvMax] = passiveRange();
  const config = [
    "listen=YES", "listen_ipv6=NO", `listen_address=${host}`, `listen_port=${port}`, "background=NO",
    "anonymous_enable=YES", "local_enable=NO", "write_enable=YES", "anon_upload_enable=YES",
    "anon_other_write_enable=YES", `anon_root=${root}`, "no_anon_password=YES",
    "pasv_enable=YES", `pasv_min_port=${pasvMin}`, `pasv_max_port=${pasvMax}`, `pasv_address=${host}`,
    "connect_from_port_20=NO", "seccomp_sandbox=NO", "isolate=NO", "isolate_network=NO",
    `secure_chroot_dir=${emptyDir}`, "xferlog_enable=NO", "dirmessage_enable=NO", "max_clients=0", "max_per_ip=0",
    `vsftpd_log_file=${join(folder, "vsftpd.log")}`,
  ].join("\n") + "\n";
  const configPath = join(folder, "vsftpd.conf");
  writeFileSync(configPath, config, { mode: 0o600 });
  const child = collectOutput(track(spawn(vsftpdPath, [configPath], { stdio: ["ignore", "pipe", "pipe"] })));
  await waitForPort(port, child, "vsftpd");
  return {
    name: "vsftpd", version: vsftpdVersion(), port, child, pathPrefix: "up/", uploads,
    clean: () => emptyFolder(uploads),
    stop: async () => { await stopChild(child); removeScratch(folder); },
  };
}

/** pyftpdlib 1.5.7 (Debian), anonymous and writable, stock handler, its INFO log off. */
export async function startPyftpdlib() {
  const folder = scratchFolder("pyftpdlib");
  const port = await freePort();
  const [pasvMin, pasvMax] = passiveRange();
  const child = collectOutput(track(spawn(debianPython,
    [join(repoRoot, "bench", "pyftpd.py"), String(port), folder, String(pasvMin), String(pasvMax)],
    { stdio: ["ignore", "pipe", "pipe"] })));
  await waitForPort(port, child, "pyftpdlib");
  const version = /pyftpdlib ([\d.]+)/.exec(child.output())?.[1] ?? "?";
  return {
    name: "pyftpdlib", version, port, child, pathPrefix: "", uploads: folder,
    clean: () => emptyFolder(folder),
    stop: async () => { await stopChild(child); removeScratch(folder); },
  };
}

/**
 * ftprint on the Node simulator: `node simulator/main.js --port 0 --printer P --capture DIR ...`. Resolves once it
 * logs "FTP print server listening on port N". `lines` sees every stdout line (the firmware's log) as it comes.
 * `quietLog` preloads bench/quiet-trace.js, which keeps the firmware's per-command log lines off stdout.
 */
export async function startFtprint({ printer = "discard", capture, extraArgs = [], nodeArgs = [], quietLog = false,
  onLine } = {}) {
  const folder = capture ?? scratchFolder("ftprint");
  const args = [...nodeArgs];
  if (quietLog) args.push("--import", new URL("./quiet-trace.js", import.meta.url).href);
  // The raw, LPD and web services stay off unless extraArgs names their ports: two simulators must not both want 9100.
  args.push(simulatorEntry, "--port", "0", "--raw-port", "0", "--lpd-port", "0", "--http-port", "0", "--mdns-port", "0",
    "--capture", folder, "--data", `${folder}/data`, "--printer", printer, ...extraArgs);    // no saved settings from ./sim-data
  const child = collectOutput(track(spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] })));
  let pending = "";
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not say it was listening within 15 s: ${child.output().trim()}`)), 15_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited at start (${signal ?? code}): ${child.output().trim()}`));
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text) => {
      pending += text;
      for (let at = pending.indexOf("\n"); at >= 0; at = pending.indexOf("\n")) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        onLine?.(line);
        const match = /FTP print server listening on port (\d+)/.exec(line);
        if (match) { clearTimeout(timer); resolve(Number(match[1])); }
      }
    });
  });
  return {
    name: "ftprint", port, child, pid: child.pid, pathPrefix: "", uploads: folder,
    clean: () => emptyFolder(folder),
    stop: async () => { await stopChild(child); if (!capture) removeScratch(folder); },
  };
}

/** The simulator's entry; BENCH_SIMULATOR overrides it (to try a modified copy while profiling). */
export const simulatorEntry = process.env.BENCH_SIMULATOR ?? join(repoRoot, "simulator", "main.js");

/** A memory field of /proc/PID/status (VmHWM, VmRSS) in MiB; undefined when /proc cannot say. */
function statusMiB(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Peak resident memory (VmHWM) of a process, in MiB; undefined when /proc cannot say. */
export function peakRssMiB(pid) {
  return statusMiB(pid, "VmHWM");
}

/** Current resident memory (VmRSS) in MiB. */
export function rssMiB(pid) {
  return statusMiB(pid, "VmRSS");
}

/** Resets VmHWM to the current RSS (Linux clear_refs "5"); false when not allowed. */
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
