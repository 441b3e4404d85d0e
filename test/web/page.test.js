// The page's pure core (modules/web): form parsing and validation, escaping, the routing table and its answers.

import test from "node:test";
import assert from "node:assert/strict";
import { escapeHtml } from "../../build/modules/web/html.js";
import { parseFormBody, validateSetup, changedValues, needsRestart, setupFields, setupBodyMaxBytes } from "../../build/modules/web/setupForm.js";
import { answer, findRoute, routes } from "../../build/modules/web/routes.js";
import { renderPage } from "../../build/modules/web/page.js";
import { gatherStatus, ServicesStatus } from "../../build/modules/web/status.js";
import { createWebContext, valuesOf } from "../../build/modules/web/context.js";
import { utf8Bytes } from "../../build/modules/web/utf8.js";
import { readSettings } from "../../build/modules/device/settings.js";
import { overlayPreferences, SettingsStore, savedSettings, preferenceDomain } from "../../build/modules/device/preferences.js";

const hostile = `<script>alert("x")</script>&'`;

/** A spool as gatherStatus reads it. */
function fakeSpool({ jobs = [], history = [] } = {}) {
  const removed = [];
  return {
    port: { description: "IEEE 1284 parallel" }, printerState: 0,
    jobsPrinted: 3, jobsAborted: 1, jobsClientLost: 1, jobsRemoved: 2, bytesPrinted: 12345,
    jobs, history: () => history, removed,
    remove(id) { const found = jobs.some((job) => job.id === id); if (found) removed.push(id); return found; },
  };
}

/** A preference backend in memory, with the NVS rules that matter here. */
function memoryPreferences() {
  const domains = {};
  return {
    domains,
    get: (domain, key) => domains[domain]?.[key],
    set(domain, key, value) {
      if (key.length > 15 || domain.length > 15) throw new Error("nvs set fail");
      if (typeof value === "number" && !Number.isInteger(value)) throw new Error("float unsupported");
      (domains[domain] ??= {})[key] = value;
    },
    delete: (domain, key) => { delete domains[domain]?.[key]; },
    keys: (domain) => Object.keys(domains[domain] ?? {}),
  };
}

function context({ spool = fakeSpool(), config = { ftpUser: "alice", ftpPassword: "secret-ftp", wifiSsid: "home", wifiPassword: "secret-wifi" }, store, printouts } = {}) {
  const settings = readSettings(config, { ftpPort: 21, printer: "parallel", captureDirectory: "/tmp/" });
  const services = new ServicesStatus();
  services.add({ name: "ftp", port: 21, sessionsInUse: () => 2 });
  services.add({ name: "lpd", port: 515, sessionsInUse: () => { throw new Error("not ready"); } });
  return createWebContext({ io: {}, port: 80, spool, services, settings, store, printouts, log() {} });
}

