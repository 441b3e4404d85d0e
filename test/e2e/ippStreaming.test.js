// A 50-page raster job over IPP (A4, 300 dpi, sgray_8: 10 MB of image/pwg-raster) streams through the converter
// into the printer: the capture is the converter's PCL 5 of the whole file, byte for byte; on mcsim (the firmware as
// the real SDK builds it, the C kernel) the XS heap is read every second while it converts and never grows past the
// manifest's `creation`: the job is held in bounded memory, never whole. No timing is asserted.

import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { simulatorKind, startSimulator } from "./simulator.js";
import { freePort } from "./printClients.js";
import { a4Raster, printRaster } from "./ippRasterClient.js";
import { instruments, linSlotBytes } from "./instruments.js";
import { convertFile } from "../raster/convert.js";
import * as scriptKernel from "../../build/modules/raster/scriptKernel.js";
import manifest from "../../manifest.json" with { type: "json" };

const pages = 50;

test(`a ${pages}-page image/pwg-raster job prints as the converter's PCL, the XS heap flat (${simulatorKind} simulator)`, { timeout: 900000 }, async (t) => {
  const sim = await startSimulator(simulatorKind === "mcsim" ? [] : ["--ipp-port", String(await freePort())]);
  try {
    const document = a4Raster(pages);
    const expected = convertFile(scriptKernel, document, { format: "image/pwg-raster", language: "pcl5" }).output;
    const samples = [];
    if (sim.kind === "mcsim") samples.push(await instruments(sim));
    let answer;
    const job = printRaster(sim.ports.ipp, document, { name: "fifty.pwg", timeoutMs: 600000 }).then((result) => { answer = result; });
    const converted = new RegExp(`ipp: job \\d+: ${pages} pages of image/pwg-raster as PCL 5, ${document.length} bytes in, ${expected.length} out`);
    // Until the answer has come and the sink has said it is done (or the harness's 600 s per answer ran out).
    while (answer === undefined || !sim.log.some((line) => converted.test(line))) {
      const failed = sim.log.find((line) => /ipp: job \d+: bad raster|ipp: connection .* dropped/.test(line));
      assert.equal(failed, undefined, `the job failed:\n${sim.log.slice(-20).join("\n")}`);
      await (answer === undefined ? Promise.race([job, sleep(1000)]) : sleep(200));
      if (sim.kind === "mcsim") samples.push(await instruments(sim));
    }
    await job;
    assert.equal(answer.status, 0, "Print-Job successful-ok");
    let printed;
    for (const deadline = Date.now() + 120000; ; await sleep(200)) {
      printed = (await sim.jobs()).find((capture) => capture.file.includes("fifty"));
      if (printed && printed.bytes.length >= expected.length) break;
      assert.ok(Date.now() < deadline, `the capture has ${printed?.bytes.length ?? 0} of ${expected.length} bytes after 120 s`);
    }
    assert.ok(Buffer.from(expected).equals(printed.bytes), `${printed.bytes.length} bytes captured, the converter makes ${expected.length}`);
    if (sim.kind === "mcsim") {
      const creation = manifest.creation;
      const most = (key) => Math.max(...samples.map((sample) => sample[key]));
      t.diagnostic(`${samples.length} heap samples: chunk used up to ${most("chunkUsed")} of ${most("chunkAllocated")} allocated, ` +
        `slots used up to ${most("slotUsed") / linSlotBytes} of ${most("slotAllocated") / linSlotBytes} allocated`);
      assert.ok(samples.length >= 3, `only ${samples.length} heap samples`);
      assert.ok(most("chunkAllocated") <= creation.chunk.initial, `the chunk heap grew to ${most("chunkAllocated")} bytes (creation ${creation.chunk.initial})`);
      assert.ok(most("slotAllocated") / linSlotBytes <= creation.heap.initial, `the slot heap grew to ${most("slotAllocated") / linSlotBytes} (creation ${creation.heap.initial})`);
    }
  } finally {
    await sim.stop();
  }
});
