// A scripted FTP client that speaks the protocol over the in-memory network, the way the real clients of
// test/e2e/clients.test.js do (PASV, EPSV, PORT, EPRT, raw ABOR, a data connection that just closes). It is driven
// synchronously: every wait runs the scenario's event loop (host.settle) until the awaited thing has happened,
// so a scenario reads top to bottom and runs the same on XS and Node. Engine-neutral.

import { bytesOf, equal, fail, latin1, lines as assertLines, match } from "./assert.js";

/** One FTP reply: its code and its whole lines, CRLF removed. */
export class FtpReply {
  constructor(lines) {
    this.lines = lines;
    this.code = Number(lines[0].slice(0, 3));
  }
  get text() {
    return this.lines.join("\n");
  }
}

/** Collects what a peer sends on one connection; knows whether the peer closed it. */
class Inbox {
  constructor(end) {
    this.end = end;
    this.parts = [];
    this.length = 0;
    this.closed = false;
    end.onData = (bytes) => {
      this.parts.push(bytes.slice());   // the network may reuse its buffer
      this.length += bytes.length;
    };
    end.onClose = () => {
      this.closed = true;
    };
  }
  bytes() {
    if (this.parts.length !== 1) {
      const joined = new Uint8Array(this.length);
      let at = 0;
      for (const part of this.parts) {
        joined.set(part, at);
        at += part.length;
      }
      this.parts = [joined];
    }
    return this.parts[0] ?? new Uint8Array(0);
  }
}

/** A data connection seen from the client. */
export class DataConnection {
  constructor(host, end) {
    this.host = host;
    this.end = end;
    this.inbox = new Inbox(end);
  }
  get closed() {
    return this.inbox.closed || this.end.closed;
  }
  /** Sends bytes (a Uint8Array or a string of byte characters) as one segment. */
  write(data) {
    this.end.write(typeof data === "string" ? bytesOf(data) : data);
  }
  /** FIN: in stream mode the end of the file (RFC 959 §3.4.1). */
  finish() {
    this.end.end();
  }
  /** RST: the client vanished. */
  reset() {
    this.end.reset();
  }
  received() {
    return this.inbox.bytes();
  }
  /** Waits until the server closes this connection, then returns everything it sent. */
  readAll(what = "the data connection to close") {
    this.host.settle(() => this.closed, what);
    return this.received();
  }
}

export class FtpClient {
  /** `from` is the client's address as the server sees it. */
  constructor(host, { from = "127.0.0.1", name = "client" } = {}) {
    this.host = host;
    this.name = name;
    this.from = from;
    this.end = host.net.connect({ port: host.server.port, address: "127.0.0.1", from });
    this.inbox = new Inbox(this.end);
    this.consumed = 0;   // bytes of inbox already parsed into replies
    this.pendingLines = [];
  }

  get closed() {
    return this.inbox.closed || this.end.closed;
  }

  /** Sends one command line; CRLF is added. */
  send(line) {
    this.end.write(bytesOf(line + "\r\n"));
  }

  /** Sends bytes exactly as given (Telnet IAC sequences, bare CR, split lines). */
  sendRaw(data) {
    this.end.write(typeof data === "string" ? bytesOf(data) : data);
  }

