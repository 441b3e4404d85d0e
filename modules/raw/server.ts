// Raw TCP printing (AppSocket, "port 9100", as on an HP JetDirect): a pool of connection slots behind the listener
// (network/connectionPool). Jobs go into the spool FTP and LPD share. Takes its socket classes as arguments, so the
// same code runs on the ESP32, the simulators and the XS host.

import type { ListenerClass, TcpClass } from "network/io";
import { ConnectionPool } from "network/connectionPool";
import type { Spool } from "print/spool";
import { RawConnection, type RawContext } from "./connection.js";
import { rawSlots, rawTickMs } from "./limits.js";

export interface RawServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** 9100 on the device; 0 picks a free one (see RawServer.port). */
  port: number;
  spool: Spool;
  log(line: string): void;
}

/** port, connectionsInUse() and close() come from the pool. */
export class RawServer extends ConnectionPool<RawConnection> {
  constructor(options: RawServerOptions) {
    const context: RawContext = { spool: options.spool, TCP: options.io.TCP, log: options.log };
    super({
      io: options.io,
      port: options.port,
      slots: rawSlots,
      makeSlot: () => new RawConnection(context),
      tickMs: rawTickMs,
      // AppSocket has no way to say why: a client with no slot is closed without a word.
      busy: Object.freeze({ bytes: undefined, reason: `all ${rawSlots} connections in use` }),
      wording: Object.freeze({
        prefix: "raw ",
        couldNotTake: "raw connection could not be taken",
        turnedAway: (address: string, reason: string) => `raw connection from ${address} turned away: ${reason}`,
      }),
      log: options.log,
    });
    options.log(`raw printing (AppSocket) listening on port ${this.port}, ${rawSlots} connections`);
  }
}

export function startRawServer(options: RawServerOptions): RawServer {
  return new RawServer(options);
}
