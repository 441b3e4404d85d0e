// embedded:network/http/server: the SDK's ECMA-419 HTTP server ($(MODDABLE)/examples/io/listener/httpserver,
// published by manifest_httpserver.json). @moddable/typings 5.6.0 from npm has no declaration for it; the SDK's own
// ($(MODDABLE)/typings/embedded_network/http/server.d.ts) does, and mcconfig type-checks against that one. So this
// file is for `npm run typecheck` only and is NOT listed in the manifest's typescript types (listing it there makes
// a duplicate HTTPServer, TS2300). It uses the SDK declaration's names, so firmware code compiles against either;
// the comments say how httpserver.js in SDK 8.2.3 behaves (docs/web-page.md has its quirks).

declare module "embedded:network/http/server" {
  export interface HTTPRequest {
    method: string;
    path: string;
    /** Names lower-cased; a repeated header keeps its last value. */
    headers: Map<string, string>;
  }

  export interface HTTPResponse {
    status: number;
    /** Written as given; the body length is honoured only under the lower-case name "content-length". */
    headers: Map<string, string | number>;
  }

  export interface HTTPConnectionHandlers {
    onRequest?(this: HTTPConnection, request: HTTPRequest): void;
    /** `count`: body bytes readable now (the total buffered, capped at the body's end). */
    onReadable?(this: HTTPConnection, count: number): void;
    onResponse?(this: HTTPConnection, response: HTTPResponse): void;
    /** `count`: body bytes that may be written now. */
    onWritable?(this: HTTPConnection, count: number): void;
    onDone?(this: HTTPConnection): void;
    onError?(this: HTTPConnection): void;
  }

  export interface HTTPConnection {
    accept(handlers: HTTPConnectionHandlers): void;
    route: HTTPConnectionHandlers;
    /** Up to `count` bytes of the request body; undefined when none are readable. */
    read(count?: number): ArrayBuffer | undefined;
    /** Returns how many more bytes may be written now; throws "would block" past that, "bad state" outside the body. */
    write(data?: ArrayBuffer | Uint8Array): number;
    respond(response: HTTPResponse): void;
    close(): void;
    /** Hands the socket over (a TCP with no callbacks; give it to `new TCP({from})`): whatever of the body has come is still in it. */
    detach(): unknown;
  }

  export interface HTTPServerOptions {
    /** The SDK's typing says `typeof Listener` (embedded:io/socket/listener). */
    io: unknown;
    port?: number;
    onConnect(this: HTTPServer, connection: HTTPConnection): void;
  }

  export default class HTTPServer {
    constructor(options: HTTPServerOptions);
    close(): void;
    readonly port: number;
  }
}
