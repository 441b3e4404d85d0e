// One session's data connection: a PASV/EPSV listener or a PORT/EPRT target, the socket once connected, the upload
// pump (socket → print ring, only while the ring has room: print/socketIntake) and the sender for listings and the
// status file. Uploads allocate nothing per chunk: they land in the spool's ring. Sends go through one buffer made at
// start, but each write makes a view of it and each refill a slice of the text: listings are small, not the print path.

import { isAllowedPassivePeer, type HostPort } from "./addresses.js";
import { writeFailed, writeOrLose, type ListenerClass, type ListenerOptions, type ListenerSocket, type TcpClass, type TcpSocket } from "network/io";
import { dataConnectionTimeoutTicks, dataStallTicks, passivePortTries, shortReadWaitMs } from "./limits.js";
import { writeAscii } from "./replies.js";
import { Transfer } from "./states.js";
import type { ByteRing } from "print/ring";
import { SocketIntake } from "print/socketIntake";

/** What the data channel tells its control connection, and asks of it. */
export interface DataChannelEvents {
  /** The transfer the control connection is in (set before beginUpload()/beginSend(), cleared by its final reply). */
  readonly transfer: Transfer;
  /** The data connection is up for the transfer asked for: time for 150. */
  dataConnected(): void;
  /** The connection could not be made (425), or broke during the transfer (426). */
  dataConnectionFailed(wasConnected: boolean): void;
  /** Every byte of the text went out and the connection is closed: 226. */
  sendCompleted(): void;
  /** The peer closed an upload (end of file, or a reset: the SDK cannot tell them apart). */
  uploadEnded(): void;
  /** Bytes landed in the ring. */
  uploadReceived(count: number): void;
  /** A data connection from a stranger was turned away (port theft), for the log. */
  strangerRefused(address: string | undefined): void;
}

/** What the control connection asks of its data channel (connection.ts; the unit tests pass a fake). */
export interface DataChannelLink {
  /** PASV or PORT has been given: a transfer command may follow. */
  readonly prepared: boolean;
  listen(controlPeer: string): number;
  connectLater(target: HostPort, controlPeer: string): void;
  beginUpload(ring: ByteRing): void;
  resumeReading(): void;
  beginSend(text: string): void;
  reset(): void;
  tick(): void;
  dispose(): void;
}

/** Where PASV/EPSV listen: a random port in [first, last] (both 0: an ephemeral port), and the random source. */
export interface PassivePorts {
  readonly first: number;
  readonly last: number;
  /** A number in [0, 1), as Math.random gives; tests pass a seeded one. */
  readonly random: () => number;
}

/** What the channel waits for: nothing, a client's connection to our listener, or a transfer command to connect out. */
const ChannelMode = Object.freeze({ Idle: 0, Listening: 1, TargetSet: 2 } as const);
type ChannelMode = (typeof ChannelMode)[keyof typeof ChannelMode];

export class DataChannel implements DataChannelLink {
  readonly #io: { Listener: ListenerClass; TCP: TcpClass };
  readonly #events: DataChannelEvents;
  readonly #sendBuffer: Uint8Array;
  #mode: ChannelMode = ChannelMode.Idle;
  #listener: ListenerSocket | undefined;
  #target: HostPort | undefined;
  #socket: TcpSocket | undefined;
  #connected = false;
  #controlPeer = "";
  #bytesWritable = 0;
  /** Uploads: the ring the spool gave beginUpload(). */
  #ring: ByteRing | undefined;
  /** Uploads: socket → ring, while the spool lets us read (our job is printing) and the ring has room. */
  readonly #intake: SocketIntake;
  /** Sends: the text, how much of it is in the buffer, how much of the buffer went out. */
  #text = "";
  #textAt = 0;
  #bufferFilled = 0;
  #bufferSent = 0;
  /** Housekeeping ticks spent waiting for a connection (PASV listening, PORT connecting). */
  #waitingTicks = 0;
  /** Housekeeping ticks a connected transfer has waited on its client without a byte moving; bytes moved since the last tick. */
  #stallTicks = 0;
  #sent = false;
  readonly #passivePorts: PassivePorts;
  /** The PASV listener's options, made once: only the port changes from one PASV to the next. */
  readonly #listenerOptions: ListenerOptions;

  constructor(io: { Listener: ListenerClass; TCP: TcpClass }, events: DataChannelEvents, sendBufferBytes: number, passivePorts: PassivePorts) {
    this.#io = io;
    this.#events = events;
    this.#sendBuffer = new Uint8Array(sendBufferBytes);
    this.#passivePorts = passivePorts;
    const channel = this;
    this.#listenerOptions = {
      port: 0,
      onReadable() {
        try { channel.#accept(); } catch { channel.#fail(); }
      },
    };
    this.#intake = new SocketIntake({
      intakeReceived: (count) => { this.#events.uploadReceived(count); },
      intakeFailed: () => { this.#fail(); },
    }, shortReadWaitMs);
  }

