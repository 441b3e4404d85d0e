// The raster kernels inside the SDK's simulator (mcsim): the C kernel (modules/raster/native/rasterKernel.c, compiled
// into this build) and the TypeScript one, side by side in the same XS machine. test/raster/sdk/run.js writes a
// corpus and list.json into config.corpus; this app
//  1. calls both kernels' four operations on the same random inputs and compares every byte they write and return;
//  2. converts each file of the list with each kernel, in the list's chunk sizes, writes both outputs beside it and
//     times them (each conversion `repeat` times, `repeatScript` times with the TypeScript kernel if given);
// then writes results.json there. run.js compares the outputs with the Node simulator's.

import { File } from "file";
import config from "mc/config";
import { copyBytes, decodeLine, ditherLine, encodeLine, kernelName, transcodeLine } from "raster/kernel";
import * as script from "raster/scriptKernel";
import { RasterConverter } from "raster/converter";
import * as layout from "raster/kernelState";
import { prng } from "rasterFiles";    // ../rasterFiles.js, engine-neutral: compiled into this app by manifest.json

const native = Object.freeze({ kernelName, copyBytes, decodeLine, ditherLine, encodeLine, transcodeLine });
const folder = config.corpus;

const random = prng(2024);
const integer = (n) => Math.floor(random() * n);

function randomRow(length) {
	const row = new Uint8Array(length);
	for (let i = 0; i < length;) {
		const kind = random(), n = 1 + integer(40);
		const value = kind < 0.3 ? 0 : kind < 0.5 ? 255 : integer(256);
		for (let k = 0; k < n && i < length; k++, i++) row[i] = kind < 0.7 ? value : integer(256);
	}
	return row;
}

