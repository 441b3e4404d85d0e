// A private CUPS scheduler for the driverless tests: Debian's cupsd (cups-daemon) in the foreground on a free
// loopback port, with its own ServerRoot, spool, cache, state and logs in a temporary folder, so it touches nothing
// of the machine's own printing and nothing of it touches the test. Its clients are cups-client's lpadmin and lp,
// which Debian will not install beside LPRng (they conflict, and the LPD tests need LPRng's lpr): scripts/test-deps.js
// unpacks the package into .cache/cups-client/ instead, and they run from there on the installed libcups2. The same
// for one filter of the package `cups` (which depends on cups-client): rastertopwg, which turns CUPS raster into the
// Apple raster (image/urf) that CUPS's IPP Everywhere driver sends a printer offering it. cupsd finds filters only in
// its ServerBin, so the test gives it one of its own: the installed filters and backends, and rastertopwg, linked in.

import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort, runClient } from "./printClients.js";

const root = new URL("../../", import.meta.url).pathname;

/** Where scripts/test-deps.js unpacks cups-client (dpkg-deb -x): its usr/bin/lp and usr/sbin/lpadmin. */
export const cupsClientRoot = join(root, ".cache", "cups-client", "usr");
const lp = join(cupsClientRoot, "bin", "lp");
const rastertopwg = join(root, ".cache", "cups", "usr", "lib", "cups", "filter", "rastertopwg");
const serverBin = "/usr/lib/cups";
const lpadmin = join(cupsClientRoot, "sbin", "lpadmin");

/** What a driverless run needs of this machine, or a message naming what is missing. */
export function cupsMissing() {
  const wanted = [["/usr/sbin/cupsd", "cups-daemon"], ["/usr/lib/cups/filter/gstoraster", "cups-filters"], ["/usr/share/cups/mime/mime.types", "cups-server-common"],
    [lp, "cups-client unpacked into .cache/cups-client (scripts/test-deps.js)"], [lpadmin, "cups-client unpacked into .cache/cups-client"],
    [rastertopwg, "cups unpacked into .cache/cups"]];
  const missing = wanted.filter(([path]) => !existsSync(path)).map(([path, from]) => `${path} (${from})`);
  return missing.length ? `the driverless test needs ${missing.join(", ")}; run npm test as root on Debian (scripts/test-deps.js installs them)` : "";
}

/**
 * Whom cupsd runs its filters and backends as. As root: its default, the unprivileged user lp, as on any Debian
 * machine. Otherwise it cannot change user, so it is told to stay who it is (CUPS's own test run does the same).
 */
