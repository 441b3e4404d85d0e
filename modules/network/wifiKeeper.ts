// Keeps the ESP32 on a network: joins the configured Wi-Fi, rejoins after a drop with a growing pause, and opens
// the device's own access point (with the setup page behind it) when it cannot join, closing it again once the
// station has an address. A pure state machine: the Wi-Fi radio and the timer are injected (hosts/esp32 wires the
// SDK's legacy `wifi` module in; tests a fake that behaves like it).

/** The radio, as hosts/esp32/wifiRadio.ts drives the SDK's `wifi` module. */
export interface WifiRadio {
  /** WiFi.connect({ssid, password}): the driver itself retries a few times before it reports "disconnect". */
  join(ssid: string, password: string): void;
  /** WiFi.disconnect(). */
  leave(): void;
  /** WiFi.accessPoint({ssid, station}): an open AP (beside the station when `withStation`: AP+STA), at
   * 192.168.4.1, named by accessPointName() from the MAC, which the radio can read only once it is on. Returns the name. */
  openAccessPoint(withStation: boolean): string;
  /** WiFi.mode = station: the AP goes away, the station stays. */
  closeAccessPoint(): void;
  /** Net.get("IP", "station" | "ap"). */
  address(side: "station" | "ap"): string | undefined;
}

export interface KeeperTimer {
  set(callback: () => void, delayMs: number): unknown;
  clear(id: unknown): void;
}

/** The notifications the SDK's wifi module sends (esp32/xs6wifi.c); "disconnect" carries -1 for a wrong password. */
export type WifiNotification = "connect" | "gotIP" | "lostIP" | "disconnect" | string;

export const StationState = Object.freeze({
  Off: 0,          // no network configured
  Joining: 1,      // connect() called, waiting for "connect" and "gotIP"
  Joined: 2,       // the station has an address
  Waiting: 3,      // the last attempt failed; the next one is on a timer
} as const);
export type StationState = (typeof StationState)[keyof typeof StationState];

export interface KeeperTimings {
  /** A join that brings neither "gotIP" nor "disconnect" in this long is given up and retried. */
  joinTimeoutMs: number;
  /** First pause after a failure or a drop; doubled after each failure, up to maxRetryMs. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** Without the station this long (since boot, or since a drop), the access point opens. */
  accessPointAfterMs: number;
}

export const defaultTimings: KeeperTimings = Object.freeze({
  joinTimeoutMs: 30_000,
  firstRetryMs: 2_000,
  maxRetryMs: 60_000,
  accessPointAfterMs: 60_000,
});

export interface NetworkStatus {
  station: StationState;
  ssid: string;
  /** The station's address while joined. */
  stationAddress: string | undefined;
  /** The access point's name and address while it is open. */
  accessPoint: { ssid: string; address: string | undefined } | undefined;
  /** Why the last attempt failed, for the page: "wrong password", "not found or refused", "timed out", "dropped". */
  lastFailure: string | undefined;
  failures: number;
}

export interface KeeperOptions {
  radio: WifiRadio;
  timer: KeeperTimer;
  ssid: string;
  password: string;
  timings?: Partial<KeeperTimings>;
  log(line: string): void;
}

export class WifiKeeper {
  readonly #radio: WifiRadio;
  readonly #timer: KeeperTimer;
  readonly #ssid: string;
  readonly #password: string;
  #accessPointSsid = "";
  readonly #timings: KeeperTimings;
  readonly #log: (line: string) => void;
  readonly #listeners: Array<(status: NetworkStatus) => void> = [];
  #state: StationState = StationState.Off;
  #accessPointOpen = false;
  #failures = 0;
  #lastFailure: string | undefined;
  #attemptTimer: unknown;
  #accessPointTimer: unknown;

  constructor(options: KeeperOptions) {
    this.#radio = options.radio;
    this.#timer = options.timer;
    this.#ssid = options.ssid;
    this.#password = options.password;
    this.#timings = { ...defaultTimings, ...options.timings };
    this.#log = options.log;
  }

  get status(): NetworkStatus {
    return {
      station: this.#state,
      ssid: this.#ssid,
      stationAddress: this.#state === StationState.Joined ? this.#radio.address("station") : undefined,
      accessPoint: this.#accessPointOpen ? { ssid: this.#accessPointSsid, address: this.#radio.address("ap") } : undefined,
      lastFailure: this.#lastFailure,
      failures: this.#failures,
    };
  }

  /** Some network is up: the station has an address or the access point is open (services can listen). */
  get online(): boolean {
    return this.#state === StationState.Joined || this.#accessPointOpen;
  }

  /** Called after every change of state or address (the page shows it; mDNS starts over on a new address). */
  onChange(listener: (status: NetworkStatus) => void): void {
    this.#listeners.push(listener);
  }

  start(): void {
    if (this.#ssid === "") {
      this.#log(`Wi-Fi: no network configured`);
      this.#openAccessPoint();
      return;
    }
    this.#armAccessPointDeadline();
    this.#join();
  }

