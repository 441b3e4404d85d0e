// The Wi-Fi keeper's radio on the ESP32: the SDK's legacy `wifi` module ($(MODDABLE)/modules/network/wifi, esp32/
// xs6wifi.c) and `net`. Chosen over embedded:network/interface/wifi because it can run an access point beside the
// station (WiFi.accessPoint({station: true}) sets WIFI_MODE_APSTA), which the setup page needs. No logic here.

import WiFi from "wifi";
import Net from "net";
import type { WifiNotification, WifiRadio } from "network/wifiKeeper";

/** Mode numbers of xs_wifi_set_mode: 1 station, 2 access point, 3 both. */
const stationMode = 1;

export class SdkWifiRadio implements WifiRadio {
  readonly #notifications: WiFi;

  /** `onNotify(message, value)` gets every notification; value is the disconnect reason (-1: wrong password). */
  constructor(onNotify: (message: WifiNotification, value?: number) => void) {
    // Built without mcconfig's ssid=, so nothing has started Wi-Fi before this (facts §5.2). The callback gets a
    // second argument on "disconnect", which the npm typings do not declare.
    this.#notifications = new WiFi(undefined, onNotify as unknown as ConstructorParameters<typeof WiFi>[1]);
  }

  join(ssid: string, password: string): void {
    WiFi.connect(password === "" ? { ssid } : { ssid, password });
  }

  leave(): void {
    WiFi.disconnect();
  }

  openAccessPoint(ssid: string): void {
    // Open (no password, so the setup page is reachable with nothing to know): channel 1, 4 clients, AP+STA so
    // the keeper can go on trying the station network. DOUBT: station scans move the radio off the AP's channel
    // now and then; clients may see short stalls. Check with a phone on the AP while the SSID is absent.
    WiFi.accessPoint({ ssid, station: true } as unknown as { ssid: string });
  }

  closeAccessPoint(): void {
    // DOUBT: esp_wifi_set_mode(STA) from APSTA is expected to keep the station's association (ESP-IDF docs);
    // unverified on a device. If it drops, the keeper sees "disconnect" and rejoins.
    (WiFi as unknown as { mode: number }).mode = stationMode;
  }

  address(side: "station" | "ap"): string | undefined {
    return (Net.get as unknown as (what: string, side: string) => string | undefined)("IP", side);
  }

  static mac(): string | undefined {
    return Net.get("MAC") as string | undefined;
  }

  close(): void {
    this.#notifications.close();
  }
}
