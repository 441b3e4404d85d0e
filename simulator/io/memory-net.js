// An in-memory network on the event loop's virtual clock: the firmware's ECMA-419 classes on one side, scripted
// test clients ("ends") on the other. Engine-neutral (runs under XS too): no Node API, no real time, no console.
//
// Delivery model: each direction of a connection moves at most once per turn (loop.defer), so a test sees the same
// turn structure as the firmware would. Firmware -> client bytes count as "in flight" (holding the firmware's send
// space) until the end takes them; a paused end takes nothing, which is how a test applies backpressure.

import { createSocketClasses, profiles } from "./socket-core.js";

const FIRST_EPHEMERAL_PORT = 49152;

function latin1(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xFF;
  return bytes;
}

function toBytes(data) {
  if (typeof data === "string") return latin1(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  throw new TypeError("write takes a Uint8Array, an ArrayBuffer or a latin1 string");
}

function take(queue, count) {
  const out = new Uint8Array(count);
  let at = 0;
  while (at < count) {
    const chunk = queue[0];
    const use = Math.min(count - at, chunk.byteLength);
    out.set(chunk.subarray(0, use), at);
    at += use;
    if (use === chunk.byteLength) queue.shift();
    else queue[0] = chunk.subarray(use);
  }
  return out;
}

/**
 * @param {ReturnType<import("./event-loop.js").createEventLoop>} loop
 * @param {{profile?: "esp32" | "lin", address?: string}} [options] address: the firmware's own IPv4 address
 */
export function createMemoryNetwork(loop, { profile = "esp32", address = "127.0.0.1" } = {}) {
  if (!profiles[profile]) throw new RangeError(`unknown profile ${profile}`);
  /** @type {Map<number, (conn: any) => void>} the firmware binds every address, so only the port matters */
  const firmwareListeners = new Map();
  /** @type {Map<string, any>} test listeners by "address:port" (PORT/EPRT targets) */
  const clientListeners = new Map();
  const portsInUse = new Set();
  const openConns = new Set();
  let nextPort = FIRST_EPHEMERAL_PORT;
  let connectDelayMs = 0;
  let blackhole = new Set();

  function ephemeralPort() {
    for (let tries = 0; tries < 16384; tries++) {
      const port = nextPort;
      nextPort = nextPort >= 65535 ? FIRST_EPHEMERAL_PORT : nextPort + 1;
      if (!portsInUse.has(port) && !firmwareListeners.has(port)) return port;
    }
    throw new Error("no ephemeral port left");
  }

  function later(fn) {
    if (connectDelayMs > 0) loop.after(connectDelayMs, fn);
    else loop.defer(fn);
  }

  /** One TCP connection: `conn` is the firmware's transport side, `end` the test's. */
  function createPipe(firmwareSide, clientSide) {
    const pipe = {
      hooks: undefined, firmwarePaused: false, clientPaused: false, scheduled: false,
      toClient: [], toClientBytes: 0, toClientFin: false, toClientFinDone: false,
      toFirmware: [], toFirmwareBytes: 0, toFirmwareFin: false, toFirmwareFinDone: false,
      resetForFirmware: false, dead: false,
    };

    function schedule() {
      if (pipe.scheduled || pipe.dead) return;
      pipe.scheduled = true;
      loop.defer(pump);
    }

    function finishClient(reason) {
      if (end.closed) return;
      end.closed = true;
      end.closeReason = reason;
      end.onClose?.();
    }

    function pump() {
      pipe.scheduled = false;
      if (pipe.dead) return;
      if (!pipe.clientPaused && pipe.toClientBytes) {
        const bytes = take(pipe.toClient, pipe.toClientBytes);
        pipe.toClientBytes = 0;
        end.bytesReceived += bytes.byteLength;
        end.onData?.(bytes);
        pipe.hooks?.sent(bytes.byteLength);    // taken by the peer = acknowledged
      }
      if (!pipe.clientPaused && !pipe.toClientBytes && pipe.toClientFin && !pipe.toClientFinDone) {
        pipe.toClientFinDone = true;
        finishClient("fin");
      }
      const hooks = pipe.hooks;
      if (hooks && !pipe.firmwarePaused && pipe.toFirmwareBytes) {
        const room = Math.min(hooks.space?.() ?? Infinity, end.sendWindow, pipe.toFirmwareBytes);
        if (room > 0) {
          pipe.toFirmwareBytes -= room;
          hooks.data(take(pipe.toFirmware, room));
          if (!pipe.toFirmwareBytes) end.onDrain?.();
          else if (room === end.sendWindow) schedule();    // more next turn; otherwise wait for resume()
        }
      }
      if (pipe.hooks && !pipe.toFirmwareBytes && pipe.toFirmwareFin && !pipe.toFirmwareFinDone) {
        pipe.toFirmwareFinDone = true;
        pipe.hooks.end();
      }
    }

    function release() {
      if (conn.released) return;
      conn.released = true;
      openConns.delete(conn);
      pipe.hooks = undefined;    // the app closed its socket: later bytes from the peer fall on the floor
    }

    const conn = {
      remoteAddress: clientSide.address,
      remotePort: clientSide.port,
      released: false,
      attach(hooks) {
        pipe.hooks = hooks;
        if (pipe.resetForFirmware) loop.defer(() => pipe.hooks?.reset());
        else schedule();
      },
      send(bytes) {
        if (pipe.dead || end.closed) return;
        pipe.toClient.push(bytes);
        pipe.toClientBytes += bytes.byteLength;
        schedule();
      },
      end() {
        release();
        if (pipe.dead || pipe.toClientFin) return;
        pipe.toClientFin = true;
        schedule();
      },
      reset() {
        release();
        if (pipe.dead) return;
        pipe.dead = true;
        pipe.toClient = [];
        pipe.toClientBytes = 0;
        loop.defer(() => finishClient("reset"));
      },
      pause() {
        pipe.firmwarePaused = true;
      },
      resume() {
        pipe.firmwarePaused = false;
        schedule();
      },
    };

    const end = {
      localAddress: clientSide.address, localPort: clientSide.port,
      remoteAddress: firmwareSide.address, remotePort: firmwareSide.port,
      connected: false, closed: false, closeReason: undefined, bytesReceived: 0,
      /** Bytes the network moves from this end to the firmware per turn; lower it to fragment the stream. */
      sendWindow: Infinity,
      onConnect: undefined, onData: undefined, onClose: undefined, onDrain: undefined,
      /** Bytes written by the test and not yet taken by the firmware's stack. */
      get pending() {
        return pipe.toFirmwareBytes;
      },
      write(data) {
        if (pipe.toFirmwareFin) throw new Error("write after end()");
        const bytes = toBytes(data);
        if (end.closed || pipe.dead || !bytes.byteLength) return;
        pipe.toFirmware.push(bytes);
        pipe.toFirmwareBytes += bytes.byteLength;
        schedule();
      },
      end() {
        if (pipe.toFirmwareFin || end.closed) return;
        pipe.toFirmwareFin = true;
        schedule();
      },
      reset() {
        if (pipe.dead) return;
        pipe.dead = true;
        pipe.toFirmware = [];
        pipe.toFirmwareBytes = 0;
        pipe.toClient = [];
        pipe.toClientBytes = 0;
        if (pipe.hooks) loop.defer(() => pipe.hooks?.reset());
        else pipe.resetForFirmware = true;    // still queued in a listener: the firmware learns after read()
        loop.defer(() => finishClient("reset"));
      },
      pause() {
        pipe.clientPaused = true;
      },
      resume() {
        pipe.clientPaused = false;
        schedule();
      },
    };

    openConns.add(conn);
    return { conn, end, pipe, refuse() {
      pipe.dead = true;
      release();
      loop.defer(() => finishClient("refused"));
    } };
  }

  function blackholed(host, port) {
    return blackhole.has(`${host}:${port}`);
  }

  const transport = {
    listen(port, onConnection) {
      const bound = port || ephemeralPort();
      if (firmwareListeners.has(bound)) throw new Error("port in use");
      firmwareListeners.set(bound, onConnection);
      return {
        port: bound,
        close() {
          if (firmwareListeners.get(bound) === onConnection) firmwareListeners.delete(bound);
        },
      };
    },
    connect(host, port, hooks) {
      const localPort = ephemeralPort();
      portsInUse.add(localPort);
      const { conn, end, refuse } = createPipe({ address, port: localPort }, { address: host, port });
      // From the end's side the firmware is the remote party.
      end.localAddress = host;
      end.localPort = port;
      end.remoteAddress = address;
      end.remotePort = localPort;
      later(() => {
        if (conn.released) return;
        if (blackholed(host, port)) return;
        const target = clientListeners.get(`${host}:${port}`);
        if (!target) {
          portsInUse.delete(localPort);
          refuse();
          hooks.reset();
          return;
        }
        conn.attach(hooks);
        end.connected = true;
        target.onConnection?.(end);
        hooks.connected();
      });
      return conn;
    },
  };

  const classes = createSocketClasses({
    transport,
    defer: (fn) => loop.defer(fn),
    every: (ms, fn) => loop.every(ms, fn),
    profile: () => profile,
  });

  return {
    TCP: classes.TCP,
    Listener: classes.Listener,
    /** Test-only view of a live firmware socket's buffers ({readable, staged, inFlight, queued}). */
    inspect: classes.inspect,
    peerReset: classes.peerReset,
    profile,
    address,
    /** A test client connecting to the firmware; `from` is the client's own address (port-theft tests). */
    connect({ port, address: host = "127.0.0.1", from = "127.0.0.1" } = {}) {
      const localPort = ephemeralPort();
      portsInUse.add(localPort);
      const { conn, end, refuse } = createPipe({ address: host, port }, { address: from, port: localPort });
      openConns.delete(conn);    // counted once the firmware's listener holds it
      later(() => {
        if (end.closed) return;
        if (blackholed(host, port)) return;
        const onConnection = firmwareListeners.get(port);
        if (!onConnection) {
          portsInUse.delete(localPort);
          refuse();
          return;
        }
        openConns.add(conn);
        end.connected = true;
        onConnection(conn);
        end.onConnect?.();
      });
      return end;
    },
    /** A test listener the firmware can connect to (PORT/EPRT). */
    listen({ port = 0, address: host = "127.0.0.1" } = {}) {
      const bound = port || ephemeralPort();
      const key = `${host}:${bound}`;
      if (clientListeners.has(key)) throw new Error("port in use");
      const listener = {
        port: bound, address: host, onConnection: undefined,
        close() {
          if (clientListeners.get(key) === listener) clientListeners.delete(key);
        },
      };
      clientListeners.set(key, listener);
      return listener;
    },
    /** Firmware-side connections the firmware has not closed yet (including ones queued in its listeners). */
    openSockets: () => openConns.size,
    openListeners: () => firmwareListeners.size,
    /** connectDelayMs: virtual time before any connect answers; blackhole: ["addr:port", ...] never answer. */
    setBehaviour({ connectDelayMs: delay, blackhole: holes } = {}) {
      if (delay !== undefined) connectDelayMs = Math.max(0, Number(delay) || 0);
      if (holes !== undefined) blackhole = new Set(holes);
    },
  };
}
