// Starts the DNS-SD announcement for the running services and starts it over whenever the device's address
// changes (a new A record needs a new probe). Glue between the host, the settings and the advertiser; no IO.

import { Advertiser, type MdnsClass } from "./advertiser.js";
import { hostLabel, servicesToAdvertise, type AdvertisedPorts, type IppAdvertised } from "./advertisement.js";
import type { NetworkStatus } from "./wifiKeeper.js";

export interface AnnounceOptions {
  MDNS: MdnsClass;
  deviceName: string;
  /** The ports the services really listen on (FTP's may have been "any free port"); 0 = off, not announced. */
  ports: AdvertisedPorts;
  /** The IPP printer, when it runs. */
  ipp?: IppAdvertised | undefined;
  network?: { readonly status: NetworkStatus; onChange(listener: (status: NetworkStatus) => void): void };
  log(line: string): void;
}

export function announceServices(options: AnnounceOptions): Advertiser {
  const { deviceName, ports } = options;
  const advertiser = new Advertiser({
    MDNS: options.MDNS,
    hostName: hostLabel(deviceName),
    services: (claimed) => servicesToAdvertise(ports, deviceName, claimed, options.ipp),
    log: options.log,
  });
  const network = options.network;
  if (!network) {
    advertiser.start();    // the host's network is simply there (simulators)
    return advertiser;
  }
  let address = addressOf(network.status);
  if (address !== "") advertiser.start();
  network.onChange((status) => {
    const now = addressOf(status);
    if (now === address) return;
    address = now;
    if (now === "") advertiser.stop();
    else advertiser.start();
  });
  return advertiser;
}

/** DOUBT: the SDK's mdns answers with Net.get("IP") (no interface named); on AP+STA that is taken to be the
 * station's address. With only the AP up it may be undefined; the page at 192.168.4.1 works without mDNS. */
function addressOf(status: NetworkStatus): string {
  return status.stationAddress ?? status.accessPoint?.address ?? "";
}
