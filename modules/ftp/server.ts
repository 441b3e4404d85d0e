// The FTP print server: the control listener, a fixed pool of session slots made once at start, the spool they
// share, and one housekeeping timer for idle and login-delay timers. Takes its socket classes as arguments (the
// way the SDK's HTTP server takes options.io), so the same code runs on the ESP32, the simulators and the XS host.

import Timer from "timer";
import type { ListenerClass, ListenerSocket, TcpClass, TcpSocket } from "./io.js";
import { FailedLogins } from "./failedLogins.js";
import { chunkBytes, chunkCount, controlReadBytes, failingAddressTicks, passivePortFirst, passivePortLast, sessionSlots, tickMs } from "./limits.js";
import { Reply } from "./replies.js";
import { Session, type SessionContext } from "./session.js";
import type { PrinterPort } from "print/port";
import { Spool } from "print/spool";

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
  readonly #listener: ListenerSocket;
  readonly #sessions: readonly Session[];
  readonly #tcp: TcpClass;
  readonly #log: (line: string) => void;
  readonly #tick: Timer;
  /** Sent to a client that finds every slot taken, then the connection is closed. */
  readonly #busyReply: Uint8Array;
  /** Sent to a client whose address has failed to log in too often lately. */
  readonly #blockedReply: Uint8Array;
  readonly #failedLogins = new FailedLogins();
  /** Where a turned-away client's early commands are read to, and dropped. */
  readonly #scratch = new Uint8Array(controlReadBytes);
  /** Housekeeping ticks since start: the clock of the failed-login table. */
  #ticks = 0;

  constructor(options: PrintServerOptions) {
    const server = this;
    this.#tcp = options.io.TCP;
    this.#log = options.log;
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
    };
    const sessions: Session[] = [];
    for (let i = 0; i < sessionSlots; i++) sessions.push(new Session(context));
    this.#sessions = Object.freeze(sessions);
    this.#busyReply = asciiBytes(`${Reply.ServiceUnavailable} All ${sessionSlots} sessions are in use; try again later.\r\n`);
    this.#blockedReply = asciiBytes(`${Reply.ServiceUnavailable} Too many failed logins from your address; try again in ${failingAddressTicks} s.\r\n`);
    this.#listener = new options.io.Listener({
      port: options.port,
      onReadable() {
        try { server.#acceptAll(); } catch (error) { server.#log(`accept failed: ${String(error)}`); }
      },
    });
    this.#tick = Timer.repeat(() => {
      try {
        this.#ticks++;
        for (const session of this.#sessions) session.tick();
      } catch (error) { this.#log(`tick failed: ${String(error)}`); }
    }, tickMs);
    this.#log(`FTP print server listening on port ${this.#listener.port}, ${sessionSlots} sessions, printer: ${options.printer.description}`);
  }

  get port(): number {
    return this.#listener.port;
  }

  sessionsInUse(): number {
    let count = 0;
    for (const session of this.#sessions) if (session.inUse) count++;
    return count;
  }

  /** Stops listening and ends every session. */
  close(): void {
    Timer.clear(this.#tick);
    this.#listener.close();
    for (const session of this.#sessions) {
      session.abortTransfer();
      session.dispose();
    }
    this.spool.port.close();
  }

  #acceptAll(): void {
    // Read every pending connection at once, even the ones we turn away: on the ESP32 a connection left in the
    // listener has its data held by lwIP and its reset goes unnoticed (facts §1.1).
    for (let raw = this.#listener.read(); raw; raw = this.#listener.read()) {
      // SECURITY: an address that has been guessing passwords gets no slot for a while (FailedLogins).
      const blocked = this.#failedLogins.blocked(raw.remoteAddress ?? "", this.#ticks);
      const slot = blocked ? undefined : this.#sessions.find((session) => !session.inUse);
      try {
        if (slot) slot.open(raw);
        else this.#turnAway(raw, blocked);
      } catch (error) {
        this.#log(`could not take a connection: ${String(error)}`);
        try { raw.close(); } catch { /* already moved into a TCP object */ }
        slot?.close("failed to open");
      }
    }
  }

  /** 421 to a fourth client, or to one from a blocked address; the sessions carry on untouched. */
  #turnAway(raw: TcpSocket, blocked: boolean): void {
    const reply = blocked ? this.#blockedReply : this.#busyReply;
    const scratch = this.#scratch;
    let bytesReadable = 0;
    const socket = new this.#tcp({
      from: raw,
      onReadable(count) { bytesReadable = count; },
      onWritable() {
        try {
          this.write(reply);
          // Commands the client sent already are read and dropped: unread input turns close() into an RST, which
          // would throw the 421 away (see Session.close).
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
    this.#log(`turned away ${socket.remoteAddress ?? "a client"}: ${blocked ? "too many failed logins from it" : `all ${sessionSlots} sessions in use`}`);
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
