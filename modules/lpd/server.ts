// The LPD print server (RFC 1179; port 515 on the device): a pool of connection slots behind the listener
// (network/connectionPool). Jobs go into the spool FTP and raw 9100 share. Takes its socket classes as arguments,
// so the same code runs on the ESP32, the simulators and the XS host.

import type { ListenerClass, TcpClass } from "network/io";
import { ConnectionPool } from "network/connectionPool";
import type { Spool } from "print/spool";
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

/** port, connectionsInUse() and close() come from the pool. */
export class LpdServer extends ConnectionPool<LpdConnection> {
  constructor(options: LpdServerOptions) {
    const context: LpdContext = { spool: options.spool, TCP: options.io.TCP, deviceName: options.deviceName ?? "ftprint", log: options.log };
    super({
      io: options.io,
      port: options.port,
      slots: lpdSlots,
      makeSlot: () => new LpdConnection(context),
      tickMs: lpdTickMs,
      // All slots busy: an error byte (what an LPD client understands), then close.
      busy: Object.freeze({ bytes: Uint8Array.of(1), reason: `all ${lpdSlots} connections in use` }),
      wording: Object.freeze({
        prefix: "LPD ",
        couldNotTake: "LPD connection could not be taken",
        turnedAway: (address: string, reason: string) => `LPD connection from ${address} turned away: ${reason}`,
      }),
      log: options.log,
    });
    options.log(`LPD listening on port ${this.port}, ${lpdSlots} connections`);
  }
}

export function startLpdServer(options: LpdServerOptions): LpdServer {
  return new LpdServer(options);
}
