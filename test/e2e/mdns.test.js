// DNS-SD end to end: the real simulator (what `npm start` runs), announcing over its mdns emulation on a free
// port of 127.0.0.1, browsed and resolved by a real DNS-SD client: ISC dig (Debian bind9-dnsutils), asking QU
// questions (class 0x8001) so the answers come back to it by unicast, as the SDK's responder sends them.

import test from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { execFile } from "node:child_process";
import { startSimulator } from "./simulator.js";

async function freePort(kind) {
  if (kind === "udp") {
    const socket = dgram.createSocket("udp4");
    await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const { port } = socket.address();
    await new Promise((resolve) => socket.close(resolve));
    return port;
  }
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** dig's answer section as records: { name, ttl, type, data } ("CLASS32769" is IN with the cache-flush bit). */
function dig(port, name, type) {
  const args = ["-p", String(port), "@127.0.0.1", "+norecurse", "+tries=3", "+time=2", name, type, "-c", "CLASS32769"];
  return new Promise((resolve, reject) => {
    execFile("dig", args, { timeout: 20000 }, (error, stdout) => {
      if (error) return reject(new Error(`dig ${args.join(" ")}: ${error.message}\n${stdout}`));
      const section = stdout.split(";; ANSWER SECTION:\n")[1];
      if (!section) return resolve({ records: [], stdout });
      const records = section.split("\n\n")[0].split("\n").filter(Boolean).map((line) => {
        const [rname, ttl, , rtype, ...rest] = line.split(/\s+/);
        return { name: rname, ttl: Number(ttl), type: rtype, data: rest.join(" ") };
      });
      resolve({ records, stdout });
    });
  });
}

/** TXT data as dig prints it ("a=b" "c=d") → { a: "b", c: "d" }. */
function txtOf(data) {
  return Object.fromEntries([...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => {
    const entry = m[1];
    const at = entry.indexOf("=");
    return [entry.slice(0, at), entry.slice(at + 1)];
  }));
}

test("dig browses the raw, LPD and FTP services of the simulator and resolves each to its port and TXT", async () => {
  const [mdnsPort, rawPort, lpdPort, httpPort] = [await freePort("udp"), await freePort("tcp"), await freePort("tcp"), await freePort("tcp")];
  const sim = await startSimulator(["--mdns-port", String(mdnsPort), "--raw-port", String(rawPort), "--lpd-port", String(lpdPort), "--http-port", String(httpPort)]);
  try {
    await sim.waitForLog(/^mDNS: ftprint\.local announces/);

    const types = await dig(mdnsPort, "_services._dns-sd._udp.local", "PTR");
    const listed = types.records.filter((r) => r.type === "PTR").map((r) => r.data).sort();
    assert.deepEqual(listed, ["_ftp._tcp.local.", "_http._tcp.local.", "_pdl-datastream._tcp.local.", "_printer._tcp.local."]);

    const expected = {
      "_pdl-datastream._tcp.local": { port: rawPort, txt: { txtvers: "1", qtotal: "1", ty: "ftprint", pdl: "application/postscript,application/vnd.hp-PCL,text/plain", adminurl: `http://ftprint.local:${httpPort}/` } },
      "_printer._tcp.local": { port: lpdPort, txt: { txtvers: "1", qtotal: "1", rp: "PORT1", ty: "ftprint", product: "(ftprint)" } },
      "_ftp._tcp.local": { port: sim.port, txt: { path: "/PORT1" } },
    };
    for (const [type, { port, txt }] of Object.entries(expected)) {
      const browse = await dig(mdnsPort, type, "PTR");
      const ptr = browse.records.find((r) => r.type === "PTR" && r.name === `${type}.`);
      assert.ok(ptr, `${type} browsed:\n${browse.stdout}`);
      const instance = ptr.data;
      assert.equal(instance, `ftprint.${type}.`);
      // The SDK answers a browse with the SRV, TXT and A records too, which is how clients resolve it.
      const srv = browse.records.find((r) => r.type === "SRV" && r.name === instance);
      assert.ok(srv, `SRV for ${instance}:\n${browse.stdout}`);
      assert.deepEqual(srv.data.split(" ").slice(2), [String(port), "ftprint.local."]);
      const record = txtOf(browse.records.find((r) => r.type === "TXT" && r.name === instance).data);
      for (const [key, value] of Object.entries(txt)) assert.equal(record[key], value, `${type} TXT ${key}`);
      // And a resolve on its own: an SRV question for the instance.
      const resolved = await dig(mdnsPort, instance, "SRV");
      assert.deepEqual(resolved.records.map((r) => [r.type, r.data.split(" ")[2]]), [["SRV", String(port)]]);
    }
    const address = await dig(mdnsPort, "ftprint.local", "A");
    assert.equal(address.records.find((r) => r.type === "A").data, "\\# 4 7F000001", "127.0.0.1, shown generically for the cache-flush class");
  } finally {
    await sim.stop();
  }
});

test("the IPP printer is announced as _ipp._tcp, its TXT keys agreeing with its Get-Printer-Attributes; no subtype is answered (the SDK's mdns has none)", async () => {
  const { Op, T, concat, httpPost, httpResponse, parse, preamble, request, valueOf } = await import("../ipp/wire.js");
  const [mdnsPort, ippPort, httpPort] = [await freePort("udp"), await freePort("tcp"), await freePort("tcp")];
  const sim = await startSimulator(["--mdns-port", String(mdnsPort), "--ipp-port", String(ippPort), "--http-port", String(httpPort)]);
  try {
    await sim.waitForLog(/^mDNS: ftprint\.local announces/);
    const browse = await dig(mdnsPort, "_ipp._tcp.local", "PTR");
    const instance = "ftprint._ipp._tcp.local.";
    assert.ok(browse.records.some((r) => r.type === "PTR" && r.data === instance), `_ipp._tcp browsed:\n${browse.stdout}`);
    const srv = browse.records.find((r) => r.type === "SRV" && r.name === instance);
    assert.deepEqual(srv.data.split(" ").slice(2), [String(ippPort), "ftprint.local."]);
    const txt = txtOf(browse.records.find((r) => r.type === "TXT" && r.name === instance).data);

    const message = request({ operation: Op.getPrinterAttributes, requestId: 5, groups: [[T.operation, [...preamble(), [T.keyword, "requested-attributes", "all"]]]] });
    const { head, body } = httpPost(message);
    const answer = await new Promise((resolve, reject) => {
      const socket = net.connect(ippPort, "127.0.0.1", () => socket.write(concat(head, body)));
      const parts = [];
      socket.on("data", (data) => parts.push(data));
      socket.on("close", () => resolve(parse(httpResponse(new Uint8Array(Buffer.concat(parts))).body)));
      socket.on("error", reject);
      socket.setTimeout(20000, () => { socket.destroy(); reject(new Error("no IPP answer within 20 s")); });
    });
    const attribute = (name) => valueOf(answer, T.printer, name);
    assert.equal(txt.txtvers, "1");
    assert.equal(`/${txt.rp}`, new URL(attribute("printer-uri-supported")[0].replace(/^ipp:/, "http:")).pathname, "rp: the printer-uri's path");
    assert.equal(txt.UUID, attribute("printer-uuid")[0].replace("urn:uuid:", ""), "UUID: printer-uuid");
    assert.equal(txt.pdl, attribute("document-format-supported").filter((format) => format !== "application/octet-stream").join(","), "pdl: document-format-supported");
    assert.ok(txt.pdl.includes("image/pwg-raster") && txt.pdl.includes("image/urf"), `pdl names the raster formats: ${txt.pdl}`);
    assert.equal(txt.URF, attribute("urf-supported").join(","), "URF: urf-supported");
    assert.equal(txt.ty, attribute("printer-make-and-model")[0], "ty: printer-make-and-model");
    assert.equal(txt.note, attribute("printer-location")[0], "note: printer-location");
    assert.equal(txt.Color, attribute("color-supported")[0] ? "T" : "F", "Color: color-supported");
    assert.equal(txt.Duplex, attribute("sides-supported").some((side) => side !== "one-sided") ? "T" : "F", "Duplex: sides-supported");
    assert.equal(new URL(txt.adminurl).port, new URL(attribute("printer-more-info")[0]).port, "adminurl: printer-more-info's page");
    assert.equal(txt.TLS, "", "no ipps");
    assert.equal(txt.kind, "document");
    // RFC 6763 §7.1 subtypes: the SDK's mdns.js answers a PTR question only for a three-label service name, so
    // _universal._sub._ipp._tcp (AirPrint) and _print._sub._ipp._tcp go unanswered; the emulation does the same.
    const universal = await dig(mdnsPort, "_universal._sub._ipp._tcp.local", "PTR").catch((error) => error);
    assert.ok(universal instanceof Error && /timed out/.test(universal.message), `a subtype answer the SDK cannot give: ${universal.stdout ?? universal}`);
  } finally {
    await sim.stop();
  }
});
