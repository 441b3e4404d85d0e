// The SDK's `nodelay` option (xs_tcp_constructor: tcp_nagle_disable in $(MODDABLE)/modules/io/socket/lwip/tcp.c,
// TCP_NODELAY in lin/tcp.c) reaches the transport, so the Node simulator turns Nagle off on the
// real socket as lwIP does on the device; without it a reply written after another waits for the client's delayed
// ACK (the bench's small jobs ran at 22 per second).

import { it } from "node:test";
import assert from "node:assert/strict";
import { createSocketClasses } from "../../simulator/io/socket-core.js";

function fakeTransport() {
  const made = [];
  const conn = (remotePort) => {
    const c = { remoteAddress: "127.0.0.1", remotePort, noDelay: undefined, attach() {}, send() {}, end() {}, reset() {},
      pause() {}, resume() {}, setNoDelay(enable) { c.noDelay = enable; } };
    made.push(c);
    return c;
  };
  let accept;
  const transport = {
    listen(port, onConnection) { accept = onConnection; return { port: 2121, close() {} }; },
    connect(address, port) { return conn(port); },
  };
  const classes = createSocketClasses({ transport, defer: () => {}, every: () => () => {}, profile: () => "esp32" });
  return { ...classes, made, arrive: (port) => accept(conn(port)) };
}

it("nodelay: true on `from` and on an outgoing socket sets the transport's no-delay; without it nothing is set", () => {
  const t = fakeTransport();
  const listener = new t.Listener({ port: 2121 });
  t.arrive(40000);
  t.arrive(40001);
  const fast = new t.TCP({ from: listener.read(), nodelay: true });
  const plain = new t.TCP({ from: listener.read() });
  const outgoing = new t.TCP({ address: "127.0.0.1", port: 20, nodelay: true });
  assert.deepEqual(t.made.map((c) => c.noDelay), [true, undefined, true]);
  for (const socket of [fast, plain, outgoing, listener]) socket.close();
});
