// The virtual tree (modules/ftp/paths.ts): "/" holds PORT1 and status.txt, and nothing a client types leaves it.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/port")
const { PathKind, baseName, canonicalDirectory, classify, printerDirName, resolvePath, statusFileName } = await import("../../build/modules/ftp/paths.js");

test("the tree's names are PORT1 and status.txt", () => {
  assert.equal(printerDirName, "PORT1");
  assert.equal(statusFileName, "status.txt");
});

test("a relative name is resolved against the working directory", () => {
  assert.equal(resolvePath("/", "PORT1"), "/PORT1");
  assert.equal(resolvePath("/PORT1", "report.txt"), "/PORT1/report.txt");
  assert.equal(resolvePath("/", "report.txt"), "/report.txt");
});

test("an absolute name ignores the working directory", () => {
  assert.equal(resolvePath("/PORT1", "/status.txt"), "/status.txt");
  assert.equal(resolvePath("/", "/PORT1/a.txt"), "/PORT1/a.txt");
});

test("an empty name is the working directory", () => {
  assert.equal(resolvePath("/", ""), "/");
  assert.equal(resolvePath("/PORT1", ""), "/PORT1");
});

test(". is dropped wherever it stands", () => {
  assert.equal(resolvePath("/", "."), "/");
  assert.equal(resolvePath("/PORT1", "."), "/PORT1");
  assert.equal(resolvePath("/", "./PORT1/./a.txt"), "/PORT1/a.txt");
});

test(".. goes up one level and stays at the root at the root, as on Unix", () => {
  assert.equal(resolvePath("/PORT1", ".."), "/");
  assert.equal(resolvePath("/", ".."), "/");
  assert.equal(resolvePath("/", "../../../.."), "/");
  assert.equal(resolvePath("/PORT1", "../PORT1/x"), "/PORT1/x");
  assert.equal(resolvePath("/", "/PORT1/../status.txt"), "/status.txt");
});

test("repeated and trailing slashes are dropped", () => {
  assert.equal(resolvePath("/", "//"), "/");
  assert.equal(resolvePath("/", "//PORT1//a.txt"), "/PORT1/a.txt");
  assert.equal(resolvePath("/", "PORT1/"), "/PORT1");
  assert.equal(resolvePath("/PORT1", "///"), "/");
});

test("the root is the root directory", () => {
  assert.equal(classify("/"), PathKind.RootDirectory);
});

test("PORT1 is the printer directory in any case", () => {
  assert.equal(classify("/PORT1"), PathKind.PrinterDirectory);
  assert.equal(classify("/port1"), PathKind.PrinterDirectory);
  assert.equal(classify("/Port1"), PathKind.PrinterDirectory);
  assert.equal(canonicalDirectory(classify("/port1")), "/PORT1");
});

test("status.txt in the root is the status file in any case", () => {
  assert.equal(classify("/status.txt"), PathKind.StatusFile);
  assert.equal(classify("/STATUS.TXT"), PathKind.StatusFile);
});

test("any other name in the root or in PORT1 is something to print", () => {
  assert.equal(classify("/report.txt"), PathKind.PrintTarget);
  assert.equal(classify("/PORT1/report.txt"), PathKind.PrintTarget);
  assert.equal(classify("/port1/report.txt"), PathKind.PrintTarget);
  assert.equal(classify("/PORT1/status.txt"), PathKind.PrintTarget);
  assert.equal(classify("/PORT1/PORT1"), PathKind.PrintTarget);
});

test("anything deeper, or below a name that is not PORT1, is missing", () => {
  assert.equal(classify("/PORT1/a/b"), PathKind.Missing);
  assert.equal(classify("/etc/passwd"), PathKind.Missing);
  assert.equal(classify("/status.txt/x"), PathKind.Missing);
  assert.equal(classify("/PORT2/a"), PathKind.Missing);
});

test("nothing a client types escapes the tree: every input resolves to an absolute path without . or ..", () => {
  const inputs = ["..", "../..", "/..", "../etc/passwd", "/../../etc/passwd", "PORT1/../../..", "...", ".../x",
    "./../PORT1", "//..//..//", "a/../../b", "\\..\\..\\windows", "C:/x", "~root", "PORT1/..."];
  for (const cwd of ["/", "/PORT1"]) {
    for (const input of inputs) {
      const path = resolvePath(cwd, input);
      assert.equal(path.startsWith("/"), true, `${cwd} + ${input}`);
      assert.equal(path.split("/").slice(1).some((part) => part === "." || part === ".."), false, `${cwd} + ${input} → ${path}`);
      assert.equal(path === "/" || !path.includes("//") && !path.endsWith("/"), true, `${cwd} + ${input} → ${path}`);
    }
  }
  assert.equal(classify(resolvePath("/PORT1", "../../etc/passwd")), PathKind.Missing);
  assert.equal(resolvePath("/PORT1", "../../etc/passwd"), "/etc/passwd");
  assert.equal(classify(resolvePath("/", "\\..\\..\\windows")), PathKind.PrintTarget);   // one odd name, no directory
  assert.equal(resolvePath("/", "..."), "/...");                                        // "..." is a name, not a step
});

test("canonicalDirectory spells PORT1 and the root the one way PWD shows them", () => {
  assert.equal(canonicalDirectory(PathKind.PrinterDirectory), "/PORT1");
  assert.equal(canonicalDirectory(PathKind.RootDirectory), "/");
});

test("baseName is the last part of the path, the job's name", () => {
  assert.equal(baseName("/PORT1/report.txt"), "report.txt");
  assert.equal(baseName("/a.ps"), "a.ps");
  assert.equal(baseName("/"), "");
});
