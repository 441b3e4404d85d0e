// The setup page ("/setup"): the form, grouped, with what each field holds now. Pure: every value goes through
// escapeHtml and the password inputs are always empty. It never reloads itself (it would throw away what is typed).

import type { SavedValues } from "device/preferences";
import { escapeHtml as e } from "./html.js";
import { frame, type Notice } from "./frame.js";
import { setupFields, type SetupField } from "./setupForm.js";

function fieldHtml(field: SetupField, current: SavedValues): string {
  const label = `<span>${e(field.label)}${field.applies === "restart" ? " *" : ""}</span>`;
  const value = current[field.name];
  if (field.choices) {
    let options = "";
    for (const choice of field.choices)
      options += `<option${String(value) === choice ? " selected" : ""}>${e(choice)}</option>`;
    return `<label>${label}<select name="${e(field.name)}">${options}</select></label>`;
  }
  if (field.secret) return `<label>${label}<input type="password" name="${e(field.name)}" value="" placeholder="unchanged" autocomplete="new-password"></label>`;
  const numeric = field.number ? ` inputmode="numeric"` : "";
  return `<label>${label}<input name="${e(field.name)}" value="${e(value ?? "")}"${numeric}></label>`;
}

export interface SetupPageOptions {
  deviceName: string;
  printerState: string;
  printouts: boolean;
}

export function renderSetupPage(current: SavedValues, notice: Notice | undefined, options: SetupPageOptions): string {
  let body = `<section><form method="post" action="/setup" id="setup">`;
  let open = false;
  for (const field of setupFields) {
    if (field.group) {
      body += `${open ? "</fieldset>" : ""}<fieldset><legend>${e(field.group)}</legend>`;
      open = true;
    }
    body += fieldHtml(field, current);
  }
  body += `${open ? "</fieldset>" : ""}<button type="submit">Save</button></form>` +
    `<p class="hint">* applies after a restart; the device name applies at once (the FTP greeting shows it after a restart). ` +
    `Passwords are never shown; leave them empty to keep them.</p></section>`;
  return frame({ deviceName: options.deviceName, printerState: options.printerState, tab: "setup", printouts: options.printouts,
    refreshSeconds: 0, notice }, body);
}
