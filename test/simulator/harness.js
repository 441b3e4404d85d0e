// One interface over both transports, so every contract case runs unchanged on the in-memory network (virtual
// time) and on Node's net over loopback (real time). Not a test file itself.

import net from "node:net";
import { createEventLoop } from "../../simulator/io/event-loop.js";
import { createMemoryNetwork } from "../../simulator/io/memory-net.js";
import * as nodeNet from "../../simulator/io/node-net.js";
import { setUncaughtHook } from "../../simulator/io/abort.js";

export function latin1(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return text;
}

/** Subclasses that remember every socket and listener, so a harness can close what a failed case left open. */
function tracked(TCP, Listener) {
  const open = [];
  class TrackedTCP extends TCP {
    constructor(...args) {
      super(...args);
      open.push(this);
    }
  }
  class TrackedListener extends Listener {
    constructor(...args) {
      super(...args);
      open.push(this);
    }
    read() {
      const socket = super.read();
      if (socket) open.push(socket);
      return socket;
    }
  }
  return { TCP: TrackedTCP, Listener: TrackedListener, closeAll: () => open.forEach((o) => o.close()) };
}

function memoryHarness(profile) {
  const loop = createEventLoop();
  const network = createMemoryNetwork(loop, { profile });
  const uncaught = [];
  loop.onUncaught = (error) => uncaught.push(error);
  const classes = tracked(network.TCP, network.Listener);
  return {
    kind: "memory", profile, loop, network, uncaught,
    TCP: classes.TCP, Listener: classes.Listener, inspect: network.inspect, peerReset: network.peerReset,
    connect: (port) => network.connect({ port }),
    listen: () => network.listen({}),
    async until(predicate, what = "condition", limitMs = 10000) {
      for (let waited = 0; !predicate(); waited++) {
        if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
        loop.advance(1);
      }
    },
    async settle(ms = 80) {
      loop.advance(ms);
    },
    close() {
      classes.closeAll();
    },
  };
}

/** Node's net.Socket dressed as a memory-net client end. */
function nodeEnd(socket) {
  const end = {
    socket, closed: false, closeReason: undefined, bytesReceived: 0, connected: false,
    onData: undefined, onClose: undefined,
    localPort: socket.localPort,
    write(data) { socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data); },
    end() { socket.end(); },
    reset() { socket.resetAndDestroy(); },
    pause() { socket.pause(); },
    resume() { socket.resume(); },
  };
  socket.on("connect", () => {
    end.connected = true;
    end.localPort = socket.localPort;
  });
  socket.on("data", (chunk) => {
    end.bytesReceived += chunk.length;
    end.onData?.(new Uint8Array(chunk));
  });
  socket.on("error", (error) => { end.closeReason = error.code === "ECONNRESET" ? "reset" : error.code; });
  // Like a memory-net end, "closed" means the firmware's side is done (FIN or RST), half-close or not.
  const finish = () => {
    if (end.closed) return;
    end.closed = true;
    end.onClose?.();
  };
  socket.on("end", () => {
    end.closeReason ??= "fin";
    finish();
  });
  socket.on("close", finish);
  return end;
}

function nodeHarness(profile) {
  nodeNet.setProfile(profile);
  const uncaught = [];
  const previous = setUncaughtHook((error) => uncaught.push(error));
  const sockets = [], servers = [];
  const classes = tracked(nodeNet.TCP, nodeNet.Listener);
  return {
    kind: "node", profile, uncaught,
    TCP: classes.TCP, Listener: classes.Listener, inspect: nodeNet.inspect, peerReset: nodeNet.peerReset,
    connect(port) {
      const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      sockets.push(socket);
      return nodeEnd(socket);
    },
    listen() {
      const server = net.createServer({ allowHalfOpen: true });
      servers.push(server);
      const handle = { port: 0, onConnection: undefined, close: () => server.close() };
      server.on("connection", (socket) => {
        sockets.push(socket);
        const end = nodeEnd(socket);
        end.connected = true;
        handle.onConnection?.(end);
      });
      return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
        handle.port = server.address().port;
        resolve(handle);
      }));
    },
    async until(predicate, what = "condition", limitMs = 5000) {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    async settle(ms = 80) {
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    close() {
      classes.closeAll();
      for (const socket of sockets) socket.destroy();
      for (const server of servers) server.close();
      setUncaughtHook(previous);
      nodeNet.setProfile("esp32");
    },
  };
}

export const transports = [
  { name: "memory", create: memoryHarness },
  { name: "node", create: nodeHarness },
];
