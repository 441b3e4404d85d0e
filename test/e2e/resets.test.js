// Clients that vanish with a reset, on both simulators. What the real SDK's simulator showed (issue 11): a browser
// that aborts a page load ended mcsim (SIGPIPE on the write to the reset peer, io/socket/lin/tcp.c); an FTP client
// that reset while its replies were pending kept its slot until the 900 s idle timeout (lin's write() returns
// undefined and delivers nothing more), so three of them locked everyone out; and the first connection after start
// was never answered (mdns's half-made socket closing fd 0, network/socket/lin/modSocket.c).

import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { RawClient } from "./rawClient.js";
import { freePort } from "./printClients.js";
import { startSimulator } from "./simulator.js";

/** Connects, sends `request`, waits for the first bytes of the answer, then resets (SO_LINGER 0). */
function resetAfterFirstBytes(port, request, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" }, () => socket.write(request));
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer on port ${port} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.once("data", () => {
      clearTimeout(timer);
      socket.resetAndDestroy();
      resolve();
    });
    socket.on("error", (error) => { clearTimeout(timer); reject(error); });
  });
}

test("the first connection after start is answered, and aborted page loads do not stop the simulator", async () => {
  const sim = await startSimulator(["--http-port", String(await freePort())]);
  try {
    const first = await RawClient.connect(sim.port);
    assert.equal((await first.reply(20000)).code, 220, "the greeting on the first connection");
    first.close();
    // Each answer is several writes on the lin simulator's 1,536-byte sockets: the later ones meet the reset.
    for (let i = 0; i < 5; i++) await resetAfterFirstBytes(sim.ports.http, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const client = await RawClient.connect(sim.port);
    const { greeting, passReply } = await client.login();
    assert.equal(greeting.code, 220, "a greeting after the aborted page loads");
    assert.equal(passReply.code, 230);
    client.close();
    assert.ok(!sim.log.some((line) => /ftprint could not start|abort/i.test(line)), sim.log.join("\n"));
  } finally {
    await sim.stop();
  }
});

test("three clients that reset with replies pending leave their slots at once: a fourth is served, not turned away", async () => {
  const sim = await startSimulator();
  try {
    const mark = sim.log.length;
    for (let i = 0; i < 3; i++) {
      const client = await RawClient.connect(sim.port);
      await client.login();
      // Far more reply text than the session's reply buffer and the socket take: replies wait on the client.
      client.sendRaw("HELP\r\n".repeat(300));
      await sim.waitForLog(new RegExp(`session ${i + 1} < HELP`));
      client.destroy();
    }
    // Each slot is freed when its session next writes or sees the reset, or (lwIP, which tells nothing while the
    // commands before the RST are unread) after the 30 s reply stall limit: not after the 900 s idle timeout.
    const freed = () => sim.log.slice(mark).filter((line) => /session \d+ closed: (connection lost|connection closed by client|its replies did not move)/.test(line)).length;
    for (const deadline = Date.now() + 60000; freed() < 3;) {
      if (Date.now() > deadline) throw new Error(`${freed()} of 3 sessions closed within 60 s; log:\n${sim.log.slice(mark).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fourth = await RawClient.connect(sim.port);
    assert.equal((await fourth.reply(20000)).code, 220, "the fourth client is greeted, not sent 421");
    fourth.close();
  } finally {
    await sim.stop();
  }
});
