// Device settings (modules/device/settings.ts): mcconfig passes every value as a string, so each is parsed with a default.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/job")
const { readSettings } = await import("../../build/modules/device/settings.js");

const defaults = Object.freeze({ ftpPort: 21, printer: "parallel", captureDirectory: "/root" });

test("an empty config gives the defaults and no credentials", () => {
  assert.deepEqual(readSettings({}, defaults), {
    ftpPort: 21, rawPort: 9100, lpdPort: 515, httpPort: 80, ippPort: 631, paperSize: "a4", wifi: { ssid: "", password: "" }, credentials: undefined, printer: "parallel", captureDirectory: "/root",
    printerBytesPerSecond: 0, printerBaud: 9600, printerHandshake: "xonxoff", printerLanguage: "pcl5", deviceName: "ftprint", logCommands: false,
    passivePorts: { first: 30000, last: 30999 },
  });
});

test("every setting given as a string, as mcconfig passes them, is read", () => {
  assert.deepEqual(readSettings({
    ftpPort: "2121", ftpUser: "alice", ftpPassword: "secret", printer: "file", captureDirectory: "/tmp/jobs",
    printerBytesPerSecond: "9600", printerBaud: "19200", printerHandshake: "busy", printerLanguage: "escp2", deviceName: "office", logCommands: "true",
    pasvPortMin: "40000", pasvPortMax: "40099", rawPort: "9101", lpdPort: "5515", httpPort: "0", ippPort: "8631", paperSize: "letter",
    wifiSsid: "office", wifiPassword: "hunter22",
  }, defaults), {
    ftpPort: 2121, rawPort: 9101, lpdPort: 5515, httpPort: 0, ippPort: 8631, paperSize: "letter", wifi: { ssid: "office", password: "hunter22" }, credentials: { user: "alice", password: "secret" }, printer: "file", captureDirectory: "/tmp/jobs",
    printerBytesPerSecond: 9600, printerBaud: 19200, printerHandshake: "busy", printerLanguage: "escp2", deviceName: "office", logCommands: true,
    passivePorts: { first: 40000, last: 40099 },
  });
});

test("numbers given as numbers are read too", () => {
  const settings = readSettings({ ftpPort: 2121, printerBytesPerSecond: 100 }, defaults);
  assert.equal(settings.ftpPort, 2121);
  assert.equal(settings.printerBytesPerSecond, 100);
});

test("a port that is not a whole number from 0 to 65535 falls back to the default", () => {
  for (const ftpPort of ["", " ", "abc", "21.5", "-1", "65536", "NaN", "Infinity", true, null, {}])
    assert.equal(readSettings({ ftpPort }, defaults).ftpPort, 21, JSON.stringify(ftpPort));
  assert.equal(readSettings({ ftpPort: "65535" }, defaults).ftpPort, 65535);
  assert.equal(readSettings({ ftpPort: "0" }, defaults).ftpPort, 0);
});

test("a printer speed that is negative, fractional or not a number means unlimited (0)", () => {
  for (const printerBytesPerSecond of ["-5", "1.5", "fast", "", "100000001"])
    assert.equal(readSettings({ printerBytesPerSecond }, defaults).printerBytesPerSecond, 0, printerBytesPerSecond);
  assert.equal(readSettings({ printerBytesPerSecond: "100000000" }, defaults).printerBytesPerSecond, 100_000_000);
});

test("an empty or non-string text setting falls back to its default", () => {
  const settings = readSettings({ printer: "", captureDirectory: 5, deviceName: "" }, defaults);
  assert.equal(settings.printer, "parallel");
  assert.equal(settings.captureDirectory, "/root");
  assert.equal(settings.deviceName, "ftprint");
});

test("logCommands is on only for true, \"1\", \"true\" or \"yes\"", () => {
  for (const logCommands of [true, "1", "true", "yes"])
    assert.equal(readSettings({ logCommands }, defaults).logCommands, true, String(logCommands));
  for (const logCommands of [undefined, false, "0", "false", "no", ""])
    assert.equal(readSettings({ logCommands }, defaults).logCommands, false, String(logCommands));
});

test("a user without a password asks for that user and an empty password", () => {
  assert.deepEqual(readSettings({ ftpUser: "alice" }, defaults).credentials, { user: "alice", password: "" });
});

test("each call returns its own settings, so nothing is shared between instances", () => {
  const first = readSettings({ ftpUser: "a", ftpPassword: "b" }, defaults);
  const second = readSettings({ ftpUser: "a", ftpPassword: "b" }, defaults);
  assert.notEqual(first, second);
  assert.notEqual(first.credentials, second.credentials);
});

test("a passive port range must be 1024 or above with min <= max; 0 and 0 mean any free port", () => {
  const range = (pasvPortMin, pasvPortMax) => readSettings({ pasvPortMin, pasvPortMax }, defaults).passivePorts;
  assert.deepEqual(range("0", "0"), { first: 0, last: 0 });
  assert.deepEqual(range("2000", "2000"), { first: 2000, last: 2000 });
  for (const [min, max] of [["21", "30"], ["5000", "4000"], ["x", "5000"], ["5000", undefined], ["0", "5000"]])
    assert.deepEqual(range(min, max), { first: 30000, last: 30999 }, `${min}-${max}`);
});

test("printerLanguage is pcl5, pcl3 or escp2; anything else is pcl5", () => {
  for (const printerLanguage of ["pcl5", "pcl3", "escp2"])
    assert.equal(readSettings({ printerLanguage }, defaults).printerLanguage, printerLanguage);
  for (const printerLanguage of [undefined, "", "PCL5", "pcl6", "postscript", 5, true])
    assert.equal(readSettings({ printerLanguage }, defaults).printerLanguage, "pcl5", String(printerLanguage));
});
