// The virtual printer's paper (simulator/devices/preview.js): text laid out as a printer would, PostScript through
// Ghostscript, and a note when Ghostscript is missing.

import test from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layoutText, isPostScript, renderPreview, pageColumns, pageLines, previewNoteName } from "../../simulator/devices/preview.js";

const bytes = (text) => Buffer.from(text, "latin1");

test("CR returns, LF feeds and returns, FF ejects the page, TAB goes to the next 8th column", () => {
  assert.equal(layoutText(bytes("ab\r\ncd\nef\tg\fnext\r\n\f")),
    `ab\ncd\nef      g\n${"-".repeat(30)} page 2 ${"-".repeat(30)}\nnext`, "blank lines at a page's end leave no trace");
});

test("BS and CR strike over: the later mark wins, a space marks nothing", () => {
  assert.equal(layoutText(bytes("a\b_")), "_");
  assert.equal(layoutText(bytes("abc\r   X")), "abcX");
});

test("a long line wraps at 80 columns and the 67th line starts a new page", () => {
  const wrapped = layoutText(bytes("x".repeat(pageColumns + 5))).split("\n");
  assert.deepEqual(wrapped, ["x".repeat(pageColumns), "xxxxx"]);
  const pages = layoutText(bytes("line\n".repeat(pageLines + 1)));
  assert.equal(pages.split("\n").filter((line) => line === "line").length, pageLines + 1);
  assert.match(pages, /page 2/);
});

test("other control bytes are dropped, ESC takes its command byte, Latin-1 is kept", () => {
  assert.equal(layoutText(bytes("\x1bEa\x00\x07b\xe9")), "abé");
});

test("PostScript is recognised after ^D or a PJL preamble; PCL and text are not", () => {
  assert.equal(isPostScript(bytes("%!PS-Adobe-3.0\n")), true);
  assert.equal(isPostScript(bytes("\x04%!PS\n")), true);
  assert.equal(isPostScript(bytes("\x1b%-12345X@PJL JOB\n@PJL ENTER LANGUAGE=POSTSCRIPT\n%!PS\n")), true);
  assert.equal(isPostScript(bytes("\x1bE\x1b&l0O")), false);
  assert.equal(isPostScript(bytes("hello %!")), false);
});

test("renderPreview writes printed-N.txt for text and printed-N.png (a real PNG) for PostScript", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-preview-"));
  try {
    const text = join(folder, "printed-1.prn");
    writeFileSync(text, "hello\r\n");
    assert.equal(await renderPreview(text, bytes("hello\r\n")), join(folder, "printed-1.txt"));
    assert.equal(readFileSync(join(folder, "printed-1.txt"), "utf8"), "hello");
    const ps = bytes("%!PS\n/Helvetica findfont 20 scalefont setfont 72 700 moveto (Hi) show showpage\n");
    writeFileSync(join(folder, "printed-2.prn"), ps);
    assert.equal(await renderPreview(join(folder, "printed-2.prn"), ps), join(folder, "printed-2.png"));
    const png = readFileSync(join(folder, "printed-2.png"));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(existsSync(join(folder, previewNoteName)), false);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("without Ghostscript a PostScript job gets no image and the folder gets a note saying why", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-preview-"));
  try {
    const ps = bytes("%!PS\nshowpage\n");
    writeFileSync(join(folder, "printed-1.prn"), ps);
    assert.equal(await renderPreview(join(folder, "printed-1.prn"), ps, { gs: join(folder, "no-such-gs") }), undefined);
    assert.equal(existsSync(join(folder, "printed-1.png")), false);
    assert.match(readFileSync(join(folder, previewNoteName), "utf8"), /Ghostscript \(gs\) is not installed/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
