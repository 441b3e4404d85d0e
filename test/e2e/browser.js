// What the page's end-to-end tests share: Debian's headless Chromium driven by playwright-core, and curl.

import { execFile, execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

/** Chromium as this machine allows it: as root, offline (no background networking), no GPU. */
export function launchBrowser() {
  const executablePath = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  return chromium.launch({ executablePath, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"] });
}

/** Runs curl (20 s at most); resolves with { code, stdout } (never rejects on curl's own exit codes). */
export function curl(...args) {
  return new Promise((resolve) => {
    execFile("curl", ["-s", "--max-time", "20", ...args], { encoding: "latin1" }, (error, stdout) =>
      resolve({ code: error ? error.code : 0, stdout }));
  });
}
