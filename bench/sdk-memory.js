#!/usr/bin/env node
// npm run bench:memory: the XS heap of the firmware as the real Moddable SDK builds it, measured in mcsim with
// xsdb's `info instruments` (tools/xsbug-log), after start and under load: an IPP Print-Job of 3 A4 pages of
// image/pwg-raster converting to PCL at the printer, 3 FTP sessions (two uploads, one listing), a raw 9100 job and
// an LPD job in flight behind it, and the page being loaded. The printer (the file port) is held to 20 KB/s so
// that every job is still in flight when the figures are read. Then, on a fresh start with the printer at full
// speed, a 50-page raster job, the heap read every second while it converts: it must stay flat.
//
// XS reports slots in bytes of the host's slot size: 32 on 64-bit lin, 16 on the ESP32 (xsAll.h txSlot), so the
// slot counts below are the bytes / 32, and the ESP32's bytes are the counts × 16. Chunks (strings, buffers,
// arrays' storage) are the same size on both but for pointer-sized fields; lin's figure is the upper bound.
// Usage: node bench/sdk-memory.js [--json FILE]

import { writeFile } from "node:fs/promises";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { json: { type: "string" }, help: { type: "boolean" } }, strict: true });
if (values.help) {
  process.stdout.write("usage: node bench/sdk-memory.js [--json FILE]\n");
  process.exit(0);
}

process.env.FTPRINT_SIMULATOR = "mcsim";    // before the harness is loaded: it reads it once
const { startSimulator, sampleBytes } = await import("../test/e2e/simulator.js");
const { RawClient, connectData } = await import("../test/e2e/rawClient.js");
const { freePort, lpdQueue, runClient, tempFile } = await import("../test/e2e/printClients.js");
const { a4Raster, printRaster } = await import("../test/e2e/ippRasterClient.js");
const manifest = (await import("../manifest.json", { with: { type: "json" } })).default;

const { instruments, linSlotBytes, esp32SlotBytes } = await import("../test/e2e/instruments.js");

async function loggedIn(port) {
  const client = await RawClient.connect(port);
  await client.login();
  await client.command("TYPE I");
  return client;
}

const sim = await startSimulator(["--printer-speed", "20000", "--raw-port", String(await freePort()), "--lpd-port", String(await freePort()),
  "--http-port", String(await freePort())]);