  /**
   * Once per housekeeping tick: a PASV listener nobody has connected to, or a PORT connection that has not
   * completed, is given up after dataConnectionTimeoutTicks (425 if a transfer waits on it), so neither a listening
   * PCB nor a session is held for ever.
   */
  tick(): void {
    this.#tickStall();
    const waiting = !this.#connected && (this.#mode === ChannelMode.Listening || (this.#mode === ChannelMode.TargetSet && this.#socket !== undefined));
    if (!waiting) {
      this.#waitingTicks = 0;
      return;
    }
    if (++this.#waitingTicks >= dataConnectionTimeoutTicks) this.#fail();
  }

  /**
   * SECURITY: a connected transfer that waits on its client and moves nothing for dataStallTicks is failed (426).
   * "Waits on its client": an upload that the spool lets us read (our job is at the printer) with no byte to read,
   * or a send. An upload held back by the printer has bytes waiting in the socket, or is not being read at all.
   */
  #tickStall(): void {
    const waitingOnClient = this.#connected && this.#socket !== undefined &&
      ((this.#events.transfer === Transfer.Upload && this.#intake.reading && this.#intake.bytesReadable === 0) || this.#events.transfer === Transfer.Send);
    const moved = this.#sent || this.#intake.moved;
    this.#sent = false;
    this.#intake.moved = false;
    if (moved || !waitingOnClient) {
      this.#stallTicks = 0;
      return;
    }
    if (++this.#stallTicks >= dataStallTicks) this.#fail();
  }

  /** Releases the timer; the channel is not used again (the server is stopping). */
  dispose(): void {
    this.reset();
    this.#intake.dispose();
  }

  /** PASV or PORT has been given: a transfer command may follow. */
  get prepared(): boolean { return this.#mode !== ChannelMode.Idle; }

  /**
   * PASV/EPSV: listens for the control peer on a random port of the passive range. Returns the port, or -1 when no
   * listener can be had (on the ESP32, lwIP's listening PCBs are a fixed pool).
   */
  listen(controlPeer: string): number {
    this.reset();
    this.#controlPeer = controlPeer;
    const { first, last, random } = this.#passivePorts;
    const span = first > 0 && last >= first ? last - first + 1 : 0;
    // SECURITY (RFC 2577 §5): a random port, not the next one, so a stranger cannot guess it and connect first.
    // A taken port throws; the last try is an ephemeral port (0), so a crowded range still gives a data port.
    for (let attempt = span > 0 ? 0 : passivePortTries; attempt <= passivePortTries; attempt++) {
      this.#listenerOptions.port = attempt < passivePortTries ? first + (Math.floor(random() * span) % span) : 0;
      try {
        this.#listener = new this.#io.Listener(this.#listenerOptions);
        this.#mode = ChannelMode.Listening;
        return this.#listener.port;
      } catch { /* the port is taken (or no listener is free): try again */ }
    }
    this.reset();
    return -1;
  }

  /** PORT/EPRT: remembers where to connect once a transfer command comes. The caller has checked the target. */
  connectLater(target: HostPort, controlPeer: string): void {
    this.reset();
    this.#controlPeer = controlPeer;
    this.#target = target;
    this.#mode = ChannelMode.TargetSet;
  }

  /** STOR/APPE/STOU: receive into `ring`, but only once resumeReading() says the job is at the printer. */
  beginUpload(ring: ByteRing): void {
    this.#ring = ring;
    this.#intake.end();
    this.#begin();
  }

  /** The spool started our job, or made room in the ring: read what the socket has. */
  resumeReading(): void {
    // After the upload's end the socket is gone while the transfer lasts until the printer is done.
    if (this.#events.transfer !== Transfer.Upload || !this.#socket) return;
    if (!this.#intake.active && this.#ring) this.#intake.begin(this.#socket, this.#ring);
    this.#intake.resume();
  }

  /** LIST/NLST/MLSD/RETR: send `text` (ASCII) and close. */
  beginSend(text: string): void {
    this.#text = text;
    this.#textAt = 0;
    this.#bufferFilled = 0;
    this.#bufferSent = 0;
    this.#begin();
  }

  /** Drops the connection and any listener, silently (ABOR, REIN, end of session). Idempotent. */
  reset(): void {
    this.#listener?.close();
    this.#listener = undefined;
    this.#socket?.close();
    this.#socket = undefined;
    this.#target = undefined;
    this.#mode = ChannelMode.Idle;
    this.#connected = false;
    this.#bytesWritable = 0;
    this.#ring = undefined;
    this.#intake.reset();
    this.#text = "";
    this.#waitingTicks = 0;
    this.#stallTicks = 0;
    this.#sent = false;
  }

  /** The control connection's transfer has just been set: go on with it once (or as soon as) we are connected. */
  #begin(): void {
    if (this.#connected) {
      this.#events.dataConnected();
      this.#push();
    } else if (this.#mode === ChannelMode.TargetSet) this.#connect();
    // Listening: the 150 waits for the client's connection (#accept)
  }

  #accept(): void {
    const listener = this.#listener;
    if (!listener) return;
    for (let raw = listener.read(); raw; raw = listener.read()) {
      if (this.#socket) { raw.close(); continue; }
      const socket = this.#adopt({ from: raw });
      // SECURITY: RFC 2577 port theft. Only the control connection's peer may use this data port.
      if (!isAllowedPassivePeer(socket.remoteAddress, this.#controlPeer)) {
        this.#events.strangerRefused(socket.remoteAddress);
        this.#socket = undefined;
        socket.close();
        continue;
      }
      this.#connected = true;
      // One listening PCB per PASV: give it back as soon as the client is in (8 listeners in all,
      // hosts/esp32/sdkconfig/sdkconfig.defaults, CONFIG_LWIP_MAX_LISTENING_TCP).
      listener.close();
      this.#listener = undefined;
      if (this.#events.transfer !== Transfer.None) this.#events.dataConnected();
      // The listener is closed now: read() on it would throw ($(MODDABLE)/modules/io/socket/lwip/tcp.c and lin/tcp.c,
      // xs_listener_close_ drops the host data, so xs_listener_read's xsmcGetHostDataValidate throws).
      break;
    }
  }

  #connect(): void {
    const target = this.#target!;
    try {
      this.#adopt({ address: target.address, port: target.port });
    } catch {
      this.#fail();
    }
  }

  /** Creates the socket with our callbacks; its first onWritable means "connected" for an outgoing one. */
  #adopt(how: { from: TcpSocket } | { address: string; port: number }): TcpSocket {
    const channel = this;
    const socket = new this.#io.TCP({
      ...how,
      onReadable(count) {
        try {
          channel.#intake.readable(count);
        } catch { channel.#fail(); }
      },
      onWritable(count) {
        try {
          channel.#bytesWritable = count;
          if (!channel.#connected && channel.#mode === ChannelMode.TargetSet) {
            channel.#connected = true;
            channel.#events.dataConnected();
          }
          channel.#push();
        } catch { channel.#fail(); }
      },
      onError() {
        try { channel.#ended(); } catch { channel.#fail(); }
      },
    });
    this.#socket = socket;
    return socket;
  }

  /** Send: buffer → socket within the writable count; refill the buffer from the text; close when all went out. */
  #push(): void {
    const socket = this.#socket;
    if (this.#events.transfer !== Transfer.Send || !socket || !this.#connected) return;
    for (;;) {
      if (this.#bufferSent === this.#bufferFilled) {
        if (this.#textAt >= this.#text.length) {
          this.reset();                             // close() still delivers what was written, then FIN
          this.#events.sendCompleted();
          return;
        }
        const chars = Math.min(this.#text.length - this.#textAt, this.#sendBuffer.length);
        writeAscii(this.#sendBuffer, 0, this.#text.slice(this.#textAt, this.#textAt + chars));
        this.#textAt += chars;
        this.#bufferFilled = chars;
        this.#bufferSent = 0;
      }
      const count = Math.min(this.#bufferFilled - this.#bufferSent, this.#bytesWritable);
      if (count <= 0) return;                      // wait for onWritable
      const spaceLeft = writeOrLose(socket, new Uint8Array(this.#sendBuffer.buffer, this.#bufferSent, count));
      if (writeFailed(spaceLeft)) {
        this.#ended();                              // the client is gone: 426, as for a reset seen by onError
        return;
      }
      this.#bytesWritable = spaceLeft;
      this.#bufferSent += count;
      this.#sent = true;
    }
  }

  /** The peer closed (FIN or RST, indistinguishable): the end of an upload, or a failed connect. */
  #ended(): void {
    const transfer = this.#events.transfer, wasConnected = this.#connected;
    this.#intake.reset();
    this.#socket?.close();
    this.#socket = undefined;
    this.#connected = false;
    if (!wasConnected && this.#mode === ChannelMode.TargetSet) { this.#fail(); return; }
    if (transfer === Transfer.Upload) {
      this.#mode = ChannelMode.Idle;
      this.#events.uploadEnded();
    } else if (transfer === Transfer.Send) {
      this.reset();
      this.#events.dataConnectionFailed(true);
    }
    // no transfer yet: the client dropped its connection early; the next transfer command will find none
    else this.#mode = ChannelMode.Idle;
  }

  #fail(): void {
    const wasConnected = this.#connected;
    this.reset();
    if (this.#events.transfer !== Transfer.None) this.#events.dataConnectionFailed(wasConnected);
  }
}
