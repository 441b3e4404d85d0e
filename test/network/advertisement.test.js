// What the print server announces over DNS-SD (modules/network/advertisement.ts): the services that are on, and
// the TXT keys printing clients read.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/port")
const { hostLabel, servicesToAdvertise, txtBytes } = await import("../../build/modules/network/advertisement.js");
const { queueName } = await import("../../build/modules/print/port.js");

const allOn = Object.freeze({ ftpPort: 21, rawPort: 9100, lpdPort: 515, httpPort: 80 });

test("the device name becomes a lower-case DNS label of letters, digits and inner hyphens", () => {
  assert.equal(hostLabel("ftprint"), "ftprint");
  assert.equal(hostLabel("Office Printer (2nd floor)"), "office-printer-2nd-floor");
  assert.equal(hostLabel("  --HP_LaserJet.4--  "), "hp-laserjet-4");
  assert.equal(hostLabel("ÉtÉ"), "t");
  assert.equal(hostLabel("***"), "ftprint");
  assert.equal(hostLabel(""), "ftprint");
  const long = hostLabel("a".repeat(100));
  assert.equal(long.length, 59, "room is left for the -N the SDK appends on a conflict");
  assert.equal(hostLabel("a".repeat(58) + "-b"), "a".repeat(58), "no hyphen is left at the end after cutting");
});

test("with every port set, raw 9100, LPD, FTP and the page are announced in that order on their ports", () => {
  const services = servicesToAdvertise(allOn, "Office", "office");
  assert.deepEqual(services.map((s) => [s.name, s.protocol, s.port]), [
    ["pdl-datastream", "tcp", 9100], ["printer", "tcp", 515], ["ftp", "tcp", 21], ["http", "tcp", 80],
  ]);
});

test("a service whose port is 0 is off and not announced; FTP is announced on its own", () => {
  const services = servicesToAdvertise({ ftpPort: 2121, rawPort: 0, lpdPort: 0, httpPort: 0 }, "ftprint", "ftprint");
  assert.deepEqual(services, [{ name: "ftp", protocol: "tcp", port: 2121, txt: { path: "/PORT1" } }]);
  assert.deepEqual(servicesToAdvertise({ ftpPort: 21, rawPort: 0, lpdPort: 515, httpPort: 0 }, "x", "x").map((s) => s.name), ["printer", "ftp"]);
});

test("the LPD service carries the Bonjour printing keys with the queue name, txtvers first", () => {
  const lpd = servicesToAdvertise(allOn, "Office", "office").find((s) => s.name === "printer");
  assert.deepEqual(lpd.txt, {
    txtvers: "1", qtotal: "1", rp: queueName, ty: "Office", product: "(Office)",
    pdl: "application/postscript,application/vnd.hp-PCL,text/plain", Transparent: "T", Binary: "T",
    adminurl: "http://office.local/",
  });
  assert.equal(Object.keys(lpd.txt)[0], "txtvers");
});

test("raw 9100 has the printing keys but no queue name; FTP names the folder; the page its path", () => {
  const [raw, , ftp, http] = servicesToAdvertise(allOn, "Office", "office");
  assert.equal(raw.txt.rp, undefined);
  assert.equal(raw.txt.pdl, "application/postscript,application/vnd.hp-PCL,text/plain");
  assert.equal(raw.txt.ty, "Office");
  assert.deepEqual(ftp.txt, { path: "/PORT1" });
  assert.deepEqual(http.txt, { path: "/" });
});

test("adminurl names the claimed host and the page's port when it is not 80, and is absent when the page is off", () => {
  const on8080 = servicesToAdvertise({ ...allOn, httpPort: 8080 }, "ftprint", "ftprint-2");
  assert.equal(on8080[0].txt.adminurl, "http://ftprint-2.local:8080/");
  const off = servicesToAdvertise({ ...allOn, httpPort: 0 }, "ftprint", "ftprint");
  assert.equal("adminurl" in off[0].txt, false);
});

test("the TXT record's size counts a length byte and key=value in UTF-8 for each entry", () => {
  assert.equal(txtBytes({}), 0);
  assert.equal(txtBytes({ path: "/PORT1" }), 1 + "path=/PORT1".length);
  assert.equal(txtBytes({ ty: "é" }), 1 + 3 + 2);
  const lpd = servicesToAdvertise(allOn, "Office", "office")[1];
  assert.ok(txtBytes(lpd.txt) < 400, "fits one mDNS packet with the other records");
});

const ipp = Object.freeze({ port: 631, uuid: "urn:uuid:0f1e2d3c-4b5a-8697-a8b9-cadbecfd0e1f",
  pdl: ["application/vnd.hp-PCL", "application/postscript", "text/plain", "image/pwg-raster", "image/urf"],
  urf: ["V1.4", "W8", "SRGB24", "RS300-600", "CP1", "PQ4"], makeAndModel: "ftprint print server (parallel port)", location: "", color: false, duplex: false });

test("IPP is announced last as _ipp._tcp with the IPP Everywhere keys, each what Get-Printer-Attributes says", () => {
  const services = servicesToAdvertise(allOn, "Office", "office", ipp);
  assert.deepEqual(services.map((s) => s.name), ["pdl-datastream", "printer", "ftp", "http", "ipp"]);
  const printer = services.at(-1);
  assert.equal(printer.port, 631);
  assert.deepEqual(printer.txt, {
    txtvers: "1", qtotal: "1", rp: "ipp/print", ty: "ftprint print server (parallel port)", product: "(Office)",
    pdl: "application/vnd.hp-PCL,application/postscript,text/plain,image/pwg-raster,image/urf", UUID: "0f1e2d3c-4b5a-8697-a8b9-cadbecfd0e1f",
    Color: "F", Duplex: "F", TLS: "", kind: "document", note: "", URF: "V1.4,W8,SRGB24,RS300-600,CP1,PQ4", adminurl: "http://office.local/",
  });
  assert.equal(Object.keys(printer.txt)[0], "txtvers");
  const noUrf = servicesToAdvertise(allOn, "Office", "office", { ...ipp, urf: ["none"] }).at(-1);
  assert.equal("URF" in noUrf.txt, false, "no URF key when image/urf is not taken (urf-supported none)");
  assert.deepEqual(printer.subtypes, ["_universal", "_print"]);
  assert.ok(txtBytes(printer.txt) < 400, `${txtBytes(printer.txt)} bytes fit one mDNS packet with the other records`);
  assert.equal(servicesToAdvertise(allOn, "Office", "office", { ...ipp, port: 0 }).length, 4, "port 0: not announced");
  assert.equal(servicesToAdvertise(allOn, "Office", "office").length, 4, "no IPP printer: not announced");
});
