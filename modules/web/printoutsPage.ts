// The printouts page ("/printouts", simulator only): what the virtual printer made of each job, newest first, as
// thumbnails (the image of a PostScript page, the first laid-out text pages scaled down, nothing for binary jobs),
// named by job id, saying when the printer split a job or ran jobs together. Pure: every value is escaped, every
// file name was checked by isPrintoutName on the shelf.

import { escapeHtml as e } from "./html.js";
import { frame, size } from "./frame.js";
import type { Printout } from "./printouts.js";

/** How often /printouts reloads itself while jobs print or their printouts are being made. */
export const printoutsRefreshSeconds = 5;

export interface PrintoutsView {
  items: Printout[];
  note: string | undefined;
  /** Jobs whose printout is still being made. */
  pending: number;
}

export interface PrintoutsPageOptions {
  deviceName: string;
  printerState: string;
  /** Jobs queued or printing now. */
  jobsQueued: number;
}

function jobList(ids: readonly number[]): string {
  let text = "";
  for (let i = 0; i < ids.length; i++) text += `${i === 0 ? "" : i === ids.length - 1 ? " and " : ", "}${ids[i]}`;
  return `job${ids.length === 1 ? "" : "s"} ${text}`;
}

function card(item: Printout): string {
  const title = item.job > 0 ? `job ${item.job}` : item.file.replace(".prn", "");
  const anchor = item.job > 0 ? `job-${item.job}` : title;
  const href = (name: string) => `/printouts/${e(name)}`;
  let html = `<figure class="card" id="${e(anchor)}">`;
  if (item.preview.endsWith(".png")) html += `<a class="thumb" href="${href(item.preview)}"><img src="${href(item.preview)}" alt="${e(title)}, page 1" loading="lazy"></a>`;
  else if (item.preview) html += `<a class="thumb" href="${href(item.preview)}"><iframe src="${href(item.preview)}" title="${e(title)}" loading="lazy" tabindex="-1"></iframe></a>`;
  else html += `<div class="thumb bin">${e(item.note || "not previewed")}</div>`;
  html += `<figcaption><b>${e(title)}</b> ${e(item.name)}</figcaption><p>${e(size(item.bytes))}${item.kind ? ` · ${e(item.kind)}` : ""}` +
    `${item.preview && item.note ? ` · ${e(item.note)}` : ""}${item.file ? ` · <a href="${href(item.file)}" download>raw</a>` : ""}</p>`;
  if (item.parts > 1)
    html += `<p class="j split">Split by the printer into ${e(item.parts)} printouts: it paused inside this job (a fault, or a slow sender).</p>`;
  if (item.printedWith.length > 0)
    html += `<p class="j merged">Run into one printout with ${e(jobList(item.printedWith))} by the printer (no pause between them).</p>`;
  return html + "</figure>";
}

export function renderPrintoutsPage(view: PrintoutsView, options: PrintoutsPageOptions): string {
  let body = `<section><h2>Printouts</h2>`;
  if (view.note) body += `<p class="hint" id="printouts-note">${e(view.note)}</p>`;
  if (view.items.length === 0) body += `<p class="none">Nothing printed yet.</p>`;
  else {
    body += `<div class="cards" id="printouts">`;
    for (const item of view.items) body += card(item);
    body += "</div>";
  }
  if (view.pending > 0) body += `<p class="hint">${e(view.pending)} more on the way.</p>`;
  body += "</section>";
  const refresh = options.jobsQueued > 0 || view.pending > 0 ? printoutsRefreshSeconds : 0;
  return frame({ deviceName: options.deviceName, printerState: options.printerState, tab: "printouts", printouts: true,
    refreshSeconds: refresh }, body);
}
