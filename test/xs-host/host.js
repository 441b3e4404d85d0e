// The engine-neutral test host: one virtual event loop, the in-memory ECMA-419 network, the virtual printer and
// the firmware's print server, made fresh for every scenario, plus the checks every scenario ends with (all
// session slots free, no socket, listener or timer left, no exception escaped a callback, the printer's
// contract kept). Pure JavaScript: runs on XS (xsnap) and on Node alike.

import { createEventLoop } from "../../simulator/io/event-loop.js";
import { createMemoryNetwork } from "../../simulator/io/memory-net.js";
import { startFtpServer } from "ftp/server";
import { startLpdServer } from "lpd/server";
import { startRawServer } from "raw/server";
import { IppServer } from "ipp/server";
import { printerFacts, printerFormats, rasterPipeline } from "ipp/start";
import { jobOutcomeWords } from "print/job";
import { equal, fail, lines as assertLines, ok, show } from "./assert.js";
import { DataConnection, FtpClient } from "./ftp-client.js";
import { useTimers } from "./timer.js";
import { useClock } from "./time.js";
import { VirtualPrinter } from "./virtual-printer.js";

/** Virtual time the loop moves forward when nothing is runnable now and the awaited thing has not happened. */
const stepMs = 10;

export const defaultHostOptions = Object.freeze({
  controlPort: 21,
  localAddress: "10.0.0.2",
  profile: "esp32",
  bytesPerTurn: 4096,
  credentials: undefined,
  deviceName: "ftprint",
  /** (loop) => a PrinterPort; the default is the VirtualPrinter (the bench passes the firmware's parallel port). */
  makePrinter: undefined,
  /** Random numbers for the firmware's passive port picks (a seeded generator makes a run repeatable). */
  random: undefined,
  /** The passive port range ({first, last}); the firmware's default when undefined. */
  passivePorts: undefined,
  /** Wrappers the bench uses to see where firmware code runs (test/xs-host/alloc-counter.js). */
  wrapIo: (io) => io,
  wrapTimer: (timer) => timer,
  /** Raw 9100, LPD and IPP on the FTP server's spool, when given a port (off by default). */
  rawPort: 0,
  lpdPort: 0,
  ippPort: 0,
});

export class ScenarioHost {
  constructor(options = {}) {
    const settings = { ...defaultHostOptions, ...options };
    this.settings = settings;
    this.loop = createEventLoop();
    this.uncaught = [];
    this.loop.onUncaught = (error) => {
      // On the device an exception escaping a callback aborts the VM ($(MODDABLE)/xs/includes/xs.h, xsEndHost calls
      // fxAbort; xs/platforms/esp/xsPlatform.c, fxAbort): always a scenario failure.
      this.uncaught.push(error);
    };
    this.net = createMemoryNetwork(this.loop, { profile: settings.profile, address: settings.localAddress });
    this.Timer = settings.wrapTimer(this.loop.Timer);
    useTimers(this.Timer);
    useClock(() => this.loop.now());
    this.printer = settings.makePrinter?.(this) ?? new VirtualPrinter(this.loop, { bytesPerTurn: settings.bytesPerTurn });
    this.log = [];
    this.clients = [];
    this.server = startFtpServer({
      io: settings.wrapIo({ Listener: this.net.Listener, TCP: this.net.TCP }),
      port: settings.controlPort,
      printer: this.printer,
      localAddress: () => settings.localAddress,
      log: (line) => {
        this.log.push(line);
      },
      credentials: settings.credentials,
      deviceName: settings.deviceName,
      random: settings.random,
      passivePorts: settings.passivePorts,
    });
    const services = { io: settings.wrapIo({ Listener: this.net.Listener, TCP: this.net.TCP }), spool: this.server.spool, log: (line) => { this.log.push(line); } };
    this.raw = settings.rawPort ? startRawServer({ ...services, port: settings.rawPort }) : undefined;
    this.lpd = settings.lpdPort ? startLpdServer({ ...services, port: settings.lpdPort, deviceName: settings.deviceName }) : undefined;
    // IPP on the SDK HTTP server's emulation (test/xs-host/httpServer.js); its clock is the loop's.
    this.ipp = undefined;
    if (settings.ippPort) {
      // The raster formats through the TypeScript kernel, in the printer language the scenario names (PCL 5 by default).
      const printer = { deviceName: settings.deviceName, paperSize: "a4", printer: "parallel", printerLanguage: settings.printerLanguage ?? "pcl5" };
      const raster = rasterPipeline(printer, services.log);
      this.ipp = new IppServer({
        ...services, port: settings.ippPort, httpPort: 80, localAddress: () => settings.localAddress, now: () => this.loop.now(), raster,
        facts: printerFacts(printer, "urn:uuid:00000000-0000-8000-8000-000000000001", 0, printerFormats(printer, raster)),
      });
    }
    this.closed = false;
  }

