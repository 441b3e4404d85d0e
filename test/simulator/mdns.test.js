// The simulator's emulation of the SDK's mdns module (simulator/mdns.js) on loopback, checked on the wire with
// raw UDP: its probes, its callbacks, its announcements and goodbyes, which questions it answers and where to.

import test from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import MDNS, { setMdnsPort } from "../../simulator/mdns.js";
import { RR, parseMessage, buildMessage } from "../../simulator/dnsWire.js";
import { spawn } from "node:child_process";

const GROUP = "224.0.0.251";

async function freeUdpPort() {
  const socket = dgram.createSocket("udp4");
  await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

/** A peer on the group (what other mDNS hosts hear) or on its own port (a unicast asker). */
async function peer(port, { group = true } = {}) {
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
  const packets = [];
  const waiters = [];
  socket.on("message", (bytes, from) => {
    const packet = { ...parseMessage(bytes), from };
    packets.push(packet);
    for (const w of [...waiters]) if (w.test(packet)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(packet); }
  });
  await new Promise((resolve) => socket.bind(group ? port : 0, group ? "0.0.0.0" : "127.0.0.1", resolve));
  if (group) {
    socket.addMembership(GROUP, "127.0.0.1");
    socket.setMulticastInterface("127.0.0.1");
  }
  return {
    socket, packets,
    next(test, timeoutMs = 10000) {
      const seen = packets.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { test, resolve };
        waiters.push(w);
        setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error("no such packet")); }, timeoutMs).unref();
      });
    },
    send(message, to = port, address = "127.0.0.1") { socket.send(buildMessage(message), to, address); },
    close() { try { socket.close(); } catch { /* closed */ } },
  };
}

function claim(name) {
  const messages = [];
  let resolveClaim;
  const claimed = new Promise((resolve) => (resolveClaim = resolve));
  const mdns = new MDNS({ hostName: name }, (message, value) => {
    messages.push([message, value]);
    if (message === 1 && value) resolveClaim(value);
  });
  return { mdns, messages, claimed };
}

const names = (records) => records.map((r) => `${r.name.join(".")} ${r.type} ${r.ttl}`);
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("it probes three times for host.local with a QU ANY question and its A record, then reports the name", async () => {
  const port = await freeUdpPort();
  setMdnsPort(port);
  const group = await peer(port);
  const { mdns, messages, claimed } = claim("probe-test");
  try {
    assert.throws(() => mdns.add({ name: "ftp", protocol: "tcp", port: 21 }), /not ready/);
    assert.equal(await claimed, "probe-test");
    assert.deepEqual(messages, [[1, ""], [1, "probe-test"]]);
    const probes = group.packets.filter((p) => p.questions.length && p.questions[0].type === RR.ANY);
    assert.equal(probes.length, 3);
    for (const probe of probes) {
      assert.deepEqual(probe.questions[0].name, ["probe-test", "local"]);
      assert.equal(probe.questions[0].class, 0x8001, "QU: unicast response wanted");
      assert.deepEqual(names(probe.answers), ["probe-test.local 1 120"]);
      assert.equal(probe.answers[0].rdata, "127.0.0.1");
    }
  } finally {
    mdns.close();
    group.close();
  }
});

test("add() sends a goodbye for the service first, then announces it; close() says goodbye again", async () => {
  const port = await freeUdpPort();
  setMdnsPort(port);
  const group = await peer(port);
  const { mdns, claimed } = claim("announce-test");
  try {
    await claimed;
    const nameless = new MDNS({});
    assert.throws(() => nameless.add({ name: "x", protocol: "tcp", port: 1 }), /no hostName/);
    nameless.close();
    mdns.add({ name: "printer", protocol: "tcp", port: 515, txt: { txtvers: "1", rp: "PORT1" } });
    const isService = (p) => p.answers.some((a) => a.type === RR.SRV);
    const goodbye = await group.next((p) => isService(p) && p.answers.every((a) => a.ttl === 0));
    assert.deepEqual(names(goodbye.answers), [
      "_services._dns-sd._udp.local 12 0", "_printer._tcp.local 12 0", "announce-test._printer._tcp.local 16 0",
      "announce-test._printer._tcp.local 33 0", "announce-test.local 1 0"]);
    const announcement = await group.next((p) => isService(p) && p.answers.every((a) => a.ttl > 0));
    const txt = announcement.answers.find((a) => a.type === RR.TXT);
    assert.deepEqual(txt.rdata, ["txtvers=1", "rp=PORT1"]);
    assert.equal(announcement.answers.find((a) => a.type === RR.SRV).rdata.port, 515);
    assert.equal(announcement.flags, 0x8400);
    const before = group.packets.length;
    mdns.close();
    const bye = await group.next((p, i) => group.packets.indexOf(p) >= before && isService(p));
    assert.ok(bye.answers.every((a) => a.ttl === 0));
    assert.throws(() => mdns.write(GROUP, port, Buffer.alloc(12)), /invalid host data/, "the socket is gone");
  } finally {
    try { mdns.close(); } catch { /* closed above */ }
    group.close();
  }
});

