// The status and setup page as one HTML string, and /status.json. Pure: every value from outside goes through
// escapeHtml, and secrets are never written (the password inputs are always empty). A few KB per request.

import type { SavedValues } from "../device/preferences.js";
import { escapeHtml as e } from "./html.js";
import type { Printout } from "./printouts.js";
import { setupFields, type SetupField } from "./setupForm.js";
import type { JobView, StatusView, WifiView } from "./status.js";

export interface Notice {
  error: boolean;
  text: string;
}

export interface PrintoutsView {
  items: Printout[];
  note: string | undefined;
}

const style = "body{font:14px sans-serif;margin:1em;max-width:52em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}" +
  ".error{color:#a00}.ok{color:#060}label{display:block;margin:4px 0}input,select{margin-left:6px}img{border:1px solid #999;max-width:100%}" +
  ".paper{width:82ch;height:24em;border:1px solid #999;background:#fff;display:block}";

function jobRows(jobs: JobView[], last: "state" | "outcome", removable: boolean): string {
  if (jobs.length === 0) return "<p>none</p>";
  let rows = `<table><tr><th>id</th><th>from</th><th>owner</th><th>name</th><th>received</th><th>printed</th><th>${last}</th>${removable ? "<th></th>" : ""}</tr>`;
  for (const job of jobs) {
    rows += `<tr><td>${e(job.id)}</td><td>${e(job.source)}</td><td>${e(job.owner)}</td><td>${e(job.name)}</td>` +
      `<td>${e(job.bytesReceived)}</td><td>${e(job.bytesPrinted)}</td><td>${e(job[last] ?? "")}</td>`;
    if (removable) rows += `<td><form method="post" action="/remove"><input type="hidden" name="id" value="${e(job.id)}"><button>remove</button></form></td>`;
    rows += "</tr>";
  }
  return rows + "</table>";
}

function fieldHtml(field: SetupField, current: SavedValues): string {
  const label = `${e(field.label)}${field.applies === "restart" ? " *" : ""}`;
  const value = current[field.name];
  if (field.choices) {
    let options = "";
    for (const choice of field.choices)
      options += `<option${String(value) === choice ? " selected" : ""}>${e(choice)}</option>`;
    return `<label>${label}<select name="${e(field.name)}">${options}</select></label>`;
  }
  if (field.secret) return `<label>${label}<input type="password" name="${e(field.name)}" value="" placeholder="unchanged" autocomplete="new-password"></label>`;
  return `<label>${label}<input name="${e(field.name)}" value="${e(value ?? "")}"></label>`;
}

function printoutsHtml(printouts: PrintoutsView | undefined): string {
  if (!printouts) return "";
  let html = "<h2>What the printer printed</h2>";
  if (printouts.note) html += `<p>${e(printouts.note)}</p>`;
  if (printouts.items.length === 0) return html + "<p>nothing yet</p>";
  html += "<ul>";
  for (const item of printouts.items) {
    const href = `/printouts/${encodeURIComponent(item.name)}`;
    html += item.kind === "image"
      ? `<li><a href="${e(href)}">${e(item.name)}</a><br><img src="${e(href)}" alt="${e(item.name)}" width="300"></li>`
      : `<li><a href="${e(href)}">${e(item.name)}</a> (${e(item.bytes)} bytes of laid-out text)<br>` +
        `<iframe class="paper" src="${e(href)}" title="${e(item.name)}"></iframe></li>`;
  }
  return html + "</ul>";
}

function wifiHtml(wifi: WifiView | null): string {
  if (!wifi) return "";
  let html = `<h2>Wi-Fi</h2><p id="wifi">network ${wifi.network ? `<b>${e(wifi.network)}</b>` : "none"}: ${e(wifi.state)}`;
  if (wifi.address) html += `, address ${e(wifi.address)}`;
  if (wifi.lastFailure) html += ` (last failure: ${e(wifi.lastFailure)})`;
  html += "</p>";
  if (wifi.accessPoint)
    html += `<p id="access-point">own access point <b>${e(wifi.accessPoint.ssid)}</b> open at ${e(wifi.accessPoint.address ?? "?")}: ` +
      "set the network below to join it</p>";
  return html;
}

export function renderPage(status: StatusView, current: SavedValues, notice: Notice | undefined, printouts: PrintoutsView | undefined): string {
  let html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${e(status.deviceName)}</title><style>${style}</style></head><body><h1>${e(status.deviceName)}</h1>`;
  if (notice) html += `<p class="${notice.error ? "error" : "ok"}" id="notice">${e(notice.text)}</p>`;
  html += `<h2>Printer</h2><p id="printer">${e(status.printer.description)}: <b>${e(status.printer.state)}</b></p>` +
    `<p id="counters">jobs printed ${e(status.jobsPrinted)}, aborted ${e(status.jobsAborted)}, removed ${e(status.jobsRemoved)}; ` +
    `bytes printed ${e(status.bytesPrinted)}</p>${wifiHtml(status.wifi)}<h2>Services</h2>`;
  if (status.services.length === 0) html += "<p>none</p>";
  else {
    html += "<table><tr><th>service</th><th>port</th><th>sessions in use</th></tr>";
    for (const service of status.services)
      html += `<tr><td>${e(service.name)}</td><td>${e(service.port)}</td><td>${e(service.sessionsInUse ?? "-")}</td></tr>`;
    html += "</table>";
  }
  html += `<h2>Queue</h2><div id="queue">${jobRows(status.queue, "state", true)}</div>` +
    `<h2>Recent jobs</h2><div id="recent">${jobRows(status.recent, "outcome", false)}</div>` +
    printoutsHtml(printouts) +
    `<h2>Setup</h2><form method="post" action="/setup" id="setup">`;
  for (const field of setupFields) html += fieldHtml(field, current);
  html += `<button type="submit">Save</button></form><p>* applies after a restart; the device name applies at once ` +
    `(the FTP greeting shows it after a restart). Passwords are never shown; leave them empty to keep them.</p>` +
    `<p><a href="/status.json">status.json</a></p></body></html>`;
  return html;
}

export function renderStatusJson(status: StatusView): string {
  return JSON.stringify(status);
}