function same(a, b) {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function newState(fields) {
	const state = new Uint8Array(layout.stateBytes), view = new DataView(state.buffer);
	for (const [index, value] of fields) view.setInt32(index * 4, value, true);
	view.setInt32(layout.wordLiteralAt * 4, -1, true);
	view.setInt32(layout.wordInkLiteralAt * 4, -1, true);
	return state;
}

/** Runs `operation` with each kernel on copies of the same arrays; returns a mismatch description or undefined. */
function both(name, arrays, operation) {
	const mine = arrays.map((array) => array.slice()), theirs = arrays.map((array) => array.slice());
	let a, b;
	try { a = operation(native, mine); } catch (error) { a = "throws " + error.message; }
	try { b = operation(script, theirs); } catch (error) { b = "throws " + error.message; }
	if (a !== b) return `${name}: C returned ${a}, TypeScript ${b}`;
	for (let i = 0; i < arrays.length; i++) if (!same(mine[i], theirs[i])) return `${name}: array ${i} differs`;
	return undefined;
}

function lineData(units, inputBytes) {
	const data = [];
	for (let x = 0; x < units;) {
		const n = Math.min(units - x, 1 + integer(128)), choice = random();
		if (choice < 0.02) { data.push(128); break; }
		if (choice < 0.5) { data.push(n - 1); for (let k = 0; k < inputBytes; k++) data.push(integer(256)); }
		else { data.push(257 - n); for (let k = 0; k < n * inputBytes; k++) data.push(random() < 0.5 ? 0 : integer(256)); }
		x += n;
	}
	if (random() < 0.05) data.push(integer(256), integer(256));    // a run that may go past the line
	return Uint8Array.from(data);
}

function checkKernels(rounds) {
	const counts = { encode: 0, dither: 0, decode: 0, transcode: 0, copy: 0, misuse: 0 }, mismatches = [];
	const note = (problem) => { if (problem && mismatches.length < 20) mismatches.push(problem); };
	for (let round = 0; round < rounds; round++) {
		// encodeLine: each method, rows of all sizes, seeds near the row (delta) or not.
		const count = integer(900), from = integer(5), bits = new Uint8Array(from + count);
		bits.set(randomRow(count), from);
		if (round % 9 === 0) bits.fill(0);
		const seed = round % 2 ? randomRow(count) : bits.slice(from);
		for (let k = 0; k < 4; k++) seed[integer(count + 1)] = integer(256);
		for (const method of [layout.encodeRunLength, layout.encodePackBits, layout.encodeDeltaRow]) {
			note(both(`encode ${method} round ${round}`, [bits, seed, new Uint8Array(script.rowOutputBytes(count))],
				(kernel, [b, s, o]) => kernel.encodeLine(method, b, from, count, s, o)));
			counts.encode++;
		}
		// ditherLine: gray lines with white stretches, errors carried from a random row above.
		const pixels = integer(1200), start = integer(9), line = randomRow(start + pixels);
		const errors = new Int8Array(pixels + 2 + integer(3));
		for (let i = 0; i < errors.length; i++) errors[i] = integer(256) - 128;
		note(both(`dither round ${round}`, [line, errors, new Uint8Array(((pixels + 7) >> 3) + integer(3))],
			(kernel, [l, e, b]) => kernel.ditherLine(l, start, pixels, e, b, round)));
		counts.dither++;
		// decodeLine: gray, inverted and RGB lines, cut into chunks at random.
		const inputBytes = round % 3 === 0 ? 3 : 1, convert = inputBytes === 3 ? layout.convertRgbToGray : round % 2;
		const units = 1 + integer(500), data = lineData(units, inputBytes);
		const state = newState([[layout.wordUnits, units], [layout.wordInputBytes, inputBytes], [layout.wordConvert, convert], [layout.wordWhite, 255]]);
		const cuts = [];
		for (let at = 0; at < data.length; at += 1 + integer(40)) cuts.push(at);
		note(both(`decode round ${round}`, [state, data, new Uint8Array(units + integer(3))], (kernel, [s, d, l]) => {
			let at = 0, result = "";
			for (let c = 1; c <= cuts.length; c++) {
				const end = c < cuts.length ? cuts[c] : d.length;
				if (at < end) at = kernel.decodeLine(s, d, at, end, l);
				result += at + ",";
			}
			return result;
		}));
		counts.decode++;
		// transcodeLine: 1-bit lines cropped at random.
		const bytes = 1 + integer(400), skip = integer(bytes), keep = integer(bytes - skip + 1), bitData = lineData(bytes, 1);
		const bitState = newState([[layout.wordUnits, bytes], [layout.wordInputBytes, 1], [layout.wordWhite, 0], [layout.wordSkip, skip], [layout.wordKeep, keep]]);
		note(both(`transcode round ${round}`, [bitState, bitData, new Uint8Array(script.rowOutputBytes(keep) + integer(4))], (kernel, [s, d, o]) => {
			let at = 0, result = "";
			for (let c = 1; c <= cuts.length; c++) {
				const end = Math.min(d.length, c < cuts.length ? cuts[c] : d.length);
				if (at < end) at = kernel.transcodeLine(s, d, at, end, o);
				result += at + ",";
			}
			return result;
		}));
		counts.transcode++;
		// copyBytes (IPP's raster sink: the converter's output into the print ring): any range within both arrays.
		const source = randomRow(1 + integer(5000)), target = randomRow(1 + integer(5000));
		const copied = integer(Math.min(source.length, target.length) + 1), sourceAt = integer(source.length - copied + 1), targetAt = integer(target.length - copied + 1);
		note(both(`copy round ${round}`, [source, target], (kernel, [a, b]) => String(kernel.copyBytes(a, sourceAt, copied, b, targetAt))));
		counts.copy++;
	}
	// Misuse: both throw, and neither writes outside what it was given.
	for (const [name, operation] of [
		["short line", (kernel) => kernel.decodeLine(newState([[layout.wordUnits, 100], [layout.wordInputBytes, 1]]), new Uint8Array(4), 0, 4, new Uint8Array(99))],
		["input range", (kernel) => kernel.decodeLine(newState([[layout.wordUnits, 10], [layout.wordInputBytes, 1]]), new Uint8Array(4), 2, 5, new Uint8Array(10))],
		["short output", (kernel) => kernel.encodeLine(layout.encodePackBits, new Uint8Array(10), 0, 10, new Uint8Array(0), new Uint8Array(27))],
		["short errors", (kernel) => kernel.ditherLine(new Uint8Array(10), 0, 10, new Int8Array(11), new Uint8Array(2), 0)],
		["crop", (kernel) => kernel.transcodeLine(newState([[layout.wordUnits, 10], [layout.wordSkip, 8], [layout.wordKeep, 3]]), new Uint8Array(4), 0, 4, new Uint8Array(100))],
		["copy past the source", (kernel) => kernel.copyBytes(new Uint8Array(4), 2, 3, new Uint8Array(8), 0)],
		["copy past the target", (kernel) => kernel.copyBytes(new Uint8Array(8), 0, 4, new Uint8Array(8), 5)],
		["bad state", (kernel) => kernel.transcodeLine(newState([[layout.wordUnits, 10], [layout.wordKeep, 10], [layout.wordAt, 2], [layout.wordOut, 90]]), new Uint8Array(4), 0, 4, new Uint8Array(100))],
	]) {
		let c = "no exception", t = "no exception";
		try { operation(native); } catch (error) { c = error instanceof RangeError ? "RangeError" : String(error); }
		try { operation(script); } catch (error) { t = error instanceof RangeError ? "RangeError" : String(error); }
		if (c !== "RangeError" || t !== "RangeError") mismatches.push(`misuse ${name}: C ${c}, TypeScript ${t}`);
		counts.misuse++;
	}
	return { counts, mismatches };
}

function readAll(path) {
	const file = new File(path);
	const bytes = new Uint8Array(file.read(ArrayBuffer, file.length));
	file.close();
	return bytes;
}

function writeAll(path, parts, length) {
	if (File.exists(path)) File.delete(path);
	const file = new File(path, true);
	for (const part of parts) file.write(part.buffer);
	file.close();
	return length;
}

function convert(kernel, bytes, entry) {
	const converter = new RasterConverter(kernel, { format: entry.format, language: entry.language });
	const parts = [];
	let length = 0, cut = 0;
	const drain = () => {
		const count = converter.outputCount;
		if (count === 0) return;
		parts.push(converter.output.slice(converter.outputAt, converter.outputAt + count));
		length += count;
		converter.taken(count);
	};
	for (let at = 0; at < bytes.length && converter.status === 0;) {
		const end = Math.min(bytes.length, at + entry.chunks[cut++ % entry.chunks.length]);
		while (at < end && converter.status === 0) {
			at = converter.feed(bytes, at, end);
			drain();
		}
	}
	converter.end();
	while (converter.status === 0 || converter.outputCount > 0) {
		converter.pump();
		drain();
	}
	return { parts, length, status: converter.status, error: converter.error, pages: converter.pagesDone };
}

function run() {
	const list = JSON.parse(readFileText(folder + "list.json"));
	const started = Date.now();
	const kernels = checkKernels(list.kernelRounds);
	const results = { kernels, kernelMs: Date.now() - started, files: [] };
	for (const entry of list.files) {
		const bytes = readAll(folder + entry.name);
		const result = { name: entry.name, language: entry.language };
		for (const kernel of [native, script]) {
			let outcome, ms = 0;
			const repeat = kernel === native ? entry.repeat ?? 1 : entry.repeatScript ?? entry.repeat ?? 1;
			for (let i = 0; i < repeat; i++) {
				const t = Date.now();
				outcome = convert(kernel, bytes, entry);
				ms += Date.now() - t;
			}
			const tag = kernel === native ? "c" : "ts";
			writeAll(`${folder}${entry.name}.${entry.language}.${tag}.prn`, outcome.parts, outcome.length);
			result[tag] = { bytes: outcome.length, status: outcome.status, error: outcome.error, pages: outcome.pages, ms, repeat };
		}
		results.files.push(result);
		trace(`raster-sdk: ${entry.name} ${entry.language}: C ${result.c.bytes} bytes ${result.c.ms} ms, TypeScript ${result.ts.bytes} bytes ${result.ts.ms} ms\n`);
	}
	const out = new File(folder + "results.json.part", true);
	out.write(JSON.stringify(results));
	out.close();
	File.rename(folder + "results.json.part", "results.json");
	trace("raster-sdk: done\n");
}

function readFileText(path) {
	const file = new File(path);
	const text = file.read(String);
	file.close();
	return text;
}

try {
	run();
} catch (error) {
	const out = new File(folder + "failure.txt", true);
	out.write(String(error) + "\n" + (error?.stack ?? ""));
	out.close();
	trace(`raster-sdk: failed: ${error}\n`);
}
