// The virtual printer's paper: after each job it turns printed-N.prn into something a person can look at, next to
// it in the capture folder, for the firmware's page to show (hosts/sim/printouts.ts). Plain text is laid out the
// way a dot-matrix printer in its power-on state would put it on paper; PostScript is rendered by Ghostscript when
// it is installed. Node only.

import { execFile } from "node:child_process";
import { writeFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A printer's power-on page: 80 columns (10 cpi on 8-inch paper), 66 lines (6 lpi on 11-inch paper). */
export const pageColumns = 80;
export const pageLines = 66;
const tabStop = 8;

/** The file the page shows instead of images when Ghostscript is missing. */
export const previewNoteName = "preview.note";

/**
 * Lays bytes out on pages as an ESC/P-style printer does: CR returns the carriage; LF feeds a line and returns the
 * carriage (ESC/P's LF moves to the left margin); FF ejects the page; BS steps back one column, so the next
 * character strikes over the last (the later mark wins, a space marks nothing); TAB goes to the next multiple of
 * 8; a line longer than 80 columns wraps; the 67th line starts a new page. Other control bytes are ignored, and
 * ESC takes the one byte after it with it (a crude stand-in for escape sequences). Bytes 0xA0-0xFF are Latin-1.
 * Returns the pages as text, one separator line between pages.
 */
export function layoutText(bytes, { columns = pageColumns, lines = pageLines } = {}) {
  const pages = [[]];
  let page = pages[0];
  let row = 0, column = 0;
  const put = (character) => {
    if (column >= columns) {
      row++;
      column = 0;
    }
    if (row >= lines) newPage();
    const line = (page[row] ??= []);
    if (character !== " " || line[column] === undefined) line[column] = character;
    column++;
  };
  const newPage = () => {
    page = [];
    pages.push(page);
    row = 0;
    column = 0;
  };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0D) column = 0;
    else if (byte === 0x0A) {
      row++;
      column = 0;
      if (row >= lines) newPage();
    } else if (byte === 0x0C) newPage();
    else if (byte === 0x08) column = Math.max(0, column - 1);
    else if (byte === 0x09) column = Math.min(columns, (Math.floor(column / tabStop) + 1) * tabStop);
    else if (byte === 0x1B) i++;
    else if ((byte >= 0x20 && byte < 0x7F) || byte >= 0xA0) put(String.fromCharCode(byte));
  }
  if (pages.length > 1 && pages[pages.length - 1].length === 0) pages.pop();    // a final FF ejects, it starts nothing
  return pages
    .map((lines) => Array.from(lines, (line) => (line ? Array.from(line, (c) => c ?? " ").join("").trimEnd() : "")).join("\n"))
    .map((text, index) => (index === 0 ? text : `\n${"-".repeat(30)} page ${index + 1} ${"-".repeat(30)}\n${text}`))
    .join("");
}

/** PostScript starts with "%!", after an optional ^D and a PJL preamble (UEL "ESC%-12345X" and @PJL lines). */
export function isPostScript(bytes) {
  let text = Buffer.from(bytes.subarray(0, 512)).toString("latin1").replace(/^\x04/, "");
  if (text.startsWith("\x1b%-12345X")) text = text.slice(9).replace(/^(@PJL[^\n]*\n)*/, "");
  return text.startsWith("%!");
}

/**
 * Renders <dir>/printed-N.prn (whose bytes are `bytes`) to printed-N.txt or printed-N.png. Resolves with the file
 * written, or undefined (PostScript with no Ghostscript: preview.note says so). Never rejects.
 */
export function renderPreview(prnFile, bytes, { gs = "gs", log = () => {} } = {}) {
  const folder = dirname(prnFile);
  const stem = join(folder, basename(prnFile, ".prn"));
  if (!isPostScript(bytes)) {
    writeFileSync(`${stem}.txt`, layoutText(bytes));
    return Promise.resolve(`${stem}.txt`);
  }
  return new Promise((resolve) => {
    // First page only, at 50 dpi: a preview, not a print; -dSAFER keeps the job away from our files.
    execFile(gs, ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r50", "-dFirstPage=1", "-dLastPage=1",
      `-sOutputFile=${stem}.png`, prnFile], { timeout: 30000 }, (error) => {
      if (error && error.code === "ENOENT") {
        writeFileSync(join(folder, previewNoteName),
          "Ghostscript (gs) is not installed here, so PostScript jobs are not rendered (Debian: apt-get install ghostscript).");
        resolve(undefined);
      } else if (error) {
        rmSync(`${stem}.png`, { force: true });
        log(`virtual printer: Ghostscript could not render ${prnFile}: ${String(error.message).split("\n")[0]}`);
        resolve(undefined);
      } else {
        rmSync(join(folder, previewNoteName), { force: true });
        resolve(`${stem}.png`);
      }
    });
  });
}
