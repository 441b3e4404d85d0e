// Where the simulator listens: on 127.0.0.1 only unless --listen says otherwise, every service (FTP and its PASV
// data ports, raw 9100, LPD, the page, the mDNS emulation). 127.0.0.2 is another address of this machine's
// loopback that a service bound to 127.0.0.1 does not answer, which tells the two cases apart without a network.

import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { buildMessage, parseMessage, RR } from "../../simulator/dnsWire.js";
import { freePort } from "./printClients.js";
import { startSimulator } from "./simulator.js";

const UNICAST_RESPONSE = 0x8000;    // the QU bit: answer me, not the group

/** "connected" or the connect error's code (ECONNREFUSED), within timeoutMs or the test fails. */
function tryConnect(host, port, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.once("connect", () => { clearTimeout(timer); socket.destroy(); resolve("connected"); });
    socket.once("error", (error) => { clearTimeout(timer); resolve(error.code); });
  });
}

/** The FTP server's replies at host:port (last lines of each): the greeting, then one per line of `lines`, sent in turn. */
function ftpDialog(host, port, lines, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let text = "";
    const replies = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`FTP dialog with ${host}:${port} stalled: ${JSON.stringify(text)}`)); }, timeoutMs);
    socket.setEncoding("latin1");
    socket.on("error", (error) => { clearTimeout(timer); reject(error); });
    socket.on("data", (chunk) => {
      text += chunk;
      let end;
      while ((end = text.indexOf("\r\n")) >= 0) {
        const line = text.slice(0, end);
        text = text.slice(end + 2);
        if (line[3] === "-") continue;
        replies.push(line);
        if (replies.length === lines.length + 1) {
          clearTimeout(timer);
          socket.destroy();
          resolve(replies);
          return;
        }
        socket.write(lines[replies.length - 1] + "\r\n");
      }
    });
  });
}

/** A connected socket to host:port (from localAddress), or the test fails within timeoutMs. */
function connectWithin(host, port, { localAddress, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, localAddress });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.once("connect", () => { clearTimeout(timer); resolve(socket); });
    socket.once("error", (error) => { clearTimeout(timer); reject(error); });
  });
}

/** The host and port of a 227 reply. */
function passiveTarget(reply) {
  const [a, b, c, d, high, low] = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply).slice(1).map(Number);
  return { host: `${a}.${b}.${c}.${d}`, port: high * 256 + low };
}

/**
 * A QU question for ftprint.local's A record sent to host:port: "answered", or "ECONNREFUSED" when nothing is bound
 * there (loopback answers that at once with an ICMP port unreachable, which only a connected socket is told of).
 * A connected socket also takes answers only from host:port, and a responder bound to 0.0.0.0 answers from the
 * address the route gives (127.0.0.1), as mDNS allows: `connected: false` for that case.
 */
function askMdns(host, port, { connected = true, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    const timer = setTimeout(() => { socket.close(); reject(new Error(`no answer and no refusal from ${host}:${port} within ${timeoutMs} ms`)); }, timeoutMs);
    const done = (result) => { clearTimeout(timer); socket.close(); resolve(result); };
    socket.on("error", (error) => done(error.code));
    socket.on("message", (bytes) => {
      const answer = parseMessage(bytes).answers.find((record) => record.type === RR.A);
      if (answer) done("answered");
    });
    const question = buildMessage({ flags: 0, questions: [{ name: ["ftprint", "local"], type: RR.A, class: 1 | UNICAST_RESPONSE }] });
    if (connected) socket.connect(port, host, () => socket.send(question));
    else socket.bind(0, () => socket.send(question, port, host));
  });
}

async function ports() {
  const [raw, lpd, http] = [await freePort(), await freePort(), await freePort()];
  const udp = dgram.createSocket("udp4");
  await new Promise((resolve) => udp.bind(0, "127.0.0.1", resolve));
  const mdns = udp.address().port;
  await new Promise((resolve) => udp.close(resolve));
  return { raw, lpd, http, mdns };
}

function serviceArgs(p) {
  return ["--raw-port", String(p.raw), "--lpd-port", String(p.lpd), "--http-port", String(p.http), "--mdns-port", String(p.mdns)];
}

