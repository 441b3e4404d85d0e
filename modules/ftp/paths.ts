// The virtual tree a client sees, JetDirect style: "/" holds the printer directory PORT1 and a read-only
// status file. Pure path logic: no IO. Nothing a client types can name anything outside this tree.

import { queueName } from "print/port";

export const printerDirName = queueName;
export const statusFileName = "status.txt";

export const PathKind = Object.freeze({
  /** Not in the tree: CWD, RETR, LIST answer 550. */
  Missing: 0,
  RootDirectory: 1,
  PrinterDirectory: 2,
  StatusFile: 3,
  /** A file name in "/" or "/PORT1" that is not the status file: STOR prints it. */
  PrintTarget: 4,
} as const);
export type PathKind = (typeof PathKind)[keyof typeof PathKind];

/**
 * Resolves `arg` against `cwd` ("/" or "/PORT1") to a canonical absolute path: "." and ".." are applied,
 * repeated and trailing slashes dropped, ".." at the root stays at the root (as on Unix).
 * SECURITY: the result is always a plain absolute path; classify() decides what it names, so no input escapes.
 */
export function resolvePath(cwd: string, arg: string): string {
  const parts: string[] = [];
  const text = arg.startsWith("/") ? arg : cwd + "/" + arg;
  for (const part of text.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/** What a canonical path names. Directory names match case-insensitively: DOS-era clients upper-case them. */
export function classify(path: string): PathKind {
  if (path === "/") return PathKind.RootDirectory;
  const parts = path.split("/");                   // ["", first, second?]
  const first = parts[1];
  const inPrinterDir = first.toUpperCase() === printerDirName;
  if (parts.length === 2) {
    if (inPrinterDir) return PathKind.PrinterDirectory;
    return first.toLowerCase() === statusFileName ? PathKind.StatusFile : PathKind.PrintTarget;
  }
  if (parts.length === 3 && inPrinterDir) return PathKind.PrintTarget;
  return PathKind.Missing;
}

/** The canonical spelling of a directory path, for PWD. */
export function canonicalDirectory(kind: PathKind): string {
  return kind === PathKind.PrinterDirectory ? "/" + printerDirName : "/";
}

/** The last part of a path: the job's name as the client gave it. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
