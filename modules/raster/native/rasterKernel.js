// raster/kernel on the SDK's builds (manifest.json maps the specifier here for esp32, lin, mac and win): the raster
// kernel's four operations as host functions, in rasterKernel.c beside this file, which mcconfig compiles into the
// firmware. Same contract and same bytes as ../scriptKernel.ts, the TypeScript kernel the Node simulator and xsnap use.
export const kernelName = "c";
export function decodeLine(state, input, at, end, line) @ "xs_raster_decode_line";
export function transcodeLine(state, input, at, end, out) @ "xs_raster_transcode_line";
export function ditherLine(line, from, count, errors, bits, row) @ "xs_raster_dither_line";
export function encodeLine(method, bits, from, count, seed, out) @ "xs_raster_encode_line";
export function copyBytes(source, from, count, target, at) @ "xs_raster_copy_bytes";
