// The Wi-Fi keeper's radio on the ESP32: the SDK's legacy `wifi` module ($(MODDABLE)/modules/network/wifi, esp32/
// xs6wifi.c) and `net`. Chosen over embedded:network/interface/wifi because it can run an access point beside the
// station (WiFi.accessPoint({station: true}) sets WIFI_MODE_APSTA), which the setup page needs. No logic here.

import WiFi from "wifi";
import Net from "net";
import { accessPointName, type WifiNotification, type WifiRadio } from "network/wifiKeeper";

/** Mode numbers of xs_wifi_set_mode: 1 station, 2 access point, 3 both. */
const WifiMode = Object.freeze({ Station: 1, AccessPoint: 2, Both: 3 } as const);

export class SdkWifiRadio implements WifiRadio {
  /**
   * Held, never read: a WiFi object nothing references is collected, and its destructor unhooks its callback
   * ($(MODDABLE)/modules/network/wifi/esp32/xs6wifi.c, xs_wifi_destructor unlinks it from gWiFi). Public only
   * because TypeScript flags a private field that is never read.
   */
  readonly notifications: WiFi;
  #accessPointOpen = false;

  /** `onNotify(message, value)` gets every notification; value is the disconnect reason (-1: wrong password). */
  constructor(onNotify: (message: WifiNotification, value?: number) => void) {
    // Built without mcconfig's ssid=, so nothing has started Wi-Fi before this
    // ($(MODDABLE)/build/devices/esp32/setup/network.js calls done() at once when config.ssid is unset). The callback
    // gets a second argument on "disconnect", which the npm typings do not declare. Setting onNotify does not start
    // the driver; the first mode change does.
    this.notifications = new WiFi(undefined, onNotify as unknown as ConstructorParameters<typeof WiFi>[1]);
  }

  join(ssid: string, password: string): void {
    // connect() starts the driver in station mode only if nothing started it before; once started (by the AP),
    // it keeps whatever mode there is, so the station side is switched on here explicitly.
    setMode(this.#accessPointOpen ? WifiMode.Both : WifiMode.Station);
    WiFi.connect(password === "" ? { ssid } : { ssid, password });
  }

  leave(): void {
    WiFi.disconnect();
  }

  openAccessPoint(withStation: boolean): string {
    // The mode first: it starts the driver, without which the MAC (and so the AP's name) cannot be read.
    setMode(withStation ? WifiMode.Both : WifiMode.AccessPoint);
    const ssid = accessPointName(Net.get("MAC") as string | undefined);
    // Open (no password, so the setup page is reachable with nothing to know): channel 1, 4 clients.
    // DOUBT: with the station trying meanwhile, its scans take the radio off the AP's channel now and then;
    // clients may see short stalls. Check with a phone on the AP while the configured network is absent.
    WiFi.accessPoint({ ssid, station: withStation } as unknown as { ssid: string });
    this.#accessPointOpen = true;
    return ssid;
  }

  closeAccessPoint(): void {
    // DOUBT: esp_wifi_set_mode(STA) from APSTA is expected to keep the station's association (ESP-IDF docs);
    // unverified on a device. If it drops, the keeper sees "disconnect" and rejoins.
    setMode(WifiMode.Station);
    this.#accessPointOpen = false;
  }

  address(side: "station" | "ap"): string | undefined {
    return (Net.get as unknown as (what: string, side: string) => string | undefined)("IP", side);
  }
}

function setMode(value: number): void {
  (WiFi as unknown as { mode: number }).mode = value;
}
