// The ECMA-419 socket contract as the Moddable SDK really implements it (lwip/tcp.c, lin/tcp.c),
// where @moddable/typings says otherwise. Types, and one check of write()'s answer.
//
// What the typings ($(MODDABLE)/typings/embedded_io/socket/{tcp,listener}.d.ts, and @moddable/typings) get wrong,
// and we rely on:
//  - read(view) returns the count filled (typed void); read() returns undefined when nothing is buffered
//    ($(MODDABLE)/modules/io/socket/lwip/tcp.c and lin/tcp.c, xs_tcp_read);
//  - write() returns the send space still free (typed void) and throws "would block" when the data is
//    larger than that, writing nothing (lwip/tcp.c and lin/tcp.c, xs_tcp_write);
//  - Listener has close() (missing from the typings; $(MODDABLE)/modules/io/socket/lwip/listener.js, close);
//  - onReadable(count) gives the TOTAL buffered, and fires only when new bytes arrive (lwip/tcp.c, tcpReceive and
//    tcpDeliver; lin/tcp.c, tcpTask and reportTrigger).
// Hosts cast the SDK classes to these types once, in hosts/*/host.ts.

export type Bytes = ArrayBuffer | Uint8Array;

export interface TcpSocket {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** Fills `into` completely and returns its byteLength; throws "invalid" if fewer bytes are buffered. */
  read(into: Bytes): number | undefined;
  /**
   * Returns the free send space left after copying `data`; throws "would block" if `data` does not fit.
   * Returns undefined when the write failed: lin's xs_tcp_write() ($(MODDABLE)/modules/io/socket/lin/tcp.c) traces
   * "write failed" on EPIPE/ECONNRESET and returns nothing, and no onError follows. Every caller treats undefined
   * as a dead connection (writeFailed below), on every platform.
   */
  write(data: Bytes): number | undefined;
  /** No callback runs after close(); data already written is still delivered, then FIN. */
  close(): void;
}

/** write()'s answer said the connection is dead (see TcpSocket.write). */
export function writeFailed(spaceLeft: number | undefined): spaceLeft is undefined {
  return typeof spaceLeft !== "number";
}

/**
 * write() for a connection that can do nothing useful once a write fails: a throw (lwIP's "not ready" once the
 * peer's FIN or RST has been delivered, while onError still waits for unread input) and lin's undefined both come
 * back as undefined. Callers write only within the writable count, so "would block" cannot be what is caught.
 */
export function writeOrLose(socket: TcpSocket, data: Bytes): number | undefined {
  try {
    const spaceLeft = socket.write(data);
    return writeFailed(spaceLeft) ? undefined : spaceLeft;
  } catch {
    return undefined;
  }
}

export interface TcpCallbacks {
  onReadable?: (this: TcpSocket, bytesReadable: number) => void;
  onWritable?: (this: TcpSocket, bytesWritable: number) => void;
  /** A peer's FIN, a RST and a failed connect all arrive here, with no argument. */
  onError?: (this: TcpSocket) => void;
}

export type TcpOptions = TcpCallbacks & ({ from: TcpSocket } | { address: string; port: number }) & {
  nodelay?: boolean;
  target?: unknown;
};

export interface TcpClass {
  new (options: TcpOptions): TcpSocket;
}

export interface ListenerSocket {
  /** The bound port; with `port: 0` an ephemeral one (how PASV learns its port). */
  readonly port: number;
  /** A connected socket with no callbacks, to hand to `new TCP({from})`; undefined when none is pending. */
  read(): TcpSocket | undefined;
  close(): void;
}

export interface ListenerOptions {
  port?: number;
  /** `count` is the total number of pending connections. */
  onReadable?: (this: ListenerSocket, count: number) => void;
  target?: unknown;
}

export interface ListenerClass {
  new (options: ListenerOptions): ListenerSocket;
}
