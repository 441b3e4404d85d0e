// The Wi-Fi keeper (modules/network/wifiKeeper.ts) against a fake radio that behaves like the SDK's legacy wifi
// module on the ESP32 (modules/network/wifi/esp32/xs6wifi.c): connect() makes the driver try a few times on its
// own and report only the outcome: "connect" then "gotIP" on success, a single "disconnect" with -1 for a wrong
// password or 0 when the network is absent; a drop after joining is one "disconnect"; nothing rejoins by itself.

import test from "node:test";
import assert from "node:assert/strict";
import { WifiKeeper, StationState, accessPointName } from "../../build/modules/network/wifiKeeper.js";

/** A timer on a hand-turned clock. */
function fakeTimer() {
  let now = 0;
  const pending = new Set();
  return {
    set(callback, delayMs) {
      const id = { due: now + delayMs, callback };
      pending.add(id);
      return id;
    },
    clear(id) { pending.delete(id); },
    get pendingCount() { return pending.size; },
    get now() { return now; },
    /** Runs every timer due within `ms`, in order. */
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...pending].filter((t) => t.due <= end).sort((a, b) => a.due - b.due)[0];
        if (!next) break;
        pending.delete(next);
        now = next.due;
        next.callback();
      }
      now = end;
    },
  };
}

/** The SDK radio's observable behaviour; `network` says what a join attempt meets. */
function fakeRadio(keeper) {
  const radio = {
    network: "absent",    // "ok" | "wrongPassword" | "absent" | "silent"
    calls: [],
    apOpen: false,
    joined: false,
    join(ssid, password) {
      radio.calls.push(["join", ssid, password]);
      // The driver posts its outcome as messages: they reach JS on a later turn, never inside connect().
      queueMicrotask(() => {
        if (radio.network === "ok") {
          radio.joined = true;
          keeper().notify("connect");
          keeper().notify("gotIP");
        } else if (radio.network === "wrongPassword") keeper().notify("disconnect", -1);
        else if (radio.network === "absent") keeper().notify("disconnect", 0);
      });
    },
    leave() { radio.calls.push(["leave"]); radio.joined = false; },
    openAccessPoint(withStation) { radio.calls.push(["openAccessPoint", withStation]); radio.apOpen = true; return "ftprint-C0DE"; },
    closeAccessPoint() { radio.calls.push(["closeAccessPoint"]); radio.apOpen = false; },
    address(side) { return side === "ap" ? (radio.apOpen ? "192.168.4.1" : undefined) : (radio.joined ? "10.0.0.7" : undefined); },
    drop() { radio.joined = false; keeper().notify("disconnect", 0); },
  };
  return radio;
}

