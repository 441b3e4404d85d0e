// Every command-line tool of the project (the simulator, npm run fuzz / soak, npm run bench) takes its flags
// strictly: an unknown flag is named with the usage and exit 2, a bad value is named with its flag and exit 2, and
// --help prints the usage and exits 0 without starting anything.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";

const root = new URL("../../", import.meta.url).pathname;
const scripts = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")).scripts;

/** node ARGS in the repository; { code, stdout, stderr }, or the test fails if it runs past timeoutMs. */
function node(args, { timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text) => { stdout += text; });
    child.stderr.setEncoding("utf8").on("data", (text) => { stderr += text; });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ")} still ran after ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** The node arguments an npm script runs after its build step ("npm run -s build && node A B" → [A, B]). */
function npmScript(name) {
  const command = scripts[name].split("&&").pop().trim().split(/\s+/);
  assert.equal(command[0], "node", `${name} runs node: ${scripts[name]}`);
  return command.slice(1);
}

async function rejects(args, flagPattern, usagePattern) {
  const result = await node(args);
  assert.equal(result.code, 2, `exit status of ${args.join(" ")}; stderr:\n${result.stderr}`);
  const [first] = result.stderr.split("\n");
  assert.match(first, flagPattern, `the first line names the problem: ${result.stderr}`);
  assert.match(result.stderr, usagePattern, "the usage follows");
  assert.equal(result.stdout, "", "nothing started");
}

const simulatorUsage = /^usage: node simulator\/main\.js/m;
const hardeningUsage = /^usage: npm run fuzz/m;
const benchUsage = /^Usage: npm run bench/m;

test("the simulator: unknown flags, stray arguments and bad values exit 2 naming the flag; --help exits 0", async () => {
  const cases = [
    [["--prot", "2121"], /--prot/],
    [["extra"], /extra/],
    [["--port", "70000"], /^--port must be 0\.\.65535, not 70000$/],
    [["--raw-port", "abc"], /^--raw-port must be 0\.\.65535, not abc$/],
    [["--port", "2121", "--lpd-port", "2121"], /^--lpd-port 2121 is --port already/],
    [["--listen", "localhost"], /^--listen must be an IPv4 address .*, not localhost$/],
    [["--listen", "1.2.3.256"], /^--listen must be an IPv4 address/],
    [["--address", "0.0.0.0"], /^--address must be this machine's IPv4 address .*, not 0\.0\.0\.0$/],
    [["--time-scale", "fast"], /^--time-scale must be a number above 0, not fast$/],
    [["--time-scale", "0"], /^--time-scale must be a number above 0/],
    [["--baud", "0"], /^--baud must be 1\.\.20000000, not 0$/],
    [["--printer-speed", "-5"], /--printer-speed/],
    [["--paper-out-at", "lots"], /^--paper-out-at must be a whole number, not lots$/],
    [["--printer", "laser"], /^--printer must be parallel, serial, file or discard, not laser$/],
    [["--user", "u"], /^--user and --password go together$/],
  ];
  for (const [args, pattern] of cases) await rejects(["simulator/main.js", ...args], pattern, simulatorUsage);
  const help = await node(["simulator/main.js", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, simulatorUsage);
  assert.match(help.stdout, /--listen A /);
  assert.match(help.stdout, /^Exit status: /m);
});

test("npm run fuzz and soak: unknown flags and bad values exit 2 naming the flag; --help starts nothing", async () => {
  const fuzz = npmScript("fuzz"), soak = npmScript("soak");
  await rejects([...fuzz, "--cout", "100"], /^fuzz: Unknown option '--cout'$/, hardeningUsage);
  await rejects([...fuzz, "--count", "abc"], /^--count must be a whole number of at least 1, not "abc"$/, hardeningUsage);
  await rejects([...fuzz, "--count", "0"], /^--count must be a whole number of at least 1/, hardeningUsage);
  await rejects([...fuzz, "--jobs", "5"], /^fuzz: Unknown option '--jobs'$/, hardeningUsage);
  await rejects([...fuzz, "--seed", "1.5"], /^--seed must be a whole number, not "1\.5"$/, hardeningUsage);
  await rejects([...fuzz, "--service", "ftp"], /^--service must be lpd, raw, both, ipp or all, not "ftp"$/, hardeningUsage);
  await rejects([...fuzz, "--count"], /^fuzz: Option '--count <value>' argument missing$/, hardeningUsage);
  await rejects([...soak, "--jobs", "abc"], /^--jobs must be a whole number of at least 1, not "abc"$/, hardeningUsage);
  await rejects([...soak, "--count", "5"], /^soak: Unknown option '--count'$/, hardeningUsage);
  await rejects([...soak, "100"], /^soak: Unexpected argument '100'/, hardeningUsage);
  for (const args of [[...fuzz, "--help"], [...soak, "--help"]]) {
    const help = await node(args);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, hardeningUsage);
    assert.doesNotMatch(help.stdout, /^(fuzz|soak|service fuzz).*: seed \d+/m, "no run started");
  }
});

test("a short fuzz or soak run as the npm scripts start it samples the heap instead of asking for --expose-gc", async () => {
  for (const args of [[...npmScript("fuzz"), "--count", "50", "--seed", "1"], [...npmScript("soak"), "--jobs", "5", "--seed", "1"]]) {
    const run = await node(args, { timeoutMs: 120000 });
    assert.equal(run.code, 0, `${args.join(" ")}:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /seed 1,/);
    assert.doesNotMatch(run.stdout, /--expose-gc/);
    assert.match(run.stdout, /^heap after GC: \d+\.\d MiB at the end \(a short run: \d samples?, too few to compare\)$/m);
  }
});

test("npm run bench: unknown flags and bad values exit 2 naming the flag; --help starts nothing", async () => {
  const bench = npmScript("bench");
  await rejects([...bench, "--fulll"], /^bench: Unknown option '--fulll'$/, benchUsage);
  await rejects([...bench, "--servers", "ftprint,proftpd"], /^bench: --servers takes ftprint, vsftpd, pyftpdlib \(comma-separated\), not "proftpd"$/, benchUsage);
  await rejects([...bench, "--skip", "upload,speed"], /^bench: --skip takes .*, not "speed"$/, benchUsage);
  await rejects([...bench, "--json"], /^bench: Option '--json <value>' argument missing$/, benchUsage);
  await rejects([...bench, "--full", "--quick"], /^bench: --full and --quick contradict each other$/, benchUsage);
  await rejects([...bench, "fast"], /^bench: Unexpected argument 'fast'/, benchUsage);
  const help = await node([...bench, "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, benchUsage);
  assert.doesNotMatch(help.stdout, /ftprint bench,/, "no run started");
});

test("npm run bench:raster: unknown flags and bad values exit 2 naming the flag; --help starts nothing", async () => {
  const bench = npmScript("bench:raster");
  const usage = /^Usage: npm run bench:raster/m;
  await rejects([...bench, "--run", "3"], /^bench:raster: Unknown option '--run'/, usage);
  await rejects([...bench, "--runs", "0"], /^bench:raster: --runs must be 1\.\.100, not 0$/, usage);
  await rejects([...bench, "--runs", "many"], /^bench:raster: --runs must be 1\.\.100, not many$/, usage);
  await rejects([...bench, "fast"], /^bench:raster: Unexpected argument 'fast'/, usage);
  const help = await node([...bench, "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, usage);
  assert.doesNotMatch(help.stdout, /pages per minute/, "no run started");
});
