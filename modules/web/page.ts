// The status page ("/") and /status.json. Pure: every value from outside goes through escapeHtml. Status at a glance
// (tiles), the queue with each job's progress and a remove button, the recent jobs, the services, the Wi-Fi. It
// reloads itself while something prints. A few KB per request.

import { escapeHtml as e } from "./html.js";
import { frame, size, tone, type Notice } from "./frame.js";
import type { JobView, StatusView, WifiView } from "./status.js";

export type { Notice } from "./frame.js";

/** How often the status page reloads itself while a job is queued or printing. */
export const statusRefreshSeconds = 3;

export interface StatusPageOptions {
  /** The host keeps printouts (the simulator): recent jobs link to theirs. */
  printouts: boolean;
  /** Printouts still being made: the page keeps reloading until they are on the shelf. */
  printoutsPending: number;
}

function badge(word: string): string {
  return `<span class="b ${tone(word)}">${e(word)}</span>`;
}

function progress(job: JobView): string {
  return `${e(size(job.bytesPrinted))} printed of ${e(size(job.bytesReceived))} received`;
}

/** The head job is printing whether or not its client is still sending (the spool's "receiving" and "printing"). */
function shownState(job: JobView): string {
  return job.state === "receiving" ? "printing" : job.state ?? "";
}

function queueTable(jobs: JobView[]): string {
  if (jobs.length === 0) return `<p class="none">No jobs waiting.</p>`;
  let html = `<table><tr><th>job</th><th>name</th><th class="w">from</th><th class="w">owner</th><th>printed of received</th><th>state</th><th></th></tr>`;
  for (const job of jobs) {
    const started = job.state !== "waiting";
    html += `<tr><td>${e(job.id)}</td><td>${e(job.name)}</td><td class="w">${e(job.source)}</td><td class="w">${e(job.owner)}</td>` +
      `<td class="progress" data-printed="${e(job.bytesPrinted)}" data-received="${e(job.bytesReceived)}">` +
      `${started ? `${e(size(job.bytesPrinted))} of ${e(size(job.bytesReceived))}` : "-"}</td>` +
      `<td>${badge(shownState(job))}</td><td><form method="post" action="/remove"><input type="hidden" name="id" value="${e(job.id)}">` +
      `<button title="remove job ${e(job.id)}">remove</button></form></td></tr>`;
  }
  return html + "</table>";
}

function recentTable(jobs: JobView[], printouts: boolean): string {
  if (jobs.length === 0) return `<p class="none">Nothing printed yet.</p>`;
  let html = `<table><tr><th>job</th><th>name</th><th class="w">from</th><th class="w">owner</th><th class="n">printed</th><th>outcome</th>` +
    `${printouts ? "<th></th>" : ""}</tr>`;
  for (const job of jobs) {
    html += `<tr><td>${e(job.id)}</td><td>${e(job.name)}</td><td class="w">${e(job.source)}</td><td class="w">${e(job.owner)}</td>` +
      `<td class="n">${e(size(job.bytesPrinted))}</td><td>${badge(job.outcome ?? "")}</td>`;
    if (printouts) html += `<td>${job.bytesPrinted > 0 ? `<a href="/printouts#job-${e(job.id)}">printout</a>` : ""}</td>`;
    html += "</tr>";
  }
  return html + "</table>";
}

function wifiSection(wifi: WifiView | null): string {
  if (!wifi) return "";
  let html = `<section><h2>Wi-Fi</h2><p id="wifi">network ${wifi.network ? `<b>${e(wifi.network)}</b>` : "none"}: ${e(wifi.state)}`;
  if (wifi.address) html += `, address ${e(wifi.address)}`;
  if (wifi.lastFailure) html += ` (last failure: ${e(wifi.lastFailure)})`;
  html += "</p>";
  if (wifi.accessPoint)
    html += `<p id="access-point">own access point <b>${e(wifi.accessPoint.ssid)}</b> open at ${e(wifi.accessPoint.address ?? "?")}: ` +
      `<a href="/setup">set the network</a> to join it</p>`;
  return html + "</section>";
}

/** Whether the status page should keep reloading: a job is queued or printing, or a printout is still being made. */
export function somethingPrints(status: StatusView, printoutsPending: number): boolean {
  return status.queue.length > 0 || printoutsPending > 0;
}

export function renderStatusPage(status: StatusView, notice: Notice | undefined, options: StatusPageOptions): string {
  const printing = status.queue[0];
  const waiting = status.queue.length - (printing && printing.state !== "waiting" ? 1 : 0);
  let body = `<div class="tiles"><div id="printer"><small>Printer</small><b class="${tone(status.printer.state)}">${e(status.printer.state)}</b>` +
    `<span>${e(status.printer.description)}</span></div><div id="now"><small>Printing</small>`;
  body += printing && printing.state !== "waiting"
    ? `<b class="run">job ${e(printing.id)}</b><span>${progress(printing)}</span>`
    : `<b>idle</b><span>nothing printing</span>`;
  body += `</div><div id="waiting"><small>Queue</small><b>${waiting}</b><span>job${waiting === 1 ? "" : "s"} waiting</span></div>` +
    `<div id="counters"><small>Printed</small><b>${e(status.jobsPrinted)} job${status.jobsPrinted === 1 ? "" : "s"}</b>` +
    `<span>${e(size(status.bytesPrinted))} in all; ${e(status.jobsAborted)} aborted, ${e(status.jobsRemoved)} removed</span></div></div>` +
    `<section><h2>Queue</h2><div id="queue">${queueTable(status.queue)}</div></section>` +
    `<section><h2>Recent jobs</h2><div id="recent">${recentTable(status.recent, options.printouts)}</div></section>` +
    `<section><h2>Services</h2>`;
  if (status.services.length === 0) body += `<p class="none">none</p>`;
  else {
    body += `<table id="services"><tr><th>service</th><th class="n">port</th><th class="n">sessions in use</th></tr>`;
    for (const service of status.services)
      body += `<tr><td>${e(service.name)}</td><td class="n">${e(service.port)}</td><td class="n">${e(service.sessionsInUse ?? "-")}</td></tr>`;
    body += "</table>";
  }
  body += `</section>${wifiSection(status.wifi)}`;
  const refresh = somethingPrints(status, options.printoutsPending) ? statusRefreshSeconds : 0;
  return frame({ deviceName: status.deviceName, printerState: status.printer.state, tab: "status", printouts: options.printouts,
    refreshSeconds: refresh, notice }, body);
}

export function renderStatusJson(status: StatusView): string {
  return JSON.stringify(status);
}