const held = [];
try {
  await sleep(3000);    // snapshots come once a second; let start-up settle
  const started = await instruments(sim);

  // An IPP raster job first: at the printer, its converter's buffers made, its document coming as the printer takes it.
  const raster = printRaster(sim.ports.ipp, a4Raster(3), { name: "bench.pwg", onSocket: (socket) => held.push(socket) });
  raster.catch(() => {});
  await sim.waitForLog(/ipp: job \d+ "bench.pwg" \(image\/pwg-raster\)/);

  // Three FTP sessions: two uploads (the first prints, the second waits its turn), one listing.
  const [first, second, third] = [await loggedIn(sim.port), await loggedIn(sim.port), await loggedIn(sim.port)];
  for (const [client, name, size] of [[first, "first.ps", 400_000], [second, "second.pcl", 300_000]]) {
    const data = await connectData(await client.command("EPSV"));
    client.send(`STOR ${name}`);
    await client.reply();
    data.write(sampleBytes(size, size));
    held.push(data);
  }
  const listing = await connectData(await third.command("EPSV"));
  third.send("LIST");
  held.push(listing);
  // A raw job and an LPD job, queued behind the uploads and held back by flow control.
  const raw = runClient("nc.openbsd", ["-N", "127.0.0.1", String(sim.ports.raw)], { input: sampleBytes(200_000, 3), timeoutMs: 120000 });
  const lpd = runClient("lpr", ["-P", lpdQueue("raw", sim.ports.lpd), await tempFile("lpd.bin", sampleBytes(200_000, 4))], { timeoutMs: 120000 });
  await sim.waitForLog(/raw job from/);
  await sim.waitForLog(/LPD job for queue/);
  // The page, requested and read slowly.
  const page = net.connect({ port: sim.ports.http, host: "127.0.0.1" }, () => page.write("GET / HTTP/1.1\r\nHost: ftprint\r\n\r\n"));
  page.pause();
  held.push(page);
  await sleep(3000);
  const loaded = await instruments(sim);
  await sleep(5000);
  const later = await instruments(sim);
  for (const socket of held) socket.destroy();
  raw.catch(() => {}); lpd.catch(() => {});

  const creation = manifest.creation;
  const peak = {
    chunk: Math.max(started.chunkAllocated, loaded.chunkAllocated, later.chunkAllocated),
    slots: Math.max(started.slotAllocated, loaded.slotAllocated, later.slotAllocated) / linSlotBytes,
    slotsUsed: Math.max(started.slotUsed, loaded.slotUsed, later.slotUsed) / linSlotBytes,
    chunkUsed: Math.max(started.chunkUsed, loaded.chunkUsed, later.chunkUsed),
  };
  const report = {
    sdk: "8.2.3", platform: "lin (mcsim)", creation,
    started, loaded, later,
    peak: { ...peak, esp32SlotBytes: peak.slots * esp32SlotBytes },
    fits: { chunk: peak.chunk <= creation.chunk.initial, slots: peak.slots <= creation.heap.initial },
  };
  const row = (name, r) => `| ${name} | ${r.chunkUsed} / ${r.chunkAllocated} | ${r.slotUsed / linSlotBytes} / ${r.slotAllocated / linSlotBytes} | ${r.slotAllocated / linSlotBytes * esp32SlotBytes} | ${r.stackUsed} | ${r.collections} | ${r.keys} | ${r.modules} |`;
  process.stdout.write([
    "| moment | chunk bytes used / allocated | slots used / allocated | slot heap on ESP32 (bytes) | stack bytes (lin) | GCs | keys | modules loaded |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    row("after start", started), row("IPP raster + 3 FTP + raw + LPD + page", loaded), row("5 s later", later),
    "",
    `creation: chunk ${creation.chunk.initial} (+${creation.chunk.incremental}), heap ${creation.heap.initial} slots (+${creation.heap.incremental}), stack ${creation.stack} slots`,
    `peak: chunk ${peak.chunk} bytes allocated, ${peak.slots} slots allocated (${peak.slotsUsed} used): ${report.fits.chunk && report.fits.slots ? "fits" : "DOES NOT FIT"} the initial sizes`,
    "",
  ].join("\n"));
  if (values.json) await writeFile(values.json, JSON.stringify(report, null, 2));
} finally {
  await sim.stop();
}

// ---- 50 pages of raster at full printer speed: the heap read every second while they convert ----
const pages = 50;
const fast = await startSimulator([]);
try {
  await sleep(3000);
  const samples = [await instruments(fast)];
  const document = a4Raster(pages);
  let answered = false;
  const job = printRaster(fast.ports.ipp, document, { name: "fifty.pwg", timeoutMs: 600000 }).then((answer) => { answered = true; return answer; });
  job.catch(() => {});
  const converted = new RegExp(`ipp: job \\d+: ${pages} pages of image/pwg-raster`);
  while (!answered || !fast.log.some((line) => converted.test(line))) {
    if (fast.log.some((line) => /ipp: job \d+: bad raster|dropped/.test(line))) throw new Error(`the 50-page job failed:\n${fast.log.join("\n")}`);
    await sleep(1000);
    samples.push(await instruments(fast));
  }
  const answer = await job;
  samples.push(await instruments(fast));
  const line = fast.log.find((l) => converted.test(l));
  const range = (key, unit = 1) => `${Math.min(...samples.map((r) => r[key])) / unit}..${Math.max(...samples.map((r) => r[key])) / unit}`;
  const during = samples.slice(1);
  const grew = (key) => Math.max(...during.map((r) => r[key])) - samples[0][key];
  process.stdout.write([
    `50-page job: ${document.length} bytes of image/pwg-raster (A4, 300 dpi, sgray_8), status 0x${answer.status.toString(16).padStart(4, "0")}; ${line}`,
    `${samples.length} samples: chunk used ${range("chunkUsed")} / allocated ${range("chunkAllocated")} bytes, slots used ${range("slotUsed", linSlotBytes)} / allocated ${range("slotAllocated", linSlotBytes)}, GCs ${range("collections")}`,
    `growth over the idle start: chunk allocated +${grew("chunkAllocated")} bytes, slots allocated +${grew("slotAllocated") / linSlotBytes}`,
    "",
  ].join("\n"));
} finally {
  await fast.stop();
}
