// The IPP printer (RFC 8011, PWG 5100.14) at ipp://host:631/ipp/print, on the SDK's ECMA-419 HTTP server
// (embedded:network/http/server, facts §5.4): a fixed pool of connection slots (exchange.ts), the job table, and
// what the answers say about the printer now. Jobs go into the one spool FTP, raw and LPD share. Takes its socket
// classes as arguments; one housekeeping timer for every slot.

import HTTPServer from "embedded:network/http/server";
import type { HTTPConnection, HTTPServerOptions } from "embedded:network/http/server";
import Timer from "timer";
import type { ListenerClass, TcpClass } from "network/io";
import { slotsInUse } from "network/connectionPool";
import { PrinterState } from "print/port";
import type { Spool } from "print/spool";
import { IppPrinterState } from "./constants.js";
import { IppExchange, printerPath, type ExchangeContext } from "./exchange.js";
import { iconPath } from "./icon.js";
import type { JobView } from "./jobAttributes.js";
import { JobTable, type IppJob } from "./jobs.js";
import { ippIdentifyShownSeconds, ippJobRecords, ippSlots, ippTickMs } from "./limits.js";
import { expireJobs, type AnswerViews, type OperationContext } from "./operations.js";
import type { PrinterFacts, PrinterView } from "./printer.js";
import type { RasterPipeline } from "./rasterSink.js";

export interface IppServerOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** 631 on the device. */
  port: number;
  spool: Spool;
  facts: PrinterFacts;
  /** The status page's port (0: off), for printer-more-info. */
  httpPort: number;
  /** Our address, for URIs when a client sends no Host header. */
  localAddress(): string | undefined;
  log(line: string): void;
  /** Epoch milliseconds (default Date.now): tests pass a virtual clock. */
  now?: () => number;
  /** The raster formats' pipeline (its timer is stopped with the server). */
  raster?: RasterPipeline;
}

const stateReasons: Readonly<Record<number, string>> = Object.freeze({
  [PrinterState.Offline]: "offline-report",
  [PrinterState.PaperOut]: "media-empty-error",
  [PrinterState.Error]: "other-error",
});

export class IppServer {
  readonly #http: HTTPServer;
  readonly #slots: readonly IppExchange[];
  readonly #tick: Timer;
  readonly #options: IppServerOptions;
  readonly #now: () => number;
  readonly #startMs: number;
  readonly #jobs: JobTable;
  readonly #operations: OperationContext;
  #identifyMessage = "";
  #identifyUntil = 0;
  #lastState = 0;
  #stateChangeAt = 1;
  #stateChangeMs: number;