test("by default every service listens on 127.0.0.1 only, PASV included, and says so", async () => {
  const p = await ports();
  const sim = await startSimulator(serviceArgs(p));
  try {
    await sim.waitForLog(/^mDNS: ftprint\.local announces/);
    assert.ok(sim.log.includes("simulator: services on 127.0.0.1 only (--listen 0.0.0.0 serves the network)"));
    for (const [name, port] of [["FTP", sim.port], ["raw", p.raw], ["LPD", p.lpd], ["page", p.http]]) {
      assert.equal(await tryConnect("127.0.0.1", port), "connected", `${name} on 127.0.0.1`);
      assert.equal(await tryConnect("127.0.0.2", port), "ECONNREFUSED", `${name} not on 127.0.0.2`);
    }
    const [, , , pasv] = await ftpDialog("127.0.0.1", sim.port, ["USER a", "PASS b", "PASV"]);
    const target = passiveTarget(pasv);
    assert.equal(target.host, "127.0.0.1", "PASV gives the listen address");
    assert.equal(await tryConnect("127.0.0.2", target.port), "ECONNREFUSED", "the PASV port is not on 127.0.0.2");
    assert.equal(await askMdns("127.0.0.1", p.mdns), "answered");
    assert.equal(await askMdns("127.0.0.2", p.mdns), "ECONNREFUSED", "the mDNS emulation is not on 127.0.0.2");
  } finally {
    await sim.stop();
  }
});

test("--listen 127.0.0.2 moves every service there, and PASV gives that address", async () => {
  const p = await ports();
  const sim = await startSimulator([...serviceArgs(p), "--listen", "127.0.0.2"]);
  try {
    await sim.waitForLog(/^mDNS: ftprint\.local announces/);
    for (const [name, port] of [["FTP", sim.port], ["raw", p.raw], ["LPD", p.lpd], ["page", p.http]]) {
      assert.equal(await tryConnect("127.0.0.2", port), "connected", `${name} on 127.0.0.2`);
      assert.equal(await tryConnect("127.0.0.1", port), "ECONNREFUSED", `${name} not on 127.0.0.1`);
    }
    const [, , , pasv] = await ftpDialog("127.0.0.2", sim.port, ["USER a", "PASS b", "PASV"]);
    assert.equal(passiveTarget(pasv).host, "127.0.0.2");
    assert.equal(await askMdns("127.0.0.2", p.mdns), "answered");
    assert.equal(await askMdns("127.0.0.1", p.mdns), "ECONNREFUSED");
  } finally {
    await sim.stop();
  }
});

test("--listen 0.0.0.0 serves every address; PASV gives --address, and a data connection to it works", async () => {
  const p = await ports();
  const sim = await startSimulator([...serviceArgs(p), "--listen", "0.0.0.0", "--address", "127.0.0.2"]);
  try {
    await sim.waitForLog(/^mDNS: ftprint\.local announces/);
    assert.ok(sim.log.includes("simulator: services on every interface (--listen 0.0.0.0); PASV and DNS-SD give 127.0.0.2"));
    for (const [name, port] of [["FTP", sim.port], ["raw", p.raw], ["LPD", p.lpd], ["page", p.http]])
      for (const host of ["127.0.0.1", "127.0.0.2"]) assert.equal(await tryConnect(host, port), "connected", `${name} on ${host}`);
    // Control and data from the same client address (the firmware accepts data only from the control peer).
    const control = await connectWithin("127.0.0.2", sim.port, { localAddress: "127.0.0.2" });
    control.setEncoding("latin1");
    const replies = [];
    let text = "", wake;
    control.on("data", (chunk) => {
      text += chunk;
      let end;
      while ((end = text.indexOf("\r\n")) >= 0) { replies.push(text.slice(0, end)); text = text.slice(end + 2); wake?.(); }
    });
    const reply = async () => {
      const deadline = Date.now() + 10000;
      while (!replies.length) {
        if (Date.now() > deadline) throw new Error(`no FTP reply within 10 s: ${JSON.stringify(text)}`);
        await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 200); });
      }
      return replies.shift();
    };
    const command = (line) => { control.write(line + "\r\n"); return reply(); };
    assert.match(await reply(), /^220 /);
    await command("USER a");
    assert.match(await command("PASS b"), /^230 /);
    const target = passiveTarget(await command("PASV"));
    assert.equal(target.host, "127.0.0.2");
    const data = await connectWithin(target.host, target.port, { localAddress: "127.0.0.2" });
    control.write("STOR lan.txt\r\n");
    assert.match(await reply(), /^150 /);
    data.end("over the network");
    assert.equal(await reply(), "226 Transfer complete; 16 bytes received and printed.");
    control.destroy();
    assert.equal(await askMdns("127.0.0.2", p.mdns, { connected: false }), "answered");
  } finally {
    await sim.stop();
  }
});
