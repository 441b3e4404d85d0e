// What every page shares: the head (stylesheet link, an optional self-refresh), the bar with the device name and
// the printer's state, the tabs, a notice, the footer; and the small formatters the pages use. Pure: every value
// from outside goes through escapeHtml.

import { escapeHtml as e } from "./html.js";

export interface Notice {
  error: boolean;
  text: string;
}

export type Tab = "status" | "printouts" | "setup";

export interface FrameOptions {
  deviceName: string;
  /** The printer's state as the status names it ("ready", "paper out"...). */
  printerState: string;
  tab: Tab;
  /** The host has a printout shelf (the simulator): the Printouts tab is shown. */
  printouts: boolean;
  /** Seconds until the page reloads itself (at "/" or its own route), or 0 for never. */
  refreshSeconds: number;
  notice?: Notice | undefined;
}

const tabs: readonly (readonly [Tab, string, string])[] = Object.freeze([
  Object.freeze(["status", "/", "Status"] as const),
  Object.freeze(["printouts", "/printouts", "Printouts"] as const),
  Object.freeze(["setup", "/setup", "Setup"] as const),
]);

/** The CSS class that colours a state, a job state or an outcome: ok (green), run (blue), bad (red), warn (amber). */
export function tone(word: string): string {
  switch (word) {
    case "ready":
    case "printed":
      return "ok";
    case "busy":
    case "printing":
    case "receiving":
      return "run";
    case "offline":
    case "paper out":
    case "error":
      return "bad";
    case "aborted":
    case "client lost":
    case "removed":
    case "incomplete":
      return "warn";
    default:
      return "";
  }
}

/** A byte count for people: "512 B", "12.3 KiB", "5.0 MiB". */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function frame(options: FrameOptions, body: string): string {
  const url = options.tab === "status" ? "/" : `/${options.tab}`;
  let html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`;
  if (options.refreshSeconds > 0) html += `<meta http-equiv="refresh" content="${options.refreshSeconds};url=${url}">`;
  html += `<title>${e(options.deviceName)}</title><link rel="stylesheet" href="/style.css"></head><body><header><div class="top">` +
    `<b id="device">${e(options.deviceName)}</b><span class="b ${tone(options.printerState)}" id="state">${e(options.printerState)}</span></div><nav>`;
  for (const [tab, href, label] of tabs) {
    if (tab === "printouts" && !options.printouts) continue;
    html += `<a href="${href}"${tab === options.tab ? ` class="on"` : ""}>${label}</a>`;
  }
  html += "</nav></header><main>";
  if (options.notice) html += `<p class="note${options.notice.error ? " error" : ""}" id="notice">${e(options.notice.text)}</p>`;
  return html + body + `</main><footer>${options.refreshSeconds > 0 ? `This page reloads every ${options.refreshSeconds} s while a job prints. ` : ""}` +
    `<a href="/status.json">status.json</a></footer></body></html>`;
}
