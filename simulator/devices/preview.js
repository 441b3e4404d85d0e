// The virtual printer's paper: turns a printout (job-N.prn) into something a person can look at, next to it in the
// capture folder, for the firmware's page to show (hosts/sim/printouts.ts, through simulator/devices/shelf.js). Plain
// text is laid out the way a dot-matrix printer in its power-on state would put it on paper (the first pages only);
// PostScript is rendered by Ghostscript when it is installed; binary jobs are not previewed. Node only.

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
 * Returns the pages, each as its lines joined by LF.
 */
export function layoutPages(bytes, { columns = pageColumns, lines = pageLines } = {}) {
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
  return pages.map((lines) => Array.from(lines, (line) => (line ? Array.from(line, (c) => c ?? " ").join("").trimEnd() : "")).join("\n"));
}

/** The pages as one text, a separator line before each page after the first. */
export function joinPages(pages) {
  return pages.map((text, index) => (index === 0 ? text : `\n${"-".repeat(30)} page ${index + 1} ${"-".repeat(30)}\n${text}`)).join("");
}

/** layoutPages as one text. */
export function layoutText(bytes, options) {
  return joinPages(layoutPages(bytes, options));
}

/** A text preview shows at most this many pages, laid out from at most this many bytes of the job. */
export const previewPages = 3;
export const previewInputBytes = 16384;

/**
 * Bytes a text printer has no use for (control codes other than BS TAB LF VT FF CR SO SI ESC, and DEL), among the
 * first 4 KiB: above 2% it is binary (raster data, compressed PCL, an image), and the preview would be noise.
 * Bytes 0x80-0xFF count as text (Latin-1, or UTF-8 that the printer shows as Latin-1).
 */
export function looksBinary(bytes) {
  const sample = Math.min(bytes.length, 4096);
  let odd = 0;
  for (let i = 0; i < sample; i++) {
    const byte = bytes[i];
    if ((byte < 0x20 && !(byte >= 0x08 && byte <= 0x0F) && byte !== 0x1B) || byte === 0x7F) odd++;
  }
  return odd * 50 > sample;
}

/** "postscript", "binary" or "text". */
export function classify(bytes) {
  if (isPostScript(bytes)) return "postscript";
  return looksBinary(bytes) ? "binary" : "text";
}

/** PostScript starts with "%!", after an optional ^D and a PJL preamble (UEL "ESC%-12345X" and @PJL lines). */
export function isPostScript(bytes) {
  let text = Buffer.from(bytes.subarray(0, 512)).toString("latin1").replace(/^\x04/, "");
  if (text.startsWith("\x1b%-12345X")) text = text.slice(9).replace(/^(@PJL[^\n]*\n)*/, "");
  return text.startsWith("%!");
}

/**
 * Renders <dir>/<stem>.prn (whose bytes are `bytes`) next to it: text to <stem>.txt (its first pages), PostScript to
 * <stem>.png (its first page, by Ghostscript); binary jobs are not previewed. Resolves with { kind, preview (the
 * file written, or undefined), note (what the page says about it, or "") }. Never rejects.
 */
export function renderPreview(prnFile, bytes, { gs = "gs", log = () => {} } = {}) {
  const folder = dirname(prnFile);
  const stem = join(folder, basename(prnFile, ".prn"));
  const kind = classify(bytes);
  if (kind === "binary") return Promise.resolve({ kind, preview: undefined, note: `binary, ${bytes.length} bytes, not previewed` });
  if (kind === "text") {
    const cut = bytes.length > previewInputBytes;
    const pages = layoutPages(cut ? bytes.subarray(0, previewInputBytes) : bytes);
    const shown = pages.slice(0, previewPages);
    writeFileSync(`${stem}.txt`, joinPages(shown));
    const range = shown.length === 1 ? "page 1" : `pages 1-${shown.length}`;
    const note = cut ? `${range} of its first ${previewInputBytes / 1024} KiB` : shown.length < pages.length ? `${range} of ${pages.length}` : "";
    return Promise.resolve({ kind, preview: `${stem}.txt`, note });
  }
  return new Promise((resolve) => {
    // First page only, at 50 dpi: a preview, not a print; -dSAFER keeps the job away from our files.
    execFile(gs, ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r50", "-dFirstPage=1", "-dLastPage=1",
      `-sOutputFile=${stem}.png`, prnFile], { timeout: 30000 }, (error) => {
      if (error && error.code === "ENOENT") {
        try {
          writeFileSync(join(folder, previewNoteName),
            "Ghostscript (gs) is not installed here, so PostScript jobs are not rendered (Debian: apt-get install ghostscript).");
        } catch {
          // the folder refused the note: the printout's own note below still says it
        }
        resolve({ kind, preview: undefined, note: "PostScript, not rendered (no Ghostscript)" });
      } else if (error) {
        try { rmSync(`${stem}.png`, { force: true }); } catch { /* nothing to clean */ }
        log(`virtual printer: Ghostscript could not render ${prnFile}: ${String(error.message).split("\n")[0]}`);
        resolve({ kind, preview: undefined, note: "PostScript that Ghostscript could not render" });
      } else {
        try { rmSync(join(folder, previewNoteName), { force: true }); } catch { /* no note to remove */ }
        resolve({ kind, preview: `${stem}.png`, note: "page 1" });
      }
    });
  });
}
