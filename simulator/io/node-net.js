// The socket core over Node's `net`: what `npm start` gives the firmware as embedded:io/socket/tcp and /listener.
// Node only. Memory stays bounded because the core pauses a Node socket instead of buffering past its window.

import net from "node:net";
import { getSystemErrorName } from "node:util";
import { createSocketClasses, profiles } from "./socket-core.js";
import { guarded, reportUncaught } from "./abort.js";

let profile = "esp32";
/** The IPv4 address every listener binds (--listen): loopback unless the user asks for more. */
let listenAddress = "127.0.0.1";
/** Told of every listen attempt (simulator/main.js names the flag of a port that cannot be had). */
let listenObserver;

export function setProfile(name) {
  if (!profiles[name]) throw new RangeError(`unknown profile ${name}`);
  profile = name;
}

export function getProfile() {
  return profile;
}

/** --listen: "127.0.0.1" (the default), another local IPv4 address, or "0.0.0.0" for every interface. */
export function setListenAddress(address) {
  listenAddress = String(address);
}

/** observer(port asked for, undefined or the error's code such as "EADDRINUSE", address) after each listen attempt. */
export function observeListens(observer) {
  listenObserver = observer;
}

/**
 * Node's net.Server binds synchronously only when given no address (and then binds every interface); with one it
 * looks the address up first, and the SDK's Listener constructor must know its port, or throw, before it returns
 * (PASV tries another port when one is taken). So the listening socket is made here with Node's own TCP wrap,
 * bound and listening in this turn, and handed to net.Server. process.binding("tcp_wrap") is deprecated in the
 * documentation only (DEP0111): Node 20 gives it without a warning. DOUBT: later Node versions were not tried; one
 * without it makes every listen fail with ENOTSUP, which main.js names, rather than bind every interface.
 */
const tcpWrap = (() => {
  try {
    return process.binding("tcp_wrap");
  } catch {
    return undefined;
  }
})();

/** A listening handle on address:port, or the error code; IPv4 only, as the SDK's listeners. */
function listenHandle(address, port) {
  if (!tcpWrap) return { error: "ENOTSUP" };     // a Node without it: say so rather than bind every interface
  const handle = new tcpWrap.TCP(tcpWrap.constants.SERVER);
  let error = handle.bind(address, port);
  if (!error) error = handle.listen(511);          // EADDRINUSE comes from listen(): libuv delays it from bind()
  if (!error) return { handle };
  handle.close();
  return { error: getSystemErrorName(error) };
}

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the SDK only ever shows dotted quads. */
function plainAddress(address) {
  return address?.startsWith("::ffff:") ? address.slice(7) : address;
}

class NodeConnection {
  constructor(socket) {
    this.socket = socket;
    this.hooks = undefined;
    this.failed = false;
    this.remoteAddress = plainAddress(socket.remoteAddress);
    this.remotePort = socket.remotePort;
    // Kept, not copied: without the `onread` option each Node read has an ArrayBuffer of its own that Node does not
    // reuse, and the core copies out of it only into the app's views. A plain Uint8Array over the same memory
    // (no copy) keeps the core's read path monomorphic; a Buffer's subarray costs twice a Uint8Array's.
    socket.on("data", (chunk) => this.hooks?.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on("end", () => this.hooks?.end());
    socket.on("error", () => {});    // the "close" that follows carries it
    socket.on("close", (hadError) => {
      if (!hadError) return;
      this.failed = true;
      this.hooks?.reset();
    });
  }

  attach(hooks) {
    this.hooks = hooks;
    if (this.failed) setImmediate(() => this.hooks?.reset());
    else this.socket.resume();
  }

  /** The SDK's `nodelay` option: TCP_NODELAY on the real socket, so small replies are not held back by Nagle. */
  setNoDelay(enable) {
    this.socket.setNoDelay(enable);
  }

  send(bytes) {
    const count = bytes.byteLength;
    // Flushed to the kernel stands for "acknowledged": Node holds no more than the core's send space.
    this.socket.write(bytes, (error) => {
      if (!error) this.hooks?.sent(count);
    });
  }

  end() {
    this.hooks = undefined;
    if (this.socket.destroyed) return;
    this.socket.end();
    this.socket.resume();    // discard what still comes, so the peer's FIN is seen and the socket can go
  }

  reset() {
    this.hooks = undefined;
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }

  pause() {
    this.socket.pause();
  }

  resume() {
    if (this.hooks) this.socket.resume();
  }
}

const transport = {
  listen(port, onConnection) {
    // IPv4 only, as the SDK's listeners: listenHandle() binds an IPv4 address, so no IPv6 peer can arrive.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => onConnection(new NodeConnection(socket)));
    server.on("error", () => {});
    const { handle, error } = listenHandle(listenAddress, port);
    if (handle) server.listen({ handle });
    const address = handle && server.address();
    const code = error ?? (address ? undefined : "EADDRINUSE");
    listenObserver?.(port, code, listenAddress);
    if (code) throw new Error(`bind socket failed (${code})`);
    return {
      port: address.port,
      close() {
        server.close();
      },
    };
  },
  connect(address, port, hooks) {
    let socket;
    try {
      socket = net.connect({ host: address, port, allowHalfOpen: true });
    } catch {
      const dead = { remoteAddress: address, remotePort: port, attach() {}, send() {}, end() {}, reset() {},
        pause() {}, resume() {}, setNoDelay() {} };
      setImmediate(() => hooks.reset());
      return dead;
    }
    const conn = new NodeConnection(socket);
    conn.remoteAddress = address;
    conn.remotePort = port;
    conn.hooks = hooks;
    socket.once("connect", () => conn.hooks?.connected());
    return conn;
  },
};

/**
 * The core's turns. Each deferred function runs on a later turn than the one that deferred it, as lwIP's messages
 * do on the device; what one turn defers runs on the next. Up to turnsPerImmediate such turns run back to back in
 * one Node check phase before Node polls its sockets and timers again: an upload refills its 8 KiB window once a
 * turn, and one Node poll per 8 KiB cost more than the firmware's own work (epoll and the loop's phases). The
 * device has no such phases to pay; timers and new bytes wait at most those few turns (microseconds).
 */
const turnsPerImmediate = 16;
let nextTurn = [];
let turnScheduled = false;

function defer(fn) {
  nextTurn.push(fn);
  if (!turnScheduled) {
    turnScheduled = true;
    setImmediate(runTurns);
  }
}

function runTurns() {
  turnScheduled = false;
  for (let turn = 0; turn < turnsPerImmediate && nextTurn.length; turn++) {
    const now = nextTurn;
    nextTurn = [];
    for (let i = 0; i < now.length; i++) runGuarded(now[i]);
  }
  if (nextTurn.length && !turnScheduled) {
    turnScheduled = true;
    setImmediate(runTurns);
  }
}

function runGuarded(fn) {
  try {
    fn();
  } catch (error) {
    reportUncaught(error);
  }
}

const classes = createSocketClasses({
  transport,
  defer,
  every(ms, fn) {
    const interval = setInterval(guarded(fn), ms);
    return () => clearInterval(interval);
  },
  profile: () => profile,
});

export const TCP = classes.TCP;
export const Listener = classes.Listener;
/** Test-only view of a live socket's buffers. */
export const inspect = classes.inspect;
export const peerReset = classes.peerReset;
