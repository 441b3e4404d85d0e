// Issue 12 end to end on the real simulator with its default virtual parallel printer: every printout is named by
// its job id (the one the page, lpq and the log show), however the printer ran the jobs (two sent back to back come
// out as one printout at the printer, a job that waits out paper-out as two); numbering continues after a restart;
// a long job's progress is on the page, which reloads itself meanwhile, and in the log. The page in headless
// Chromium while a job prints, at desktop and phone width (screenshots in test-results/, copies in docs/).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser } from "./browser.js";
import { startSimulator, sampleBytes } from "./simulator.js";
import { freePort } from "./printClients.js";

const root = new URL("../../", import.meta.url).pathname;
const results = join(root, "test-results");
const folder = mkdtempSync(join(tmpdir(), "ftprint-printouts-"));
after(() => rmSync(folder, { recursive: true, force: true }));

/** curl -T: resolves with curl's exit code (0: the 226 came), never rejects; curl gives up after 60 s. */
function upload(file, url, ...args) {
  return new Promise((resolve) => execFile("curl", ["-sS", "--max-time", "60", ...args, "-T", file, url], (error) => resolve(error ? error.code : 0)));
}

/** GET over HTTP with a timeout that fails with the URL. */
async function get(url, timeoutMs = 10000) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`GET ${url}: ${error.message} (within ${timeoutMs} ms)`);
  }
  return { status: response.status, text: await response.text() };
}

