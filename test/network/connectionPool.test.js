// The connection pool every TCP service stands on (modules/network/connectionPool.ts), on the in-memory ECMA-419
// network with the esp32 profile (close() with unread input sends RST: lwIP's tcp_close, not in the SDK source and
// not verified on an ESP32; simulator/io/socket-core.js, close) and a virtual clock: every
// pending connection is read, a free slot takes it, a client with no slot gets the refusal (or nothing) and a FIN
// after its early bytes are read and dropped, a screened address never reaches a slot, a freed slot is reused, the
// tick runs the service's hook then every slot, failures are logged and contained, close() leaves nothing behind.
// Bundles the compiled module from build/: run `npm run build` (or `npm test`) first.

import test from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundle, repoRoot } from "../xs/bundle.js";

const outDirectory = join(repoRoot, ".cache", "connection-pool-test");
mkdirSync(outDirectory, { recursive: true });
const file = await bundle({ entry: join(repoRoot, "test", "network", "connectionPool.rig.js"), outfile: join(outDirectory, "rig.mjs"), format: "esm" });
const { ConnectionPool, useTimers, createEventLoop, createMemoryNetwork } = await import(pathToFileURL(file).href);

const text = (bytes) => String.fromCharCode(...bytes);
const bytesOf = (string) => Uint8Array.from(string, (c) => c.charCodeAt(0));

/** A slot that holds the socket it is given and records what the pool asks of it. */
class Slot {
  constructor(TCP, name) {
    this.TCP = TCP;
    this.name = name;
    this.socket = undefined;
    this.opened = 0;
    this.ticks = 0;
    this.disposed = 0;
    this.failOpen = false;
  }
  get inUse() { return this.socket !== undefined; }
  open(raw) {
    this.opened++;
    if (this.failOpen) { this.failOpen = false; throw new Error("no socket"); }   // once
    const slot = this;
    this.socket = new this.TCP({ from: raw, onReadable() {}, onError() { slot.free(); } });
    this.peer = this.socket.remoteAddress;
  }
  free() {
    this.socket?.close();
    this.socket = undefined;
  }
  tick() { this.ticks++; }
  dispose() { this.disposed++; this.free(); }
}

const wording = Object.freeze({
  prefix: "test ",
  couldNotTake: "test connection could not be taken",
  turnedAway: (address, reason) => `test connection from ${address} turned away: ${reason}`,
});

function rig({ slots: count = 1, busyBytes = bytesOf("BUSY\r\n"), ...more } = {}) {
  if (busyBytes === "none") busyBytes = undefined;
  const loop = createEventLoop();
  const uncaught = [];
  loop.onUncaught = (error) => uncaught.push(error);
  useTimers(loop.Timer);
  const net = createMemoryNetwork(loop, { profile: "esp32" });
  const slots = [];
  const log = [];
  const pool = new ConnectionPool({
    io: { Listener: net.Listener, TCP: net.TCP },
    port: 9999,
    slots: count,
    makeSlot: () => {
      const slot = new Slot(net.TCP, `slot ${slots.length}`);
      slots.push(slot);
      return slot;
    },
    tickMs: 1000,
    busy: Object.freeze({ bytes: busyBytes, reason: `all ${count} slots in use` }),
    wording,
    log: (line) => log.push(line),
    ...more,
  });
  /** A client; collects what it receives. */
  function connect(from = "127.0.0.1") {
    const end = net.connect({ port: 9999, from });
    end.received = [];
    end.onData = (bytes) => end.received.push(...bytes);
    return end;
  }
  return { loop, net, slots, pool, log, uncaught, connect };
}

