// The setup page's pure core on both engines (Node and XS): form parsing and validation, HTML escaping, the page
// and its UTF-8 bytes. No sockets: these use the host only for its end-of-scenario checks. Engine-neutral.

import { escapeHtml } from "web/html";
import { parseFormBody, validateSetup } from "web/setupForm";
import { renderStatusPage } from "web/page";
import { renderSetupPage } from "web/setupPage";
import { utf8Bytes, utf8Length } from "web/utf8";
import { equal, match, ok } from "../xs-host/assert.js";

const status = {
  deviceName: "Büro <1>", printer: { description: "IEEE 1284 parallel", state: "ready" }, jobsPrinted: 1, jobsAborted: 0,
  jobsRemoved: 0, bytesPrinted: 10, services: [{ name: "ftp", port: 21, sessionsInUse: 1 }],
  queue: [], recent: [{ id: 1, source: "ftp", owner: "a\"b", name: "<x>.txt", bytesReceived: 10, bytesPrinted: 10, outcome: "printed" }],
};

export const webScenarios = [
  {
    name: "web: the setup form parses, validates and refuses with the field's rule",
    run() {
      const fields = parseFormBody("deviceName=Lab+2&printer=serial&printerBaud=19200&ftpPassword=&x=%C3%A9");
      equal(fields.deviceName, "Lab 2", "+ is a space");
      equal(fields.x, "é", "%-escaped UTF-8");
      equal(parseFormBody("a=%E0%A4%A"), undefined, "a bad escape");
      const outcome = validateSetup({ deviceName: "Lab 2", printer: "serial", printerBaud: "19200", ftpPassword: "" }, false);
      equal(JSON.stringify(outcome), '{"values":{"deviceName":"Lab 2","printer":"serial","printerBaud":19200}}', "values");
      match(validateSetup({ printerBaud: "12" }, false).error, /^Serial baud rate: must be a whole number from 300 to 2000000$/, "baud");
      match(validateSetup({ printer: "laser" }, false).error, /^Printer port: must be one of /, "port");
    },
  },
  {
    name: "web: the page escapes what clients chose and its UTF-8 bytes are counted right",
    run() {
      equal(escapeHtml(`<a href="x">'&`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;", "escapes");
      const html = renderStatusPage(status, { error: true, text: "<b>no</b>" }, { printouts: false, printoutsPending: 0 });
      ok(!html.includes("<x>") && !html.includes("<b>no</b>") && html.includes("&lt;x&gt;.txt"), "escaped");
      match(html, /<b id="device">Büro &lt;1&gt;<\/b>/, "heading");
      ok(utf8Bytes(html).byteLength < 4096, `status page of ${utf8Bytes(html).byteLength} bytes`);
      const setup = renderSetupPage({ deviceName: "Büro <1>", printer: "parallel" }, undefined,
        { deviceName: "Büro <1>", printerState: "ready", printouts: false });
      const bytes = utf8Bytes(setup);
      equal(bytes.byteLength, utf8Length(setup), "length");
      equal(bytes.byteLength, setup.length + 3, "ü three times (title, heading, form), two bytes each");
      ok(bytes.byteLength < 4096, `setup page of ${bytes.byteLength} bytes`);
      equal(utf8Bytes("€😀").join(","), "226,130,172,240,159,152,128", "3- and 4-byte sequences");
    },
  },
];
