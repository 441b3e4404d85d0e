// The SDK socket contract ($(MODDABLE)/modules/io/socket/lwip/{tcp.c,listener.js} for the esp32 profile,
// lin/{tcp.c,listener.js} for lin), pinned once and run on both transports and both profiles, so the in-memory
// network and the Node simulator cannot drift apart.

import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { transports, latin1 } from "./harness.js";

const SPACE = { esp32: 8192, lin: 1536 };
const INVALID_HOST_DATA = { name: "SyntaxError", message: "C: xsGetHostData: invalid host data" };

/** Listener + one accepted socket whose callbacks log what they see (with `this` and the argument count). */
async function acceptOne(h, behaviour = {}) {
  const log = [];
  const server = { log, socket: undefined, listener: undefined, end: undefined };
  server.listener = new h.Listener({
    port: 0,
    onReadable() {
      let raw;
      while ((raw = this.read())) {
        if (behaviour.keepRaw) {
          server.raw = raw;
          continue;
        }
        server.socket = new h.TCP({ from: raw, ...callbacks(server, behaviour) });
        server.callsDuringConstruction = log.length;
      }
    },
  });
  server.end = h.connect(server.listener.port);
  await h.until(() => server.socket || server.raw, "accept");
  return server;
}

function callbacks(server, behaviour) {
  const { log } = server;
  return {
    onReadable(count) {
      log.push(`readable ${count}${this === server.socket ? "" : " (wrong this)"}`);
      behaviour.onReadable?.call(this, count);
    },
    onWritable(count) {
      log.push(`writable ${count}${this === server.socket ? "" : " (wrong this)"}`);
      behaviour.onWritable?.call(this, count);
    },
    onError(...args) {
      log.push(`error/${args.length}${this === server.socket ? "" : " (wrong this)"}`);
      behaviour.onError?.call(this);
    },
  };
}

function collect(end) {
  const received = { text: "", closed: false };
  end.onData = (bytes) => { received.text += latin1(bytes); };
  end.onClose = () => { received.closed = true; };
  return received;
}

