#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof; `npm run bench -- --cpu-prof DIR` makes one of the simulator):
// self time per function and per file, as shares of the profile. Usage: node bench/cpuprofile.js FILE... [top]
// (A process with a module loader hook writes two profiles, one of them the hooks thread's: the larger is the one.)

import { readFileSync, statSync } from "node:fs";

const args = process.argv.slice(2);
const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 25);
const candidates = args.filter((arg) => !/^\d+$/.test(arg));
if (!candidates.length) { console.error("usage: node bench/cpuprofile.js FILE.cpuprofile... [top]"); process.exit(2); }
const file = candidates.sort((a, b) => statSync(b).size - statSync(a).size)[0];
const profile = JSON.parse(readFileSync(file, "utf8"));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
}
let total = 0; // microseconds
for (const value of selfUs.values()) total += value;

const shortUrl = (url) => url.replace(/^file:\/\/.*?\/(build|simulator|bench|node_modules)\//, "$1/").replace(/^node:/, "node:") || "(native/V8)";
const functions = new Map(), files = new Map();
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const where = shortUrl(callFrame.url);
  const name = `${callFrame.functionName || "(anonymous)"}  ${where}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ""}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
  files.set(where, (files.get(where) ?? 0) + us);
}
const share = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log("\nself time by function:");
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${share(us)}  ${name}`);
console.log("\nself time by file:");
for (const [name, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${share(us)}  ${name}`);
