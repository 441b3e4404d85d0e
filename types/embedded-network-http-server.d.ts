// embedded:network/http/server: the SDK's ECMA-419 HTTP server ($(MODDABLE)/examples/io/listener/httpserver,
// published by manifest_httpserver.json). @moddable/typings 5.6.0 has no declaration for it; this one describes the
// behaviour of httpserver.js in SDK 8.2.x (see docs/web-page.md for its quirks).

declare module "embedded:network/http/server" {
  export interface HttpRequest {
    method: string;
    path: string;
    /** Names lower-cased; a repeated header keeps its last value. */
    headers: Map<string, string>;
  }

  export interface HttpResponse {
    status: number;
    /** Written as given; the body length is honoured only under the lower-case name "content-length". */
    headers: Map<string, string>;
  }

  export interface HttpHandlers {
    onRequest?(this: HttpConnection, request: HttpRequest): void;
    /** `count`: body bytes readable now (the total buffered, capped at the body's end). */
    onReadable?(this: HttpConnection, count: number): void;
    onResponse?(this: HttpConnection, response: HttpResponse): void;
    /** `count`: body bytes that may be written now. */
    onWritable?(this: HttpConnection, count: number): void;
    onDone?(this: HttpConnection): void;
    onError?(this: HttpConnection, why?: string): void;
  }

  export interface HttpConnection {
    accept(handlers: HttpHandlers): void;
    route: HttpHandlers | undefined;
    /** Up to `count` bytes of the request body; undefined when none are readable. */
    read(count: number): ArrayBuffer | undefined;
    /** Returns how many more bytes may be written now; throws "too much" past that, "bad state" outside the body. */
    write(data?: ArrayBuffer | Uint8Array): number;
    respond(response: HttpResponse): void;
    close(): void;
    detach(): unknown;
  }

  export interface HttpServerOptions {
    io: unknown;
    port?: number;
    onConnect(connection: HttpConnection): void;
  }

  export default class HTTPServer {
    constructor(options: HttpServerOptions);
    close(): void;
  }
}
