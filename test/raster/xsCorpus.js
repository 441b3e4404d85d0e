// A corpus made in the engine that runs it, so that XS (xsnap) and Node convert the very same bytes: each
// conversion reported as its output's length and FNV-1a hash. Engine-neutral: test/raster/xs.test.js runs it on
// both, bench/raster.js times it on xsnap.

import { convertFile } from "./convert.js";
import { encodePwg, encodeUrf, syntheticPage } from "./rasterFiles.js";

/** [name, make file, format, languages]. Small pages (a corner of Letter) but for the 1-bit ones: XS is slow. */
export const xsCorpus = [
  ["corner300-sgray_8", () => encodePwg([{ page: syntheticPage(700, 900, 300, 1), dpi: 300, kind: "sgray_8", widthPoints: 612, heightPoints: 792 }]), "image/pwg-raster", ["pcl5", "pcl3", "escp2"]],
  ["corner600-srgb_8", () => encodePwg([{ page: syntheticPage(900, 1200, 600, 2), dpi: 600, kind: "srgb_8", widthPoints: 612, heightPoints: 792 }]), "image/pwg-raster", ["pcl5"]],
  ["corner300-SRGB24", () => encodeUrf([{ page: syntheticPage(700, 900, 300, 3), dpi: 300, kind: "SRGB24" }]), "image/urf", ["escp2"]],
  ["letter300-black_1", () => encodePwg([{ page: syntheticPage(2550, 3300, 300, 4, { gray: false }), dpi: 300, kind: "black_1" }]), "image/pwg-raster", ["pcl5", "pcl3", "escp2"]],
];

export function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

/** Converts the corpus with `kernel`; report(line) gets "name language length hash status pages" per conversion. */
export function runXsCorpus(kernel, report, { chunk = "random" } = {}) {
  for (const [name, make, format, languages] of xsCorpus) {
    const file = make();
    for (const language of languages) {
      const { output, converter } = convertFile(kernel, file, { format, language }, { chunk, seed: 3 });
      report(`${name} ${language} ${output.length} ${fnv1a(output)} ${converter.status} ${converter.pagesDone}`);
    }
  }
}
