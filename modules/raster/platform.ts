// The raster converter with this platform's kernel: "raster/kernel" is mapped by manifest.json to the C kernel
// (native/rasterKernel.c) on the SDK's builds, and by the Node simulator's loader and the XS bundle to scriptKernel.ts.
// What the IPP server uses. Makes nothing at load time but one frozen object (preloaded: in flash on the device).

import { copyBytes, decodeLine, ditherLine, encodeLine, kernelName, transcodeLine } from "raster/kernel";
import { RasterConverter, type ConverterOptions, type RasterKernel } from "./converter.js";

/** The kernel the firmware runs with: rasterKernel.kernelName is "c" or "typescript". (Named imports: xsl counts a
 * namespace import as a binding that is not const.) */
export const rasterKernel: RasterKernel = Object.freeze({ kernelName, decodeLine, transcodeLine, ditherLine, encodeLine });

/** One converter per job: its buffers are the job's (converter.ts). */
export function newRasterConverter(options: ConverterOptions): RasterConverter {
  return new RasterConverter(rasterKernel, options);
}

/** Bytes from one array into another with no view made (memmove in the C kernel): the converter's output into the print ring. */
export const copyRasterBytes: (source: Uint8Array, from: number, count: number, target: Uint8Array, at: number) => void = copyBytes;
