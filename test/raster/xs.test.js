// The TypeScript raster kernel on the XS engine (xsnap, scripts/build-xs.js) gives the bytes it gives on Node: the
// same corpus, made in each engine by the same code (test/raster/xsCorpus.js), must hash alike.

import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildXs } from "../../scripts/build-xs.js";
import { bundle, repoRoot } from "../xs/bundle.js";
import * as kernel from "../../build/modules/raster/scriptKernel.js";
import { runXsCorpus } from "./xsCorpus.js";

test("the raster converter and its TypeScript kernel make the same bytes on XS as on Node", async () => {
  const folder = join(repoRoot, ".cache", "xs-raster");
  mkdirSync(folder, { recursive: true });
  const script = await bundle({ entry: join(repoRoot, "test", "raster", "xsEntry.js"), outfile: join(folder, "raster-xs.js"), format: "iife" });
  const result = spawnSync(buildXs(), [script], { encoding: "utf8", maxBuffer: 16 << 20, timeout: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines.pop(), "done", "xsnap ran to the end");
  assert.equal(lines.pop(), "kernel typescript", "raster/kernel is the TypeScript kernel in the XS bundle");
  const expected = [];
  runXsCorpus(kernel, (line) => expected.push(line));
  assert.deepEqual(lines, expected);
  assert.ok(expected.every((line) => line.endsWith(" 1 1")), "every conversion finished, one page each");
});
