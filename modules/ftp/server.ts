// The FTP print server: a pool of session slots behind the control listener (network/connectionPool), the spool
// they share, and the failed-login table that keeps a password guesser out of the pool. Takes its socket classes
// as arguments (the way the SDK's HTTP server takes options.io), so the same code runs on the ESP32, the
// simulators and the XS host.

import type { ListenerClass, TcpClass } from "network/io";
import { FailedLogins } from "./failedLogins.js";
import { failingAddressTicks, passivePortFirst, passivePortLast, sessionSlots, tickMs } from "./limits.js";
import { Reply } from "./replies.js";
import { Session, type SessionContext } from "./session.js";
import { chunkBytes, chunkCount } from "print/limits";
import type { PrinterPort } from "print/port";
import { Spool } from "print/spool";
import { ConnectionPool, type Refusal } from "../network/connectionPool.js";

export interface PrintServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** The control port: 21 on the device; 0 picks a free one (see PrintServer.port). */
  port: number;
  printer: PrinterPort;
  /**
   * The queue every way of printing shares (FTP, raw 9100, LPD), made by main.ts around `printer`. Without it
   * the server makes its own, as the tests and the benchmarks that run FTP alone do.
   */
  spool?: Spool;
  /** Our IPv4 address as clients reach it, for PASV (Net.get("IP") on the device). */
  localAddress(): string | undefined;
  log(line: string): void;
  /** When set, only this user and password may log in; otherwise anyone may, as on a JetDirect. */
  credentials?: { user: string; password: string } | undefined;
  deviceName?: string;
  /** Log each command line, not just sessions and jobs. */
  logCommands?: boolean;
  /** PASV/EPSV ports: a random one in [first, last]; { first: 0, last: 0 } for an ephemeral port. Default: limits.ts. */
  passivePorts?: { first: number; last: number } | undefined;
  /** Random numbers in [0, 1) for the passive port picks; Math.random unless a test needs a fixed sequence. */
  random?: () => number;
}

export class PrintServer {
  readonly spool: Spool;
  readonly #pool: ConnectionPool<Session>;
  readonly #failedLogins = new FailedLogins();
  /** Housekeeping ticks since start: the clock of the failed-login table. */
  #ticks = 0;
  #sessionsOpened = 0;

  constructor(options: PrintServerOptions) {
    const server = this;
    this.spool = options.spool ?? new Spool(options.printer, options.log, chunkBytes, chunkCount);
    const context: SessionContext = {
      spool: this.spool,
      io: options.io,
      deviceName: options.deviceName ?? "ftprint",
      credentials: options.credentials,
      logCommands: options.logCommands ?? false,
      localAddress: options.localAddress,
      passivePorts: Object.freeze({
        first: options.passivePorts?.first ?? passivePortFirst,
        last: options.passivePorts?.last ?? passivePortLast,
        random: options.random ?? Math.random,
      }),
      log: options.log,
      loginFailed(address) { server.#failedLogins.failed(address, server.#ticks); },
      loginSucceeded(address) { server.#failedLogins.succeeded(address); },
      nextSessionNumber: () => ++server.#sessionsOpened,
    };
    // Sent to a client whose address has failed to log in too often lately.
    const blocked: Refusal = Object.freeze({
      bytes: asciiBytes(`${Reply.ServiceUnavailable} Too many failed logins from your address; try again in ${failingAddressTicks} s.\r\n`),
      reason: "too many failed logins from it",
    });
    this.#pool = new ConnectionPool({
      io: options.io,
      port: options.port,
      slots: sessionSlots,
      makeSlot: () => new Session(context),
      tickMs,
      // A fourth client gets a 421; the sessions carry on untouched.
      busy: Object.freeze({
        bytes: asciiBytes(`${Reply.ServiceUnavailable} All ${sessionSlots} sessions are in use; try again later.\r\n`),
        reason: `all ${sessionSlots} sessions in use`,
      }),
      wording: Object.freeze({
        prefix: "",
        couldNotTake: "could not take a connection",
        turnedAway: (address: string, reason: string) => `turned away ${address}: ${reason}`,
      }),
      log: options.log,
      // SECURITY: an address that has been guessing passwords gets no slot for a while (FailedLogins).
      screen: (address) => (server.#failedLogins.blocked(address, server.#ticks) ? blocked : undefined),
      tick: () => { server.#ticks++; },
      openFailed: (session) => session.close("failed to open"),
    });
    options.log(`FTP print server listening on port ${this.#pool.port}, ${sessionSlots} sessions, printer: ${options.printer.description}`);
  }

  get port(): number {
    return this.#pool.port;
  }

  sessionsInUse(): number {
    return this.#pool.connectionsInUse();
  }

  /** Stops listening and ends every session. */
  close(): void {
    this.#pool.close();
    this.spool.port.close();
  }
}

export function startPrintServer(options: PrintServerOptions): PrintServer {
  return new PrintServer(options);
}

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
