// Bundles an entry file of the XS scenario host together with the firmware as tsc compiled it (build/), into one
// script that XS (xsnap) or Node can run. Node-only tool; what it bundles must be engine-neutral.
//
// Bare specifiers are mapped the way the device manifest maps them: ftp/*, print/* and the other module folders to the compiled firmware,
// `timer` and `time` to the host's virtual-clock versions, embedded:network/http/server to the SDK HTTP server's
// emulation on that clock. The firmware core may import nothing else from the
// SDK (ARCHITECTURE.md), so any other bare or embedded: specifier fails the bundle loudly instead of being
// stubbed: if the core starts needing one, the host has to grow a faithful version of it.

import { build } from "esbuild";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const compiled = join(repoRoot, "build");

const hostModules = {
  timer: join(repoRoot, "test", "xs-host", "timer.js"),
  time: join(repoRoot, "test", "xs-host", "time.js"),
  "embedded:network/http/server": join(repoRoot, "test", "xs-host", "httpServer.js"),
};

const firmwareSpecifiers = {
  plugin: {
    name: "ftprint-module-map",
    setup(builder) {
      builder.onResolve({ filter: /^(ftp|print|device|raw|lpd|web|network|raster|ipp)\// }, (args) => {
        // raster/kernel: the TypeScript kernel on XS too (the C one is the SDK builds', mapped by the manifest).
        const name = args.path.replace(/\.js$/, "") === "raster/kernel" ? "raster/scriptKernel" : args.path.replace(/\.js$/, "");
        const file = join(compiled, "modules", name + ".js");
        if (!existsSync(file)) return { errors: [{ text: `${args.path}: ${file} does not exist (run npm run build)` }] };
        return { path: file };
      });
      builder.onResolve({ filter: /^(timer|time|embedded:network\/http\/server)$/ }, (args) => ({ path: hostModules[args.path] }));
      builder.onResolve({ filter: /^embedded:|^(file|net|mc\/config|ftprint\/host)$/ }, (args) => ({
        errors: [{ text: `${args.path} (imported by ${args.importer}) has no engine-neutral version in the XS host` }],
      }));
    },
  },
}.plugin;

/**
 * format "iife" for xsnap (it runs programs; see docs/xs-notes.md for why not modules), "esm" for Node.
 * `banner` is prepended verbatim (used to pass a scenario filter into XS, which has no argv).
 */
export async function bundle({ entry, outfile, format, banner = "" }) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    platform: "neutral",
    // No syntax lowering: XS must see the classes, #private fields, ??= etc. exactly as tsc emitted them.
    target: "esnext",
    mainFields: ["module", "main"],
    plugins: [firmwareSpecifiers],
    banner: banner ? { js: banner } : undefined,
    sourcemap: false,
    logLevel: "silent",
    legalComments: "none",
  });
  return outfile;
}