function setUp({ ssid = "home", password = "secret", network = "absent" } = {}) {
  const timer = fakeTimer();
  const lines = [];
  let keeper;
  const radio = fakeRadio(() => keeper);
  radio.network = network;
  keeper = new WifiKeeper({ radio, timer, ssid, password, log: (line) => lines.push(line),
    timings: { joinTimeoutMs: 30_000, firstRetryMs: 2_000, maxRetryMs: 60_000, accessPointAfterMs: 60_000 } });
  const changes = [];
  keeper.onChange((status) => changes.push(status));
  return { timer, radio, keeper, lines, changes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const joins = (radio) => radio.calls.filter((c) => c[0] === "join").length;

test("with no SSID configured the access point opens at once and no join is tried", async () => {
  const { radio, keeper, timer } = setUp({ ssid: "" });
  keeper.start();
  await settle();
  assert.deepEqual(radio.calls, [["openAccessPoint", false]], "an AP alone: there is no station to keep trying");
  assert.equal(keeper.online, true);
  assert.deepEqual(keeper.status.accessPoint, { ssid: "ftprint-C0DE", address: "192.168.4.1" });
  assert.equal(keeper.status.station, StationState.Off);
  timer.advance(600_000);
  assert.equal(joins(radio), 0, "nothing to retry");
});

test("a good network is joined: the station's address, no access point, online", async () => {
  const { radio, keeper, changes } = setUp({ network: "ok" });
  keeper.start();
  assert.equal(keeper.online, false, "not before gotIP");
  await settle();
  assert.deepEqual(radio.calls, [["join", "home", "secret"]]);
  assert.equal(keeper.status.station, StationState.Joined);
  assert.equal(keeper.status.stationAddress, "10.0.0.7");
  assert.equal(keeper.status.accessPoint, undefined);
  assert.equal(keeper.online, true);
  assert.equal(changes.at(-1).station, StationState.Joined);
});

test("a wrong password opens the access point at once and the station is retried in the background with growing pauses", async () => {
  const { radio, keeper, timer } = setUp({ network: "wrongPassword" });
  keeper.start();
  await settle();
  assert.equal(radio.apOpen, true);
  assert.deepEqual(radio.calls.find((c) => c[0] === "openAccessPoint"), ["openAccessPoint", true], "AP+STA");
  assert.equal(keeper.status.lastFailure, "wrong password");
  assert.equal(keeper.online, true, "the setup page can be reached on the AP");
  const times = [];
  for (let i = 0; i < 4; i++) {
    const before = joins(radio);
    const start = timer.now;
    while (joins(radio) === before) timer.advance(500);
    times.push(timer.now - start);
    await settle();
  }
  assert.deepEqual(times, [2000, 4000, 8000, 16000]);
  assert.equal(radio.calls.filter((c) => c[0] === "openAccessPoint").length, 1, "opened once");
});

test("once the station joins, the access point is closed", async () => {
  const { radio, keeper, timer } = setUp({ network: "wrongPassword" });
  keeper.start();
  await settle();
  assert.equal(radio.apOpen, true);
  radio.network = "ok";    // someone fixed the router (or the password, with the next build)
  timer.advance(2000);
  await settle();
  assert.equal(keeper.status.station, StationState.Joined);
  assert.equal(radio.apOpen, false);
  assert.deepEqual(radio.calls.at(-1), ["closeAccessPoint"]);
  assert.equal(keeper.status.accessPoint, undefined);
  assert.equal(keeper.status.failures, 0);
});

test("an absent network is retried with backoff and the access point opens after the deadline, not before", async () => {
  const { radio, keeper, timer } = setUp({ network: "absent" });
  keeper.start();
  await settle();
  assert.equal(radio.apOpen, false);
  assert.equal(keeper.status.station, StationState.Waiting);
  for (let t = 0; t < 59_000; t += 500) { timer.advance(500); await settle(); }
  assert.equal(radio.apOpen, false, "not before 60 s");
  timer.advance(1_000);
  assert.equal(radio.apOpen, true);
  assert.ok(joins(radio) >= 4, "kept trying meanwhile");
});

test("after a drop the network is rejoined with backoff: 2 s, then 4 s", async () => {
  const { radio, keeper, timer, lines } = setUp({ network: "ok" });
  keeper.start();
  await settle();
  radio.network = "absent";
  radio.drop();
  assert.equal(keeper.status.station, StationState.Waiting);
  assert.equal(keeper.status.lastFailure, "dropped");
  assert.equal(keeper.online, false);
  timer.advance(1999);
  assert.equal(joins(radio), 1);
  timer.advance(1);
  assert.equal(joins(radio), 2);
  await settle();    // fails again
  timer.advance(3999);
  assert.equal(joins(radio), 2);
  radio.network = "ok";
  timer.advance(1);
  await settle();
  assert.equal(joins(radio), 3);
  assert.equal(keeper.status.station, StationState.Joined);
  assert.equal(radio.apOpen, false, "rejoined before the access point deadline");
  assert.ok(lines.some((l) => /lost "home"/.test(l)));
});

test("a drop that lasts opens the access point after the deadline and closes it after the rejoin", async () => {
  const { radio, keeper, timer } = setUp({ network: "ok" });
  keeper.start();
  await settle();
  radio.network = "absent";
  radio.drop();
  for (let t = 0; t < 60_000; t += 1000) { timer.advance(1000); await settle(); }
  assert.equal(radio.apOpen, true);
  radio.network = "ok";
  for (let t = 0; t < 60_000; t += 1000) { timer.advance(1000); await settle(); }
  assert.equal(keeper.status.station, StationState.Joined);
  assert.equal(radio.apOpen, false);
});

test("pauses stop growing at the maximum", async () => {
  const { radio, keeper, timer } = setUp({ network: "absent" });
  keeper.start();
  await settle();
  for (let t = 0; t < 600_000; t += 1000) { timer.advance(1000); await settle(); }
  const before = joins(radio);
  for (let t = 0; t < 180_000; t += 1000) { timer.advance(1000); await settle(); }
  assert.equal(joins(radio) - before, 3, "one try a minute");
});

test("a join that reports nothing is given up after the join timeout and tried again", async () => {
  const { radio, keeper, timer } = setUp({ network: "silent" });
  keeper.start();
  await settle();
  timer.advance(29_999);
  assert.equal(keeper.status.station, StationState.Joining);
  timer.advance(1);
  assert.equal(keeper.status.station, StationState.Waiting);
  assert.equal(keeper.status.lastFailure, "timed out");
  assert.deepEqual(radio.calls.at(-1), ["leave"]);
  timer.advance(2000);
  assert.equal(joins(radio), 2);
});

test("a late disconnect for an attempt already given up does not count twice", async () => {
  const { keeper, timer } = setUp({ network: "silent" });
  keeper.start();
  timer.advance(30_000);
  assert.equal(keeper.status.failures, 1);
  keeper.notify("disconnect", 0);
  assert.equal(keeper.status.failures, 1);
});

test("a radio that throws does not escape: the keeper logs and retries", async () => {
  const { radio, keeper, timer, lines } = setUp({ network: "ok" });
  radio.join = () => { throw new Error("esp_wifi_connect failed"); };
  keeper.start();
  assert.equal(keeper.status.station, StationState.Waiting);
  assert.ok(lines.some((l) => /esp_wifi_connect failed/.test(l)));
  timer.advance(2000);
  assert.equal(keeper.status.failures, 2);
});

test("the access point's name ends with the MAC's last two bytes", () => {
  assert.equal(accessPointName("a4:d1:8c:db:c0:de"), "ftprint-C0DE");
  assert.equal(accessPointName(undefined), "ftprint-0000");
});
