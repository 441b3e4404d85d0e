// Node: bundles test/hardening/entry.js with the compiled firmware (build/, so `npm run build` first) and imports
// it. Each caller gets its own bundle file, so test files running in parallel do not race on one.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundle, repoRoot } from "../xs/bundle.js";

export async function loadHardening(name) {
  const outDirectory = join(repoRoot, ".cache", "hardening");
  mkdirSync(outDirectory, { recursive: true });
  const file = await bundle({ entry: join(repoRoot, "test", "hardening", "entry.js"), outfile: join(outDirectory, `${name}.mjs`), format: "esm" });
  return import(pathToFileURL(file).href);
}
