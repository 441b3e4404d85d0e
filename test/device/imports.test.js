// The firmware's import graph has no circle: every module under modules/ can be read (and preloaded) after what it
// imports. Value and type imports count alike, and re-exports too; relative specifiers and the bare ones the manifest
// maps (ftp/*, print/*...) are followed, the SDK's (timer, embedded:*) are not.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const modules = join(root, "modules");

/** file → the firmware files it imports. */
function importGraph() {
  const folders = new Set(readdirSync(modules));
  const graph = new Map();
  for (const folder of folders)
    for (const name of readdirSync(join(modules, folder))) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const file = join(modules, folder, name);
      const imports = [];
      // Each import or export statement up to its specifier: `import type { A,\n B } from "./a.js";`
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;"]*?\bfrom\s+"([^"]+)"/gm)) {
        let target;
        if (specifier.startsWith(".")) target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
        else if (folders.has(specifier.split("/")[0])) target = join(modules, `${specifier}.ts`);
        else continue;                                // the SDK's modules
        if (existsSync(target)) imports.push(target);
      }
      graph.set(file, imports);
    }
  return graph;
}

/** The strongly connected parts of `graph` with more than one member, or a member importing itself (Tarjan). */
function circles(graph) {
  let next = 0;
  const order = new Map(), low = new Map(), stack = [], onStack = new Set(), found = [];
  const visit = (node) => {
    order.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!order.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), order.get(target)));
    }
    if (low.get(node) !== order.get(node)) return;
    const part = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      part.push(member);
    } while (member !== node);
    if (part.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(part.sort());
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

test("the circle finder finds a three-module circle and a self-import, and nothing in a chain", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", []], ["e", ["e"]], ["f", ["d"]]]);
  assert.deepEqual(circles(graph).sort(), [["a", "b", "c"], ["e"]]);
  assert.deepEqual(circles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]])), []);
});

test("no import circle remains among the modules under modules/", () => {
  const graph = importGraph();
  const edges = [...graph.values()].reduce((count, imports) => count + imports.length, 0);
  assert.ok(graph.size > 50 && edges > graph.size, `the graph was read: ${graph.size} modules, ${edges} imports`);
  const named = circles(graph).map((part) => part.map((file) => relative(modules, file)).join(" ↔ "));
  assert.deepEqual(named, []);
});
