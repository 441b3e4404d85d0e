// The FTP server: a pool of control-channel slots behind the control listener (network/connectionPool), the spool
// they print to, and the failed-login table that keeps a password guesser out of the pool. Takes its socket classes
// as arguments (the way the SDK's HTTP server takes options.io), so the same code runs on the ESP32, the
// simulators and the XS host.

import { ControlChannel, type ControlChannelContext } from "./controlChannel.js";
import { FailedLogins } from "./failedLogins.js";
import { failingAddressTicks, passivePortFirst, passivePortLast, sessionSlots, tickMs } from "./limits.js";
import { Reply, replyLine } from "./replies.js";
import { verbs } from "./verbs.js";
import { ConnectionPool, type Refusal } from "network/connectionPool";
import type { ListenerClass, TcpClass } from "network/io";
import { chunkBytes, chunkCount } from "print/limits";
import type { PrinterPort } from "print/port";
import { Spool } from "print/spool";

export interface FtpServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** The control port: 21 on the device; 0 picks a free one (see FtpServer.port). */
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

/** port, connectionsInUse() and close() come from the pool. */
export class FtpServer extends ConnectionPool<ControlChannel> {
  readonly spool: Spool;

  constructor(options: FtpServerOptions) {
    const spool = options.spool ?? new Spool(options.printer, options.log, chunkBytes, chunkCount);
    const failedLogins = new FailedLogins();
    let sessionsOpened = 0;
    const context: ControlChannelContext = {
      verbs,
      spool,
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
      loginFailed: (address) => { failedLogins.failed(address); },
      loginSucceeded: (address) => { failedLogins.succeeded(address); },
      nextSessionNumber: () => ++sessionsOpened,
    };
    // Sent to a client whose address has failed to log in too often lately.
    const blocked: Refusal = Object.freeze({
      bytes: replyLine(Reply.ServiceUnavailable, `Too many failed logins from your address; try again in ${failingAddressTicks} s.`),
      reason: "too many failed logins from it",
    });
    super({
      io: options.io,
      port: options.port,
      slots: sessionSlots,
      makeSlot: () => new ControlChannel(context),
      tickMs,
      // A fourth client gets a 421; the sessions carry on untouched.
      busy: Object.freeze({
        bytes: replyLine(Reply.ServiceUnavailable, `All ${sessionSlots} sessions are in use; try again later.`),
        reason: `all ${sessionSlots} sessions in use`,
      }),
      wording: Object.freeze({
        prefix: "",
        couldNotTake: "could not take a connection",
        turnedAway: (address: string, reason: string) => `turned away ${address}: ${reason}`,
      }),
      log: options.log,
      // SECURITY: an address that has been guessing passwords gets no slot for a while (FailedLogins).
      screen: (address) => (failedLogins.blocked(address) ? blocked : undefined),
      tick: () => { failedLogins.tick(); },
      openFailed: (channel) => channel.close("failed to open"),
    });
    this.spool = spool;
    options.log(`FTP print server listening on port ${this.port}, ${sessionSlots} sessions, printer: ${options.printer.description}`);
  }

  /** Stops listening, ends every session, and closes the printer port. */
  override close(): void {
    super.close();
    this.spool.port.close();
  }
}

export function startFtpServer(options: FtpServerOptions): FtpServer {
  return new FtpServer(options);
}
