// embedded:network/http/server for the simulators: the behaviour of the SDK's ECMA-419 HTTP server
// ($(MODDABLE)/examples/io/listener/httpserver/httpserver.js, SDK 8.2.3), quirks included, written anew over the
// Listener/TCP it is given (our emulated sockets, so their quirks apply too). Engine-neutral, with the SDK `timer`
// passed in: simulator/httpServer.js gives it Node's (npm start), test/xs-host/httpServer.js the scenario host's
// virtual clock (the scenarios on Node and XS). The firmware never sees this file.
//
// What the SDK server does, and so this one:
//  - accepts only "HTTP/1.1" in the request line; anything else closes the socket with no answer (onError);
//  - reads the request line and headers one byte at a time (format "number"), with no length cap;
//  - lower-cases request header names; honours content-length, or transfer-encoding: chunked (which wins);
//  - answers "HTTP/1.1 <status> <reason>" with the standard reason phrase, "OK" for a code it does not know;
//  - writes response headers exactly as given, one per writable turn, and only notices the body length when the
//    header is spelled "content-length" (lower case); any other spelling means "no body": the connection is done
//    after the blank line, and connection.write() then throws "bad state";
//  - frames "transfer-encoding: chunked" response bodies itself (write(): the size in hex, unpadded, CRLF, the
//    data, CRLF) and ends them with "0\r\n\r\n" on write() with no data; write() throws "would block" past the
//    writable count (the writable count less 8 for a chunked body) or, with a content-length, past the length;
//  - has no 100-continue, and never writes before the request's body is read: a client that waits for "100 Continue"
//    (curl with a body over 1 KB, CUPS and ipptool before a document) waits out its own timer (curl 1 s, CUPS 1 s);
//  - hands the socket over with detach() (what the IPP printer does after the headers, modules/ipp/exchange.ts):
//    whatever of the body was already received is still in it for the next owner;
//  - closes the socket after every response (no keep-alive) and never adds a "connection: close" header;
//  - server.close() closes only the listener: the SDK keeps its set of connections but never adds to it.

const Waiting = Object.freeze({
  requestLine: 1, header: 2, body: 3, chunkTrailer: 4,    // receiving
  responseCall: 5, statusLine: 6, headers: 7, body2: 8,   // sending ("body2": the response body)
  finished: 9, failed: 10,
});

