// The LPD print server (RFC 1179; port 515 on the device): the listener, a fixed pool of connection slots made
// once at start, and one housekeeping timer for their timeouts. Jobs go into the spool FTP and raw 9100 share.
// Takes its socket classes as arguments, so the same code runs on the ESP32, the simulators and the XS host.

import Timer from "timer";
import type { ListenerClass, ListenerSocket, TcpClass, TcpSocket } from "../ftp/io.js";
import type { Spool } from "../print/spool.js";
import { LpdConnection, type LpdContext } from "./connection.js";
import { lpdSlots, lpdTickMs } from "./limits.js";

export interface LpdServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** 515 on the device; 0 picks a free one (see LpdServer.port). */
  port: number;
  spool: Spool;
  log(line: string): void;
  deviceName?: string;
}

export class LpdServer {
  readonly #listener: ListenerSocket;
  readonly #connections: readonly LpdConnection[];
  readonly #tick: Timer;
  readonly #tcp: TcpClass;
  readonly #log: (line: string) => void;
  /** Where a turned-away client's first bytes are read to, and dropped. */
  readonly #scratch = new Uint8Array(64);
  readonly #refused = Uint8Array.of(1);

  constructor(options: LpdServerOptions) {
    const server = this;
    this.#log = options.log;
    this.#tcp = options.io.TCP;
    const context: LpdContext = { spool: options.spool, TCP: options.io.TCP, deviceName: options.deviceName ?? "ftprint", log: options.log };
    const connections: LpdConnection[] = [];
    for (let i = 0; i < lpdSlots; i++) connections.push(new LpdConnection(context));
    this.#connections = Object.freeze(connections);
    this.#listener = new options.io.Listener({
      port: options.port,
      onReadable() {
        try { server.#acceptAll(); } catch (error) { server.#log(`LPD accept failed: ${String(error)}`); }
      },
    });
    this.#tick = Timer.repeat(() => {
      try {
        for (const connection of this.#connections) connection.tick();
      } catch (error) { this.#log(`LPD tick failed: ${String(error)}`); }
    }, lpdTickMs);
    this.#log(`LPD listening on port ${this.#listener.port}, ${lpdSlots} connections`);
  }

  get port(): number {
    return this.#listener.port;
  }

  connectionsInUse(): number {
    let count = 0;
    for (const connection of this.#connections) if (connection.inUse) count++;
    return count;
  }

  close(): void {
    Timer.clear(this.#tick);
    this.#listener.close();
    for (const connection of this.#connections) connection.dispose();
  }

  #acceptAll(): void {
    // Every pending connection is read at once, even the ones turned away (facts §1.1).
    for (let raw = this.#listener.read(); raw; raw = this.#listener.read()) {
      const slot = this.#connections.find((connection) => !connection.inUse);
      try {
        if (slot) slot.open(raw);
        else this.#turnAway(raw);
      } catch (error) {
        this.#log(`LPD connection could not be taken: ${String(error)}`);
        try { raw.close(); } catch { /* already moved into a TCP object */ }
      }
    }
  }

  /** All slots busy: an error byte (what an LPD client understands), then close. */
  #turnAway(raw: TcpSocket): void {
    const scratch = this.#scratch, refused = this.#refused;
    let bytesReadable = 0;
    const socket = new this.#tcp({
      from: raw,
      onReadable(count) { bytesReadable = count; },
      onWritable() {
        try {
          this.write(refused);
          // What the client sent already is read and dropped: unread input turns close() into a reset.
          while (bytesReadable > 0) {
            const count = Math.min(bytesReadable, scratch.length);
            this.read(count === scratch.length ? scratch : new Uint8Array(scratch.buffer, 0, count));
            bytesReadable -= count;
          }
        } catch { /* it may be gone already */ }
        this.close();
      },
      onError() { this.close(); },
    });
    this.#log(`LPD connection from ${socket.remoteAddress ?? "a client"} turned away: all ${lpdSlots} connections in use`);
  }
}

export function startLpdServer(options: LpdServerOptions): LpdServer {
  return new LpdServer(options);
}
