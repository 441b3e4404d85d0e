// The data-path bench, engine-neutral (bench/xs.js runs it under XS; it also runs on Node). Measures, in one run:
//  - firmware: bytes uploaded over an in-memory FTP data connection, through the spool and the firmware's IEEE 1284
//    port (modules/print/parallel1284.ts) onto GPIO stand-ins that cost next to nothing per call;
//  - network floor: the same bytes through the same in-memory network into a reader that only discards them, i.e.
//    what the simulated lwIP costs here (native code on the device, so not the firmware's cost);
//  - reference: the unavoidable work per byte with the same GPIO stand-ins: one BUSY read, one bank write for the
//    data, the strobe low and high;
//  - allocations charged to firmware code per MiB printed in steady state (test/xs-host/alloc-counter.js).
// Prints "key value" lines for bench/xs.js to format. `benchMegabytes` (a global set by the bundle banner) sets the size.

import { PrinterState } from "print/port";
import { Parallel1284Port } from "print/parallel1284";
import { createAllocationCounter, countingIo, countingTimer } from "../test/xs-host/alloc-counter.js";
import { ScenarioHost } from "../test/xs-host/host.js";
import { patternBytes, printed, printing, startUpload } from "../test/scenarios/helpers.js";
import { equal } from "../test/xs-host/assert.js";

const MiB = 1024 * 1024;
const megabytes = globalThis.benchMegabytes ?? 4;
const output = typeof print === "function" ? print : (line) => globalThis.console.log(line);
const clock = () => performance.now();

const pins = Object.freeze({
  data: [16, 17, 18, 19, 21, 22, 23, 25],
  strobe: 26, init: 27, selectIn: 32, autoFeed: 33,
  busy: 34, ack: 35, paperEnd: 36, select: 39, fault: 38,
});
// What a ready printer shows on its status lines: BUSY low, nACK high, PE low, SELECT high, nERROR high.
const inputLevels = Object.freeze({ [pins.busy]: 0, [pins.ack]: 1, [pins.paperEnd]: 0, [pins.select]: 1, [pins.fault]: 1 });

/** GPIO stand-ins: a read or write is one property access, so the bench weighs the JS around the calls. */
function createCheapGpio() {
  const constants = { Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9, Rising: 1, Falling: 2 };
  class Digital {
    constructor({ pin, initialValue }) {
      this.value = initialValue ?? inputLevels[pin] ?? 0;
    }
    read() { return this.value; }
    write(value) { this.value = value; }
    close() {}
  }
  class DigitalBank {
    constructor({ initialValue }) {
      this.value = initialValue ?? 0;
    }
    read() { return this.value; }
    write(value) { this.value = value; }
    close() {}
  }
  Object.assign(Digital, constants);
  Object.assign(DigitalBank, constants);
  return { Digital, DigitalBank };
}

function uploadThroughFirmware(host, client, name, data) {
  const connection = startUpload(client, name, { mode: "PASV", expect150: printing("BINARY") });
  connection.write(data);
  connection.finish();
  client.expectReply([printed(data.length)], `the 226 for ${name}`);
}

function benchFirmware(data, warmup) {
  const counter = createAllocationCounter();
  const gpio = createCheapGpio();
  let port;
  const host = new ScenarioHost({
    wrapIo: (io) => countingIo(io, counter),
    wrapTimer: (timer) => countingTimer(timer, counter),
    makePrinter: (scenarioHost) => {
      port = new Parallel1284Port({ pins, io: { ...gpio, Timer: scenarioHost.Timer }, now: () => scenarioHost.loop.now() });
      return port;
    },
  });
  try {
    const client = host.login();
    client.expect("TYPE I", "200 Type set to I: bytes are printed exactly as sent.");
    host.settle(() => port.state === PrinterState.Ready, "the parallel port to finish its init pulse");
    uploadThroughFirmware(host, client, "warmup.prn", warmup);

    const sites = new Map();
    if (globalThis.benchAllocationSites) counter.onCharge = () => {
      const site = String(new Error().stack).split("\n").slice(3, 6).join(" <- ");
      sites.set(site, (sites.get(site) ?? 0) + 1);
    };
    counter.install();
    counter.reset();
    const before = port.stats.bytes;
    const start = clock();
    uploadThroughFirmware(host, client, "bench.prn", data);
    const elapsedMs = clock() - start;
    counter.uninstall();
    equal(port.stats.bytes - before, data.length, "bytes strobed by the parallel port");
    client.quit();
    for (const [site, count] of sites) output(`# ${count} at ${site}`);
    return { elapsedMs, buffers: counter.counts.buffers, views: counter.counts.views, slices: port.stats.slices };
  } finally {
    counter.uninstall();
    host.shutDown();
    host.release();
  }
}

