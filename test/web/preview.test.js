// The virtual printer's paper (simulator/devices/preview.js): text laid out as a printer would, PostScript through
// Ghostscript, and a note when Ghostscript is missing.

import test from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layoutText, isPostScript, looksBinary, renderPreview, pageColumns, pageLines, previewNoteName, previewInputBytes,
  previewPages } from "../../simulator/devices/preview.js";

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

test("renderPreview writes job-N.txt for text and job-N.png (a real PNG) for PostScript", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-preview-"));
  try {
    const text = join(folder, "job-1.prn");
    writeFileSync(text, "hello\r\n");
    assert.deepEqual(await renderPreview(text, bytes("hello\r\n")), { kind: "text", preview: join(folder, "job-1.txt"), note: "" });
    assert.equal(readFileSync(join(folder, "job-1.txt"), "utf8"), "hello");
    const ps = bytes("%!PS\n/Helvetica findfont 20 scalefont setfont 72 700 moveto (Hi) show showpage\n");
    writeFileSync(join(folder, "job-2.prn"), ps);
    assert.deepEqual(await renderPreview(join(folder, "job-2.prn"), ps), { kind: "postscript", preview: join(folder, "job-2.png"), note: "page 1" });
    const png = readFileSync(join(folder, "job-2.png"));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(existsSync(join(folder, previewNoteName)), false);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a binary job is not previewed; a long text job previews only its first pages from its first bytes", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-preview-"));
  try {
    const random = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0, x = 7; i < random.length; i++) random[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    assert.equal(looksBinary(random), true);
    assert.deepEqual(await renderPreview(join(folder, "job-1.prn"), random), { kind: "binary", preview: undefined,
      note: "binary, 5242880 bytes, not previewed" });
    assert.equal(existsSync(join(folder, "job-1.txt")), false, "no 6.7 MB text for a 5 MiB binary job");
    // PCL-style text with escape sequences, Latin-1 and form feeds is still text.
    assert.equal(looksBinary(bytes("\x1bE\x1b&l0OHello, Jos\xe9\r\n\f")), false);
    const long = bytes("a line of text\r\n".repeat(20_000));
    const { kind, preview, note } = await renderPreview(join(folder, "job-2.prn"), long);
    assert.deepEqual([kind, note], ["text", `pages 1-${previewPages} of its first ${previewInputBytes / 1024} KiB`]);
    const laidOut = readFileSync(preview, "utf8");
    assert.equal(laidOut.split("\n").filter((line) => line === "a line of text").length, previewPages * pageLines);
    assert.ok(Buffer.byteLength(laidOut) < previewInputBytes, `the preview is capped (${Buffer.byteLength(laidOut)} bytes)`);
    const fivePages = bytes("page\f".repeat(5));
    assert.equal((await renderPreview(join(folder, "job-3.prn"), fivePages)).note, "pages 1-3 of 5");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("without Ghostscript a PostScript job gets no image and the folder gets a note saying why", async () => {
  const folder = mkdtempSync(join(tmpdir(), "ftprint-preview-"));
  try {
    const ps = bytes("%!PS\nshowpage\n");
    writeFileSync(join(folder, "job-1.prn"), ps);
    assert.deepEqual(await renderPreview(join(folder, "job-1.prn"), ps, { gs: join(folder, "no-such-gs") }),
      { kind: "postscript", preview: undefined, note: "PostScript, not rendered (no Ghostscript)" });
    assert.equal(existsSync(join(folder, "job-1.png")), false);
    assert.match(readFileSync(join(folder, previewNoteName), "utf8"), /Ghostscript \(gs\) is not installed/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