function runAs() {
  if (process.getuid?.() === 0) return ["SystemGroup root"];
  const { username } = userInfo();
  const group = execFileSync("id", ["-gn"], { encoding: "utf8" }).trim();
  return [`User ${username}`, `Group ${group}`, `SystemGroup ${group}`];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts cupsd; resolves once it answers. Everything a test does goes through the returned object; stop() ends it
 * (SIGTERM, then SIGKILL after 10 s) and removes its folder.
 */
export async function startCupsd() {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-cupsd-"));
  // The filters run as lp (as root) and open the spooled files: the folder must be passable (cupsd sets its own
  // subfolders' modes).
  chmodSync(folder, 0o755);
  const at = (...parts) => join(folder, ...parts);
  for (const sub of ["conf", "spool", "spool/tmp", "cache", "state", "log", "bin/filter"]) mkdirSync(at(sub), { recursive: true });
  for (const sub of readdirSync(serverBin)) if (sub !== "filter") symlinkSync(join(serverBin, sub), at("bin", sub));
  for (const filter of readdirSync(join(serverBin, "filter"))) symlinkSync(join(serverBin, "filter", filter), at("bin", "filter", filter));
  if (!existsSync(at("bin", "filter", "rastertopwg"))) symlinkSync(rastertopwg, at("bin", "filter", "rastertopwg"));    // unless cups is installed
  // What Debian's cups-core-drivers says of rastertopwg in its mime.convs (cupsd reads *.convs in ServerRoot too).
  writeFileSync(at("conf", "rastertopwg.convs"), "application/vnd.cups-raster image/pwg-raster 100 rastertopwg\n" +
    "application/vnd.cups-raster image/urf 100 rastertopwg\n");
  const port = await freePort();
  writeFileSync(at("conf", "cups-files.conf"), [
    `ServerRoot ${at("conf")}`, `RequestRoot ${at("spool")}`, `TempDir ${at("spool", "tmp")}`, `CacheDir ${at("cache")}`,
    `StateDir ${at("state")}`, `ErrorLog ${at("log", "error_log")}`, `AccessLog ${at("log", "access_log")}`,
    `PageLog ${at("log", "page_log")}`, `ServerBin ${at("bin")}`, "DataDir /usr/share/cups", "DocumentRoot /usr/share/cups/doc-root",
    "FileDevice Yes", ...runAs(), "",
  ].join("\n"));
  // Loopback only, no browsing, no authentication: the admin operations lpadmin sends are allowed from here.
  writeFileSync(at("conf", "cupsd.conf"), [
    `Listen 127.0.0.1:${port}`, "LogLevel debug", "Browsing Off", "WebInterface No", "DefaultAuthType None",
    "<Location />", "  Order allow,deny", "  Allow all", "</Location>",
    "<Policy default>", "  <Limit All>", "    Order deny,allow", "  </Limit>", "</Policy>", "",
  ].join("\n"));
  const server = `127.0.0.1:${port}`;
  const output = [];
  const child = spawn("/usr/sbin/cupsd", ["-f", "-c", at("conf", "cupsd.conf"), "-s", at("conf", "cups-files.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.setEncoding("latin1").on("data", (text) => output.push(text));
  child.stderr.setEncoding("latin1").on("data", (text) => output.push(text));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let gone;
  exited.then((status) => { gone = status; });

  const errorLog = () => (existsSync(at("log", "error_log")) ? readFileSync(at("log", "error_log"), "latin1") : "");
  /** The end of cupsd's error_log and what it printed, for a failure's message. */
  const diagnosis = (lines = 150) => `cupsd's error_log (last ${lines} lines):\n${errorLog().split("\n").slice(-lines).join("\n")}` +
    (output.length ? `\ncupsd printed:\n${output.join("")}` : "") + (gone ? `\ncupsd exited: ${JSON.stringify(gone)}` : "");

  /** Polls `ready` every 200 ms until it gives a value; fails after timeoutMs with `what` and the log. */
  async function poll(ready, timeoutMs, what) {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const value = await ready();
      if (value) return value;
      if (gone) throw new Error(`cupsd exited while waiting for ${what}\n${diagnosis()}`);
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${diagnosis()}`);
      await sleep(200);
    }
  }

  async function client(command, args, timeoutMs = 60000) {
    const result = await runClient(command, ["-h", server, ...args], { timeoutMs });
    if (result.signal) throw new Error(`${command} ${args.join(" ")} was killed after ${timeoutMs / 1000} s\n${result.stdout}${result.stderr}\n${diagnosis()}`);
    if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}: ${result.stdout}${result.stderr}\n${diagnosis()}`);
    return result.stdout;
  }

  const scheduler = {
    port, folder, errorLog, diagnosis,
    /**
     * lpadmin -p name -v uri -m everywhere -E: cupsd asks the printer for its attributes and writes the queue's PPD
     * from them (CUPS's IPP Everywhere driver). Resolves with the PPD's text once it is written, after failing if
     * cupsd said it could not make one.
     */
    async addEverywhereQueue(name, uri) {
      const ppd = at("conf", "ppd", `${name}.ppd`);
      rmSync(ppd, { force: true });
      await client(lpadmin, ["-p", name, "-v", uri, "-m", "everywhere", "-E"]);
      let before = "";
      return poll(() => {
        const failure = new RegExp(`${name}: (Unable to .*|.*does not support.*)`).exec(errorLog());
        if (failure) throw new Error(`cupsd could not make the IPP Everywhere PPD: ${failure[0]}\n${diagnosis()}`);
        // Taken once two looks 200 ms apart find the same text: not while cupsd is still writing it.
        const text = existsSync(ppd) ? readFileSync(ppd, "latin1") : "";
        const settled = text !== "" && text === before;
        before = text;
        return settled ? text : undefined;
      }, 30000, `the IPP Everywhere PPD for ${name} (${uri})`);
    },
    /**
     * A queue that prints into a file (file: device, allowed by FileDevice Yes) with the given PPD: the same filters
     * as the printer's queue, so the file holds exactly the raster CUPS sends the printer. Resolves with the file's path.
     */
    async addFileQueue(name, ppdText) {
      const ppd = at(`${name}.ppd`), output = at(`${name}.out`);
      writeFileSync(ppd, ppdText);
      writeFileSync(output, "");
      chmodSync(output, 0o666);    // written by cupsd's job as user lp
      await client(lpadmin, ["-p", name, "-v", `file://${output}`, "-P", ppd, "-E"]);
      return output;
    },
    /** lp -d queue [options] file: resolves with CUPS's job id. */
    async print(queue, file, options = []) {
      const stdout = await client(lp, ["-d", queue, ...options.flatMap((option) => ["-o", option]), file]);
      const id = /request id is \S+-(\d+)/.exec(stdout);
      if (!id) throw new Error(`lp gave no request id: ${stdout}`);
      return Number(id[1]);
    },
    /**
     * Waits for CUPS to end the job (its ipp backend returns only once the printer says the job is done) and
     * resolves with the job's lines from the error_log; fails unless CUPS says "Job completed.".
     */
    async finished(job, timeoutMs = 180000) {
      const end = await poll(() => new RegExp(`\\[Job ${job}\\] (Job completed\\.|Job stopped.*|Job aborted.*|Job canceled.*|.*Printer stopped.*)`).exec(errorLog()),
        timeoutMs, `CUPS job ${job} to end`);
      if (end[1] !== "Job completed.") throw new Error(`CUPS job ${job} did not complete: ${end[0]}\n${diagnosis()}`);
      return errorLog().split("\n").filter((line) => line.includes(`[Job ${job}]`));
    },
    async stop() {
      if (!gone) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  try {
    await poll(async () => (await runClient(join(cupsClientRoot, "bin", "lpstat"), ["-h", server, "-r"], { timeoutMs: 10000 })).stdout.includes("scheduler is running"),
      20000, `cupsd to answer on ${server}`);
  } catch (error) {
    await scheduler.stop();
    throw error;
  }
  return scheduler;
}
