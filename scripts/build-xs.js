#!/usr/bin/env node
// Builds the XS engine's command-line runner (`xsnap`, from @agoric/xsnap's bundled Moddable XS sources) into
// .cache/xsnap/ once, so the scenario suite and the bench can run the firmware on the engine the device runs.
// Prints the binary's path on stdout. With the binary already cached it returns at once and touches nothing.
//
// Why `npm pack` rather than a devDependency: @agoric/xsnap 0.15.0 depends on @endo/bundle-source and friends
// (84 packages, about 65 MB) that we never use, and npm 11 skips its postinstall build anyway. The tarball alone
// (4.2 MB, pinned by its registry integrity below) holds everything needed: moddable/xs/** and xsnap-native/.
// A fresh machine needs node, npm (registry access), tar, make and a C compiler; the build takes ~20 s on 2 cores.
//
// We build the plain `xsnap` program (xsnap.mk), not `xsnap-worker`: it runs a script file given on the command
// line with `print`, `performance.now` and `setImmediate` as globals, and exits non-zero when an exception escapes
// a script run as a *program*. (Run as a module, an uncaught exception exits 0 silently: see docs/xs-notes.md.)

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageSpec = "@agoric/xsnap@0.15.0";
const packageIntegrity =
  "sha512-ZBm4DZxbtfacxMHVVdJjZi0Y8zOxN77vpu1WwI5RWfPkaRh0aHkz/dVdTGKXalDNzWfz183lljKxlxl3/h0n+A==";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDirectory = join(repoRoot, ".cache", "xsnap");
export const xsnapPath = join(cacheDirectory, "xsnap-0.15.0", "xsnap");

function log(line) {
  process.stderr.write(`build-xs: ${line}\n`);
}

function run(command, args, options = {}) {
  try {
    return String(execFileSync(command, args, { stdio: ["ignore", "pipe", "inherit"], ...options }) ?? "");
  } catch (error) {
    if (error.code === "ENOENT") throw new Error(`"${command}" is not installed; building XS needs node, npm, tar, make and cc`);
    throw error;
  }
}

export function buildXs() {
  if (existsSync(xsnapPath)) return xsnapPath;

  mkdirSync(cacheDirectory, { recursive: true });
  // A private work folder per process: two test runs starting together on a fresh machine each build their own
  // and the rename below makes whichever finishes first win; neither ever sees a half-written binary.
  const work = join(cacheDirectory, `work-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    log(`fetching ${packageSpec} from the npm registry`);
    const packed = JSON.parse(run("npm", ["pack", packageSpec, "--json", "--pack-destination", work], { cwd: work }));
    const tarball = join(work, packed[0].filename);
    const digest = "sha512-" + createHash("sha512").update(readFileSync(tarball)).digest("base64");
    if (digest !== packageIntegrity) throw new Error(`${packageSpec} tarball integrity ${digest} is not the pinned ${packageIntegrity}`);
    run("tar", ["xzf", tarball, "-C", work]);

    const moddable = join(work, "package", "moddable");
    const makefiles = join(work, "package", "xsnap-native", "xsnap", "makefiles", "lin");
    if (process.platform !== "linux") log(`DOUBT: only the Linux makefile has been tried (this is ${process.platform})`);
    const jobs = String(Math.max(1, Math.min(4, cpus().length)));
    log(`compiling XS with make -j${jobs} (about 20 s on 2 cores)`);
    // BUILD_DIR on the command line overrides the makefile's $(MODDABLE)/build, so objects stay in our work folder.
    run("make", ["-f", "xsnap.mk", `-j${jobs}`, "GOAL=release", `MODDABLE=${moddable}`, `BUILD_DIR=${join(work, "build")}`], {
      cwd: makefiles,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const built = join(work, "build", "bin", "lin", "release", "xsnap");
    if (!existsSync(built)) throw new Error(`make finished but ${built} is missing`);
    mkdirSync(dirname(xsnapPath), { recursive: true });
    renameSync(built, xsnapPath);
    log(`built ${xsnapPath}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return xsnapPath;
}

// Leftovers of a run that was killed mid-build are only disk space; sweep those whose process is gone.
function sweepStaleWork() {
  if (!existsSync(cacheDirectory)) return;
  for (const name of readdirSync(cacheDirectory)) {
    const match = /^work-(\d+)$/.exec(name);
    if (!match) continue;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      rmSync(join(cacheDirectory, name), { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    sweepStaleWork();
    process.stdout.write(buildXs() + "\n");
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
}