const isReceiving = (state) => state <= Waiting.chunkTrailer;
/** Latin-1 bytes of a status or header line (the SDK's ArrayBuffer.fromString, ASCII here). */
function bytesOf(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** The HTTPServer class over the given SDK `timer` module (its zero-delay Timer.set defers work to the next turn). */
export function makeHttpServer(Timer) {

class Connection {
  #socket;
  #from;
  #handlers = {};
  #route;
  #forget;
  #state = Waiting.requestLine;
  #line = "";                 // a line being assembled; undefined while the body is read as bytes
  #readable = 0;
  #writable = 0;
  #bodyLeft;                  // request: bytes of body still unread; response: bytes still to write, or true (chunked)
  #chunkLeft;                 // request chunked: bytes left in this chunk (0: expecting a size line)
  #request;                   // {method, path, headers} while headers arrive
  #status;
  #headerQueue;
  #pending;                   // bytes of a status/header line not yet written
  #pendingAt = 0;
  #timer;

  constructor(from, forget) {
    this.#from = from;
    this.#forget = forget;
  }

  accept(handlers) {
    const from = this.#from;
    this.#copyHandlers(handlers);
    this.#socket = new from.constructor({
      from,
      onReadable: (count) => this.#onReadable(count),
      onWritable: (count) => this.#onWritable(count),
      onError: () => this.#fail(undefined),    // the socket says nothing, so neither does the SDK server
    });
    this.#from = undefined;
  }

  get route() {
    return this.#route;
  }

  /** Swaps the handlers; while headers are still arriving, the new onRequest is told about the request at once. */
  set route(route) {
    this.#route = route;
    this.#copyHandlers(route);
    if (this.#state === Waiting.header) this.#handlers.onRequest?.call(this, { ...this.#request });
  }

  #copyHandlers(from) {
    for (const name of ["onRequest", "onReadable", "onResponse", "onWritable", "onDone", "onError"])
      this.#handlers[name] = from[name];
  }

  /** Hands the raw socket over (e.g. for a WebSocket); this connection is finished. */
  detach() {
    const socket = this.#socket ?? this.#from;
    if (!socket) throw new Error();
    this.#socket = this.#from = undefined;
    this.#forget?.(this);
    this.#forget = undefined;
    return new socket.constructor({ from: socket });
  }

  close() {
    this.#forget?.(this);
    this.#forget = undefined;
    this.#handlers = undefined;
    this.#socket?.close();
    this.#socket = undefined;
    this.#from?.close();
    this.#from = undefined;
    Timer.clear(this.#timer);
    this.#timer = undefined;
  }

  /** Up to `count` bytes of the request body as an ArrayBuffer; undefined outside the body or when none is here. */
  read(count) {
    if (this.#state !== Waiting.body) return undefined;
    const allowed = Math.min(this.#readable, this.#chunkLeft === undefined ? this.#bodyLeft : this.#chunkLeft);
    if (count > allowed) count = allowed;
    if (!count) return undefined;
    this.#readable -= count;
    if (this.#chunkLeft === undefined) this.#bodyLeft -= count;
    else this.#chunkLeft -= count;
    const bytes = this.#socket.read(count);
    if (this.#chunkLeft === 0) {
      this.#line = "";    // the CRLF after the chunk, then the next size line
      if (this.#readable) this.#timer = Timer.set(() => { this.#timer = undefined; this.#onReadable(this.#readable); });
    } else if (this.#bodyLeft === 0) {
      this.#timer = Timer.set(() => this.#askForResponse());
    }
    return bytes;
  }

  /** Writes body bytes (no more than the writable count); with no data, ends a chunked body. */
  write(data) {
    if (this.#state !== Waiting.body2) throw new Error("bad state");
    if (!data) {
      if (this.#bodyLeft !== true) throw new Error("bad data");
      this.#pending = bytesOf("0\r\n\r\n");
      this.#pendingAt = 0;
      this.#bodyLeft = 0;
      this.#timer = Timer.set(() => { this.#timer = undefined; if (this.#writable) this.#onWritable(this.#writable); });
      return 0;
    }
    const size = data.byteLength;
    if (this.#bodyLeft === true) {
      // httpserver.js write(): the size line and the data "more", then the CRLF, whose answer is the space left.
      if (size + 8 > this.#writable) throw new Error("would block");
      this.#socket.write(bytesOf(size.toString(16) + "\r\n"));
      this.#socket.write(data);
      this.#writable = this.#socket.write(bytesOf("\r\n"));
      return this.#writable > 8 ? this.#writable - 8 : 0;
    }
    if (size > this.#writable || size > this.#bodyLeft) throw new Error("would block");
    this.#writable = this.#socket.write(data);
    this.#bodyLeft -= size;
    if (this.#bodyLeft === 0) {
      this.#finish();
      this.#writable = 0;
    }
    return this.#writable;
  }

  /** Starts the response: {status, headers: Map}. */
  respond(response) {
    this.#state = Waiting.statusLine;
    this.#status = response.status;
    this.#headerQueue = response.headers.entries();
    this.#bodyLeft = 0;
    this.#onWritable(this.#writable);
  }

  #onReadable(count) {
    this.#readable = count;
    while (this.#readable) {
      if (this.#line !== undefined) {
        this.#socket.format = "number";
        while (this.#readable--) {
          const byte = this.#socket.read();
          this.#line += String.fromCharCode(byte);
          if (byte === 10) break;
        }
        this.#socket.format = "buffer";
        if (!this.#line.endsWith("\r\n")) return;
      }
      switch (this.#state) {
        case Waiting.requestLine: {
          const parts = this.#line.trim().split(" ");
          if (parts.length < 3 || parts[2] !== "HTTP/1.1") return this.#fail("badly formed");
          this.#request = { method: parts[0], path: parts[1], headers: new Map() };
          this.#line = "";
          this.#state = Waiting.header;
          break;
        }
        case Waiting.header:
          if (this.#line !== "\r\n") {
            const colon = this.#line.indexOf(":");
            const name = this.#line.substring(0, colon).trim().toLowerCase();
            const value = this.#line.substring(colon + 1).trim();
            this.#request.headers.set(name, value);
            if (name === "content-length") this.#bodyLeft = parseInt(value);
            else if (name === "transfer-encoding" && value.toLowerCase() === "chunked") this.#chunkLeft = 0;
            this.#line = "";
            break;
          }
          if (this.#chunkLeft !== undefined) this.#bodyLeft = undefined;
          this.#handlers.onRequest?.call(this, this.#request);
          if (!this.#socket) return;    // the handler closed or detached
          this.#request = undefined;
          if (!this.#bodyLeft && this.#chunkLeft === undefined) {
            this.#askForResponse();
          } else {
            this.#state = Waiting.body;
            this.#line = this.#chunkLeft === undefined ? undefined : "";
          }
          break;
        case Waiting.body:
          if (this.#chunkLeft !== undefined) {
            if (this.#chunkLeft === 0) {
              if (this.#line === "\r\n") continue;
              this.#chunkLeft = parseInt(this.#line.trim(), 16);
              this.#line = undefined;
              if (this.#chunkLeft === 0) {
                this.#state = Waiting.chunkTrailer;
                this.#line = "";
                continue;
              }
            }
            this.#handlers.onReadable?.call(this, Math.min(this.#readable, this.#chunkLeft));
          } else {
            this.#handlers.onReadable?.call(this, Math.min(this.#readable, this.#bodyLeft));
          }
          return;
        case Waiting.chunkTrailer:
          if (this.#line !== "\r\n") this.#fail("badly formed");
          else this.#askForResponse();
          return;
        default:
          return this.#fail("bad state");
      }
    }
  }

  #onWritable(count) {
    this.#writable = count;
    if (isReceiving(this.#state)) return;    // the socket's first onWritable, before any response
    while (this.#writable) {
      if (this.#pending) {
        const left = this.#pending.byteLength - this.#pendingAt;
        if (left > count) {    // as the SDK: compares with the count this call was given, not what is left of it
          this.#socket.write(this.#pending.subarray(this.#pendingAt, this.#pendingAt + count));
          this.#pendingAt += count;
          this.#writable = 0;
          return;
        }
        this.#socket.write(this.#pendingAt ? this.#pending.subarray(this.#pendingAt) : this.#pending);
        this.#pending = undefined;
        this.#writable -= left;
      }
      switch (this.#state) {
        case Waiting.statusLine:
          this.#queueLine(`HTTP/1.1 ${this.#status} ${reasonPhrase(this.#status)}\r\n`);
          this.#state = Waiting.headers;
          break;
        case Waiting.headers: {
          const next = this.#headerQueue.next();
          if (next.done) {
            this.#queueLine("\r\n");
            this.#state = Waiting.body2;
            this.#headerQueue = undefined;
            break;
          }
          const [name, value] = next.value;
          this.#queueLine(`${name}: ${value}\r\n`);
          if (name === "content-length") this.#bodyLeft = parseInt(value);
          else if (name === "transfer-encoding" && value === "chunked") this.#bodyLeft = true;
          break;
        }
        case Waiting.body2: {
          if (this.#bodyLeft === 0) return this.#finish();
          let writable = this.#writable;
          if (this.#bodyLeft === true) {
            writable -= 8;
            if (writable <= 0) return;
          }
          this.#handlers.onWritable?.call(this, writable);
          return;
        }
        case Waiting.responseCall:
        case Waiting.finished:
          return;
        default:
          return this.#fail("bad state");
      }
    }
  }

  #queueLine(text) {
    this.#pending = bytesOf(String(text));
    this.#pendingAt = 0;
  }

  #askForResponse() {
    this.#timer = undefined;
    this.#state = Waiting.responseCall;
    const response = { headers: new Map(), status: 200 };
    if (this.#handlers.onResponse) this.#handlers.onResponse.call(this, response);
    else this.respond(response);
  }

  #finish() {
    const onDone = this.#handlers.onDone;
    this.#state = Waiting.finished;
    try {
      onDone?.call(this);
    } catch {
      // the SDK swallows an exception from onDone
    }
    this.close();
  }

  #fail(why) {
    const onError = this.#handlers?.onError;
    this.#state = Waiting.failed;
    this.close();
    onError?.call(this, why);
  }
}

return class HTTPServer {
  #listener;
  #onConnect;
  #connections = new Set();    // as in the SDK: nothing is ever added, so close() reaches no open connection

  constructor(options) {
    this.#onConnect = options.onConnect;
    const server = this;
    this.#listener = new options.io({
      port: options.port ?? 80,
      target: this,
      onReadable(count) {
        while (count--) {
          try {
            const connection = new Connection(this.read(), (done) => server.#connections?.delete(done));
            server.#onConnect(connection);
          } catch {
            globalThis.trace?.("igoring error!");    // the SDK's message, typo included; no newline
          }
        }
      },
    });
  }

  close() {
    for (const connection of this.#connections ?? []) connection.close();
    this.#connections = undefined;
    this.#listener?.close();
    this.#listener = undefined;
  }
};
}

/**
 * The reason phrase of the status line, as httpserver.js's reason() gives it (SDK 8.2.3): the standard phrase of
 * HTTP/1.1's codes, "OK" for a code it does not list. (An earlier reading had "FILL_THIS_IN"; mcsim answers this.)
 */
const reasonPhrases = new Map(Object.entries({
  100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
  204: "No Content", 205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 300: "Multiple Choices",
  301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
  411: "Length Required", 412: "Precondition Failed", 413: "Request Entity Too Large", 414: "Request-URI Too Long",
  415: "Unsupported Media Type", 416: "Requested Range Not Satisfiable", 417: "Expectation Failed", 500: "Internal Server Error",
  501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
}));

function reasonPhrase(status) {
  return reasonPhrases.get(String(status)) ?? "OK";
}
