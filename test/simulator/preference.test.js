// The `preference` emulation (simulator/preference.js): lin's JSON file under config.file.root, kept across a
// "restart" (a fresh load), plus ESP32's NVS refusals under the esp32 profile.

import test from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Preference, { setPreferenceRoot, preferenceFile } from "../../simulator/preference.js";
import { setProfile } from "../../simulator/io/node-net.js";

function withRoot(body) {
  const root = mkdtempSync(join(tmpdir(), "ftprint-prefs-"));
  try {
    setPreferenceRoot(root + "/");
    return body(root);
  } finally {
    setProfile("esp32");
    rmSync(root, { recursive: true, force: true });
  }
}

test("values are kept in <root>/modpreferences.json and read back after a restart", () => withRoot((root) => {
  Preference.set("ftprint", "deviceName", "Office");
  Preference.set("ftprint", "printerBaud", 19200);
  Preference.set("ftprint", "on", true);
  Preference.set("ftprint", "blob", Uint8Array.of(1, 2, 255).buffer);
  assert.equal(preferenceFile(), join(root, "modpreferences.json"));
  assert.deepEqual(JSON.parse(readFileSync(preferenceFile(), "utf8")),
    { ftprint: { deviceName: "Office", printerBaud: 19200, on: true, blob: { buffer: "1,2,255" } } });
  setPreferenceRoot(root + "/");    // a restart: the cache is gone, the file is read again
  assert.equal(Preference.get("ftprint", "deviceName"), "Office");
  assert.equal(Preference.get("ftprint", "printerBaud"), 19200);
  assert.equal(Preference.get("ftprint", "on"), true);
  assert.deepEqual([...new Uint8Array(Preference.get("ftprint", "blob"))], [1, 2, 255]);
  assert.equal(Preference.get("ftprint", "missing"), undefined);
  assert.equal(Preference.get("other", "deviceName"), undefined);
  assert.deepEqual(Preference.keys("ftprint"), ["deviceName", "printerBaud", "on", "blob"]);
}));

test("delete removes a key, and the domain with its last key", () => withRoot(() => {
  Preference.set("d", "a", "1");
  Preference.delete("d", "a");
  Preference.delete("d", "never");
  assert.deepEqual(Preference.keys("d"), []);
  assert.deepEqual(JSON.parse(readFileSync(preferenceFile(), "utf8")), {});
}));

test("the esp32 profile refuses what NVS refuses: long names, floats, other types", () => withRoot(() => {
  setProfile("esp32");
  assert.throws(() => Preference.set("a-domain-of-16ch", "k", 1), /nvs_open fail/);
  assert.throws(() => Preference.set("d", "a-key-of-16-char", 1), /nvs set fail/);
  assert.throws(() => Preference.set("d", "k", 1.5), /float unsupported/);
  assert.throws(() => Preference.set("d", "k", { x: 1 }), /unsupported type/);
  assert.throws(() => Preference.set("d", "k", new Uint8Array(2)), /unsupported type/);
  assert.throws(() => Preference.set("d", "k", 2 ** 31), /float unsupported/, "outside int32");
  Preference.set("d", "k", 1);
  assert.equal(Preference.get("a-domain-of-16ch", "k"), undefined, "a domain NVS cannot open reads as empty");
  assert.throws(() => Preference.get("d", "a-key-of-16-char"), /nvs get fail/);
  assert.throws(() => Preference.delete("d", "a-key-of-16-char"), /nvs erase fail/);
  Preference.delete("a-domain-of-16ch", "k");
  Preference.set("fifteen-chars-d", "fifteen-chars-k", -5);
  assert.equal(Preference.get("fifteen-chars-d", "fifteen-chars-k"), -5);
}));

test("the lin profile is as permissive as the SDK's lin code: long names and floats are kept", () => withRoot(() => {
  setProfile("lin");
  Preference.set("a-domain-of-16ch", "a-key-of-16-char", 1.5);
  assert.equal(Preference.get("a-domain-of-16ch", "a-key-of-16-char"), 1.5);
}));

test("an unreadable file counts as no preferences, as on lin", () => withRoot((root) => {
  Preference.set("d", "k", "v");
  setPreferenceRoot(join(root, "nowhere") + "/");
  assert.equal(Preference.get("d", "k"), undefined);
}));