test("a QU question is answered to the asker, a QM one to the group, and TXT questions not at all", async () => {
  const port = await freeUdpPort();
  setMdnsPort(port);
  const group = await peer(port);
  const asker = await peer(port, { group: false });
  const { mdns, claimed } = claim("answer-test");
  try {
    await claimed;
    mdns.add({ name: "ftp", protocol: "tcp", port: 2121, txt: { path: "/PORT1" } });
    asker.send({ id: 7, questions: [{ name: "_ftp._tcp.local", type: RR.PTR, class: 0x8001 }] });
    const unicast = await asker.next((p) => p.id === 7);
    assert.deepEqual(names(unicast.answers), [
      "_services._dns-sd._udp.local 12 4500", "_ftp._tcp.local 12 4500", "answer-test._ftp._tcp.local 16 4500",
      "answer-test._ftp._tcp.local 33 120", "answer-test.local 1 120"]);
    assert.equal(unicast.questions.length, 0, "the SDK sends no question section back");

    asker.send({ id: 8, questions: [{ name: "_ftp._tcp.local", type: RR.PTR, class: 1 }] });
    const multicast = await group.next((p) => p.id === 8);
    assert.equal(multicast.answers.length, 5);
    asker.send({ id: 9, questions: [{ name: "answer-test._ftp._tcp.local", type: RR.TXT, class: 0x8001 }] });
    asker.send({ id: 10, questions: [{ name: "answer-test._ftp._tcp.local", type: RR.SRV, class: 0x8001 }] });
    const srv = await asker.next((p) => p.id === 10);
    assert.deepEqual(names(srv.answers), ["answer-test._ftp._tcp.local 33 120"]);
    assert.equal(asker.packets.some((p) => p.id === 8 || p.id === 9), false, "QM went to the group; TXT got nothing");

    // Known-answer suppression: an asker that already has our PTR gets no answer.
    asker.send({ id: 11, questions: [{ name: "_ftp._tcp.local", type: RR.PTR, class: 0x8001 }],
      answers: [{ name: "_ftp._tcp.local", type: RR.PTR, class: 1, ttl: 4500, rdata: "answer-test._ftp._tcp.local" }] });
    asker.send({ id: 12, questions: [{ name: "answer-test.local", type: RR.A, class: 0x8001 }] });
    const a = await asker.next((p) => p.id === 12);
    assert.deepEqual(names(a.answers), ["answer-test.local 1 120"]);
    assert.equal(asker.packets.some((p) => p.id === 11), false);
  } finally {
    mdns.close();
    group.close();
    asker.close();
  }
});

test("a host already holding the name makes it report a conflict and claim name-2", async () => {
  const port = await freeUdpPort();
  setMdnsPort(port);
  const group = await peer(port);
  // The defender answers every probe for the name with its own A record, as a responder owning it would.
  group.socket.on("message", (bytes) => {
    const packet = parseMessage(bytes);
    const q = packet.questions[0];
    if (q && q.type === RR.ANY && q.name.join(".") === "taken.local")
      group.send({ flags: 0x8400, answers: [{ name: "taken.local", type: RR.A, class: 0x8001, ttl: 120, rdata: "127.0.0.9" }] }, port, GROUP);
  });
  const { mdns, messages, claimed } = claim("taken");
  try {
    assert.equal(await claimed, "taken-2");
    assert.deepEqual(messages, [[1, ""], [2, "taken"], [1, "taken-2"]]);
  } finally {
    mdns.close();
    group.close();
  }
});

test("closed while probing, its probe timer writes on the closed socket: an abort, as on the SDK", async () => {
  // In a child process: the aborted VM is that process, and the orphaned timer would go on firing in ours.
  const port = await freeUdpPort();
  const script = `
    import MDNS, { setMdnsPort } from "./simulator/mdns.js";
    setMdnsPort(${port});
    const mdns = new MDNS({ hostName: "closing" }, () => {});
    setTimeout(() => mdns.close(), 50);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: new URL("../../", import.meta.url).pathname });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  try {
    const code = await new Promise((resolve) => child.on("exit", resolve));
    assert.equal(code, 70, "the simulator's abort");
    assert.match(stderr, /invalid host data/);
  } finally {
    child.kill();
  }
});