test("escapeHtml escapes the five characters that matter in text and quoted attributes", () => {
  assert.equal(escapeHtml(hostile), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
  assert.equal(escapeHtml(42), "42");
});

test("parseFormBody decodes + and %-escapes, keeps empty values, and refuses a bad escape", () => {
  assert.deepEqual(parseFormBody("deviceName=Office+Printer&ftpUser=&x=%3Cb%3E%26"), { deviceName: "Office Printer", ftpUser: "", x: "<b>&" });
  assert.deepEqual(parseFormBody(""), {});
  assert.equal(parseFormBody("a=%E0%A4%A"), undefined);
});

test("validateSetup accepts every field in range and turns numbers into integers", () => {
  const outcome = validateSetup({ deviceName: "Lab-2", ftpUser: "bob", ftpPassword: "pw", printer: "serial", printerBaud: "19200",
    handshake: "busy", printerSpeed: "0", wifiSsid: "My Net", wifiPassword: "longenough" }, false);
  assert.deepEqual(outcome, { values: { deviceName: "Lab-2", ftpUser: "bob", ftpPassword: "pw", printer: "serial", printerBaud: 19200,
    handshake: "busy", printerSpeed: 0, wifiSsid: "My Net", wifiPassword: "longenough" } });
});

test("validateSetup names the field and the rule for bad input", () => {
  const error = (fields, saved = false) => validateSetup(fields, saved).error;
  assert.match(error({ printer: "laser" }), /^Printer port: must be one of parallel, parallel595, serial, file, discard$/);
  assert.match(error({ printerBaud: "9600.5" }), /^Serial baud rate: must be a whole number from 300 to 2000000$/);
  assert.match(error({ printerBaud: "100" }), /from 300 to 2000000/);
  assert.match(error({ handshake: "rts" }), /^Serial handshake: must be one of xonxoff, busy, none$/);
  assert.match(error({ deviceName: "" }), /^Device name: 1 to 32/);
  assert.match(error({ deviceName: "<b>" }), /^Device name:/);
  assert.match(error({ wifiPassword: "short" }), /^Wi-Fi password: 8 to 63/);
  assert.match(error({ ftpUser: "bob" }), /^FTP password: needed with a user name$/);
  assert.equal(error({ ftpUser: "bob" }, true), undefined, "a saved password will do");
  assert.match(error({ colour: "red" }), /^unknown field "colour"$/);
});

test("an empty password field keeps the saved one; only changed values are saved; restart is asked only when needed", () => {
  assert.deepEqual(validateSetup({ ftpPassword: "", wifiPassword: "" }, false), { values: {} });
  const current = { deviceName: "ftprint", printer: "parallel", printerBaud: 9600 };
  assert.deepEqual(changedValues({ deviceName: "ftprint", printer: "serial", printerBaud: 9600 }, current), { printer: "serial" });
  assert.equal(needsRestart({ deviceName: "x" }), false);
  assert.equal(needsRestart({ printer: "serial" }), true);
});

test("every setup field has a preference key of at most 15 characters (NVS) and a saved setting", () => {
  for (const field of setupFields) {
    assert.ok(field.name.length <= 15, field.name);
    assert.ok(savedSettings.some((saved) => saved.key === field.name), field.name);
  }
  assert.ok(preferenceDomain.length <= 15);
});

test("overlayPreferences lays saved values over mc/config as strings, and an empty saved user means no login", () => {
  const backend = memoryPreferences();
  const store = new SettingsStore(backend);
  store.save({ deviceName: "Saved", printerBaud: 19200, handshake: "busy", ftpUser: "" });
  const merged = overlayPreferences({ deviceName: "Built", ftpUser: "alice", ftpPassword: "pw", printerBaud: "9600" }, backend);
  const settings = readSettings(merged, { ftpPort: 21, printer: "parallel", captureDirectory: "/" });
  assert.equal(settings.deviceName, "Saved");
  assert.equal(settings.printerBaud, 19200);
  assert.equal(settings.printerHandshake, "busy");
  assert.equal(settings.credentials, undefined);
  assert.deepEqual(backend.keys("ftprint").sort(), ["deviceName", "ftpUser", "handshake", "printerBaud"]);
  store.clear();
  assert.deepEqual(backend.keys("ftprint"), []);
});

test("the page shows status, queue and history, escapes what clients chose, and never shows a password", () => {
  const job = { id: 7, source: "ftp", owner: hostile, name: "<img src=x onerror=alert(1)>", bytesReceived: 10, bytesPrinted: 4, state: 2 };
  const record = { id: 6, source: "lpd", owner: "carol", name: "report.ps", bytesReceived: 99, bytesPrinted: 99, outcome: 0 };
  const ctx = context({ spool: fakeSpool({ jobs: [job], history: [record] }) });
  const html = answer({ method: "GET", path: "/", body: "" }, ctx).body;
  assert.ok(!html.includes("<script>") && !html.includes("<img src=x"), "client-chosen text is escaped");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(!html.includes("secret-ftp") && !html.includes("secret-wifi"), "no password in the page");
  assert.match(html, /jobs printed 3, aborted 2, removed 2; bytes printed 12345/);
  assert.match(html, /<td>ftp<\/td><td>21<\/td><td>2<\/td>/);
  assert.match(html, /<td>lpd<\/td><td>515<\/td><td>-<\/td>/, "a service that cannot answer shows no count");
  assert.match(html, /<td>receiving<\/td>/);
  assert.match(html, /<td>report\.ps<\/td><td>99<\/td><td>99<\/td><td>printed<\/td>/);
  assert.match(html, /name="ftpUser" value="alice"/);
  assert.match(html, /name="wifiSsid" value="home"/);
  assert.ok(utf8Bytes(html).byteLength < 6000, `the page stays small (${html.length} characters)`);
});

test("/status.json gives the same status as JSON", () => {
  const ctx = context({ spool: fakeSpool({ jobs: [{ id: 1, source: "raw", owner: "10.0.0.2", name: "", bytesReceived: 5, bytesPrinted: 0, state: 1 }] }) });
  const response = answer({ method: "GET", path: "/status.json?x=1", body: "" }, ctx);
  assert.equal(response.status, 200);
  assert.equal(response.type, "application/json");
  const status = JSON.parse(response.body);
  assert.equal(status.deviceName, "ftprint");
  assert.deepEqual(status.queue, [{ id: 1, source: "raw", owner: "10.0.0.2", name: "", bytesReceived: 5, bytesPrinted: 0, state: "waiting" }]);
  assert.deepEqual(status.services[0], { name: "ftp", port: 21, sessionsInUse: 2 });
});

test("unknown paths answer 404, a known path with the wrong method 405 with Allow", () => {
  const ctx = context();
  assert.equal(answer({ method: "GET", path: "/admin", body: "" }, ctx).status, 404);
  const wrong = answer({ method: "PUT", path: "/", body: "" }, ctx);
  assert.deepEqual([wrong.status, wrong.allow], [405, "GET"]);
  assert.deepEqual([answer({ method: "GET", path: "/setup", body: "" }, ctx).allow], ["POST"]);
  assert.equal(findRoute("/setup").bodyMaxBytes, setupBodyMaxBytes);
  for (const path of Object.keys(routes)) assert.ok(findRoute(path), path);
});

test("POST /setup saves changed values through the store and says which need a restart", () => {
  const backend = memoryPreferences();
  const ctx = context({ store: new SettingsStore(backend) });
  const response = answer({ method: "POST", path: "/setup", body: "deviceName=Office&printer=parallel&ftpPassword=" }, ctx);
  assert.equal(response.status, 200);
  assert.match(response.body, /Saved: deviceName\.</, "the device name applies at once, nothing asks for a restart");
  assert.match(response.body, /<h1>Office<\/h1>/);
  assert.deepEqual(backend.domains.ftprint, { deviceName: "Office" });
  const again = answer({ method: "POST", path: "/setup", body: "printer=serial&printerBaud=19200" }, ctx);
  assert.match(again.body, /Saved: printer, printerBaud\. Restart the device/);
  assert.match(again.body, /<option selected>serial<\/option>/, "the form shows what was saved");
  assert.equal(answer({ method: "POST", path: "/setup", body: "printer=serial" }, ctx).body.includes("Nothing changed."), true);
});

test("POST /setup with bad input answers 400 with the reason and saves nothing", () => {
  const backend = memoryPreferences();
  const ctx = context({ store: new SettingsStore(backend) });
  for (const [body, reason] of [["printerBaud=fast", "Serial baud rate: must be a whole number"], ["printer=%ZZ", "could not be read"],
    ["deviceName=ok&printer=inkjet", "Printer port: must be one of"]]) {
    const response = answer({ method: "POST", path: "/setup", body }, ctx);
    assert.equal(response.status, 400, body);
    assert.ok(response.body.includes(reason), `${body}: ${reason}`);
  }
  assert.deepEqual(backend.domains, {});
});

test("POST /setup without a store answers 500 and says why", () => {
  const response = answer({ method: "POST", path: "/setup", body: "deviceName=x" }, context());
  assert.equal(response.status, 500);
  assert.match(response.body, /no settings store on this host/);
});

test("POST /remove takes a queued job out, 404 for one not queued, 400 without an id", () => {
  const spool = fakeSpool({ jobs: [{ id: 4, source: "ftp", owner: "a", name: "n", bytesReceived: 0, bytesPrinted: 0, state: 1 }] });
  const ctx = context({ spool });
  assert.equal(answer({ method: "POST", path: "/remove", body: "id=4" }, ctx).status, 200);
  assert.deepEqual(spool.removed, [4]);
  assert.equal(answer({ method: "POST", path: "/remove", body: "id=5" }, ctx).status, 404);
  assert.equal(answer({ method: "POST", path: "/remove", body: "id=abc" }, ctx).status, 400);
});

test("printouts: listed through the host's shelf, served by name, and no other name is ever opened", () => {
  const opened = [];
  const shelf = {
    list: () => [{ name: "printed-2.png", kind: "image", bytes: 100 }, { name: "printed-1.txt", kind: "text", bytes: 20 }],
    note: () => "a <note>",
    open(name) { opened.push(name); return { byteLength: 3, read: () => new ArrayBuffer(3), close() {} }; },
  };
  const ctx = context({ printouts: shelf });
  const html = answer({ method: "GET", path: "/", body: "" }, ctx).body;
  assert.match(html, /<img src="\/printouts\/printed-2\.png"/);
  assert.match(html, /a &lt;note&gt;/);
  const png = answer({ method: "GET", path: "/printouts/printed-2.png", body: "" }, ctx);
  assert.deepEqual([png.status, png.type], [200, "image/png"]);
  assert.equal(answer({ method: "GET", path: "/printouts/printed-1.txt", body: "" }, ctx).type, "text/plain; charset=utf-8");
  for (const path of ["/printouts/../secret", "/printouts/printed-1.prn", "/printouts/%2e%2e%2fx", "/printouts/"])
    assert.equal(answer({ method: "GET", path, body: "" }, ctx).status, 404, path);
  assert.deepEqual(opened, ["printed-2.png", "printed-1.txt"]);
  assert.ok(!answer({ method: "GET", path: "/", body: "" }, context()).body.includes("What the printer printed"), "no shelf, no section");
});

test("gatherStatus lists only the services that registered, and valuesOf leaves secrets out", () => {
  const status = gatherStatus("d", fakeSpool(), undefined);
  assert.deepEqual(status.services, []);
  const settings = readSettings({ ftpUser: "u", ftpPassword: "p", wifiPassword: "w" }, { ftpPort: 21, printer: "file", captureDirectory: "/" });
  const values = valuesOf(settings);
  assert.equal(Object.values(values).includes("p") || Object.values(values).includes("w"), false);
  assert.equal(renderPage(status, values, undefined, undefined).includes(`value="u"`), true);
});

test("the Wi-Fi section shows the keeper's state and the access point, escaped, and is absent without a keeper", () => {
  const keeper = { status: { station: 3, ssid: hostile, stationAddress: undefined, lastFailure: "wrong password", failures: 2,
    accessPoint: { ssid: "ftprint-A1B2", address: "192.168.4.1" } } };
  const status = gatherStatus("d", fakeSpool(), undefined, keeper);
  assert.deepEqual(status.wifi, { network: hostile, state: "waiting to retry", address: null, lastFailure: "wrong password",
    accessPoint: { ssid: "ftprint-A1B2", address: "192.168.4.1" } });
  const page = renderPage(status, {}, undefined, undefined);
  assert.match(page, /<p id="wifi">network <b>&lt;script&gt;.*: waiting to retry \(last failure: wrong password\)<\/p>/);
  assert.match(page, /own access point <b>ftprint-A1B2<\/b> open at 192\.168\.4\.1/);
  assert.ok(!page.includes(hostile));
  const joined = gatherStatus("d", fakeSpool(), undefined, { status: { ...keeper.status, station: 2, stationAddress: "10.0.0.7", accessPoint: undefined, lastFailure: undefined } });
  assert.match(renderPage(joined, {}, undefined, undefined), /: joined, address 10\.0\.0\.7<\/p>/);
  const simulator = gatherStatus("d", fakeSpool(), undefined);
  assert.equal(simulator.wifi, null);
  assert.ok(!renderPage(simulator, {}, undefined, undefined).includes("<h2>Wi-Fi</h2>"));
});
