// The Node transport must turn an app that does not read into a stalled peer, not into a growing buffer.

import { it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import * as nodeNet from "../../simulator/io/node-net.js";

for (const profile of ["esp32", "lin"]) {
  it(`${profile}: a socket the app never reads stalls the sender and holds at most its window plus one chunk`, async () => {
    nodeNet.setProfile(profile);
    let socket;
    const listener = new nodeNet.Listener({ port: 0, onReadable() { socket = new nodeNet.TCP({ from: this.read() }); } });
    const client = net.connect({ port: listener.port, host: "127.0.0.1" });
    await new Promise((r) => client.on("connect", r));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let written = 0, stalledAt = -1;
    for (let round = 0; round < 2000 && stalledAt < 0; round++) {
      if (client.write(chunk)) written += chunk.length;
      else {
        written += chunk.length;
        const drained = await Promise.race([
          new Promise((r) => client.once("drain", () => r(true))),
          new Promise((r) => setTimeout(() => r(false), 300)),
        ]);
        if (!drained) stalledAt = written;
      }
    }
    assert.ok(stalledAt > 0, `the sender never stalled after ${written} bytes`);
    const held = nodeNet.inspect(socket);
    const window = profile === "esp32" ? 8192 : 1536;
    assert.ok(held.readable <= window, JSON.stringify(held));
    assert.ok(held.readable + held.staged <= window + 65536 + 65536, JSON.stringify(held));
    const rss = process.memoryUsage().rss;
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(process.memoryUsage().rss - rss < 8 * 1024 * 1024, "memory stays flat while stalled");
    client.destroy();
    socket.close();
    listener.close();
    nodeNet.setProfile("esp32");
  });
}