  /** A plain TCP client (raw 9100, LPD): write bytes, finish() (FIN), reset(), received(), readAll(). */
  connectBytes(port, { from = "127.0.0.1" } = {}) {
    return new DataConnection(this, this.net.connect({ port, address: "127.0.0.1", from }));
  }

  /** Opens a control connection and checks the greeting. */
  connect({ from = "127.0.0.1", name = `client ${this.clients.length + 1}`, greeting = true } = {}) {
    const client = new FtpClient(this, { from, name });
    this.clients.push(client);
    if (greeting) {
      const reply = client.reply("the greeting");
      assertLines(reply.lines, [`220 ${this.settings.deviceName} FTP print server ready.`], `${name}: greeting`);
    }
    return client;
  }

  /** A logged-in client. */
  login(options) {
    const client = this.connect(options);
    client.login();
    return client;
  }

  /**
   * Runs the event loop until `done()` holds: everything runnable now first, then virtual time in small steps,
   * for at most `withinMs` of virtual time. Fails with `what` if it never holds, unless `idleIsSuccess` (used to
   * let everything settle before asserting that something did NOT happen).
   */
  settle(done, what, { withinMs = 60_000, idleIsSuccess = false } = {}) {
    const start = this.loop.now();
    // One turn at a time, checking after each: a scenario can stop in the middle of a job (printer half way,
    // ABOR sent while the ring is full), which running to idle first would skip over.
    while (!done()) {
      const turns = this.loop.runUntilIdle({ maxTurns: 1 });
      this.#throwUncaught();
      if (turns > 0) continue;
      if (this.loop.now() - start >= (idleIsSuccess ? Math.min(withinMs, 200) : withinMs)) {
        if (idleIsSuccess) return;
        fail(`${what}: did not happen within ${withinMs} ms of virtual time`);
      }
      this.loop.advance(stepMs);
      this.#throwUncaught();
    }
  }

  /** Runs everything runnable now, without moving the clock. */
  runUntilIdle() {
    this.loop.runUntilIdle();
    this.#throwUncaught();
  }

  /** Lets `ms` of virtual time pass (timers fire, turns run). */
  advance(ms) {
    const until = this.loop.now() + ms;
    while (this.loop.now() < until) {
      this.loop.runUntilIdle();
      this.#throwUncaught();
      // Large steps are fine: the loop fires every timer due within the step, in order.
      this.loop.advance(Math.min(1000, until - this.loop.now()));
    }
    this.loop.runUntilIdle();
    this.#throwUncaught();
  }

  /** Log lines that contain `text`. */
  logLines(text) {
    return this.log.filter((line) => line.includes(text));
  }

  /** The spool's records of ended jobs (its last few, oldest first) whose outcome is called `name`: "printed", "client lost"... */
  jobsEnded(name) {
    return this.server.spool.history().filter((record) => jobOutcomeWords[record.outcome]?.name === name);
  }

  /** The end-of-scenario checks. */
  finish() {
    this.settle(() => this.server.connectionsInUse() === 0, "every session slot to be free at the end of the scenario");
    this.settle(() => (this.raw?.connectionsInUse() ?? 0) === 0 && (this.lpd?.connectionsInUse() ?? 0) === 0, "every raw and LPD slot to be free at the end of the scenario");
    this.settle(() => (this.ipp?.connectionsInUse() ?? 0) === 0, "every IPP slot to be free at the end of the scenario");
    equal(this.printer.open, undefined, "a printer job still open at the end of the scenario");
    if (this.printer.violations.length) fail(`printer port contract broken: ${show(this.printer.violations)}`);
    this.shutDown();
    this.loop.runUntilIdle();
    this.#throwUncaught();
    const sockets = this.net.openSockets();
    const listeners = this.net.openListeners();
    const timers = this.loop.pendingTimers();
    ok(count(sockets) === 0, `sockets left open after server.close(): ${describe(sockets)}`);
    ok(count(listeners) === 0, `listeners left open after server.close(): ${describe(listeners)}`);
    ok(count(timers) === 0, `timers left after server.close(): ${describe(timers)}`);
    ok(this.printer.closed, "server.close() did not close the printer port");
  }

  /** Stops the server and detaches the virtual clock; safe after a failure, safe twice. */
  shutDown() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.raw?.close();
      this.lpd?.close();
      this.ipp?.close();
      this.server.close();
    } finally {
      this.loop.runUntilIdle();
    }
  }

  release() {
    useTimers(undefined);
    useClock(() => 0);
  }

  #throwUncaught() {
    if (this.uncaught.length) {
      const error = this.uncaught[0];
      fail(`an exception escaped a callback (the device would abort): ${error?.stack ?? error}`);
    }
  }
}

function count(collection) {
  if (typeof collection === "number") return collection;
  return collection?.length ?? collection?.size ?? 0;
}

function describe(collection) {
  if (typeof collection === "number") return String(collection);
  try {
    return JSON.stringify(Array.from(collection));
  } catch {
    return String(count(collection));
  }
}