  /** The next complete reply (single or multi-line, RFC 959 §4.2); fails if none comes. */
  reply(what = "a reply") {
    let reply;
    this.host.settle(() => (reply = this.#parseReply()) !== undefined || this.closed, `${this.name}: ${what}`);
    reply ??= this.#parseReply();
    if (reply === undefined) fail(`${this.name}: the server closed the control connection while we waited for ${what}`);
    return reply;
  }

  /** Sends a command and returns its reply. */
  command(line) {
    this.send(line);
    return this.reply(`the reply to ${JSON.stringify(line)}`);
  }

  /** Sends a command and asserts the whole reply, line for line. */
  expect(line, expectedLines) {
    const reply = this.command(line);
    assertLines(reply.lines, typeof expectedLines === "string" ? [expectedLines] : expectedLines, `${this.name}: reply to ${JSON.stringify(line)}`);
    return reply;
  }

  /** Asserts the next reply without sending anything (the greeting, a 226 after the data, a 421). */
  expectReply(expectedLines, what) {
    const reply = this.reply(what);
    assertLines(reply.lines, typeof expectedLines === "string" ? [expectedLines] : expectedLines, `${this.name}: ${what}`);
    return reply;
  }

  /** Asserts that nothing more has arrived on the control connection (after letting the loop settle). */
  expectSilence(what) {
    this.host.settle(() => false, what, { idleIsSuccess: true });
    const unread = latin1(this.inbox.bytes().subarray(this.consumed));
    equal(unread, "", `${this.name}: ${what}`);
  }

  /** Waits until the server has closed the control connection. */
  waitClosed(what = "the server to close the control connection") {
    this.host.settle(() => this.closed, `${this.name}: ${what}`);
  }

  login(user = "anonymous", password = "guest@example.com") {
    this.expect(`USER ${user}`, `331 Password for ${user}, please.`);
    this.expect(`PASS ${password}`, "230 Logged in; upload files to print them.");
  }

  quit() {
    this.expect("QUIT", "221 Goodbye.");
    this.waitClosed("the server to close after QUIT");
  }

  /** PASV; connects to the advertised port. Returns the data connection once the network has opened it. */
  passive() {
    const reply = this.command("PASV");
    equal(reply.lines.length, 1, `${this.name}: PASV reply lines`);
    match(reply.lines[0], /^227 Entering Passive Mode \((\d+,){5}\d+\)\.?$/, `${this.name}: PASV reply`);
    const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.lines[0]).slice(1).map(Number);
    const address = numbers.slice(0, 4).join(".");
    const port = numbers[4] * 256 + numbers[5];
    return this.#connectData(address, port, reply);
  }

  /** EPSV (RFC 2428 §3): connects to the advertised port on the control connection's address. */
  extendedPassive() {
    const reply = this.command("EPSV");
    match(reply.lines[0], /^229 .*\(\|\|\|\d+\|\)/, `${this.name}: EPSV reply`);
    const port = Number(/\(\|\|\|(\d+)\|\)/.exec(reply.lines[0])[1]);
    return this.#connectData("127.0.0.1", port, reply);
  }

  /** Opens a data listener on the client side and announces it with PORT (or EPRT); the server will connect. */
  active({ extended = false, address = this.from, expectLines } = {}) {
    const listening = this.host.net.listen({ port: 0, address: this.from });
    const pending = { end: undefined };
    listening.onConnection = (end) => {
      if (pending.end) end.reset();   // a second connection on our port would be theft: refuse it
      else pending.end = end;
    };
    const port = listening.port;
    const line = extended
      ? `EPRT |1|${address}|${port}|`
      : `PORT ${address.split(".").join(",")},${port >> 8},${port & 0xff}`;
    const reply = this.command(line);
    if (expectLines) assertLines(reply.lines, expectLines, `${this.name}: reply to ${line}`);
    return {
      reply,
      port,
      listening,
      /** Waits for the server's connection (after STOR/LIST); the listener is closed then. */
      accept: () => {
        this.host.settle(() => pending.end !== undefined, `${this.name}: the server to connect to our port ${port}`);
        listening.close();
        return new DataConnection(this.host, pending.end);
      },
      close: () => listening.close(),
    };
  }

  #connectData(address, port, reply) {
    const end = this.host.net.connect({ port, address, from: this.from });
    const data = new DataConnection(this.host, end);
    data.reply = reply;
    data.port = port;
    return data;
  }

  #parseReply() {
    const all = this.inbox.bytes();
    let at = this.consumed;
    const lines = [];
    while (true) {
      const lf = all.indexOf(0x0a, at);
      if (lf < 0) return undefined;
      if (lf === at || all[lf - 1] !== 0x0d) fail(`${this.name}: reply line not ended by CRLF: ${JSON.stringify(latin1(all.subarray(at, lf + 1)))}`);
      const line = latin1(all.subarray(at, lf - 1));
      at = lf + 1;
      lines.push(line);
      // RFC 959 §4.2: a multi-line reply starts "NNN-" and ends with a line starting "NNN ".
      if (!/^\d{3}[ -]/.test(lines[0])) fail(`${this.name}: not a reply line: ${JSON.stringify(lines[0])}`);
      const first = lines[0];
      if (first[3] === " " || (lines.length > 1 && line.startsWith(first.slice(0, 3) + " "))) break;
    }
    this.consumed = at;
    return new FtpReply(lines);
  }
}
