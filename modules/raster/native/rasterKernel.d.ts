// raster/kernel (manifest): the host functions of rasterKernel.c, typed as ../converter.ts's RasterKernel.
export declare const kernelName: string;
export declare function decodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, line: Uint8Array): number;
export declare function transcodeLine(state: Uint8Array, input: Uint8Array, at: number, end: number, out: Uint8Array): number;
export declare function ditherLine(line: Uint8Array, from: number, count: number, errors: Int8Array, bits: Uint8Array, row: number): number;
export declare function encodeLine(method: number, bits: Uint8Array, from: number, count: number, seed: Uint8Array, out: Uint8Array): number;
export declare function copyBytes(source: Uint8Array, from: number, count: number, target: Uint8Array, at: number): void;