  /** The SDK module's onNotify callback: (message, value), value = -1 on "disconnect" for a wrong password. */
  notify(message: WifiNotification, value?: number): void {
    try {
      switch (message) {
        case "gotIP":
          if (this.#state !== StationState.Joining) return;
          this.#joined();
          return;
        case "disconnect":
        case "lostIP":
          this.#lost(message === "disconnect" && value === -1);
          return;
        default:
          return;    // "connect" (associated, no address yet), "start", "station_connect"...: nothing to do
      }
    } catch (error) {
      this.#log(`Wi-Fi: ${String(error)}`);
    }
  }

  #join(): void {
    this.#state = StationState.Joining;
    this.#clearAttemptTimer();
    this.#attemptTimer = this.#timer.set(() => this.#guarded(() => this.#failed("timed out", false)), this.#timings.joinTimeoutMs);
    try {
      this.#radio.join(this.#ssid, this.#password);
      this.#log(`Wi-Fi: joining "${this.#ssid}"`);
    } catch (error) {
      this.#failed(`refused by the driver (${String(error)})`, false);
      return;
    }
    this.#changed();
  }

  #joined(): void {
    this.#clearAttemptTimer();
    this.#clearAccessPointDeadline();
    this.#state = StationState.Joined;
    this.#failures = 0;
    this.#log(`Wi-Fi: joined "${this.#ssid}" as ${this.#radio.address("station")}`);
    if (this.#accessPointOpen) {
      try { this.#radio.closeAccessPoint(); } catch (error) { this.#log(`Wi-Fi: access point not closed (${String(error)})`); }
      this.#accessPointOpen = false;
      this.#log(`Wi-Fi: access point "${this.#accessPointSsid}" closed`);
    }
    this.#changed();
  }

  #lost(wrongPassword: boolean): void {
    if (this.#state === StationState.Joined) {
      this.#lastFailure = "dropped";
      this.#log(`Wi-Fi: lost "${this.#ssid}"`);
      this.#armAccessPointDeadline();
      this.#failures = 1;    // the drop counts as the first failure: pauses go 2 s, 4 s, 8 s... from here
      this.#retryLater();
      return;
    }
    if (this.#state !== StationState.Joining) return;    // a late report for an attempt already given up
    this.#failed(wrongPassword ? "wrong password" : "not found or refused", wrongPassword);
  }

  #failed(reason: string, wrongPassword: boolean): void {
    this.#failures += 1;
    this.#lastFailure = reason;
    this.#log(`Wi-Fi: could not join "${this.#ssid}": ${reason}`);
    try { this.#radio.leave(); } catch { /* nothing to leave */ }
    // A wrong password will not fix itself: open the setup access point at once instead of after the deadline.
    if (wrongPassword) this.#openAccessPoint();
    this.#retryLater();
  }

  #retryLater(): void {
    this.#state = StationState.Waiting;
    this.#clearAttemptTimer();
    const pauseMs = Math.min(this.#timings.firstRetryMs * 2 ** Math.max(0, this.#failures - 1), this.#timings.maxRetryMs);
    this.#attemptTimer = this.#timer.set(() => this.#guarded(() => this.#join()), pauseMs);
    this.#changed();
  }

  #openAccessPoint(): void {
    this.#clearAccessPointDeadline();
    if (this.#accessPointOpen) return;
    try {
      this.#accessPointSsid = this.#radio.openAccessPoint(this.#ssid !== "");
    } catch (error) {
      this.#log(`Wi-Fi: access point not opened (${String(error)})`);
      return;
    }
    this.#accessPointOpen = true;
    this.#log(`Wi-Fi: access point "${this.#accessPointSsid}" open at ${this.#radio.address("ap")}`);
    this.#changed();
  }

  #armAccessPointDeadline(): void {
    if (this.#accessPointOpen || this.#accessPointTimer !== undefined) return;
    this.#accessPointTimer = this.#timer.set(() => this.#guarded(() => {
      this.#accessPointTimer = undefined;
      if (this.#state !== StationState.Joined) this.#openAccessPoint();
    }), this.#timings.accessPointAfterMs);
  }

  #clearAccessPointDeadline(): void {
    if (this.#accessPointTimer !== undefined) this.#timer.clear(this.#accessPointTimer);
    this.#accessPointTimer = undefined;
  }

  #clearAttemptTimer(): void {
    if (this.#attemptTimer !== undefined) this.#timer.clear(this.#attemptTimer);
    this.#attemptTimer = undefined;
  }

  #changed(): void {
    const status = this.status;
    for (const listener of this.#listeners) {
      try { listener(status); } catch (error) { this.#log(`Wi-Fi: listener failed (${String(error)})`); }
    }
  }

  #guarded(work: () => void): void {
    try { work(); } catch (error) { this.#log(`Wi-Fi: ${String(error)}`); }
  }
}

/** The access point's name: "ftprint-" and the last two bytes of the MAC, so two dongles in one room differ. */
export function accessPointName(mac: string | undefined): string {
  const hex = (mac ?? "").replace(/[^0-9a-fA-F]/g, "").toUpperCase();
  return `ftprint-${hex.length >= 4 ? hex.slice(-4) : "0000"}`;
}