  constructor(options: IppServerOptions) {
    this.#options = options;
    const now = options.now ?? Date.now;
    this.#now = now;
    this.#startMs = now();
    this.#stateChangeMs = this.#startMs;
    const server = this;
    const clock = Object.freeze({ upTime: () => server.upTime(), now });
    this.#jobs = new JobTable(ippJobRecords, clock);
    this.#operations = Object.freeze({
      jobs: this.#jobs,
      spool: options.spool,
      facts: options.facts,
      upTime: () => server.upTime(),
      log: options.log,
      identify: (message: string, user: string) => server.#identify(message, user),
    });
    const context: ExchangeContext = Object.freeze({
      TCP: options.io.TCP,
      spool: options.spool,
      operations: this.#operations,
      views: (host: string) => server.#views(host),
      page: (host: string) => server.#page(host),
      log: options.log,
    });
    const slots: IppExchange[] = [];
    for (let i = 0; i < ippSlots; i++) slots.push(new IppExchange(context));
    this.#slots = Object.freeze(slots);
    this.#tick = Timer.repeat(() => {
      try {
        for (const slot of server.#slots) slot.tick();
        expireJobs(server.#operations);
        server.#printerState();
      } catch (error) {
        options.log(`ipp: housekeeping failed (${String(error)})`);
      }
    }, ippTickMs);
    this.#http = new HTTPServer({
      // The SDK's typing wants its own Listener class; ours (network/io) is the same class, typed as it behaves.
      io: options.io.Listener as unknown as HTTPServerOptions["io"],
      port: options.port,
      onConnect(connection: HTTPConnection) {
        try {
          const slot = server.#slots.find((candidate) => !candidate.inUse);
          if (!slot) {
            options.log(`ipp: connection turned away: all ${ippSlots} connections in use`);
            connection.close();
            return;
          }
          slot.open(connection);
        } catch (error) {
          options.log(`ipp: could not take a connection (${String(error)})`);
          connection.close();
        }
      },
    });
  }

  get port(): number {
    return this.#options.port;
  }

  get facts(): PrinterFacts {
    return this.#options.facts;
  }

  connectionsInUse(): number {
    return slotsInUse(this.#slots);
  }

  /** printer-up-time: whole seconds since start, from 1 (RFC 8011 §5.4.29: integer(1:MAX)). */
  upTime(): number {
    return Math.floor((this.#now() - this.#startMs) / 1000) + 1;
  }

  close(): void {
    Timer.clear(this.#tick);
    this.#http.close();
    for (const slot of this.#slots) slot.dispose();
    this.#options.raster?.close();
  }

  #identify(message: string, user: string): void {
    this.#identifyMessage = message ? `Identify (${user}): ${message}` : `Identify requested by ${user}`;
    this.#identifyUntil = this.upTime() + ippIdentifyShownSeconds;
    this.#options.log(`ipp: ${this.#identifyMessage}`);
  }

  /** printer-state now, and when it last changed (looked at every tick and for every answer). */
  #printerState(): number {
    const spool = this.#options.spool;
    const trouble = spool.printerState === PrinterState.Offline || spool.printerState === PrinterState.PaperOut ||
      spool.printerState === PrinterState.Error;
    const state = trouble ? IppPrinterState.stopped : spool.current ? IppPrinterState.processing : IppPrinterState.idle;
    if (state !== this.#lastState) {
      if (this.#lastState !== 0) {
        this.#stateChangeAt = this.upTime();
        this.#stateChangeMs = this.#now();
      }
      this.#lastState = state;
    }
    return state;
  }

  #hosts(host: string): { hostPort: string; hostName: string } {
    let hostPort = host;
    if (hostPort === "") {
      const address = this.#options.localAddress() ?? "127.0.0.1";
      hostPort = this.#options.port === 631 ? address : `${address}:${this.#options.port}`;
    }
    const bracket = hostPort.lastIndexOf("]");
    const colon = hostPort.lastIndexOf(":");
    const hostName = colon > bracket ? hostPort.slice(0, colon) : hostPort;
    return { hostPort, hostName };
  }

  #views(host: string): AnswerViews {
    const { hostPort, hostName } = this.#hosts(host);
    const printerUri = `ipp://${hostPort}${printerPath}`;
    const httpPort = this.#options.httpPort;
    const moreInfo = httpPort > 0 ? `http://${hostName}${httpPort === 80 ? "" : `:${httpPort}`}/` : `http://${hostPort}/`;
    const spool = this.#options.spool;
    const state = this.#printerState();
    const stopped = state === IppPrinterState.stopped;
    const server = this;
    return {
      printer(): PrinterView {
        const upTime = server.upTime();
        const reasons = Object.hasOwn(stateReasons, spool.printerState) ? [stateReasons[spool.printerState]!] : ["none"];
        const identifying = upTime < server.#identifyUntil;
        return {
          facts: server.#options.facts,
          printerUri,
          moreInfo,
          iconUri: `http://${hostPort}${iconPath}`,
          upTime,
          nowMs: server.#now(),
          state,
          reasons,
          message: identifying ? server.#identifyMessage : stopped ? `printer ${reasonWord(spool.printerState)}` : state === IppPrinterState.processing ? "printing" : "ready",
          stateChangeAt: server.#stateChangeAt,
          stateChangeMs: server.#stateChangeMs,
          queuedJobs: spool.queueLength,
        };
      },
      job(job: IppJob): JobView {
        const position = spool.positionOf(job.printJob);
        return { job, printerUri, moreInfo, upTime: server.upTime(), printerStopped: stopped, intervening: position > 0 ? position : 0 };
      },
    };
  }

  /** GET / on the IPP port: where the status page is. */
  #page(host: string): string {
    const { hostPort } = this.#hosts(host);
    const views = this.#views(host);
    const name = escape(this.#options.facts.name);
    const status = this.#options.httpPort > 0 ? `<p><a href="${escape(views.printer().moreInfo)}">Status and setup</a></p>` : "";
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${name}</title></head><body><h1>${name}</h1>` +
      `<p>IPP printer: <code>ipp://${escape(hostPort)}${printerPath}</code></p>${status}</body></html>`;
  }
}

function reasonWord(state: number): string {
  return state === PrinterState.Offline ? "offline" : state === PrinterState.PaperOut ? "out of paper" : "in error";
}

function escape(text: string): string {
  let out = "";
  for (const character of text) {
    out += character === "&" ? "&amp;" : character === "<" ? "&lt;" : character === ">" ? "&gt;" : character === "\"" ? "&quot;" : character;
  }
  return out;
}

export function startIppServer(options: IppServerOptions): IppServer {
  return new IppServer(options);
}
