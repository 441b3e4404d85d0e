// The advertiser (modules/network/advertiser.ts, announce.ts) against a fake of the SDK's mdns module that keeps
// its rules: add() throws "not ready" until the name is claimed; callback(1, "") when probing starts, (1, name)
// when it is ours, (2, name) on a conflict, (-1) when it gives up; close() does not stop the probe timer.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/port")
const { Advertiser } = await import("../../build/modules/network/advertiser.js");
const { announceServices } = await import("../../build/modules/network/announce.js");

function fakeMdnsClass() {
  const instances = [];
  class FakeMdns {
    constructor(options, callback) {
      this.hostName = options.hostName;
      this.callback = callback;
      this.probing = true;
      this.closed = false;
      this.added = [];
      instances.push(this);
    }
    /** What the SDK's probe timer reports. */
    report(message, value) {
      if (message === 1 && value) { this.probing = false; this.hostName = value; }
      return this.callback.call(this, message, value);
    }
    add(service) {
      if (this.closed) throw new SyntaxError("C: xsGetHostData: invalid host data");
      if (this.probing) throw new Error("not ready");
      this.added.push(service);
    }
    close() { this.closed = true; }
  }
  return { FakeMdns, instances };
}

const services = (name) => [{ name: "ftp", protocol: "tcp", port: 21, txt: { host: name } }];

test("services are added once the name is claimed, under the name claimed", () => {
  const { FakeMdns, instances } = fakeMdnsClass();
  const lines = [];
  const advertiser = new Advertiser({ MDNS: FakeMdns, hostName: "office", services, log: (l) => lines.push(l) });
  advertiser.start();
  const [mdns] = instances;
  assert.equal(mdns.hostName, "office");
  mdns.report(1, "");
  assert.deepEqual(mdns.added, []);
  assert.equal(advertiser.hostName, undefined);
  assert.equal(mdns.report(2, "office"), undefined, "let the module choose office-2");
  mdns.report(1, "office-2");
  assert.deepEqual(mdns.added, [{ name: "ftp", protocol: "tcp", port: 21, txt: { host: "office-2" } }]);
  assert.equal(advertiser.hostName, "office-2");
  assert.ok(lines.some((l) => l === "mDNS: office-2.local announces _ftp._tcp:21"), lines.join("\n"));
});

test("stopped while probing, the instance is closed only when its probe is over", () => {
  const { FakeMdns, instances } = fakeMdnsClass();
  const advertiser = new Advertiser({ MDNS: FakeMdns, hostName: "office", services, log: () => {} });
  advertiser.start();
  const [first] = instances;
  first.report(1, "");
  advertiser.start();    // a new address: start over
  assert.equal(instances.length, 2);
  assert.equal(first.closed, false, "its probe timer would write on a closed socket");
  first.report(1, "office");
  assert.equal(first.closed, true);
  assert.deepEqual(first.added, [], "a stopped instance announces nothing");
  const second = instances[1];
  second.report(1, "office");
  assert.equal(second.added.length, 1);
  advertiser.stop();
  assert.equal(second.closed, true, "claimed: closed at once");
});

test("a module that cannot start (no network) is logged, not thrown", () => {
  const lines = [];
  const advertiser = new Advertiser({ MDNS: class { constructor() { throw new Error("no network"); } }, hostName: "x", services, log: (l) => lines.push(l) });
  advertiser.start();
  assert.deepEqual(lines, ["mDNS: cannot start (Error: no network)"]);
});

test("announceServices starts when there is an address, starts over when it changes and stops when it is gone", () => {
  const { FakeMdns, instances } = fakeMdnsClass();
  let listener;
  let status = { stationAddress: undefined, accessPoint: undefined };
  const network = { get status() { return status; }, onChange(l) { listener = l; } };
  announceServices({ MDNS: FakeMdns, deviceName: "Office Printer", ports: { ftpPort: 21, rawPort: 9100, lpdPort: 0, httpPort: 0 }, network, log: () => {} });
  assert.equal(instances.length, 0, "no address yet");
  status = { stationAddress: undefined, accessPoint: { ssid: "ftprint-C0DE", address: "192.168.4.1" } };
  listener(status);
  assert.equal(instances.length, 1);
  assert.equal(instances[0].hostName, "office-printer");
  instances[0].report(1, "office-printer");
  assert.deepEqual(instances[0].added.map((s) => s.name), ["pdl-datastream", "ftp"]);
  listener(status);
  assert.equal(instances.length, 1, "same address: nothing to do");
  status = { stationAddress: "10.0.0.7", accessPoint: undefined };
  listener(status);
  assert.equal(instances.length, 2);
  assert.equal(instances[0].closed, true);
  instances[1].report(1, "office-printer");
  status = { stationAddress: undefined, accessPoint: undefined };
  listener(status);
  assert.equal(instances[1].closed, true);
  assert.equal(instances.length, 2);
});

test("without a network object (simulators) it starts at once", () => {
  const { FakeMdns, instances } = fakeMdnsClass();
  announceServices({ MDNS: FakeMdns, deviceName: "ftprint", ports: { ftpPort: 2121, rawPort: 0, lpdPort: 0, httpPort: 0 }, log: () => {} });
  assert.equal(instances.length, 1);
});

test("an exception inside the callback is logged and does not escape into the module", () => {
  const { FakeMdns, instances } = fakeMdnsClass();
  const lines = [];
  const advertiser = new Advertiser({ MDNS: FakeMdns, hostName: "x", services: () => { throw new Error("boom"); }, log: (l) => lines.push(l) });
  advertiser.start();
  assert.doesNotThrow(() => instances[0].report(1, "x"));
  assert.ok(lines.some((l) => /boom/.test(l)));
});
