// Runs a raster file through the converter the way a job streams: input in chunks, output taken in pieces,
// pump() between turns. Engine-neutral (the XS runs use it too). Returns the printer bytes and the converter.

import { RasterConverter } from "../../build/modules/raster/converter.js";
import { prng } from "./rasterFiles.js";

/**
 * chunk: a byte count, or "random" (1 to 3000 bytes, and takes of 1 to 5000 output bytes, from `seed`).
 * Fails if the converter stops making progress (a livelock) instead of finishing or failing.
 */
export function convertFile(kernel, bytes, options, { chunk = 65536, seed = 7 } = {}) {
  const converter = new RasterConverter(kernel, options);
  const random = prng(seed);
  const parts = [];
  let length = 0;
  const drain = () => {
    while (converter.outputCount > 0) {
      const take = chunk === "random" ? Math.min(converter.outputCount, 1 + Math.floor(random() * 5000)) : converter.outputCount;
      parts.push(converter.output.slice(converter.outputAt, converter.outputAt + take));
      length += take;
      converter.taken(take);
      if (chunk === "random" && random() < 0.5) break;
    }
  };
  let at = 0, idle = 0;
  while (at < bytes.length && converter.status === 0) {
    const size = chunk === "random" ? 1 + Math.floor(random() * 3000) : chunk;
    const end = Math.min(bytes.length, at + size);
    let from = at;
    while (from < end && converter.status === 0) {
      const next = converter.feed(bytes, from, end);
      drain();
      idle = next === from && converter.outputCount === 0 && !converter.busy ? idle + 1 : 0;
      if (idle > 1000) throw new Error("the converter took no input and made no output");
      from = next;
    }
    at = end;
  }
  converter.end();
  for (let turns = 0; converter.status === 0 || converter.outputCount > 0; turns++) {
    if (turns > 10_000_000) throw new Error("the converter never finished");
    converter.pump();
    drain();
  }
  const output = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) { output.set(part, offset); offset += part.length; }
  return { output, converter };
}