test("connections pending at once are all read: the free slot takes one, the others get the refusal and a FIN", () => {
  const { loop, net, slots, pool, log, uncaught, connect } = rig({ slots: 1 });
  assert.equal(pool.port, 9999);
  assert.equal(slots.length, 1, "the slots are made at start");
  const clients = [connect("10.0.0.1"), connect("10.0.0.2"), connect("10.0.0.3")];   // one turn: three pending
  loop.runUntilIdle();
  assert.equal(slots[0].opened, 1);
  assert.equal(slots[0].peer, "10.0.0.1");
  assert.equal(pool.connectionsInUse(), 1);
  for (const client of clients.slice(1)) {
    assert.equal(client.closed, true);
    assert.equal(client.closeReason, "fin");
    assert.equal(text(client.received), "BUSY\r\n");
  }
  assert.equal(clients[0].closed, false);
  assert.deepEqual(log, [
    "test connection from 10.0.0.2 turned away: all 1 slots in use",
    "test connection from 10.0.0.3 turned away: all 1 slots in use",
  ]);
  assert.equal(net.openSockets(), 1, "only the slot's socket is left open");
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("what a turned-away client sent already is read and dropped, so the refusal is not lost to a RST", () => {
  const { loop, pool, uncaught, connect } = rig({ slots: 1 });
  connect();
  loop.runUntilIdle();
  const late = connect("10.0.0.9");
  late.write(bytesOf("x".repeat(300)));     // more than the pool's 64-byte drain buffer, not a multiple of it
  loop.runUntilIdle();
  assert.equal(text(late.received), "BUSY\r\n");
  assert.equal(late.closeReason, "fin");
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("with no refusal bytes a client with no slot is closed without a word", () => {
  const { loop, pool, log, uncaught, connect } = rig({ slots: 1, busyBytes: "none" });
  connect();
  const second = connect("10.0.0.5");
  loop.runUntilIdle();
  assert.equal(second.closed, true);
  assert.deepEqual(second.received, []);
  assert.deepEqual(log, ["test connection from 10.0.0.5 turned away: all 1 slots in use"]);
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("a slot freed is found again and takes the next client", () => {
  const { loop, slots, pool, uncaught, connect } = rig({ slots: 2 });
  const first = connect(), second = connect();
  loop.runUntilIdle();
  assert.equal(pool.connectionsInUse(), 2);
  assert.deepEqual(slots.map((slot) => slot.opened), [1, 1]);
  first.end();                               // the peer's FIN: slot 0 lets go of its socket
  loop.runUntilIdle();
  assert.equal(pool.connectionsInUse(), 1);
  const third = connect("10.0.0.3");
  loop.runUntilIdle();
  assert.equal(third.closed, false);
  assert.deepEqual(slots.map((slot) => slot.opened), [2, 1]);
  assert.equal(slots[0].peer, "10.0.0.3");
  assert.equal(second.closed, false);
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("a screened address gets its own refusal although a slot is free, and the slots are not looked at", () => {
  const screened = [];
  const blocked = Object.freeze({ bytes: bytesOf("GO AWAY\r\n"), reason: "blocked" });
  const { loop, slots, pool, log, uncaught, connect } = rig({
    slots: 2,
    screen: (address) => { screened.push(address); return address === "10.6.6.6" ? blocked : undefined; },
  });
  const bad = connect("10.6.6.6"), good = connect("10.0.0.1");
  loop.runUntilIdle();
  assert.deepEqual(screened, ["10.6.6.6", "10.0.0.1"]);
  assert.equal(text(bad.received), "GO AWAY\r\n");
  assert.equal(bad.closeReason, "fin");
  assert.equal(good.closed, false);
  assert.deepEqual(slots.map((slot) => slot.opened), [1, 0]);
  assert.equal(slots[0].peer, "10.0.0.1");
  assert.deepEqual(log, ["test connection from 10.6.6.6 turned away: blocked"]);
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("a slot whose open() throws is logged and handed to openFailed, and the next pending connection still gets a slot", () => {
  const failed = [];
  const { loop, slots, pool, log, uncaught, connect } = rig({ slots: 2, openFailed: (slot) => failed.push(slot.name) });
  slots[0].failOpen = true;
  const first = connect(), second = connect();
  loop.runUntilIdle();
  assert.deepEqual(failed, ["slot 0"]);
  assert.deepEqual(log, ["test connection could not be taken: Error: no socket"]);
  assert.equal(first.closed, true, "the connection no slot took is closed");
  assert.equal(second.closed, false);
  assert.deepEqual(slots.map((slot) => slot.opened), [2, 0], "the slot that failed was still free and took the next one");
  pool.close();
  loop.runUntilIdle();
  assert.deepEqual(uncaught, []);
});

test("each tick runs the service's hook then every slot; a tick that throws is logged, never escapes", () => {
  const order = [];
  let throwNext = false;
  const { loop, slots, pool, log, uncaught } = rig({
    slots: 2,
    tick: () => {
      order.push(`hook saw ${slots[0].ticks} ticks`);
      if (throwNext) { throwNext = false; throw new Error("boom"); }
    },
  });
  loop.advance(2000);
  assert.deepEqual(order, ["hook saw 0 ticks", "hook saw 1 ticks"]);
  assert.deepEqual(slots.map((slot) => slot.ticks), [2, 2]);
  throwNext = true;
  loop.advance(1000);
  assert.deepEqual(log, ["test tick failed: Error: boom"]);
  assert.deepEqual(slots.map((slot) => slot.ticks), [2, 2]);
  loop.advance(1000);
  assert.deepEqual(slots.map((slot) => slot.ticks), [3, 3], "the timer goes on");
  pool.close();
  assert.deepEqual(uncaught, []);
});

test("close() stops the listener and the timer and disposes of every slot", () => {
  const { loop, net, slots, pool, uncaught, connect } = rig({ slots: 2 });
  const client = connect();
  loop.runUntilIdle();
  assert.equal(net.openListeners(), 1);
  assert.equal(loop.pendingTimers(), 1);
  pool.close();
  loop.runUntilIdle();
  assert.equal(net.openListeners(), 0);
  assert.equal(loop.pendingTimers(), 0);
  assert.deepEqual(slots.map((slot) => slot.disposed), [1, 1]);
  assert.equal(client.closed, true);
  assert.equal(net.openSockets(), 0);
  const late = connect();
  loop.runUntilIdle();
  assert.equal(late.closeReason, "refused", "nobody listens any more");
  assert.deepEqual(uncaught, []);
});
