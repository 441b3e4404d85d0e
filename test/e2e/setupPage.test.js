// The status and setup page in a real browser (Debian's headless Chromium, driven by playwright-core), on both
// simulators, with the file printer port: a job printed over FTP is listed, the setup form saves, bad input is
// refused with a clear 400, and the settings survive a restart (new device name on the page, the new FTP login
// works with curl). The virtual printer's previews, which only our simulator has, are in webPage.test.js.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser, curl } from "./browser.js";
import { startSimulator } from "./simulator.js";
import { freePort } from "./printClients.js";


describe("the setup page in a real browser", () => {
  const data = mkdtempSync(join(tmpdir(), "ftprint-data-"));
  const files = mkdtempSync(join(tmpdir(), "ftprint-jobs-"));
  let browser, simulator;

  before(async () => {
    writeFileSync(join(files, "report.txt"), "Quarterly report\r\n\f");
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

  it("lists a printed job, saves the setup, refuses bad input, and keeps the settings across a restart", async () => {
    const httpPort = await freePort();
    simulator = await startSimulator(["--http-port", String(httpPort), "--data", data]);
    const url = `http://127.0.0.1:${simulator.ports.http}/`;
    assert.equal((await curl("-T", join(files, "report.txt"), `ftp://127.0.0.1:${simulator.port}/PORT1/report.txt`)).code, 0);
    await simulator.waitForLog(/job \d+ "report\.txt" printed/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const first = await page.goto(url);
    assert.equal(first.status(), 200);
    assert.equal(await page.textContent("#device"), "ftprint");
    assert.equal(await page.textContent("#printer b"), "ready");
    const recent = await page.$$eval("#recent tr", (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
    assert.deepEqual(recent.slice(1).map((cells) => [cells[1], cells[5]]), [["report.txt", "printed"]]);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("header")).backgroundColor), "rgb(30, 40, 53)",
      "/style.css applied");

    await page.click('nav a[href="/setup"]');
    await page.fill('input[name="deviceName"]', "Office Printer");
    await page.fill('input[name="ftpUser"]', "bob");
    await page.fill('input[name="ftpPassword"]', "s3cret-pass");
    const [saved] = await Promise.all([page.waitForNavigation(), page.click('#setup button[type="submit"]')]);
    assert.equal(saved.status(), 200);
    assert.match(await page.textContent("#notice"), /^Saved: deviceName, ftpUser, ftpPassword\. Restart the device/);
    assert.equal(await page.textContent("#device"), "Office Printer", "the device name applies at once");
    assert.equal((await page.content()).includes("s3cret-pass"), false, "the password is never echoed");

    await page.fill('input[name="printerBaud"]', "fast");
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('#setup button[type="submit"]')]);
    assert.equal(refused.status(), 400);
    assert.equal(await page.textContent("#notice"), "Not saved. Serial baud rate: must be a whole number from 300 to 2000000");

    await simulator.stop();
    simulator = await startSimulator(["--http-port", String(httpPort), "--data", data]);
    const again = await page.goto(url + "setup");
    assert.equal(again.status(), 200);
    assert.equal(await page.textContent("#device"), "Office Printer");
    assert.equal(await page.inputValue('input[name="ftpUser"]'), "bob");
    assert.equal(await page.inputValue('input[name="printerBaud"]'), "9600", "the refused baud rate was not saved");
    const ftp = `ftp://127.0.0.1:${simulator.port}/PORT1/report.txt`;
    const log = () => `; the simulator's log ends:\n${simulator.log.slice(-20).join("\n")}`;
    const anonymous = await curl("-v", "-T", join(files, "report.txt"), ftp);
    assert.equal(anonymous.code, 67, `anonymous is refused now (curl's 67: login denied)${log()}`);
    const bob = await curl("-u", "bob:s3cret-pass", "-T", join(files, "report.txt"), ftp);
    assert.equal(bob.code, 0, `the saved login works${log()}`);
    await simulator.waitForLog(/job \d+ "report\.txt" printed/);
    await page.close();
  });
});
