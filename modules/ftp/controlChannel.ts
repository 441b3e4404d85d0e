// One control-connection slot on its socket: reads bytes into command lines for the connection core
// (connection.ts), writes its queued replies within the socket's writable count, and closes the socket when told.
// Made once at start and reused for every client, its buffers held for life; a read or write of less than a whole
// buffer makes a view of its head (network/socketBuffers): the command path, never the print path.

import { FtpConnection, type ConnectionContext, type ControlLink } from "./connection.js";
import { DataChannel, type PassivePorts } from "./dataChannel.js";
import { LineReader } from "./lineReader.js";
import { controlReadBytes, listingBufferBytes, replyStallTicks } from "./limits.js";
import type { PooledSlot } from "network/connectionPool";
import { writeFailed, writeOrLose, type ListenerClass, type TcpClass, type TcpSocket } from "network/io";
import { headView, readAndDrop } from "network/socketBuffers";
import { Reentry } from "print/reentry";

/** What a control channel needs beyond its connection's context: the socket classes and the passive port range. */
export interface ControlChannelContext extends ConnectionContext {
  readonly io: { Listener: ListenerClass; TCP: TcpClass };
  /** Where PASV and EPSV listen. */
  readonly passivePorts: PassivePorts;
}

export class ControlChannel implements PooledSlot, ControlLink {
  readonly #connection: FtpConnection;
  readonly #io: { Listener: ListenerClass; TCP: TcpClass };
  readonly #lines = new LineReader();
  readonly #input = new Uint8Array(controlReadBytes);
  #socket: TcpSocket | undefined;
  #inputAt = 0;
  #inputEnd = 0;
  #bytesReadable = 0;
  #bytesWritable = 0;
  /** Ticks during which queued replies could not be written at all. */
  #replyStalledTicks = 0;
  /** resume() can be called from inside itself (a reply's flush, a transfer's end): the inner call is dropped. */
  readonly #servicing = new Reentry();

  constructor(context: ControlChannelContext) {
    this.#io = context.io;
    this.#connection = new FtpConnection(context, this,
      (events) => new DataChannel(context.io, events, listingBufferBytes, context.passivePorts));
  }

  get inUse(): boolean {
    return this.#connection.inUse;
  }

  /** Takes a freshly accepted connection into this free slot; the connection greets it. */
  open(raw: TcpSocket): void {
    const channel = this;
    this.#lines.clear();
    this.#inputAt = this.#inputEnd = 0;
    this.#bytesReadable = this.#bytesWritable = 0;
    this.#replyStalledTicks = 0;
    const socket = new this.#io.TCP({
      from: raw,
      // Replies are small and a client waits for each: Nagle would hold a 226 behind the delayed ACK of the 150.
      nodelay: true,
      onReadable(count) {
        try {
          channel.#bytesReadable = count;
          channel.resume();
        } catch { channel.close("failed reading"); }
      },
      onWritable(count) {
        try {
          channel.#bytesWritable = count;
          channel.resume();
        } catch { channel.close("failed writing"); }
      },
      onError() {
        try { channel.close("connection closed by client"); } catch { /* nothing more to do */ }
      },
    });
    this.#socket = socket;
    // Asked now: after a reset the SDK answers garbage (lin) or crashes (ESP32) when asked.
    this.#connection.begin(socket.remoteAddress ?? "", socket.remotePort ?? 0);
  }

  /** Writes queued replies as far as the send space allows (write() would throw past it). */
  flush(): void {
    const socket = this.#socket;
    if (!socket) return;
    const connection = this.#connection, replies = connection.replies;
    const count = Math.min(replies.queued, this.#bytesWritable);
    if (count > 0) {
      const spaceLeft = writeOrLose(socket, headView(replies.bytes, count));
      if (writeFailed(spaceLeft)) {
        connection.close("connection lost (a write failed)");
        return;
      }
      this.#bytesWritable = spaceLeft;
      this.#replyStalledTicks = 0;
      replies.taken(count);
    }
    // With nothing queued, still close if asked (QUIT, 421).
    if (replies.queued === 0 && connection.closing) connection.close("quit");
  }

  /** Reads and runs commands until the input is used up or a reply must drain first. */
  resume(): void {
    this.#servicing.run(this.#service);
  }

  /** One pass runs to the end of what can be done now, so a call from inside it has nothing to add: done. */
  readonly #service = (): boolean => {
    const connection = this.#connection;
    while (this.#socket) {
      this.flush();
      if (!connection.acceptingCommands) break;
      if (this.#inputAt < this.#inputEnd) {
        this.#inputAt = this.#lines.feed(this.#input, this.#inputAt, this.#inputEnd);
        if (this.#lines.lineReady) {
          const tooLong = this.#lines.tooLong;
          const line = this.#lines.takeLine();
          if (tooLong) connection.lineTooLong();
          else connection.run(line);
        }
      } else if (this.#bytesReadable > 0) {
        const count = Math.min(this.#bytesReadable, this.#input.length);
        this.#socket.read(headView(this.#input, count));
        this.#bytesReadable -= count;
        this.#inputAt = 0;
        this.#inputEnd = count;
      } else break;
    }
    return true;
  };

  /**
   * Reads and drops the commands still buffered, then closes. Unread input makes lwIP answer close() with RST
   * instead of FIN, and the RST throws away replies still on their way: a client that pipelined commands after QUIT
   * lost its 221, and the replies before it (found by the control-channel fuzzer, test/hardening/fuzz.js).
   */
  disconnect(): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    try {
      readAndDrop(socket, this.#bytesReadable, this.#input);
    } catch { /* a reset socket has nothing left to read */ }
    this.#bytesReadable = 0;
    socket.close();
  }

  /** Ends the session; idempotent (the connection closes, and asks for the socket to be dropped). */
  close(reason: string): void {
    this.#connection.close(reason);
  }

  /** Called once per housekeeping tick by the pool. */
  tick(): void {
    if (!this.#socket) return;
    if (this.#connection.replies.queued > 0 && ++this.#replyStalledTicks >= replyStallTicks) {
      this.#connection.close(`its replies did not move for ${replyStallTicks} s`);
      return;
    }
    this.#connection.tick();
  }

  /** The server is stopping: any transfer ends, the session closes, and the slot's timers are released for good. */
  dispose(): void {
    this.#connection.dispose();
  }
}
