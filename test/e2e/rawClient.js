// A minimal FTP client over node:net for tests that need exact bytes on the wire: replies are parsed as RFC 959
// says (multi-line included) and returned whole, so tests can assert complete reply lines.

import net from "node:net";

export class RawClient {
  static async connect(port, { localAddress } = {}) {
    const client = new RawClient();
    await client.#open(port, localAddress);
    return client;
  }

  #socket;
  #buffer = "";
  #replies = [];
  #waiters = [];
  closed = false;

  #open(port, localAddress) {
    return new Promise((resolve, reject) => {
      this.#socket = net.connect({ port, host: "127.0.0.1", localAddress }, resolve);
      this.#socket.setEncoding("latin1");
      this.#socket.unref();    // a client a failed test left open must not keep the test process alive
      this.#socket.on("data", (text) => { this.#buffer += text; this.#parse(); });
      this.#socket.on("error", () => {});
      this.#socket.on("close", () => { this.closed = true; this.#wake(); });
      this.#socket.once("error", reject);
    });
  }

  /** Sends raw bytes (a string is sent as latin1). */
  sendRaw(data) {
    this.#socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  send(line) {
    this.sendRaw(line + "\r\n");
  }

  /** The next complete reply: { code, lines, text } where lines are the raw reply lines. */
  async reply(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (this.#replies.length === 0) {
      if (this.closed) throw new Error("connection closed before a reply");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no reply in time; buffered: " + JSON.stringify(this.#buffer));
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.#replies.shift();
  }

  async command(line) {
    this.send(line);
    return this.reply();
  }

  async login(user = "anonymous", password = "guest") {
    const greeting = await this.reply();
    const userReply = await this.command(`USER ${user}`);
    const passReply = await this.command(`PASS ${password}`);
    return { greeting, userReply, passReply };
  }

  /** Resolves when the server closes the connection. */
  async waitClosed(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("connection still open");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close() {
    this.#socket.end();
  }

  destroy() {
    this.#socket.resetAndDestroy?.() ?? this.#socket.destroy();
  }

  #parse() {
    for (;;) {
      const first = this.#buffer.indexOf("\r\n");
      if (first < 0) return;
      const head = this.#buffer.slice(0, first);
      if (head[3] !== "-") {
        this.#take(first + 2, [head]);
        continue;
      }
      // multi-line: ends with a line starting with the same code and a space (RFC 959 §4.2)
      const code = head.slice(0, 3);
      const lines = [head];
      let at = first + 2;
      let done = false;
      for (;;) {
        const end = this.#buffer.indexOf("\r\n", at);
        if (end < 0) break;
        const line = this.#buffer.slice(at, end);
        lines.push(line);
        at = end + 2;
        if (line.startsWith(code + " ")) { done = true; break; }
      }
      if (!done) return;
      this.#take(at, lines);
    }
  }

  #take(length, lines) {
    this.#buffer = this.#buffer.slice(length);
    const code = Number(lines[0].slice(0, 3));
    this.#replies.push({ code, lines, text: lines.join("\r\n") });
    this.#wake();
  }

  #wake() {
    const waiters = this.#waiters.splice(0);
    for (const wake of waiters) wake();
  }
}

/**
 * Opens the data connection a 227 or 229 reply offers, on loopback; fails after `timeoutMs` without it. It starts
 * collecting what arrives at once: Node emits "end" as soon as an empty stream's EOF arrives, listener or not, so a
 * readAll() that attached its listeners after awaiting the 150 missed the FIN of an empty listing ("LIST -la
 * /PORT1") now and then and waited for ever (issue 12; the server had sent its FIN and its 226).
 */
export function connectData(reply, { localAddress, timeoutMs = 10000 } = {}) {
  let port;
  const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.text);
  if (pasv) port = Number(pasv[5]) * 256 + Number(pasv[6]);
  else port = Number(/\(\|\|\|(\d+)\|\)/.exec(reply.text)?.[1]);
  if (!(port > 0)) return Promise.reject(new Error(`no data port in the reply ${JSON.stringify(reply.text)}`));
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress }, () => { clearTimeout(timer); resolve(socket); });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the data connection to port ${port} (${reply.text}) was not made within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("error", (error) => { clearTimeout(timer); reject(error); });
    collect(socket);
  });
}

/** Keeps what a socket receives, and whether it ended or failed, from now on (see connectData). */
function collect(socket) {
  const state = { chunks: [], ended: false, error: undefined, wake: undefined };
  socket.on("data", (chunk) => state.chunks.push(chunk));
  socket.on("end", () => { state.ended = true; state.wake?.(); });
  socket.on("error", (error) => { state.error = error; state.wake?.(); });
  collected.set(socket, state);
  return state;
}

const collected = new WeakMap();

/**
 * Reads a data socket to its end (from its connection on, for a socket connectData made); fails after `timeoutMs`
 * with what had come, so a listing the server never ends is a failure that says so, not a hang.
 */
export function readAll(socket, { timeoutMs = 20000 } = {}) {
  const state = collected.get(socket) ?? collect(socket);
  return new Promise((resolve, reject) => {
    const settle = () => {
      if (state.error) reject(state.error);
      else if (state.ended) resolve(Buffer.concat(state.chunks));
      else return false;
      clearTimeout(timer);
      return true;
    };
    const timer = setTimeout(() => {
      socket.destroy();
      const got = Buffer.concat(state.chunks);
      reject(new Error(`the data connection did not end within ${timeoutMs} ms; ${got.length} bytes had come: ${JSON.stringify(got.toString("latin1").slice(0, 200))}`));
    }, timeoutMs);
    if (!settle()) state.wake = settle;
  });
}
