// What the status page and /status.json show, gathered from the spool, the services and the settings into one plain
// object. Reads only; builds a small object per request (not the data path).

import type { JobRecord, PrintJob } from "print/job";
import { jobOutcomeWords } from "print/job";
import { printerStateNames } from "print/port";
import type { Spool } from "print/spool";
import type { NetworkStatus } from "network/wifiKeeper";

/** One network service as the page lists it. main.ts adds each one it starts; a service not added is not shown. */
export interface ServiceStatus {
  readonly name: string;
  readonly port: number;
  /** Sessions/connections in use now, if the service can tell. */
  sessionsInUse?(): number;
}

/** The optional hook main.ts fills: services register themselves, in any number, in any order. */
export class ServicesStatus {
  readonly #services: ServiceStatus[] = [];

  add(service: ServiceStatus): void {
    this.#services.push(service);
  }

  get list(): readonly ServiceStatus[] {
    return this.#services;
  }
}

export interface JobView {
  id: number;
  source: string;
  owner: string;
  name: string;
  bytesReceived: number;
  bytesPrinted: number;
  state?: string;
  outcome?: string;
}

export interface StatusView {
  deviceName: string;
  printer: { description: string; state: string };
  jobsPrinted: number;
  jobsAborted: number;
  jobsRemoved: number;
  bytesPrinted: number;
  services: { name: string; port: number; sessionsInUse: number | null }[];
  queue: JobView[];
  recent: JobView[];
  /** The device's own Wi-Fi (ESP32); null where the host's network is simply there (simulators). */
  wifi: WifiView | null;
}

export interface WifiView {
  network: string;
  state: string;
  address: string | null;
  accessPoint: { ssid: string; address: string | null } | null;
  lastFailure: string | null;
}

const stationStateNames: readonly string[] = Object.freeze(["no network configured", "joining", "joined", "waiting to retry"]);

function wifiView(network: NetworkStatus): WifiView {
  return {
    network: network.ssid,
    state: stationStateNames[network.station] ?? "?",
    address: network.stationAddress ?? null,
    accessPoint: network.accessPoint ? { ssid: network.accessPoint.ssid, address: network.accessPoint.address ?? null } : null,
    lastFailure: network.lastFailure ?? null,
  };
}

const queuedStateNames: readonly string[] = Object.freeze(["idle", "waiting", "receiving", "printing"]);

function queued(job: PrintJob): JobView {
  return { id: job.id, source: job.source, owner: job.owner, name: job.name, bytesReceived: job.bytesReceived,
    bytesPrinted: job.bytesPrinted, state: queuedStateNames[job.state] ?? "?" };
}

function finished(record: JobRecord): JobView {
  return { id: record.id, source: record.source, owner: record.owner, name: record.name, bytesReceived: record.bytesReceived,
    bytesPrinted: record.bytesPrinted, outcome: jobOutcomeWords[record.outcome]?.name ?? "?" };
}

export function gatherStatus(deviceName: string, spool: Spool, services: ServicesStatus | undefined,
  network?: { readonly status: NetworkStatus }): StatusView {
  const serviceViews: StatusView["services"] = [];
  for (const service of services?.list ?? []) {
    let sessions: number | null = null;
    try {
      sessions = service.sessionsInUse ? service.sessionsInUse() : null;
    } catch {
      sessions = null;    // a service that cannot answer is shown without a count
    }
    serviceViews.push({ name: service.name, port: service.port, sessionsInUse: sessions });
  }
  return {
    deviceName,
    printer: { description: spool.port.description, state: printerStateNames[spool.printerState] ?? "?" },
    jobsPrinted: spool.jobsPrinted,
    // A job cut short, by ABOR or by a client that went away, did not print in full: both count as aborted.
    jobsAborted: spool.jobsAborted + spool.jobsClientLost,
    jobsRemoved: spool.jobsRemoved,
    bytesPrinted: spool.bytesPrinted,
    services: serviceViews,
    queue: spool.jobs.map(queued),
    recent: spool.history().map(finished).reverse(),
    wifi: network ? wifiView(network.status) : null,
  };
}
