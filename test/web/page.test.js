// The page's pure core (modules/web): form parsing and validation, escaping, the routing table and its answers.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/job")
const { escapeHtml } = await import("../../build/modules/web/html.js");
const { parseFormBody, validateSetup, changedValues, needsRestart, setupFields, setupBodyMaxBytes } = await import("../../build/modules/web/setupForm.js");
const { answer, findRoute, routes } = await import("../../build/modules/web/routes.js");
const { renderStatusPage, statusRefreshSeconds } = await import("../../build/modules/web/page.js");
const { renderSetupPage } = await import("../../build/modules/web/setupPage.js");
const { printoutsRefreshSeconds } = await import("../../build/modules/web/printoutsPage.js");
const { stylesheet } = await import("../../build/modules/web/style.js");
const { size } = await import("../../build/modules/web/frame.js");
const { gatherStatus, ServicesStatus } = await import("../../build/modules/web/status.js");
const { createWebContext, valuesOf } = await import("../../build/modules/web/context.js");
const { utf8Bytes } = await import("../../build/modules/web/utf8.js");
const { readSettings } = await import("../../build/modules/device/settings.js");
const { overlayPreferences, SettingsStore, savedSettings, preferenceDomain } = await import("../../build/modules/device/preferences.js");

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
    handshake: "busy", printerSpeed: "0", printerLanguage: "escp2", wifiSsid: "My Net", wifiPassword: "longenough" }, false);
  assert.deepEqual(outcome, { values: { deviceName: "Lab-2", ftpUser: "bob", ftpPassword: "pw", printer: "serial", printerBaud: 19200,
    handshake: "busy", printerSpeed: 0, printerLanguage: "escp2", wifiSsid: "My Net", wifiPassword: "longenough" } });
});

