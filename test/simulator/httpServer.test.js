// The embedded:network/http/server emulation (simulator/httpServer.js) against what the SDK's httpserver.js does:
// driven over our emulated Listener/TCP (Node transport) by a raw client, so every byte on the wire is checked.

import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import HTTPServer from "../../simulator/httpServer.js";
import { Listener, TCP } from "../../simulator/io/node-net.js";
import { setUncaughtHook } from "../../simulator/io/abort.js";
import { freePort } from "../e2e/printClients.js";

const open = [];
afterEach(() => {
  while (open.length) open.pop().close();
});

/** Sends `request` (a string or Buffer chunks) and resolves with everything received until the server closes. */
function exchange(port, ...parts) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const received = [];
    socket.on("data", (data) => received.push(data));
    // Closing with request bytes still unread makes the emulated socket reset the connection (lwIP sends RST).
    socket.on("error", (error) => (error.code === "ECONNRESET" ? received.push(Buffer.from("<reset>")) : reject(error)));
    socket.on("close", () => resolve(Buffer.concat(received).toString("latin1")));
    socket.setTimeout(10000, () => { socket.destroy(); reject(new Error("no close from the server")); });
    (async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
  });
}

/** Starts a server whose every connection gets `handlers(log)`; returns its port and the log. */
async function serve(handlers) {
  const port = await freePort();
  const log = [];
  const server = new HTTPServer({ io: Listener, port, onConnect(connection) { connection.accept(handlers(log, connection)); } });
  open.push(server);
  return { port, log };
}

const textBody = (text) => new Uint8Array(Buffer.from(text, "latin1")).buffer;