/** The in-memory network alone: a TCP server that reads into one fixed buffer and drops the bytes. */
function benchNetworkFloor(data) {
  const host = new ScenarioHost();
  try {
    const { Listener, TCP } = host.net;
    const sink = new Uint8Array(1024);
    const views = [];
    for (let size = 0; size <= sink.length; size++) views.push(new Uint8Array(sink.buffer, 0, size));
    let received = 0;
    let ended = false;
    const listener = new Listener({
      port: 2100,
      onReadable() {
        for (let raw = this.read(); raw; raw = this.read()) {
          new TCP({
            from: raw,
            onReadable(count) {
              while (count > 0) {
                const size = count < sink.length ? count : sink.length;
                this.read(views[size]);
                count -= size;
                received += size;
              }
            },
            onError() {
              ended = true;
              this.close();
            },
          });
        }
      },
    });
    const end = host.net.connect({ port: 2100 });
    host.settle(() => end.connected, "the sink connection");
    const start = clock();
    end.write(data);
    end.end();
    host.settle(() => ended, "the sink to read everything");
    const elapsedMs = clock() - start;
    listener.close();
    equal(received, data.length, "bytes through the network floor");
    return { elapsedMs };
  } finally {
    host.shutDown();
    host.release();
  }
}

/** The unavoidable work per byte, with the same GPIO stand-ins the firmware's port drives. */
function benchReference(data) {
  const { Digital, DigitalBank } = createCheapGpio();
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) value |= 1 << (pins.data[bit] & 31);
    table[byte] = value >>> 0;
  }
  const bank = new DigitalBank({ pins: 0, bank: 0, mode: DigitalBank.Output, initialValue: 0 });
  const strobe = new Digital({ pin: pins.strobe, mode: Digital.Output, initialValue: 1 });
  const busy = new Digital({ pin: pins.busy, mode: Digital.Input });
  let spins = 0;
  const start = clock();
  for (let i = 0; i < data.length; i++) {
    while (busy.read()) spins++;
    bank.write(table[data[i]]);
    strobe.write(0);
    strobe.write(1);
  }
  const elapsedMs = clock() - start;
  equal(spins, 0, "BUSY spins in the reference loop");
  return { elapsedMs };
}

export function runBench() {
  const data = patternBytes(megabytes * MiB);
  const warmup = patternBytes(MiB / 4, 1);
  const reference = benchReference(data);
  const network = benchNetworkFloor(data);
  const firmware = benchFirmware(data, warmup);
  const perMiB = (ms) => ms / megabytes;
  output(`mebibytes ${megabytes}`);
  output(`firmware_ms_per_mib ${perMiB(firmware.elapsedMs).toFixed(1)}`);
  output(`network_floor_ms_per_mib ${perMiB(network.elapsedMs).toFixed(1)}`);
  output(`reference_ms_per_mib ${perMiB(reference.elapsedMs).toFixed(1)}`);
  output(`ratio ${(firmware.elapsedMs / reference.elapsedMs).toFixed(2)}`);
  output(`ratio_without_network ${((firmware.elapsedMs - network.elapsedMs) / reference.elapsedMs).toFixed(2)}`);
  output(`arraybuffers_per_mib ${(firmware.buffers / megabytes).toFixed(1)}`);
  output(`views_per_mib ${(firmware.views / megabytes).toFixed(1)}`);
  output(`port_slices_per_mib ${(firmware.slices / megabytes).toFixed(1)}`);
}