test("validateSetup names the field and the rule for bad input", () => {
  const error = (fields, saved = false) => validateSetup(fields, saved).error;
  assert.match(error({ printer: "laser" }), /^Printer port: must be one of parallel, parallel595, serial, file, discard$/);
  assert.match(error({ printerBaud: "9600.5" }), /^Serial baud rate: must be a whole number from 300 to 2000000$/);
  assert.match(error({ printerBaud: "100" }), /from 300 to 2000000/);
  assert.match(error({ handshake: "rts" }), /^Serial handshake: must be one of xonxoff, busy, none$/);
  assert.match(error({ printerLanguage: "pcl6" }), /^Printer language for driverless jobs .*: must be one of pcl5, pcl3, escp2$/);
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

test("a printer language saved on the setup page is the one the next start reads (and so the IPP raster converter's)", () => {
  const backend = memoryPreferences();
  new SettingsStore(backend).save({ printerLanguage: "pcl3" });
  const settings = readSettings(overlayPreferences({ printerLanguage: "escp2" }, backend), { ftpPort: 21, printer: "parallel", captureDirectory: "/" });
  assert.equal(settings.printerLanguage, "pcl3");
  assert.deepEqual(backend.keys("ftprint"), ["printerLanguage"]);
});

const get = (path, ctx) => answer({ method: "GET", path, body: "" }, ctx);

test("the status page shows status, queue and history, escapes what clients chose, and never shows a password", () => {
  const job = { id: 7, source: "ftp", owner: hostile, name: "<img src=x onerror=alert(1)>", bytesReceived: 10, bytesPrinted: 4, state: 2 };
  const record = { id: 6, source: "lpd", owner: "carol", name: "report.ps", bytesReceived: 99, bytesPrinted: 99, outcome: 0 };
  const ctx = context({ spool: fakeSpool({ jobs: [job], history: [record] }) });
  const html = get("/", ctx).body;
  assert.ok(!html.includes("<script>") && !html.includes("<img src=x"), "client-chosen text is escaped");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(!html.includes("secret-ftp") && !html.includes("secret-wifi"), "no password in the page");
  assert.match(html, /<div id="counters"><small>Printed<\/small><b>3 jobs<\/b><span>12\.1 KiB in all; 2 aborted, 2 removed<\/span>/);
  assert.match(html, /<div id="printer"><small>Printer<\/small><b class="ok">ready<\/b><span>IEEE 1284 parallel<\/span>/);
  assert.match(html, /<div id="now"><small>Printing<\/small><b class="run">job 7<\/b><span>4 B printed of 10 B received<\/span>/);
  assert.match(html, /<td>ftp<\/td><td class="n">21<\/td><td class="n">2<\/td>/);
  assert.match(html, /<td>lpd<\/td><td class="n">515<\/td><td class="n">-<\/td>/, "a service that cannot answer shows no count");
  assert.match(html, /data-printed="4" data-received="10">4 B of 10 B<\/td><td><span class="b run">printing<\/span>/);
  assert.match(html, /<td>report\.ps<\/td><td class="w">lpd<\/td><td class="w">carol<\/td><td class="n">99 B<\/td><td><span class="b ok">printed<\/span>/);
  assert.ok(!html.includes("<form method=\"post\" action=\"/setup\""), "the setup form has its own page");
  assert.ok(utf8Bytes(html).byteLength < 4096, `the status page stays small (${utf8Bytes(html).byteLength} bytes)`);
});

test("every page has the tabs at the top, with Setup and (only where there are printouts) Printouts", () => {
  const shelf = { list: () => [], note: () => undefined, open: () => undefined };
  for (const path of ["/", "/setup", "/printouts"]) {
    const html = get(path, context({ printouts: shelf })).body;
    const nav = /<nav>(.*?)<\/nav>/.exec(html)[1];
    assert.equal(nav.replace(/ class="on"/, ""), '<a href="/">Status</a><a href="/printouts">Printouts</a><a href="/setup">Setup</a>', path);
    assert.ok(html.indexOf("<nav>") < html.indexOf("<main>"), `${path}: the tabs come before the content`);
    assert.match(html, /<link rel="stylesheet" href="\/style\.css">/);
  }
  assert.match(get("/setup", context()).body, /<nav><a href="\/">Status<\/a><a href="\/setup" class="on">Setup<\/a><\/nav>/, "no shelf, no Printouts tab");
  assert.equal(get("/printouts", context()).status, 404, "a device has no printouts page");
});

test("GET /setup shows the form with the values in use and never a password", () => {
  const html = get("/setup", context()).body;
  assert.match(html, /<form method="post" action="\/setup" id="setup">/);
  assert.match(html, /name="ftpUser" value="alice"/);
  assert.match(html, /name="wifiSsid" value="home"/);
  assert.match(html, /<input type="password" name="ftpPassword" value="" placeholder="unchanged"/);
  assert.ok(!html.includes("secret-ftp") && !html.includes("secret-wifi"));
  assert.deepEqual([...html.matchAll(/<legend>([^<]+)<\/legend>/g)].map((m) => m[1]), ["Device", "FTP login", "Printer", "Wi-Fi"]);
  assert.ok(!html.includes('http-equiv="refresh"'), "the form never reloads itself under the user's typing");
});

test("the status page reloads itself while a job is queued or a printout is on its way, and not otherwise", () => {
  const refresh = `<meta http-equiv="refresh" content="${statusRefreshSeconds};url=/">`;
  const printing = { id: 3, source: "raw", owner: "10.0.0.9", name: "", bytesReceived: 2_097_152, bytesPrinted: 1_048_576, state: 3 };
  assert.ok(get("/", context({ spool: fakeSpool({ jobs: [printing] }) })).body.includes(refresh), "printing");
  assert.ok(!get("/", context()).body.includes("http-equiv"), "idle");
  const shelf = { list: () => [], note: () => undefined, open: () => undefined, pending: () => 1 };
  assert.ok(get("/", context({ printouts: shelf })).body.includes(refresh), "a printout still being made");
  const busy = get("/printouts", context({ printouts: shelf, spool: fakeSpool({ jobs: [printing] }) })).body;
  assert.ok(busy.includes(`<meta http-equiv="refresh" content="${printoutsRefreshSeconds};url=/printouts">`));
  // After POST /remove the reload goes to / (a reload of the POST would remove again).
  const removed = answer({ method: "POST", path: "/remove", body: "id=3" }, context({ spool: fakeSpool({ jobs: [printing, { ...printing, id: 4 }] }) })).body;
  assert.ok(removed.includes(refresh));
  assert.match(get("/", context({ spool: fakeSpool({ jobs: [printing] }) })).body, /1\.0 MiB printed of 2\.0 MiB received/);
});

test("/style.css is the stylesheet, cached by the browser; pages are never cached", () => {
  const css = get("/style.css", context());
  assert.deepEqual([css.status, css.type, css.maxAgeSeconds, css.body], [200, "text/css", 86400, stylesheet]);
  assert.equal(get("/", context()).maxAgeSeconds, undefined);
  assert.ok(stylesheet.length < 4096, `the stylesheet stays small (${stylesheet.length} bytes)`);
  assert.ok(!stylesheet.includes("@import") && !stylesheet.includes("url("), "nothing else to fetch");
});

test("size() writes bytes for people", () => {
  assert.deepEqual([0, 1023, 1024, 12_650, 1_048_576, 5_242_880].map(size), ["0 B", "1023 B", "1.0 KiB", "12.4 KiB", "1.0 MiB", "5.0 MiB"]);
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
  assert.deepEqual([answer({ method: "DELETE", path: "/setup", body: "" }, ctx).allow], ["GET, POST"]);
  assert.equal(findRoute("/setup").bodyMaxBytes, setupBodyMaxBytes);
  for (const path of Object.keys(routes)) assert.ok(findRoute(path), path);
});

test("POST /setup saves changed values through the store and says which need a restart", () => {
  const backend = memoryPreferences();
  const ctx = context({ store: new SettingsStore(backend) });
  const response = answer({ method: "POST", path: "/setup", body: "deviceName=Office&printer=parallel&ftpPassword=" }, ctx);
  assert.equal(response.status, 200);
  assert.match(response.body, /Saved: deviceName\.</, "the device name applies at once, nothing asks for a restart");
  assert.match(response.body, /<b id="device">Office<\/b>/);
  assert.match(response.body, /<form method="post" action="\/setup"/, "the answer is the setup page again");
  assert.deepEqual(backend.domains.ftprint, { deviceName: "Office" });
  const again = answer({ method: "POST", path: "/setup", body: "printer=serial&printerBaud=19200" }, ctx);
  assert.match(again.body, /Saved: printer, printerBaud\. Restart the device/);
  assert.match(again.body, /<option selected>serial<\/option>/, "the form shows what was saved");
  assert.equal(answer({ method: "POST", path: "/setup", body: "printer=serial" }, ctx).body.includes("Nothing changed."), true);
  const language = answer({ method: "POST", path: "/setup", body: "printerLanguage=escp2" }, ctx);
  assert.match(language.body, /Saved: printerLanguage\. Restart the device/);
  assert.match(language.body, /<select[^>]*name="printerLanguage"[^>]*>(<option>[a-z0-9]+<\/option>)*<option selected>escp2<\/option>/, "the language's choice, saved");
  assert.equal(backend.domains.ftprint.printerLanguage, "escp2");
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

/** A printout as the simulator's shelf lists it. */
const printout = (job, fields = {}) => ({ job, name: `file-${job}`, bytes: 100, kind: "text", file: `job-${job}.prn`,
  preview: `job-${job}.txt`, note: "", parts: 1, printedWith: [], ...fields });

test("/printouts: a card per job named by its id, thumbnails by link only, notes for split and merged jobs, binary not previewed", () => {
  const opened = [];
  const shelf = {
    list: () => [
      printout(9, { name: "<b>.bin", kind: "binary", preview: "", bytes: 5_242_880, note: "binary, 5242880 bytes, not previewed" }),
      printout(8, { kind: "postscript", preview: "job-8.png", note: "page 1", printedWith: [7] }),
      printout(7, { printedWith: [8], parts: 2 }),
      printout(0, { file: "printed-3.prn", preview: "printed-3.txt" }),
    ],
    note: () => "a <note>",
    open(name) { opened.push(name); return { byteLength: 3, read: () => new ArrayBuffer(3), close() {} }; },
  };
  const ctx = context({ printouts: shelf });
  const html = get("/printouts", ctx).body;
  const cards = [...html.matchAll(/<figure class="card" id="([^"]+)">(.*?)<\/figure>/g)];
  assert.deepEqual(cards.map((card) => card[1]), ["job-9", "job-8", "job-7", "printed-3"]);
  assert.match(cards[0][2], /<div class="thumb bin">binary, 5242880 bytes, not previewed<\/div><figcaption><b>job 9<\/b> &lt;b&gt;\.bin/);
  assert.match(cards[1][2], /<img src="\/printouts\/job-8\.png" alt="job 8, page 1" loading="lazy">/);
  assert.match(cards[1][2], /Run into one printout with job 7 by the printer/);
  assert.match(cards[2][2], /<iframe src="\/printouts\/job-7\.txt" title="job 7" loading="lazy"/);
  assert.match(cards[2][2], /Split by the printer into 2 printouts/);
  assert.match(cards[2][2], /<a href="\/printouts\/job-7\.prn" download>raw<\/a>/);
  assert.match(html, /a &lt;note&gt;/);
  assert.ok(utf8Bytes(html).byteLength < 6000, "previews are fetched by the browser, never put into the page");
  assert.deepEqual(opened, [], "listing opens no printout");
  const png = get("/printouts/job-8.png", ctx);
  assert.deepEqual([png.status, png.type], [200, "image/png"]);
  assert.equal(get("/printouts/job-7.txt", ctx).type, "text/plain; charset=utf-8");
  assert.equal(get("/printouts/job-7.prn", ctx).type, "application/octet-stream");
  for (const path of ["/printouts/../secret", "/printouts/job-1.json", "/printouts/journal.jsonl", "/printouts/%2e%2e%2fx", "/printouts/",
    "/printouts/job-1.prn/x"])
    assert.equal(get(path, ctx).status, 404, path);
  assert.deepEqual(opened, ["job-8.png", "job-7.txt", "job-7.prn"]);
  const status = get("/", context({ printouts: shelf, spool: fakeSpool({ history: [{ id: 7, source: "ftp", owner: "a", name: "n",
    bytesReceived: 5, bytesPrinted: 5, outcome: 0 }] }) })).body;
  assert.match(status, /<a href="\/printouts#job-7">printout<\/a>/, "a recent job links to its printout");
});

test("/printouts says so when there is nothing yet, and a shelf that throws costs only its list", () => {
  const empty = get("/printouts", context({ printouts: { list: () => [], note: () => undefined, open: () => undefined } }));
  assert.match(empty.body, /Nothing printed yet\./);
  const broken = get("/printouts", context({ printouts: { list() { throw new Error("EIO"); }, note: () => undefined, open: () => undefined } }));
  assert.equal(broken.status, 200);
  assert.match(broken.body, /the printouts could not be read/);
});

test("gatherStatus lists only the services that registered, and valuesOf leaves secrets out", () => {
  const status = gatherStatus("d", fakeSpool(), undefined);
  assert.deepEqual(status.services, []);
  const settings = readSettings({ ftpUser: "u", ftpPassword: "p", wifiPassword: "w" }, { ftpPort: 21, printer: "file", captureDirectory: "/" });
  const values = valuesOf(settings);
  assert.equal(Object.values(values).includes("p") || Object.values(values).includes("w"), false);
  assert.equal(renderSetupPage(values, undefined, { deviceName: "d", printerState: "ready", printouts: false }).includes(`value="u"`), true);
});

test("the Wi-Fi section shows the keeper's state and the access point, escaped, and is absent without a keeper", () => {
  const keeper = { status: { station: 3, ssid: hostile, stationAddress: undefined, lastFailure: "wrong password", failures: 2,
    accessPoint: { ssid: "ftprint-A1B2", address: "192.168.4.1" } } };
  const status = gatherStatus("d", fakeSpool(), undefined, keeper);
  assert.deepEqual(status.wifi, { network: hostile, state: "waiting to retry", address: null, lastFailure: "wrong password",
    accessPoint: { ssid: "ftprint-A1B2", address: "192.168.4.1" } });
  const options = { printouts: false, printoutsPending: 0 };
  const page = renderStatusPage(status, undefined, options);
  assert.match(page, /<p id="wifi">network <b>&lt;script&gt;.*: waiting to retry \(last failure: wrong password\)<\/p>/);
  assert.match(page, /own access point <b>ftprint-A1B2<\/b> open at 192\.168\.4\.1/);
  assert.ok(!page.includes(hostile));
  const joined = gatherStatus("d", fakeSpool(), undefined, { status: { ...keeper.status, station: 2, stationAddress: "10.0.0.7", accessPoint: undefined, lastFailure: undefined } });
  assert.match(renderStatusPage(joined, undefined, options), /: joined, address 10\.0\.0\.7<\/p>/);
  const simulator = gatherStatus("d", fakeSpool(), undefined);
  assert.equal(simulator.wifi, null);
  assert.ok(!renderStatusPage(simulator, undefined, options).includes("<h2>Wi-Fi</h2>"));
});

test("the page stays a few KB on the device: the fullest status page (3 queued, 8 recent, 64-character names), setup, style", () => {
  const name = "x".repeat(64);
  const jobs = [1, 2, 3].map((i) => ({ id: 100 + i, source: "lpd", owner: "someone@host", name, bytesReceived: 5_242_880,
    bytesPrinted: i === 1 ? 1_048_576 : 0, state: i === 1 ? 2 : 1 }));
  const history = Array.from({ length: 8 }, (_, i) => ({ id: 90 + i, source: "ftp", owner: "anonymous", name, bytesReceived: 123_456,
    bytesPrinted: 123_456, outcome: 0 }));
  const ctx = context({ spool: fakeSpool({ jobs, history }) });
  const bytes = (path, c = ctx) => utf8Bytes(get(path, c).body).byteLength;
  // docs/web-page.md states these figures; a change to the page that moves them by much should update it.
  assert.ok(bytes("/") < 5000, `status page, full: ${bytes("/")} bytes`);
  assert.ok(bytes("/", context()) < 1500, `status page, empty: ${bytes("/", context())} bytes`);
  assert.ok(bytes("/setup") < 2500, `setup page: ${bytes("/setup")} bytes`);
  assert.ok(utf8Bytes(stylesheet).byteLength < 4096, `stylesheet: ${utf8Bytes(stylesheet).byteLength} bytes`);
});
