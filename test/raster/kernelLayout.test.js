// The two raster kernels share one contract (modules/raster/kernelState.ts): the C kernel repeats its numbers as
// #defines (modules/raster/native/rasterKernel.c). They must be the same numbers, every one of them.

import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as layout from "../../build/modules/raster/kernelState.js";

const source = readFileSync(new URL("../../modules/raster/native/rasterKernel.c", import.meta.url), "utf8");

test("every number of kernelState.ts is #defined in rasterKernel.c with the same value, and no other", () => {
  const defines = Object.fromEntries([...source.matchAll(/^#define (\w+) (-?\d+)$/gm)].map(([, name, value]) => [name, Number(value)]));
  const numbers = Object.fromEntries(Object.entries(layout).filter(([name, value]) => typeof value === "number" && !["stateWords", "firstLineWord"].includes(name)));
  assert.deepEqual(defines, numbers);
});

test("the state's words fit in its bytes, and the per-line words follow the per-page ones", () => {
  assert.ok(layout.stateWords * 4 <= layout.stateBytes);
  assert.equal(layout.firstLineWord, layout.wordAt);
  assert.ok([layout.wordUnits, layout.wordInputBytes, layout.wordConvert, layout.wordWhite, layout.wordSkip, layout.wordKeep].every((w) => w < layout.firstLineWord));
});
