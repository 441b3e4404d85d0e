// The status page and the printouts in a real headless Chromium (Debian's, driven by playwright-core) on our
// simulator, whose virtual printer renders what it prints: jobs printed over FTP show up with their previews, and
// the pages fit a phone's width. Screenshots go to test-results/ (web-page.png, web-printouts.png,
// web-page-phone.png, ...; docs/ keeps copies). The setup form on both simulators is setupPage.test.js; the
// HTTP-level answers, http.test.js.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, curl } from "./browser.js";
import { startSimulator } from "./simulator.js";
import { freePort } from "./printClients.js";

const root = new URL("../../", import.meta.url).pathname;
const results = join(root, "test-results");



const textJob = "Quarterly report\r\nline two <b>&amp;</b>\r\n\f";
const postScriptJob = "%!PS\n/Helvetica findfont 28 scalefont setfont 72 700 moveto (ftprint test page) show showpage\n";

describe("the status and setup page in a real browser", () => {
  const data = mkdtempSync(join(tmpdir(), "ftprint-data-"));
  const files = mkdtempSync(join(tmpdir(), "ftprint-jobs-"));
  let browser;
  let simulator;

  before(async () => {
    mkdirSync(results, { recursive: true });
    writeFileSync(join(files, "report.txt"), textJob);
    writeFileSync(join(files, "page.ps"), postScriptJob);
    browser = await launchBrowser();
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await simulator?.stop();
      rmSync(data, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    }
  });

  it("shows printed jobs and their previews, at desktop and phone widths (the setup form: setupPage.test.js)", async () => {
    const httpPort = await freePort();
    simulator = await startSimulator(["--http-port", String(httpPort), "--data", data], { printer: "parallel" });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const url = `http://127.0.0.1:${httpPort}/`;

    // Print a text job and a PostScript job over FTP; the virtual printer renders both once each job has printed.
    assert.equal((await curl("-T", join(files, "report.txt"), `ftp://127.0.0.1:${simulator.port}/PORT1/report.txt`)).code, 0);
    await simulator.waitForLog(/virtual printer: preview .*job-1\.txt$/, { timeoutMs: 30000 });
    assert.equal((await curl("-T", join(files, "page.ps"), `ftp://127.0.0.1:${simulator.port}/PORT1/page.ps`)).code, 0);
    await simulator.waitForLog(/virtual printer: preview .*job-2\.png$/, { timeoutMs: 30000 });

    const first = await page.goto(url);
    assert.equal(first.status(), 200);
    assert.equal(await page.textContent("#device"), "ftprint");
    assert.deepEqual([await page.textContent("#printer b"), await page.textContent("#printer span")], ["ready", "IEEE 1284 parallel"]);
    assert.equal(await page.textContent("#counters b"), "2 jobs");
    assert.match(await page.textContent("#counters span"), /^\d+ B in all; 0 aborted, 0 removed$/);
    const recent = await page.$$eval("#recent tr", (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
    assert.deepEqual(recent.slice(1).map((cells) => [cells[0], cells[1], cells[5], cells[6]]),
      [["2", "page.ps", "printed", "printout"], ["1", "report.txt", "printed", "printout"]]);
    const stylesheet = await page.evaluate(() => getComputedStyle(document.querySelector("header")).backgroundColor);
    assert.equal(stylesheet, "rgb(30, 40, 53)", "/style.css applied");
    await page.screenshot({ path: join(results, "web-page.png"), fullPage: true });

    // The printouts, named by job id: the PostScript job's first page (Ghostscript) is an image the browser decodes.
    await page.click('nav a[href="/printouts"]');
    assert.deepEqual(await page.$$eval("figure.card", (cards) => cards.map((card) => card.id)), ["job-2", "job-1"]);
    const image = await page.waitForFunction(() => {
      const img = document.querySelector('img[src="/printouts/job-2.png"]');
      return img && img.complete && img.naturalWidth;
    }, null, { timeout: 20000 });
    assert.ok((await image.jsonValue()) > 100, "the preview image decodes");
    const laidOut = await (await page.request.get(`${url}printouts/job-1.txt`)).text();
    assert.equal(laidOut, "Quarterly report\nline two <b>&amp;</b>", "the text job as the printer laid it out");
    assert.equal(await (await page.request.get(`${url}printouts/job-1.prn`)).text(), textJob, "and the bytes it printed");
    await page.screenshot({ path: join(results, "web-printouts.png"), fullPage: true });

    // The same pages at a phone's width: nothing wider than the screen.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    for (const [path, shot] of [["", "web-page-phone.png"], ["setup", "web-setup-phone.png"], ["printouts", "web-printouts-phone.png"]]) {
      await phone.goto(url + path);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `/${path} fits a 390 px screen (${width} px)`);
      await phone.screenshot({ path: join(results, shot), fullPage: true });
    }
    await phone.close();

    await page.close();
  });
});

// Tests that start a simulator of their own with what only ours has (a page port held by the test, the lin socket
// profile, the virtual printer's previews). The HTTP answers both simulators give are in http.test.js, the setup
// page in the browser on both in setupPage.test.js.
describe("the page on our simulator only", () => {
  it("a page port already taken is logged and FTP printing goes on", async () => {
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen(0, resolve));
    const taken = blocker.address().port;
    const other = await startSimulator(["--http-port", String(taken)]);
    try {
      await other.waitForLog(new RegExp(`^web page could not start on port ${taken}: `));
      const file = join(tmpdir(), `ftprint-web-${process.pid}.txt`);
      writeFileSync(file, "still printing\r\n");
      assert.equal((await curl("-T", file, `ftp://127.0.0.1:${other.port}/PORT1/x.txt`)).code, 0);
      await other.waitForLog(/job 1 "x.txt" printed/);
      rmSync(file, { force: true });
    } finally {
      await other.stop();
      blocker.close();
    }
  });

  it("over the lin profile's 1536-byte sockets the page and a preview image arrive whole, in many writes", async () => {
    const httpPort = await freePort();
    const lin = await startSimulator(["--http-port", String(httpPort), "--profile", "lin"], { printer: "parallel" });
    const file = join(tmpdir(), `ftprint-web-${process.pid}.ps`);
    try {
      writeFileSync(file, postScriptJob);
      assert.equal((await curl("-T", file, `ftp://127.0.0.1:${lin.port}/PORT1/page.ps`)).code, 0);
      const line = await lin.waitForLog(/virtual printer: preview .*job-1\.png$/, { timeoutMs: 30000 });
      const png = await new Promise((resolve, reject) => execFile("curl", ["-s", "--max-time", "20", `http://127.0.0.1:${httpPort}/printouts/job-1.png`],
        { encoding: "buffer", maxBuffer: 1 << 24 }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
      const onDisk = readFileSync(/preview (.*)$/.exec(line)[1]);
      assert.ok(onDisk.length > 1536, `the image needs several writes (${onDisk.length} bytes)`);
      assert.deepEqual(png, onDisk);
      const page = await curl("-i", `http://127.0.0.1:${httpPort}/`);
      const [head, body] = page.stdout.split("\r\n\r\n");
      assert.equal(Number(/content-length: (\d+)/.exec(head)[1]), Buffer.byteLength(body, "latin1"));
      assert.match(body, /page\.ps/);
      const printouts = await curl(`http://127.0.0.1:${httpPort}/printouts`);
      assert.match(printouts.stdout, /<img src="\/printouts\/job-1\.png"/);
    } finally {
      rmSync(file, { force: true });
      await lin.stop();
    }
  });
});