/** Polls `check` (sync or async) until it returns something truthy; fails naming `what` after `timeoutMs`. */
async function waitFor(what, check, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const shelved = (capture, id) => {
  const file = join(capture, `job-${id}.json`);
  return existsSync(file) && JSON.parse(readFileSync(file, "utf8"));
};

function payload(name, bytes) {
  const file = join(folder, name);
  writeFileSync(file, bytes);
  return file;
}

function textPayload(size, label) {
  let text = "";
  for (let line = 1; text.length < size; line++) text += `${label} line ${line}: the quick brown fox jumps over the lazy dog\r\n`;
  return Buffer.from(text.slice(0, size), "latin1");
}

async function statusJson(base) {
  return JSON.parse((await get(`${base}/status.json`)).text);
}

test("two jobs sent back to back: one printout at the printer, two files on the shelf named by their job ids, and the page says so", async () => {
  const httpPort = await freePort();
  const sim = await startSimulator(["--http-port", String(httpPort)], { printer: "parallel" });
  const base = `http://127.0.0.1:${httpPort}`;
  try {
    const first = textPayload(40_000, "first"), second = textPayload(20_000, "second");
    const ftp = `ftp://127.0.0.1:${sim.port}/PORT1`;
    // The second upload waits in the queue while the first prints, so it starts the moment the first has printed:
    // the printer never pauses between them.
    const one = upload(payload("first.txt", first), `${ftp}/first.txt`);
    await waitFor("job 1 in the queue", async () => (await statusJson(base)).queue.length === 1);
    const two = upload(payload("second.txt", second), `${ftp}/second.txt`);
    await waitFor("job 2 queued behind job 1", async () => (await statusJson(base)).queue.length === 2);
    assert.deepEqual(await Promise.all([one, two]), [0, 0]);
    const result = await sim.printed(first.length + second.length);
    assert.equal(result.violations, 0);
    const [meta1, meta2] = await waitFor("both printouts on the shelf", () => {
      const pair = [shelved(sim.capture, 1), shelved(sim.capture, 2)];
      return pair.every(Boolean) && pair;
    });
    assert.ok(readFileSync(join(sim.capture, "job-1.prn")).equals(first), "job-1.prn is job 1, byte for byte");
    assert.ok(readFileSync(join(sim.capture, "job-2.prn")).equals(second), "job-2.prn is job 2, byte for byte");
    assert.deepEqual([meta1.name, meta1.printedWith, meta1.parts, meta2.name, meta2.printedWith], ["first.txt", [2], 1, "second.txt", [1]]);
    const page = (await get(`${base}/printouts`)).text;
    assert.match(page, /<figure class="card" id="job-2">.*<b>job 2<\/b> second\.txt.*Run into one printout with job 1 by the printer/);
    assert.match(page, /<figure class="card" id="job-1">.*<b>job 1<\/b> first\.txt.*Run into one printout with job 2 by the printer/);
    const recent = (await statusJson(base)).recent.map((job) => [job.id, job.name]);
    assert.deepEqual(recent, [[2, "second.txt"], [1, "first.txt"]], "the ids the page shows are the files' names");
  } finally {
    await sim.stop();
  }
});

test("a job that waits out paper-out comes out of the printer as two printouts but is one file, and the page says it was split", async () => {
  const httpPort = await freePort();
  // Paper out after 20,000 bytes for 30 simulated seconds (3 s here): far longer than the printer's 2 s idle gap.
  const sim = await startSimulator(["--http-port", String(httpPort), "--paper-out-at", "20000", "--paper-out-for", "30", "--time-scale", "10"],
    { printer: "parallel" });
  try {
    const job = textPayload(60_000, "fault");
    assert.equal(await upload(payload("fault.txt", job), `ftp://127.0.0.1:${sim.port}/PORT1/fault.txt`), 0);
    const meta = await waitFor("job 1 on the shelf", () => shelved(sim.capture, 1));
    assert.ok(readFileSync(join(sim.capture, "job-1.prn")).equals(job), "every byte in one file");
    assert.deepEqual([meta.parts, meta.printedWith, meta.kind], [2, [], "text"]);
    const page = (await get(`http://127.0.0.1:${httpPort}/printouts`)).text;
    assert.match(page, /<b>job 1<\/b> fault\.txt.*Split by the printer into 2 printouts/);
    assert.match(page, /<iframe src="\/printouts\/job-1\.txt"/);
  } finally {
    await sim.stop();
  }
});

test("after a restart job ids, and so the printouts' names, continue after the highest one: nothing is overwritten", async () => {
  const capture = mkdtempSync(join(tmpdir(), "ftprint-kept-"));
  const httpPort = await freePort();
  const options = ["--http-port", String(httpPort), "--capture", capture];
  try {
    const before = Buffer.from("printed before the restart\r\n");
    let sim = await startSimulator(options, { printer: "parallel" });
    try {
      assert.equal(await upload(payload("before.txt", before), `ftp://127.0.0.1:${sim.port}/PORT1/before.txt`), 0);
      await waitFor("job 1 on the shelf", () => shelved(capture, 1));
    } finally {
      await sim.stop();
    }
    const afterwards = Buffer.from("printed after the restart\r\n");
    sim = await startSimulator(options, { printer: "parallel" });
    try {
      assert.equal(await upload(payload("after.txt", afterwards), `ftp://127.0.0.1:${sim.port}/PORT1/after.txt`), 0);
      const status = await statusJson(`http://127.0.0.1:${httpPort}`);
      assert.deepEqual(status.recent.map((job) => [job.id, job.name]), [[2, "after.txt"]], "the new run's first job is job 2");
      await waitFor("job 2 on the shelf", () => shelved(capture, 2));
      assert.ok(readFileSync(join(capture, "job-1.prn")).equals(before), "job 1's printout is as it was");
      assert.ok(readFileSync(join(capture, "job-2.prn")).equals(afterwards));
      assert.equal(readFileSync(join(capture, "job-1.txt"), "latin1"), "printed before the restart");
      const page = (await get(`http://127.0.0.1:${httpPort}/printouts`)).text;
      assert.deepEqual([...page.matchAll(/<figure class="card" id="([^"]+)">/g)].map((m) => m[1]), ["job-2", "job-1"], "newest first, no stale preview");
    } finally {
      await sim.stop();
    }
  } finally {
    rmSync(capture, { recursive: true, force: true });
  }
});

test("a long job: the page shows bytes printed of received and reloads itself until it is done, the log tells its progress, and a binary job is not previewed", async () => {
  const httpPort = await freePort();
  const sim = await startSimulator(["--http-port", String(httpPort)], { printer: "parallel" });
  const base = `http://127.0.0.1:${httpPort}`;
  const browser = await launchBrowser();
  try {
    mkdirSync(results, { recursive: true });
    const ftp = `ftp://127.0.0.1:${sim.port}/PORT1`;
    // Two small jobs first, so that the screenshots show recent jobs too.
    assert.equal(await upload(payload("memo.txt", textPayload(3000, "memo")), `${ftp}/memo.txt`), 0);
    const ps = "%!PS\n/Helvetica findfont 28 scalefont setfont 72 700 moveto (ftprint test page) show showpage\n";
    assert.equal(await upload(payload("page.ps", Buffer.from(ps)), `${ftp}/page.ps`), 0);
    // 1.5 MiB of binary at the printer's 150,000 B/s: about 10 s of printing, with a job waiting behind it.
    const size = 1536 * 1024;
    const big = upload(payload("scan.bin", sampleBytes(size, 77)), `${ftp}/scan.bin`);
    const status = await waitFor("job 3 printing", async () => {
      const now = await statusJson(base);
      return now.queue[0]?.id === 3 && now.queue[0].bytesPrinted > 0 && now;
    });
    assert.ok(status.queue[0].bytesPrinted <= status.queue[0].bytesReceived, JSON.stringify(status.queue[0]));
    const queued = upload(payload("after.txt", textPayload(2000, "after")), `${ftp}/after.txt`);
    await waitFor("job 4 queued", async () => (await statusJson(base)).queue.length === 2);
    const html = (await get(`${base}/`)).text;
    assert.match(html, /<meta http-equiv="refresh" content="3;url=\/">/, "the page reloads itself while printing");
    const [, printed, received] = /<td class="progress" data-printed="(\d+)" data-received="(\d+)">/.exec(html) ?? [];
    assert.ok(Number(printed) > 0 && Number(printed) <= Number(received), `progress ${printed} of ${received}`);
    assert.match(html, /<div id="now"><small>Printing<\/small><b class="run">job 3<\/b><span>[\d.]+ (KiB|MiB) printed of [\d.]+ (KiB|MiB) received<\/span>/);

    // The page in the browser, as it reloads itself: the progress moves on between two loads.
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await desktop.goto(`${base}/`);
    const firstSeen = Number(await desktop.getAttribute("#queue td.progress", "data-printed"));
    await desktop.waitForEvent("load", { timeout: 10000 });    // the meta refresh's navigation
    const nextSeen = Number(await desktop.getAttribute("#queue td.progress", "data-printed"));
    assert.ok(nextSeen > firstSeen, `after its own reload the page shows more printed (${firstSeen} → ${nextSeen})`);
    await desktop.screenshot({ path: join(results, "web-page-printing.png"), fullPage: true });
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/`);
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth) <= 390, "the status page fits a phone");
    await phone.screenshot({ path: join(results, "web-page-printing-phone.png"), fullPage: true });

    assert.deepEqual(await Promise.all([big, queued]), [0, 0]);
    await waitFor("jobs 3 and 4 on the shelf", () => shelved(sim.capture, 3) && shelved(sim.capture, 4));
    const meta = shelved(sim.capture, 3);
    assert.deepEqual([meta.kind, meta.preview, meta.note, meta.bytes], ["binary", "", `binary, ${size} bytes, not previewed`, size]);
    assert.equal(existsSync(join(sim.capture, "job-3.txt")), false, "no laid-out text of a binary job");
    const done = (await get(`${base}/`)).text;
    assert.ok(!done.includes('http-equiv="refresh"'), "nothing printing, nothing on its way: no more reloads");
    const printouts = (await get(`${base}/printouts`)).text;
    assert.match(printouts, new RegExp(`<div class="thumb bin">binary, ${size} bytes, not previewed</div><figcaption><b>job 3</b> scan\\.bin`));
    assert.ok(Buffer.byteLength(printouts) < 8192, `the printouts page stays small (${Buffer.byteLength(printouts)} bytes)`);
    for (const [view, shot] of [[desktop, "printouts-desktop.png"], [phone, "printouts-phone.png"]]) {
      await view.goto(`${base}/printouts`);
      await view.waitForFunction(() => [...document.images].every((image) => image.complete && image.naturalWidth > 0), null, { timeout: 20000 });
      assert.ok(await view.evaluate(() => document.documentElement.scrollWidth) <= view.viewportSize().width, `${shot}: no sideways scrolling`);
      await view.screenshot({ path: join(results, shot), fullPage: true });
    }

    // The firmware's progress lines: one at most every 5 s of the job's printing (the spool's clock is the wall
    // clock, and how long the job took depends on the machine's load), each a step forward, within the job.
    const progress = sim.log.map((line) => /^job 3: (\d+) bytes printed of (\d+) received$/.exec(line)).filter(Boolean)
      .map((match) => [Number(match[1]), Number(match[2])]);
    const printingMs = sim.timeOf(/^job 3 "scan\.bin" printed: /) - sim.timeOf(/^job 3 printing$/);
    assert.ok(progress.length <= Math.floor(printingMs / 5000), `${progress.length} progress lines in ${printingMs} ms`);
    if (printingMs >= 6000) assert.ok(progress.length >= 1, `no progress line in ${printingMs} ms:\n${sim.log.join("\n")}`);
    for (let i = 0; i < progress.length; i++) {
      const [done, got] = progress[i];
      assert.ok(done > 0 && done <= got && got <= size, `line ${i}: ${done} of ${got}`);
      if (i > 0) assert.ok(done > progress[i - 1][0], "each line a step forward");
    }
  } finally {
    await browser.close();
    await sim.stop();
  }
});
