// Raw TCP printing (AppSocket, "port 9100", as on an HP JetDirect): the listener, a fixed pool of connection
// slots made once at start, and one housekeeping timer for their timeouts. Jobs go into the spool FTP and LPD
// share. Takes its socket classes as arguments, so the same code runs on the ESP32, the simulators and the XS host.

import Timer from "timer";
import type { ListenerClass, ListenerSocket, TcpClass } from "../ftp/io.js";
import type { Spool } from "../print/spool.js";
import { RawConnection, type RawContext } from "./connection.js";
import { rawSlots, rawTickMs } from "./limits.js";

export interface RawServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** 9100 on the device; 0 picks a free one (see RawServer.port). */
  port: number;
  spool: Spool;
  log(line: string): void;
}

export class RawServer {
  readonly #listener: ListenerSocket;
  readonly #connections: readonly RawConnection[];
  readonly #tick: Timer;
  readonly #log: (line: string) => void;

  constructor(options: RawServerOptions) {
    const server = this;
    this.#log = options.log;
    const context: RawContext = { spool: options.spool, TCP: options.io.TCP, log: options.log };
    const connections: RawConnection[] = [];
    for (let i = 0; i < rawSlots; i++) connections.push(new RawConnection(context));
    this.#connections = Object.freeze(connections);
    this.#listener = new options.io.Listener({
      port: options.port,
      onReadable() {
        try { server.#acceptAll(); } catch (error) { server.#log(`raw accept failed: ${String(error)}`); }
      },
    });
    this.#tick = Timer.repeat(() => {
      try {
        for (const connection of this.#connections) connection.tick();
      } catch (error) { this.#log(`raw tick failed: ${String(error)}`); }
    }, rawTickMs);
    this.#log(`raw printing (AppSocket) listening on port ${this.#listener.port}, ${rawSlots} connections`);
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
      if (!slot) {
        this.#log(`raw connection from ${raw.remoteAddress ?? "a client"} turned away: all ${rawSlots} connections in use`);
        raw.close();
        continue;
      }
      try {
        slot.open(raw);
      } catch (error) {
        this.#log(`raw connection could not be taken: ${String(error)}`);
        try { raw.close(); } catch { /* already moved into a TCP object */ }
      }
    }
  }
}

export function startRawServer(options: RawServerOptions): RawServer {
  return new RawServer(options);
}