describe("embedded:network/http/server emulation", () => {
  it("answers with the SDK's status line (the reason phrase of httpserver.js reason(), checked against mcsim), the headers as given, the body, then closes", async () => {
    const { port, log } = await serve((log) => ({
      onRequest(request) { log.push([request.method, request.path, [...request.headers]]); },
      onResponse(response) {
        response.headers.set("content-type", "text/plain");
        response.headers.set("content-length", "5");
        this.respond(response);
      },
      onWritable(count) { log.push(["writable", count > 0]); this.write(textBody("hello")); },
      onDone() { log.push(["done"]); },
    }));
    const reply = await exchange(port, "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Mixed-Case:  v  \r\n\r\n");
    assert.equal(reply, "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello");
    assert.deepEqual(log, [["GET", "/a?b=1", [["host", "x"], ["x-mixed-case", "v"]]], ["writable", true], ["done"]]);
  });

  it("answers 200 with no headers and no body when there is no onResponse", async () => {
    const { port } = await serve(() => ({}));
    assert.equal(await exchange(port, "GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 200 OK\r\n\r\n");
  });

  it("closes without an answer for anything but HTTP/1.1, and calls onError", async () => {
    const { port, log } = await serve((log) => ({ onRequest() { log.push("request"); }, onError() { log.push("error"); } }));
    // No byte of an answer: a FIN, or a RST where the rest of the request was still unread.
    assert.match(await exchange(port, "GET / HTTP/1.0\r\n\r\n"), /^(<reset>)?$/);
    assert.match(await exchange(port, "GET /\r\n\r\n"), /^(<reset>)?$/);
    assert.deepEqual(log, ["error", "error"]);
  });

  it("honours only a lower-case content-length: spelled otherwise, the body is never sent and write() throws", async () => {
    const { port, log } = await serve((log) => ({
      onResponse(response) {
        response.headers.set("Content-Length", "5");
        this.respond(response);
        try {
          this.write(textBody("hello"));
        } catch (error) {
          log.push(error.message);
        }
      },
    }));
    assert.equal(await exchange(port, "GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    assert.deepEqual(log, ["bad state"]);
  });

  it("reads a content-length body through read(count), then asks for the response", async () => {
    const { port, log } = await serve((log) => ({
      onReadable(count) { log.push(Buffer.from(this.read(count)).toString("latin1")); },
      onResponse(response) { log.push("response"); this.respond(response); },
    }));
    const reply = await exchange(port, "POST /f HTTP/1.1\r\ncontent-length: 11\r\n\r\nhello", " world");
    assert.equal(reply, "HTTP/1.1 200 OK\r\n\r\n");
    assert.equal(log.filter((entry) => entry !== "response").join(""), "hello world");
    assert.equal(log.at(-1), "response");
  });

  it("reads a chunked request body chunk by chunk, content-length ignored", async () => {
    const { port, log } = await serve((log) => ({
      onReadable(count) { log.push(Buffer.from(this.read(count)).toString("latin1")); },
      onResponse(response) { log.push("response"); this.respond(response); },
    }));
    await exchange(port, "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 99\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assert.equal(log.filter((entry) => entry !== "response").join(""), "hello world");
    assert.equal(log.at(-1), "response");
  });

  // httpserver.js Connection.#onReadable, case "receiveHeader": "expect" is stored like any header, and nothing is
  // written in a receiving state (#onWritable returns at once while #state starts with "receive"); so no
  // "100 Continue" ever goes out, and the body is read only as the client sends it unasked.
  it("sends no 100 Continue: a client that waits for one gets nothing until it sends its body anyway", async () => {
    const { port, log } = await serve((log) => ({
      onReadable(count) { log.push(Buffer.from(this.read(count)).toString("latin1")); },
      onResponse(response) { response.headers.set("content-length", "2"); this.respond(response); },
      onWritable() { this.write(textBody("ok")); },
    }));
    const socket = net.connect(port, "127.0.0.1");
    const received = [];
    socket.on("data", (data) => received.push(data));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    socket.write("POST /ipp/print HTTP/1.1\r\ncontent-length: 5\r\nexpect: 100-continue\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(Buffer.concat(received).toString("latin1"), "", "the SDK server wrote before the body came");
    socket.write("hello");
    const timeout = setTimeout(() => socket.destroy(new Error("no answer")), 10000);
    await closed;
    clearTimeout(timeout);
    assert.equal(Buffer.concat(received).toString("latin1"), "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    assert.deepEqual(log, ["hello"]);
  });

  // httpserver.js Connection.#onReadable, case "receiveBody": the size line goes through parseInt(line.trim(), 16),
  // which stops at a chunk extension; case "receiveChunkTrailer": anything but CRLF after the last chunk (a trailer
  // field) is onError("badly formed"), and the connection closes unanswered.
  it("reads a chunk size with an extension, and closes unanswered on a trailer field after the last chunk", async () => {
    const { port, log } = await serve((log) => ({
      onReadable(count) { log.push(Buffer.from(this.read(count)).toString("latin1")); },
      onResponse(response) { log.push("response"); this.respond(response); },
      onError(why) { log.push(`error ${why}`); },
    }));
    assert.equal(await exchange(port, "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n"), "HTTP/1.1 200 OK\r\n\r\n");
    assert.deepEqual(log.splice(0), ["hello", "response"]);
    assert.match(await exchange(port, "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nx-trailer: 1\r\n\r\n"), /^(<reset>)?$/);
    assert.deepEqual(log, ["hi", "error badly formed"]);
  });

  // httpserver.js Connection.detach(): the socket (a TCP made `from` the connection's, with no callbacks) leaves the
  // server, which then neither reads nor answers; $(MODDABLE)/modules/io/socket/lwip/tcp.c xs_tcp_constructor()
  // (and lin/tcp.c's) carries the received bytes over to a TCP made `from` it and triggers its onReadable for them.
  it("detach() in onRequest hands the socket over with the body bytes that came with the headers", async () => {
    const { port, log } = await serve((log) => ({
      onRequest() {
        const raw = this.detach();
        const socket = new TCP({
          from: raw,
          onReadable(count) {
            log.push(Buffer.from(socket.read(count)).toString("latin1"));
            socket.write(new Uint8Array(Buffer.from("HTTP/1.1 204 No Content\r\n\r\n")));
            socket.close();
          },
        });
      },
      onResponse() { log.push("the server answered after detach"); },
    }));
    const reply = await exchange(port, "POST /ipp/print HTTP/1.1\r\ncontent-length: 11\r\n\r\nhello world");
    assert.equal(reply, "HTTP/1.1 204 No Content\r\n\r\n");
    assert.deepEqual(log, ["hello world"]);
  });

  // httpserver.js Connection.#onReadable, case "receiveHeader": a request with no body is answered at once
  // (#reply() inside the loop); when the answer is written whole in onResponse, #done() closes the connection,
  // and the loop goes on while bytes are readable, to `this.#socket.format = "number"` with #socket undefined: a
  // TypeError out of the socket's callback, which aborts the VM. Seen in mcsim ("httpserver.js (164) # Exception:
  // throw!", "XS abort: unhandled exception") with "GET /nothing HTTP/1.1\r\n\r\nX" sent to the page.
  it("aborts, as the SDK server does, when a request without a body is answered at once and more bytes follow it", async () => {
    const escaped = [];
    const previous = setUncaughtHook((error) => escaped.push(error));
    try {
      const { port } = await serve(() => ({
        onResponse(response) { response.headers.set("content-length", "2"); this.respond(response); },
        onWritable() { this.write(textBody("ok")); },
      }));
      const reply = await exchange(port, "GET / HTTP/1.1\r\n\r\nX");
      assert.equal(reply, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
      assert.equal(escaped.length, 1, "the exception that aborts the device");
      assert.match(String(escaped[0]), /TypeError/);
    } finally {
      setUncaughtHook(previous);
    }
  });

  it("frames a chunked response as httpserver.js write() does (the size in hex, unpadded) and ends it with 0 on write() with no data", async () => {
    const { port } = await serve(() => {
      let sent = false;
      return {
        onResponse(response) { response.headers.set("transfer-encoding", "chunked"); this.respond(response); },
        onWritable() {
          if (sent) return;
          sent = true;
          this.write(textBody("abc"));
          this.write();
        },
      };
    });
    assert.equal(await exchange(port, "GET / HTTP/1.1\r\n\r\n"),
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  });

  it("refuses a write larger than the writable count or the declared length", async () => {
    const { port, log } = await serve((log) => ({
      onResponse(response) { response.headers.set("content-length", "2"); this.respond(response); },
      onWritable(count) {
        try { this.write(new ArrayBuffer(count + 1)); } catch (error) { log.push(error.message); }
        try { this.write(new ArrayBuffer(3)); } catch (error) { log.push(error.message); }
        this.write(textBody("ok"));
      },
    }));
    assert.equal(await exchange(port, "GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    assert.deepEqual(log, ["would block", "would block"]);    // httpserver.js write(): "would block", either way
  });

  it("gives a handler that closes in onRequest no answer, and one that swaps route sees the request again", async () => {
    const { port, log } = await serve((log) => ({
      onRequest(request) {
        if (request.path === "/close") return this.close();
        if (request.path === "/route") this.route = { onRequest(again) { log.push(`routed ${again.path}`); } };
      },
    }));
    assert.match(await exchange(port, "GET /close HTTP/1.1\r\n\r\n"), /^(<reset>)?$/);
    assert.equal(await exchange(port, "GET /route HTTP/1.1\r\n\r\n"), "HTTP/1.1 200 OK\r\n\r\n");
    assert.deepEqual(log, ["routed /route"]);
  });

  it("an exception from onConnect is swallowed with the SDK's trace, and close() leaves open connections alone", async () => {
    const port = await freePort();
    const traced = [];
    const saved = globalThis.trace;
    globalThis.trace = (text) => traced.push(text);
    let held;
    const server = new HTTPServer({ io: Listener, port, onConnect(connection) {
      if (held) throw new Error("boom");
      held = connection;
      connection.accept({ onResponse(response) { response.headers.set("content-length", "0"); this.respond(response); } });
    } });
    try {
      const first = net.connect(port, "127.0.0.1");
      await new Promise((resolve) => first.on("connect", resolve));
      while (!held) await new Promise((resolve) => setTimeout(resolve, 10));
      server.close();    // the listener goes; the accepted connection still answers
      const reply = new Promise((resolve) => { const parts = []; first.on("data", (d) => parts.push(d)); first.on("close", () => resolve(Buffer.concat(parts).toString("latin1"))); });
      first.write("GET / HTTP/1.1\r\n\r\n");
      assert.equal(await reply, "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
      const server2 = new HTTPServer({ io: Listener, port, onConnect() { throw new Error("boom"); } });
      open.push(server2);
      const second = net.connect(port, "127.0.0.1");
      second.on("error", () => {});
      while (traced.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      second.destroy();
      assert.deepEqual(traced, ["igoring error!"]);
    } finally {
      globalThis.trace = saved;
    }
  });
});
