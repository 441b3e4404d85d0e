// Starts the IPP printer: what main.ts calls with the spool and the settings. Works out, once, what the printer is
// (name, UUID, formats, paper, resolutions), which the answers and the DNS-SD announcement both say.

import type { ListenerClass, TcpClass } from "network/io";
import type { Settings } from "device/settings";
import type { Spool } from "print/spool";
import { defaultMargins } from "raster/layout";
import { copyRasterBytes, newRasterConverter } from "raster/platform";
import { passThroughFormats, type DocumentFormat } from "./documentSink.js";
import { printerUuid, type KeptValues } from "./identity.js";
import { mediaSizes, type PrinterFacts } from "./printer.js";
import { RasterPipeline, rasterFormats } from "./rasterSink.js";
import { IppServer } from "./server.js";

export interface IppStartOptions {
  io: { Listener: ListenerClass; TCP: TcpClass };
  port: number;
  spool: Spool;
  settings: Settings;
  /** Keeps printer-uuid (the saved settings' store); without one it is derived anew each start, the same. */
  store?: KeptValues | undefined;
  /** The MAC address, where the host knows one: the UUID's seed. */
  hardwareAddress?: string | undefined;
  localAddress(): string | undefined;
  log(line: string): void;
  now?: () => number;
}

const portWords: Readonly<Record<string, string>> = Object.freeze({
  parallel: "parallel port", parallel595: "parallel port", serial: "serial port", file: "file capture", discard: "no printer",
});

/** printer-make-and-model and DNS-SD's ty: what the client is printing to. */
export function makeAndModel(settings: Settings): string {
  const port = Object.hasOwn(portWords, settings.printer) ? portWords[settings.printer] : settings.printer;
  return `ftprint print server (${port})`;
}

/**
 * What the printer takes: the pass-through formats it understands itself (PCL only if it speaks PCL: the
 * printerLanguage setting), then the raster formats, turned into its language by `raster`.
 */
export function printerFormats(settings: Settings, raster: RasterPipeline): readonly DocumentFormat[] {
  const pcl = settings.printerLanguage !== "escp2";
  const own = passThroughFormats.filter((format) => pcl || format.command !== "PCL");
  return Object.freeze([...own, ...rasterFormats(raster)]);
}

/** The raster pipeline for this printer: its language, and the margins Get-Printer-Attributes states. */
export function rasterPipeline(settings: Settings, log: (line: string) => void): RasterPipeline {
  return new RasterPipeline({
    language: settings.printerLanguage,
    margins: defaultMargins(settings.printerLanguage),
    newConverter: (format, language, margins) => newRasterConverter({ format, language, margins }),
    copyBytes: copyRasterBytes,
    log,
  });
}

export function printerFacts(settings: Settings, uuid: string, startMs: number, formats: readonly DocumentFormat[] = passThroughFormats): PrinterFacts {
  const paper = mediaSizes[settings.paperSize];
  return Object.freeze({
    name: settings.deviceName,
    uuid,
    makeAndModel: makeAndModel(settings),
    location: "",
    formats,
    margins: defaultMargins(settings.printerLanguage),
    media: Object.freeze([paper, settings.paperSize === "a4" ? mediaSizes.letter : mediaSizes.a4]),
    defaultMedia: paper,
    resolutions: Object.freeze([300, 600]),
    startMs,
  });
}

/** The server; throws when its port cannot be had (main.ts's startService logs it, printing goes on by the other ways). */
export function startIpp(options: IppStartOptions): IppServer {
  const { settings, log } = options;
  const now = options.now ?? Date.now;
  const uuid = printerUuid(options.store, options.hardwareAddress, settings.deviceName);
  const raster = rasterPipeline(settings, log);
  try {
    const facts = printerFacts(settings, uuid, now(), printerFormats(settings, raster));
    const server = new IppServer({ io: options.io, port: options.port, spool: options.spool, facts, httpPort: settings.httpPort,
      localAddress: options.localAddress, log, now, raster });
    log(`IPP printer on port ${options.port}, ipp://host:${options.port}/ipp/print, ${uuid}`);
    return server;
  } catch (error) {
    raster.close();    // its timer; main.ts's startService says why the IPP printer did not start
    throw error;
  }
}
