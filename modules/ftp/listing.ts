// Directory listings of the virtual tree in the forms clients parse: LIST (ls -l, what every client understands),
// NLST (names), MLSD/MLST facts (RFC 3659 §7). Pure text formatting; no IO.

import { PathKind, printerDirName, statusFileName } from "./paths.js";

export const ListingStyle = Object.freeze({ Long: 0, Names: 1, Facts: 2 } as const);
export type ListingStyle = (typeof ListingStyle)[keyof typeof ListingStyle];

const months = Object.freeze(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);

/** The lines (each ending CRLF) listing `kind`: the entries of a directory, or the one file. */
export function listing(kind: PathKind, style: ListingStyle, statusBytes: number, now: Date): string {
  let text = "";
  if (kind === PathKind.RootDirectory) {
    text += entry(printerDirName, true, 0, style, now);
    text += entry(statusFileName, false, statusBytes, style, now);
  } else if (kind === PathKind.StatusFile) {
    text += entry(statusFileName, false, statusBytes, style, now);
  }
  return text;                                       // PORT1 is write-only: it always looks empty
}

/** RFC 3659 facts for one entry, "type=...;size=...;perm=...; name" (MLST shows the path, MLSD the name). */
export function facts(name: string, directory: boolean, bytes: number, now: Date): string {
  // perm: a directory you may enter (e), list (l) and create files in (c); a file you may read (r)
  const kind = directory ? "type=dir;perm=elc;" : `type=file;size=${bytes};perm=r;`;
  return `${kind}modify=${timestamp(now)}; ${name}`;
}

function entry(name: string, directory: boolean, bytes: number, style: ListingStyle, now: Date): string {
  if (style === ListingStyle.Names) return name + "\r\n";
  if (style === ListingStyle.Facts) return facts(name, directory, bytes, now) + "\r\n";
  const mode = directory ? "d-wx-wx-wx" : "-r--r--r--";
  const size = String(bytes).padStart(10);
  const date = `${months[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2)}  ${now.getUTCFullYear()}`;
  return `${mode}   1 printer  printer ${size} ${date} ${name}\r\n`;
}

function timestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}
