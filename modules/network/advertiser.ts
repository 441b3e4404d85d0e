// Announces the print server's services with the SDK's mdns module (injected as a class, so tests and the
// simulator can pass their own): claims the host name, adds the services once the name is ours, and starts over
// when the network address changes. Holds no socket itself; every callback body is guarded.

import type { AdvertisedService } from "./advertisement.js";

/** The SDK's mdns module as this file uses it ($(MODDABLE)/modules/network/mdns/mdns.js). */
export interface Mdns {
  add(service: AdvertisedService): void;
  close(): void;
}
/** callback(message, value): 1 with "" when probing starts and with the claimed name when done; 2 on a conflict
 * (return nothing to let the module pick "name-2", "name-3"...; a string to try that name); -1 when it gave up. */
export type MdnsClass = new (options: { hostName: string }, callback: (this: Mdns, message: number, value?: string) => unknown) => Mdns;

export const MdnsMessage = Object.freeze({ HostName: 1, Retry: 2, Error: -1 } as const);

export interface AdvertiserOptions {
  MDNS: MdnsClass;
  hostName: string;
  /** The services for a claimed host name (adminurl names the host, which may have become "name-2"). */
  services(hostName: string): AdvertisedService[];
  log(line: string): void;
}

export class Advertiser {
  readonly #options: AdvertiserOptions;
  #mdns: Mdns | undefined;
  #claimed: string | undefined;
  #probing = false;

  constructor(options: AdvertiserOptions) {
    this.#options = options;
  }

  /** The name we hold in .local, once probing is over. */
  get hostName(): string | undefined {
    return this.#claimed;
  }

  /** Starts (or restarts: a new address needs new A records and a fresh probe) the announcement. */
  start(): void {
    this.stop();
    const { MDNS, hostName, log } = this.#options;
    const advertiser = this;
    try {
      let mdns: Mdns | undefined = undefined;
      mdns = new MDNS({ hostName }, function (message: number, value?: string) {
        try {
          return advertiser.#onMessage(mdns ?? this, message, value);
        } catch (error) {
          log(`mDNS: ${String(error)}`);
          return undefined;
        }
      });
      this.#mdns = mdns;
      this.#probing = true;
    } catch (error) {
      // The legacy UDP socket throws when there is no network yet; the host starts us again when there is.
      log(`mDNS: cannot start (${String(error)})`);
    }
  }

  stop(): void {
    const mdns = this.#mdns, probing = this.#probing;
    this.#mdns = undefined;
    this.#claimed = undefined;
    this.#probing = false;
    // The module's close() leaves its probe timer running, and that timer's next write on the closed socket
    // would throw (an abort). While it probes, the instance is closed when it reports the end of probing.
    if (mdns && !probing) Advertiser.#close(mdns);
  }

  static #close(mdns: Mdns): void {
    try { mdns.close(); } catch { /* closing a closed socket */ }
  }

  #onMessage(mdns: Mdns, message: number, value: string | undefined): unknown {
    const { log, services } = this.#options;
    if (mdns !== this.#mdns) {
      // Stopped while probing: its probe timer is cleared just before it reports a name or gives up.
      if ((message === MdnsMessage.HostName && value) || message === MdnsMessage.Error) Advertiser.#close(mdns);
      return undefined;
    }
    switch (message) {
      case MdnsMessage.HostName:
        if (!value) return undefined;    // probing has started
        this.#claimed = value;
        this.#probing = false;
        const announced = services(value);
        for (const service of announced) {
          // add() throws "not ready" while probing; the name is ours now, so a throw here is a real fault.
          try { mdns.add(service); } catch (error) { log(`mDNS: _${service.name}._${service.protocol} not announced (${String(error)})`); }
        }
        log(`mDNS: ${value}.local announces ${announced.map((s) => `_${s.name}._${s.protocol}:${s.port}`).join(" ")}`);
        return undefined;
      case MdnsMessage.Retry:
        log(`mDNS: ${value}.local is taken; trying another name`);
        return undefined;    // the module appends "-2", "-3"... itself
      case MdnsMessage.Error:
        this.#probing = false;
        log(`mDNS: no host name could be claimed`);
        return undefined;
      default:
        return undefined;
    }
  }
}
