// The manifest against the tree: mcconfig's preload wildcards match .js modules only, never .ts ones
// ($(MODDABLE)/tools/mcconfig.js, filterPreload), so every firmware module must be named one by one, and a module
// added without its preload line would silently load into RAM on the device.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));

function firmwareModules() {
  const names = [];
  for (const folder of readdirSync(join(root, "modules")))
    for (const file of readdirSync(join(root, "modules", folder)))
      if (file.endsWith(".ts") && !file.endsWith(".d.ts")) names.push(`${folder}/${file.slice(0, -3)}`);
  return names.sort();
}

test("every module under modules/ is preloaded by name, and no preload names a module that does not exist", () => {
  const preload = manifest.preload;
  assert.ok(preload.every((name) => !name.includes("*")), "a wildcard preloads no TypeScript module");
  const expected = firmwareModules();
  assert.deepEqual(preload.filter((name) => !name.startsWith("ftprint/")).sort(), expected);
});

test("each module folder is mapped, and the ESP32 host modules are preloaded on the device", () => {
  for (const name of firmwareModules()) {
    const folder = name.split("/")[0];
    assert.equal(manifest.modules[`${folder}/*`], `./modules/${folder}/*`, `${folder}/* mapped`);
  }
  const esp32 = manifest.platforms.esp32;
  for (const name of Object.keys(esp32.modules).filter((name) => name !== "ftprint/board"))
    assert.ok(esp32.preload.includes(name), `${name} preloaded on esp32`);
  assert.ok(manifest.preload.includes("ftprint/board"));
});

test("raster/kernel is the C kernel on every SDK platform, preloaded there, and the TypeScript one on Node", async () => {
  for (const platform of ["esp32", "lin", "mac", "win"]) {
    const { modules, preload = [] } = manifest.platforms[platform];
    assert.equal(modules["raster/kernel"], "./modules/raster/native/rasterKernel", platform);
    assert.ok(preload.includes("raster/kernel"), `raster/kernel preloaded on ${platform}`);
  }
  assert.ok(!manifest.preload.includes("raster/kernel"), "preloaded per platform, where it is mapped");
  for (const extension of [".js", ".c", ".d.ts"])
    assert.ok(readdirSync(join(root, "modules/raster/native")).includes(`rasterKernel${extension}`), `rasterKernel${extension}`);
  const { resolve } = await import("../../simulator/loader.js");
  const resolved = await resolve("raster/kernel", { parentURL: new URL("../../build/main.js", import.meta.url).href }, () => assert.fail("not resolved by the loader"));
  assert.ok(resolved.url.endsWith("/build/modules/raster/scriptKernel.js"), resolved.url);
});