const cases = [
  ["onWritable fires once, asynchronously, after `from`, with the total free space", async (h) => {
    const s = await acceptOne(h);
    assert.equal(s.callsDuringConstruction, 0);
    await h.until(() => s.log.length, "onWritable");
    await h.settle();
    assert.deepEqual(s.log, [`writable ${SPACE[h.profile]}`]);
  }],

  ["onReadable gives the running total and fires only when new bytes arrive", async (h) => {
    const s = await acceptOne(h);
    s.end.write("a".repeat(100));
    await h.until(() => s.log.some((l) => l.startsWith("readable")), "first onReadable");
    await h.settle();
    s.end.write("b".repeat(100));
    await h.until(() => s.log.filter((l) => l.startsWith("readable")).length === 2, "second onReadable");
    await h.settle();
    assert.deepEqual(s.log.filter((l) => l.startsWith("readable")), ["readable 100", "readable 200"]);
    assert.equal(latin1(s.socket.read()), "a".repeat(100) + "b".repeat(100));
  }],

  ["read() forms: all, exact n, views with offsets, and their errors", async (h) => {
    const s = await acceptOne(h);
    s.end.write("0123456789ABCDEFGHIJ");
    await h.until(() => s.log.includes("readable 20"), "20 bytes");
    const socket = s.socket;
    assert.throws(() => socket.read(0), { message: "invalid" });
    assert.throws(() => socket.read(-1), { message: "invalid" });
    assert.throws(() => socket.read(21), { message: "invalid" });
    assert.throws(() => socket.read(new Uint16Array(1)), { name: "TypeError", message: "invalid buffer" });
    assert.throws(() => socket.read(new ArrayBuffer(21)), { message: "invalid" });
    assert.throws(() => socket.read(new Uint8Array(0)), { message: "invalid" });
    const three = socket.read(3);
    assert.ok(three instanceof ArrayBuffer);
    assert.equal(latin1(three), "012");
    const backing = new Uint8Array(8).fill(0x2E);
    assert.equal(socket.read(backing.subarray(2, 5)), 3);
    assert.equal(latin1(backing), "..345...");
    const whole = new ArrayBuffer(2);
    assert.equal(socket.read(whole), 2);
    assert.equal(latin1(whole), "67");
    const dv = new DataView(new ArrayBuffer(6), 2, 3);
    assert.equal(socket.read(dv), 3);
    assert.equal(latin1(dv.buffer), "\0\0" + "89A" + "\0");
    assert.equal(socket.read(new Int8Array(1)), 1);
    assert.equal(latin1(socket.read()), "CDEFGHIJ");
    assert.equal(socket.read(), undefined);
    assert.equal(socket.read(5), undefined);
    assert.equal(socket.read(new Uint8Array(4)), undefined);
    assert.equal(socket.read(new Uint16Array(1)), undefined);    // the emptiness check comes first
  }],

  ["format \"number\" reads and writes single bytes", async (h) => {
    const s = await acceptOne(h);
    const received = collect(s.end);
    await h.until(() => s.log.length, "onWritable");
    s.socket.format = "number";
    assert.equal(s.socket.format, "number");
    s.end.write("AZ");
    await h.until(() => s.log.includes("readable 2"), "2 bytes");
    assert.equal(s.socket.read(), 0x41);
    assert.equal(s.socket.read(), 0x5A);
    assert.equal(s.socket.read(), undefined);
    assert.equal(s.socket.write(0x143), SPACE[h.profile] - 1);
    await h.until(() => received.text === "C", "the byte");
    assert.throws(() => { s.socket.format = "string;utf8"; }, { name: "RangeError", message: "unimplemented" });
  }],

  ["write copies its data and returns the free space left; too much throws \"would block\" and sends nothing", async (h) => {
    const s = await acceptOne(h);
    const received = collect(s.end);
    await h.until(() => s.log.length, "onWritable");
    const data = new Uint8Array(1000).fill(0x61);
    assert.equal(s.socket.write(data), SPACE[h.profile] - 1000);
    data.fill(0x7A);    // the socket must have copied
    assert.throws(() => s.socket.write(new Uint8Array(SPACE[h.profile])), { message: "would block" });
    const tail = new Uint8Array([0x2D, 0x31, 0x32, 0x2D]);
    assert.equal(s.socket.write(tail.subarray(1, 3)), SPACE[h.profile] - 1002);
    assert.equal(s.socket.write(new DataView(tail.buffer, 0, 1)), SPACE[h.profile] - 1003);
    assert.equal(s.socket.write(new ArrayBuffer(0)), SPACE[h.profile] - 1003);
    await h.until(() => received.text.length === 1003, "1003 bytes");
    assert.equal(received.text, "a".repeat(1000) + "12-");
    await h.until(() => s.log.length === 2, "onWritable after drain");
    assert.equal(s.log[1], `writable ${SPACE[h.profile]}`);
  }],

  ["an outgoing socket: writes before connect throw, the first onWritable means connected", async (h) => {
    const target = await h.listen();
    let peer;
    target.onConnection = (end) => { peer = end; };
    const log = [];
    const socket = new h.TCP({
      address: "127.0.0.1", port: target.port,
      onWritable(count) { log.push(`writable ${count}`); },
      onError() { log.push("error"); },
    });
    assert.throws(() => socket.write(new Uint8Array(1)), { message: h.profile === "lin" ? "would block" : "not ready" });
    assert.equal(socket.remoteAddress, "127.0.0.1");
    assert.equal(socket.remotePort, target.port);
    await h.until(() => log.length, "connected");
    assert.deepEqual(log, [`writable ${SPACE[h.profile]}`]);
    await h.until(() => peer, "peer end");
    const received = collect(peer);
    socket.write(new Uint8Array([0x6F, 0x6B]));
    socket.close();
    await h.until(() => received.closed, "FIN");
    assert.equal(received.text, "ok");
    target.close();
  }],

  ["a connect nobody answers fails with onError() and no onWritable", async (h) => {
    const target = await h.listen();
    const port = target.port;
    target.close();
    await h.settle(20);
    const log = [];
    const socket = new h.TCP({
      address: "127.0.0.1", port,
      onWritable(count) { log.push(`writable ${count}`); },
      onError(...args) { log.push(`error/${args.length}`); },
    });
    await h.until(() => log.length, "failure");
    await h.settle();
    assert.deepEqual(log, ["error/0"]);
    socket.close();
  }],

  ["a peer FIN with nothing buffered is onError() with no argument; then esp32 refuses writes, lin still sends", async (h) => {
    const s = await acceptOne(h);
    const received = collect(s.end);
    await h.until(() => s.log.length, "onWritable");
    s.end.end();
    await h.until(() => s.log.includes("error/0"), "onError");
    await h.settle();
    assert.deepEqual(s.log, [`writable ${SPACE[h.profile]}`, "error/0"]);
    if (h.profile === "esp32") assert.throws(() => s.socket.write(new Uint8Array(3)), { message: "not ready" });
    else {
      assert.equal(s.socket.write(new Uint8Array([0x68, 0x69])), SPACE.lin - 2);
      await h.until(() => received.text === "hi", "half-close delivery");
    }
    s.socket.close();
  }],

  ["after a FIN, onError waits until every buffered byte is read, and never comes if they are not", async (h) => {
    const s = await acceptOne(h);
    await h.until(() => s.log.length, "onWritable");
    s.end.write("0123456789");
    s.end.end();
    await h.until(() => s.log.includes("readable 10"), "data");
    await h.settle(200);
    assert.ok(!s.log.some((l) => l.startsWith("error")), "no onError while bytes are unread");
    s.socket.read(4);
    await h.settle();
    assert.ok(!s.log.some((l) => l.startsWith("error")), "no onError with 6 bytes left");
    const before = s.log.length;
    assert.equal(latin1(s.socket.read()), "456789");
    assert.equal(s.log.length, before, "the draining read does not call onError itself");
    await h.until(() => s.log.includes("error/0"), "onError after draining");
    s.socket.close();
  }],

  ["a peer RST is onError() too", async (h) => {
    const s = await acceptOne(h);
    await h.until(() => s.log.length, "onWritable");
    s.end.reset();
    await h.until(() => s.log.includes("error/0"), "onError");
    assert.equal(s.socket.remotePort, s.end.localPort, "the cached port survives the RST");
    s.socket.close();
  }],

  ["a write to a peer that has reset returns undefined; on lin nothing follows it, not even onError", async (h) => {
    // lwip/tcp.c xs_tcp_write(): no pcb after the RST, so it returns nothing (lwIP still reports onError).
    // lin/tcp.c xs_tcp_write(): write(2) fails, it traces "write failed", sets tcp->error and returns nothing;
    // tcpTask() then returns at once for a socket in error, so no callback is ever delivered again.
    const s = await acceptOne(h);
    await h.until(() => s.log.length, "onWritable");
    s.end.reset();
    await h.until(() => h.peerReset(s.socket), "the RST reaching the socket");
    const before = s.log.length;
    let answer;
    try { answer = s.socket.write(new Uint8Array(10)); } catch (error) { answer = error.message; }
    if (h.profile === "esp32") {
      // Before lwIP's error reaches the app, no pcb: undefined; once onError has been delivered, "not ready".
      assert.ok(answer === undefined || answer === "not ready", `write() answered ${answer}`);
      await h.until(() => s.log.includes("error/0"), "onError");
    } else {
      assert.equal(answer, undefined);
      await h.settle(200);
      assert.deepEqual(s.log.slice(before), [], "a callback after lin's failed write");
    }
    s.socket.close();
  }],

  ["close() delivers what was written, then FIN; no callback runs after it; it is idempotent", async (h) => {
    const s = await acceptOne(h);
    const received = collect(s.end);
    await h.until(() => s.log.length, "onWritable");
    const payload = new Uint8Array(1500).fill(0x78);
    s.socket.write(payload);
    s.socket.close();
    s.socket.close();
    const count = s.log.length;
    await h.until(() => received.closed, "FIN");
    assert.equal(received.text, "x".repeat(1500));
    assert.equal(s.end.closeReason, "fin");
    await h.settle();
    assert.equal(s.log.length, count);
  }],

  ["every member but close() throws SyntaxError after close()", async (h) => {
    const s = await acceptOne(h);
    s.socket.close();
    assert.throws(() => s.socket.read(), INVALID_HOST_DATA);
    assert.throws(() => s.socket.write(new Uint8Array(1)), INVALID_HOST_DATA);
    assert.throws(() => s.socket.remoteAddress, INVALID_HOST_DATA);
    assert.throws(() => s.socket.remotePort, INVALID_HOST_DATA);
    assert.throws(() => s.socket.format, INVALID_HOST_DATA);
    assert.equal(s.socket.close(), undefined);
    assert.equal("localAddress" in s.socket, false);
    assert.equal("localPort" in s.socket, false);
    s.listener.close();
  }],

  ["`from` takes over buffered bytes, announces them, and closes the raw socket", async (h) => {
    const s = await acceptOne(h, { keepRaw: true });
    assert.equal(s.raw.remoteAddress, "127.0.0.1");
    assert.equal(s.raw.remotePort, s.end.localPort);
    s.end.write("early");
    await h.until(() => h.inspect(s.raw)?.readable === 5, "bytes in the raw socket");
    s.socket = new h.TCP({ from: s.raw, ...callbacks(s, {}) });
    assert.throws(() => s.raw.read(), INVALID_HOST_DATA);
    assert.throws(() => new h.TCP({ from: s.raw }), INVALID_HOST_DATA);
    await h.until(() => s.log.length === 2, "announcements");
    assert.deepEqual(s.log.sort(), ["readable 5", `writable ${SPACE[h.profile]}`]);
    assert.equal(latin1(s.socket.read()), "early");
    s.socket.close();
  }],

  ["constructor options are validated with the SDK's errors", async (h) => {
    assert.throws(() => new h.TCP({ address: "localhost", port: 21 }), { name: "Error", message: "invalid address" });
    assert.throws(() => new h.TCP({ host: "127.0.0.1", port: 21 }), { name: "Error", message: "invalid address" });
    assert.throws(() => new h.TCP({ address: "127.0.0.1", port: 65536 }), { name: "RangeError", message: "invalid port" });
    assert.throws(() => new h.TCP({ address: "127.0.0.1", port: 21, format: "string;ascii" }), { name: "RangeError", message: "unimplemented" });
    assert.throws(() => new h.Listener({ port: -1 }), { name: "RangeError", message: "invalid port" });
    assert.throws(() => new h.Listener({ port: 0, format: "buffer" }), { name: "RangeError", message: "unimplemented" });
  }],

  ["a listener counts pending connections, hands out callback-less sockets, and closes idempotently", async (h) => {
    const counts = [];
    const listener = new h.Listener({ port: 0, address: "10.9.9.9", target: "t", onReadable(count) { counts.push(this === listener ? count : -1); } });
    assert.equal(listener.target, "t");
    assert.ok(listener.port > 0);
    const a = h.connect(listener.port);
    await h.until(() => counts.length === 1, "first");
    const b = h.connect(listener.port);
    await h.until(() => counts.length === 2, "second");
    assert.deepEqual(counts, [1, 2]);
    const first = listener.read();
    const second = listener.read();
    assert.equal(listener.read(), undefined);
    assert.deepEqual([first.remotePort, second.remotePort], [a.localPort, b.localPort]);
    listener.close();
    listener.close();
    assert.throws(() => listener.port, INVALID_HOST_DATA);
    assert.throws(() => listener.read(), INVALID_HOST_DATA);
    first.close();
    second.close();
  }],

  ["a taken port throws \"bind socket failed\"", async (h) => {
    const listener = new h.Listener({ port: 0 });
    assert.throws(() => new h.Listener({ port: listener.port }), { name: "Error", message: "bind socket failed" });
    listener.close();
  }],

  ["the receive buffer stops at its window until the app reads", async (h) => {
    const s = await acceptOne(h);
    const total = 3 * SPACE[h.profile] + 100;
    s.end.write(new Uint8Array(total).fill(0x71));
    await h.until(() => s.log.includes(`readable ${SPACE[h.profile]}`), "a full window");
    await h.settle();
    const counts = s.log.filter((l) => l.startsWith("readable")).map((l) => Number(l.split(" ")[1]));
    assert.ok(counts.every((n) => n <= SPACE[h.profile]), counts.join());
    let got = 0;
    while (got < total) {
      const bytes = s.socket.read();
      got += bytes ? bytes.byteLength : 0;
      if (got < total) await h.settle(25);
    }
    assert.equal(got, total);
    s.socket.close();
  }],

  ["an exception escaping a callback is reported as an abort", async (h) => {
    const s = await acceptOne(h, { onWritable() { throw new Error("boom"); } });
    await h.until(() => h.uncaught.length, "the abort");
    assert.equal(h.uncaught[0].message, "boom");
    s.socket.close();
  }],
];

for (const transport of transports) {
  for (const profile of ["esp32", "lin"]) {
    describe(`${transport.name} transport, ${profile} profile`, () => {
      let h;
      afterEach(() => h?.close());
      for (const [name, run] of cases) {
        it(name, async () => {
          h = transport.create(profile);
          await run(h);
          assert.deepEqual(h.uncaught.filter((e) => e.message !== "boom"), []);
        });
      }
    });
  }
}
