// The status and setup page on the SDK's ECMA-419 HTTP server (embedded:network/http/server, which the SDK ships
// as an example: $(MODDABLE)/examples/io/listener/httpserver/httpserver.js): the adapter between its connection
// callbacks and the pure routes. One request per connection (the SDK server closes after every response: its
// Connection's #done() calls close()). Builds the page per request into one buffer and writes it within the
// onWritable counts.

import HTTPServer from "embedded:network/http/server";
import Timer from "timer";
import type { HTTPConnection, HTTPRequest, HTTPResponse, HTTPServerOptions } from "embedded:network/http/server";
import type { ListenerClass } from "network/io";
import { answer, bodyTooLarge, findRoute, methodNotAllowed, type WebContext, type WebResponse } from "./routes.js";
import type { BodySource } from "./printouts.js";
import { asciiText, utf8Bytes } from "./utf8.js";

/** A body this much over the route's limit is not drained for a 413: the connection is just closed. */
export const drainLimitBytes = 65536;

export interface WebServerOptions {
  io: { Listener: ListenerClass };
  port: number;
  context: WebContext;
  log(line: string): void;
}

interface Exchange {
  method: string;
  path: string;
  /** Set when the answer is known before the body (404, 405, 413). */
  early: WebResponse | undefined;
  bodyMax: number;
  body: Uint8Array | undefined;
  bodyLength: number;
  bodySeen: number;
  /** What is being sent. */
  out: Uint8Array | BodySource | undefined;
  outLength: number;
  sent: number;
  /** The SDK server closed the connection (onError, onDone): a deferred answer is not started. */
  over: boolean;
}

export class WebServer {
  readonly #server: HTTPServer;

  constructor(options: WebServerOptions) {
    const { context, log } = options;
    this.#server = new HTTPServer({
      // The SDK's typing wants its own Listener class; ours (network contract) is the same class, typed as it behaves.
      io: options.io.Listener as unknown as HTTPServerOptions["io"],
      port: options.port,
      onConnect(connection: HTTPConnection) {
        try {
          accept(connection, context, log);
        } catch (error) {
          log(`http: could not take a connection (${String(error)})`);
          connection.close();
        }
      },
    });
  }

  close(): void {
    this.#server.close();
  }
}

function accept(connection: HTTPConnection, context: WebContext, log: (line: string) => void): void {
  const exchange: Exchange = { method: "", path: "", early: undefined, bodyMax: 0, body: undefined, bodyLength: 0, bodySeen: 0,
    out: undefined, outLength: 0, sent: 0, over: false };
  /** A callback threw: say so (naming the request once it is known), end the exchange and close. */
  const fail = (connection: HTTPConnection, error: unknown, named: boolean): void => {
    log(named ? `http: ${exchange.method} ${exchange.path}: ${String(error)}` : `http: ${String(error)}`);
    finish(exchange);
    connection.close();
  };
  connection.accept({
    onRequest(this: HTTPConnection, request: HTTPRequest) {
      try {
        exchange.method = request.method;
        exchange.path = request.path;
        const route = findRoute(request.path);
        const declared = request.headers.has("content-length") ? Number(request.headers.get("content-length")) : 0;
        if (!route) exchange.early = answer({ method: request.method, path: request.path, body: "" }, context);
        else if (!Object.hasOwn(route.methods, request.method)) exchange.early = methodNotAllowed(route);
        else {
          exchange.bodyMax = route.bodyMaxBytes;
          if (declared > route.bodyMaxBytes) exchange.early = bodyTooLarge(route.bodyMaxBytes);
          else if (route.bodyMaxBytes > 0) exchange.body = new Uint8Array(route.bodyMaxBytes);
        }
        if (declared > drainLimitBytes) {    // not worth reading only to refuse it
          log(`http: ${request.method} ${request.path}: a ${declared}-byte body, closed`);
          this.close();
        }
      } catch (error) {
        fail(this, error, false);
      }
    },
    onReadable(this: HTTPConnection, count: number) {
      try {
        // The SDK server replies only once the whole body is read, so even a refused body is read (and dropped).
        const bytes = this.read(count);
        if (!bytes) return;
        const got = new Uint8Array(bytes);
        exchange.bodySeen += got.byteLength;
        if (exchange.bodySeen > drainLimitBytes) {
          finish(exchange);
          return this.close();
        }
        if (exchange.body && exchange.bodyLength + got.byteLength <= exchange.body.byteLength) {
          exchange.body.set(got, exchange.bodyLength);
          exchange.bodyLength += got.byteLength;
        } else if (!exchange.early) {
          exchange.early = bodyTooLarge(exchange.bodyMax);    // chunked, or more than content-length said
        }
      } catch (error) {
        fail(this, error, false);
      }
    },
    onResponse(this: HTTPConnection, response: HTTPResponse) {
      try {
        const result = exchange.early ?? answer({ method: exchange.method, path: exchange.path,
          body: exchange.body ? asciiText(exchange.body, exchange.bodyLength) : "" }, context);
        exchange.body = undefined;
        const out = typeof result.body === "string" ? utf8Bytes(result.body) : result.body;
        exchange.out = out;
        exchange.outLength = out.byteLength;
        response.status = result.status;
        response.headers.set("content-type", result.type);
        // Lower case on purpose: the SDK server looks for exactly "content-length" to know the body's size.
        response.headers.set("content-length", String(exchange.outLength));
        response.headers.set("cache-control", result.maxAgeSeconds ? `max-age=${result.maxAgeSeconds}` : "no-store");
        if (result.allow) response.headers.set("allow", result.allow);
        if (result.status >= 400) log(`http: ${exchange.method} ${exchange.path} ${result.status}`);
        // Not at once: for a request without a body the SDK server calls onResponse from inside its read loop, and
        // an answer written whole now closes the connection under that loop, which then reads on with its socket
        // gone when more bytes came behind the request (pipelined, or junk): a TypeError that aborts the VM
        // (httpserver.js #onReadable; seen in mcsim). A turn later the loop is over; with bytes behind the request
        // it has closed the connection as "bad state" meanwhile, and that request gets no answer instead.
        Timer.set(() => {
          if (exchange.over) return;
          try {
            this.respond(response);
          } catch (error) {
            fail(this, error, true);
          }
        });
      } catch (error) {
        fail(this, error, true);
      }
    },
    onWritable(this: HTTPConnection, count: number) {
      try {
        const out = exchange.out;
        if (!out) return;
        const size = Math.min(count, exchange.outLength - exchange.sent);
        if (size <= 0) return;
        const piece = out instanceof Uint8Array ? new Uint8Array(out.buffer, out.byteOffset + exchange.sent, size) : out.read(exchange.sent, size);
        exchange.sent += size;
        this.write(piece);    // the last byte ends the exchange: the SDK server closes the socket
      } catch (error) {
        fail(this, error, true);
      }
    },
    onDone() {
      finish(exchange);
    },
    onError() {
      finish(exchange);
    },
  });
}

function finish(exchange: Exchange): void {
  exchange.over = true;
  const out = exchange.out;
  exchange.out = exchange.body = undefined;
  try {
    if (out && !(out instanceof Uint8Array)) out.close();
  } catch {
    // a file that will not close is no reason to stop serving
  }
}
