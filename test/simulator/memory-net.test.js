// What the in-memory network adds for scenario tests: backpressure from a paused end, leak counts, failure knobs.

import { it } from "node:test";
import assert from "node:assert/strict";
import { createEventLoop } from "../../simulator/io/event-loop.js";
import { createMemoryNetwork } from "../../simulator/io/memory-net.js";

function setup(profile = "esp32") {
  const loop = createEventLoop();
  const net = createMemoryNetwork(loop, { profile });
  let socket;
  const log = [];
  const listener = new net.Listener({ port: 21, onReadable() {
    socket = new net.TCP({ from: this.read(), onWritable(n) { log.push(n); }, onError() { log.push("error"); } });
  } });
  return { loop, net, listener, log, get socket() { return socket; } };
}

it("a paused end holds the firmware's send space until the firmware's writes throw \"would block\"", () => {
  const s = setup();
  const end = s.net.connect({ port: 21, from: "192.168.1.7" });
  let received = 0;
  end.onData = (bytes) => { received += bytes.byteLength; };
  s.loop.runUntilIdle();
  assert.equal(s.socket.remoteAddress, "192.168.1.7");
  assert.deepEqual(s.log, [8192]);
  end.pause();
  assert.equal(s.socket.write(new Uint8Array(4096)), 4096);
  s.loop.advance(100);
  assert.equal(s.socket.write(new Uint8Array(4096)), 0);
  assert.throws(() => s.socket.write(new Uint8Array(1)), { message: "would block" });
  s.loop.advance(100);
  assert.equal(received, 0);
  end.resume();
  s.loop.runUntilIdle();
  assert.equal(received, 8192);
  assert.deepEqual(s.log, [8192, 8192]);
});

it("a firmware that does not read keeps the client's bytes pending, and the window reopens as it reads", () => {
  const s = setup();
  const end = s.net.connect({ port: 21 });
  s.loop.runUntilIdle();
  end.write(new Uint8Array(20000));
  s.loop.advance(50);
  assert.equal(end.pending, 20000 - 8192);
  s.socket.read(8192);
  s.loop.advance(10);
  assert.equal(end.pending, 20000 - 2 * 8192);
  assert.deepEqual(s.net.inspect(s.socket), { readable: 8192, staged: 0, inFlight: 0, queued: 0 });
});

it("sendWindow fragments a client's stream, one piece per turn", () => {
  const s = setup();
  const counts = [];
  s.listener.close();
  const listener = new s.net.Listener({ port: 21, onReadable() {
    new s.net.TCP({ from: this.read(), onReadable(n) { counts.push(n); } });
  } });
  const end = s.net.connect({ port: 21 });
  end.sendWindow = 3;
  s.loop.runUntilIdle();
  end.write("USER x\r\n");
  s.loop.runUntilIdle();
  assert.deepEqual(counts, [3, 6, 8]);
  listener.close();
});

it("open sockets and listeners are counted until the firmware closes them", () => {
  const s = setup();
  const end = s.net.connect({ port: 21 });
  s.loop.runUntilIdle();
  assert.equal(s.net.openSockets(), 1);
  assert.equal(s.net.openListeners(), 1);
  end.end();
  s.loop.runUntilIdle();
  assert.deepEqual(s.log, [8192, "error"]);
  assert.equal(s.net.openSockets(), 1, "a peer FIN does not free the firmware's socket");
  s.socket.close();
  s.listener.close();
  assert.equal(s.net.openSockets(), 0);
  assert.equal(s.net.openListeners(), 0);
  assert.equal(s.loop.pendingTimers(), 0);
});

it("connects: refused, to a test listener (PORT), blackholed, and delayed", () => {
  const s = setup();
  const refused = s.net.connect({ port: 2121 });
  s.loop.runUntilIdle();
  assert.equal(refused.closed, true);
  assert.equal(refused.closeReason, "refused");

  const target = s.net.listen({ address: "10.0.0.5", port: 5000 });
  let peer;
  target.onConnection = (end) => { peer = end; };
  const log = [];
  const active = new s.net.TCP({ address: "10.0.0.5", port: 5000, onWritable(n) { log.push(n); }, onError() { log.push("error"); } });
  s.loop.runUntilIdle();
  assert.deepEqual(log, [8192]);
  assert.deepEqual([peer.localAddress, peer.localPort, peer.remoteAddress, peer.remotePort],
    ["10.0.0.5", 5000, "127.0.0.1", peer.remotePort]);
  active.close();

  s.net.setBehaviour({ blackhole: ["10.0.0.6:5000"], connectDelayMs: 300 });
  const silent = new s.net.TCP({ address: "10.0.0.6", port: 5000, onWritable() { log.push("silent"); }, onError() { log.push("silent error"); } });
  const slow = new s.net.TCP({ address: "10.0.0.5", port: 5000, onWritable() { log.push("slow"); } });
  s.loop.advance(299);
  assert.deepEqual(log, [8192]);
  s.loop.advance(1);
  assert.deepEqual(log, [8192, "slow"]);
  s.loop.advance(60000);
  assert.deepEqual(log, [8192, "slow"]);
  silent.close();
  slow.close();
});

it("the lin profile delivers on 20 ms polls only", () => {
  const s = setup("lin");
  const end = s.net.connect({ port: 21 });
  s.loop.runUntilIdle();
  assert.deepEqual(s.log, []);
  s.loop.advance(20);    // listener poll: accepted
  s.loop.advance(20);    // socket poll: writable
  assert.deepEqual(s.log, [1536]);
  s.socket.write(new Uint8Array(1000));
  s.loop.advance(19);
  assert.deepEqual(s.log, [1536]);
  s.loop.advance(21);
  assert.deepEqual(s.log, [1536, 1536]);
  s.socket.close();
  s.listener.close();
  end.reset();
});
