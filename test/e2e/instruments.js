// The XS heap of the firmware in mcsim, as xsdb's `info instruments` reports it (tools/xsbug-log): for the memory
// bench and the streaming test. Slots are in bytes of the host's slot size (32 on 64-bit lin, 16 on the ESP32).

import { setTimeout as sleep } from "node:timers/promises";

export const linSlotBytes = 32, esp32SlotBytes = 16;

/** The next report, parsed: { chunkUsed, chunkAllocated, slotUsed, slotAllocated, ... } in bytes. Fails after 10 s. */
export async function instruments(sim) {
  const mark = sim.log.length;
  sim.xsdb("info instruments");
  for (const deadline = Date.now() + 10000; ;) {
    const lines = sim.log.slice(mark);
    const done = lines.findIndex((line) => /\(Captured \d+ snapshots\)/.test(line));
    if (done >= 0) {
      const read = (name) => {
        const line = lines.find((l) => l.trim().startsWith(name));
        if (!line) throw new Error(`no "${name}" in ${JSON.stringify(lines)}`);
        return line.trim().slice(name.length).trim().split(/[ /]+/).filter((w) => /^-?\d+$/.test(w)).map(Number);
      };
      const [chunkUsed, chunkAllocated] = read("Chunk used");
      const [slotUsed, slotAllocated] = read("Slot used");
      const [stackUsed, stackAllocated] = read("Stack used");
      const [collections] = read("Garbage collections");
      const [keys] = read("Keys used");
      const [modules] = read("Modules loaded");
      return { chunkUsed, chunkAllocated, slotUsed, slotAllocated, stackUsed, stackAllocated, collections, keys, modules };
    }
    if (Date.now() > deadline) throw new Error(`no instruments report within 10 s; log:\n${sim.log.slice(mark).join("\n")}`);
    await sleep(50);
  }
}
