/*
 * ftprint's raster kernel in C: the per-pixel work of modules/raster/converter.ts (decode a PWG/URF line's runs,
 * turn black_1 runs into PCL mode 2, dither gray to dots, compress a row) as host functions for the SDK's builds.
 * It must give the same bytes as ../scriptKernel.ts, which documents each operation: the two are written alike on
 * purpose, step for step, so that a change to one is made to the other; the numbers below are
 * ../kernelState.ts's (test/raster/kernelLayout.test.js checks that they match).
 *
 * Must not: allocate, keep state between calls (it lives in the caller's `state` bytes), or call into XS while it
 * holds a buffer's address (the integers are read first: a relocatable buffer could move in a GC), or touch a
 * byte outside the buffers it was given: every range is checked first and misuse throws a RangeError.
 */

#include "xsmc.h"
#include <stdint.h>
#include <string.h>

#define stateBytes 80

#define wordUnits 0
#define wordInputBytes 1
#define wordConvert 2
#define wordWhite 3
#define wordSkip 4
#define wordKeep 5
#define wordAt 6
#define wordPhase 7
#define wordCount 8
#define wordGot 9
#define wordPixel 10
#define wordInk 11
#define wordError 12
#define wordOut 13
#define wordOutInk 14
#define wordLiteralAt 15
#define wordInkLiteralAt 16

#define phaseOpcode 0
#define phaseRepeat 1
#define phaseLiteral 2

#define convertCopy 0
#define convertInvert 1
#define convertRgbToGray 2

#define errorRunPastLine 1

#define encodeRunLength 1
#define encodePackBits 2
#define encodeDeltaRow 3

#define ditherInk 1
#define ditherCarry 2

static int32_t getWord(const uint8_t *state, int index)
{
	const uint8_t *p = state + (index << 2);
	return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

static void setWord(uint8_t *state, int index, int32_t value)
{
	uint8_t *p = state + (index << 2);
	uint32_t v = (uint32_t)value;
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint8_t *writableBytes(xsMachine *the, int argument, int32_t *length)
{
	void *data;
	xsUnsignedValue count;
	xsmcGetBufferWritable(xsArg(argument), &data, &count);
	*length = (int32_t)count;
	return (uint8_t *)data;
}

static const uint8_t *readableBytes(xsMachine *the, int argument, int32_t *length)
{
	void *data;
	xsUnsignedValue count;
	xsmcGetBufferReadable(xsArg(argument), &data, &count);
	*length = (int32_t)count;
	return (const uint8_t *)data;
}

static int32_t rowOutputBytes(int32_t count)
{
	return 2 * count + 8;
}

/*
 * A run code other than 128 (see scriptKernel.ts's decodeLine) starts a repeat or a literal run of *count units at
 * unit x; returns errorRunPastLine if that run would end past the line, else 0.
 */
static int32_t startRun(int32_t code, int32_t x, int32_t units, int32_t *phase, int32_t *count)
{
	if (code < 128) {
		*phase = phaseRepeat;
		*count = code + 1;
	}
	else {
		*phase = phaseLiteral;
		*count = 257 - code;
	}
	return x + *count > units ? errorRunPastLine : 0;
}

/*
 * The arguments both line functions take, (state, input, at, end, target), read and checked in this order: the
 * integers first, then the buffers' addresses (see the top). Returns the state's bytes.
 */
static uint8_t *lineArguments(xsMachine *the, int32_t *at, int32_t *end, const uint8_t **input, uint8_t **target, int32_t *targetLength)
{
	int32_t stateLength, inputLength;
	uint8_t *state;
	*at = xsmcToInteger(xsArg(2));
	*end = xsmcToInteger(xsArg(3));
	state = writableBytes(the, 0, &stateLength);
	*input = readableBytes(the, 1, &inputLength);
	*target = writableBytes(the, 4, targetLength);
	if (stateLength < stateBytes)
		xsRangeError("raster kernel: state too short");
	if (!(*at >= 0 && *at <= *end && *end <= inputLength))
		xsRangeError("raster kernel: input range");
	return state;
}

/* The words both line functions resume from and leave: where the line is, and in which run. */
static void getRunPosition(const uint8_t *state, int32_t *x, int32_t *phase, int32_t *count)
{
	*x = getWord(state, wordAt);
	*phase = getWord(state, wordPhase);
	*count = getWord(state, wordCount);
}

static void setRunPosition(uint8_t *state, int32_t x, int32_t phase, int32_t count)
{
	setWord(state, wordAt, x);
	setWord(state, wordPhase, phase);
	setWord(state, wordCount, count);
}

/* Whether a state's run position (unit x of units, in phase with count units to go) is one no call could leave. */
static int badRunPosition(int32_t x, int32_t units, int32_t phase, int32_t count)
{
	return x < 0 || x > units || phase < phaseOpcode || phase > phaseLiteral || (phase != phaseOpcode && (count < 0 || count > units - x));
}

/* decodeLine(state, input, at, end, line): see scriptKernel.ts. */
void xs_raster_decode_line(xsMachine *the)
{
	int32_t at, end, lineLength;
	const uint8_t *input;
	uint8_t *line;
	uint8_t *state = lineArguments(the, &at, &end, &input, &line, &lineLength);
	int32_t units, inputBytes, convert, white, x, phase, count, got, pixel, difference = 0, error = 0;

	units = getWord(state, wordUnits);
	if (units < 0 || lineLength < units)
		xsRangeError("raster kernel: line too short");
	if (getWord(state, wordError) != 0) {
		xsmcSetInteger(xsResult, at);
		return;
	}
	inputBytes = getWord(state, wordInputBytes);
	convert = getWord(state, wordConvert);
	white = getWord(state, wordWhite);
	getRunPosition(state, &x, &phase, &count);
	got = getWord(state, wordGot);
	pixel = getWord(state, wordPixel);
	if (badRunPosition(x, units, phase, count)
			|| (inputBytes != 1 && inputBytes != 3) || got < 0 || got >= inputBytes)
		xsRangeError("raster kernel: bad state");

	while (x < units && at < end) {
		if (phase == phaseOpcode) {
			int32_t code = input[at++];
			if (code == 128) {
				memset(line + x, white, (size_t)(units - x));
				x = units;
				break;
			}
			error = startRun(code, x, units, &phase, &count);
			if (error != 0)
				break;
			got = 0;
			pixel = 0;
		}
		else if (inputBytes == 1) {
			if (phase == phaseRepeat) {
				int32_t value = convert == convertCopy ? input[at] : 255 - input[at];
				at++;
				memset(line + x, value, (size_t)count);
				difference |= value ^ white;
				x += count;
				phase = phaseOpcode;
			}
			else {
				int32_t n = end - at, stop;
				if (n > count)
					n = count;
				count -= n;
				stop = at + n;
				if (convert == convertCopy) {
					while (at < stop) {
						int32_t value = input[at++];
						line[x++] = (uint8_t)value;
						difference |= value ^ white;
					}
				}
				else {
					while (at < stop) {
						int32_t value = 255 - input[at++];
						line[x++] = (uint8_t)value;
						difference |= value ^ white;
					}
				}
				if (count == 0)
					phase = phaseOpcode;
			}
		}
		else {
			int32_t value;
			pixel = (int32_t)(((uint32_t)pixel << 8) | input[at++]);
			if (++got < inputBytes)
				continue;
			if (convert == convertRgbToGray)
				value = (77 * ((pixel >> 16) & 255) + 150 * ((pixel >> 8) & 255) + 29 * (pixel & 255) + 128) >> 8;
			else
				value = pixel & 255;
			got = 0;
			pixel = 0;
			difference |= value ^ white;
			if (phase == phaseRepeat) {
				memset(line + x, value, (size_t)count);
				x += count;
				phase = phaseOpcode;
			}
			else {
				line[x++] = (uint8_t)value;
				if (--count == 0)
					phase = phaseOpcode;
			}
		}
	}
	setRunPosition(state, x, phase, count);
	setWord(state, wordGot, got);
	setWord(state, wordPixel, pixel);
	if (difference != 0)
		setWord(state, wordInk, 1);
	if (error != 0)
		setWord(state, wordError, error);
	xsmcSetInteger(xsResult, at);
}

/* One byte appended to the open literal run of out, or to a new one; see scriptKernel.ts's transcodeLine. */
#define appendLiteral(VALUE) \
	do { \
		if (literal < 0 || o - literal > 128) { \
			literal = o; \
			out[o++] = 0; \
		} \
		out[o++] = (uint8_t)(VALUE); \
		out[literal] = (uint8_t)(o - literal - 2); \
		if ((VALUE) != 0) { \
			inkEnd = o; \
			inkLiteral = literal; \
		} \
	} while (0)

/* Bytes of the line before unit x that are kept: those of [skip, skip + keep). */
static int32_t keptBefore(int32_t x, int32_t skip, int32_t keep)
{
	int32_t kept = x - skip;
	return kept < 0 ? 0 : kept > keep ? keep : kept;
}

/* transcodeLine(state, input, at, end, out): see scriptKernel.ts. */
void xs_raster_transcode_line(xsMachine *the)
{
	int32_t at, end, outLength;
	const uint8_t *input;
	uint8_t *out;
	uint8_t *state = lineArguments(the, &at, &end, &input, &out, &outLength);
	int32_t units, skip, keep, keepEnd, x, phase, count, o, inkEnd, literal, inkLiteral, error = 0;

	units = getWord(state, wordUnits);
	skip = getWord(state, wordSkip);
	keep = getWord(state, wordKeep);
	if (units < 0 || skip < 0 || keep < 0 || skip > units - keep)
		xsRangeError("raster kernel: crop outside the line");
	if (outLength < rowOutputBytes(keep))
		xsRangeError("raster kernel: output too short");
	if (getWord(state, wordError) != 0) {
		xsmcSetInteger(xsResult, at);
		return;
	}
	keepEnd = skip + keep;
	getRunPosition(state, &x, &phase, &count);
	o = getWord(state, wordOut);
	inkEnd = getWord(state, wordOutInk);
	literal = getWord(state, wordLiteralAt);
	inkLiteral = getWord(state, wordInkLiteralAt);
	/*
	 * A kept byte adds at most two output bytes (rowOutputBytes), so a state that could only come from earlier calls
	 * (o at most twice the bytes kept so far, the literal headers before o) keeps every write inside out.
	 */
	if (badRunPosition(x, units, phase, count)
			|| o < 0 || o > 2 * keptBefore(x, skip, keep) || inkEnd < 0 || inkEnd > o
			|| literal < -1 || (literal >= 0 && literal >= o) || inkLiteral < -1 || (inkLiteral >= 0 && inkLiteral >= o))
		xsRangeError("raster kernel: bad state");

	while (x < units && at < end) {
		if (phase == phaseOpcode) {
			int32_t code = input[at++];
			if (code == 128) {
				x = units;
				break;
			}
			error = startRun(code, x, units, &phase, &count);
			if (error != 0)
				break;
		}
		else if (phase == phaseRepeat) {
			int32_t value = input[at++];
			int32_t n = (x + count > keepEnd ? keepEnd : x + count) - (x < skip ? skip : x);
			x += count;
			phase = phaseOpcode;
			if (n == 1 || (n == 2 && literal >= 0)) {
				for (; n > 0; n--)
					appendLiteral(value);
				continue;
			}
			while (n > 0) {
				int32_t m = n > 128 ? 128 : n;
				n -= m;
				if (m == 1) {
					literal = o;
					out[o++] = 0;
					out[o++] = (uint8_t)value;
					if (value != 0) {
						inkEnd = o;
						inkLiteral = literal;
					}
				}
				else {
					literal = -1;
					out[o++] = (uint8_t)(257 - m);
					out[o++] = (uint8_t)value;
					if (value != 0) {
						inkEnd = o;
						inkLiteral = -1;
					}
				}
			}
		}
		else {
			int32_t n = end - at, first, last, i;
			if (n > count)
				n = count;
			count -= n;
			if (count == 0)
				phase = phaseOpcode;
			first = x < skip ? skip : x;
			last = x + n > keepEnd ? keepEnd : x + n;
			for (i = first; i < last; i++) {
				int32_t value = input[at + i - x];
				appendLiteral(value);
			}
			at += n;
			x += n;
		}
	}
	if (x == units && error == 0) {
		o = inkEnd;
		if (inkLiteral >= 0)
			out[inkLiteral] = (uint8_t)(inkEnd - inkLiteral - 2);
	}
	setRunPosition(state, x, phase, count);
	setWord(state, wordOut, o);
	setWord(state, wordOutInk, inkEnd);
	setWord(state, wordLiteralAt, literal);
	setWord(state, wordInkLiteralAt, inkLiteral);
	if (inkEnd > 0)
		setWord(state, wordInk, 1);
	if (error != 0)
		setWord(state, wordError, error);
	xsmcSetInteger(xsResult, at);
}

static int32_t clampError(int32_t value)
{
	return value < -128 ? -128 : value > 127 ? 127 : value;
}

/* ditherLine(line, from, count, errors, bits, row): Floyd-Steinberg, serpentine; see scriptKernel.ts. */
void xs_raster_dither_line(xsMachine *the)
{
	int32_t from = xsmcToInteger(xsArg(1)), count = xsmcToInteger(xsArg(2)), row = xsmcToInteger(xsArg(5));
	int32_t lineLength, errorsLength, bitsLength;
	const uint8_t *line = readableBytes(the, 0, &lineLength);
	int8_t *errors = (int8_t *)writableBytes(the, 3, &errorsLength);
	uint8_t *bits = writableBytes(the, 4, &bitsLength);
	int32_t bytes, forward, step, behind, i, x, right = 0, pending = 0, next = 0, ink = 0, carry = 0, stored;

	if (!(from >= 0 && count >= 0 && from <= lineLength - count))
		xsRangeError("raster kernel: line range");
	if (errorsLength < count + 2)
		xsRangeError("raster kernel: errors too short");
	bytes = (count + 7) >> 3;
	if (bitsLength < bytes)
		xsRangeError("raster kernel: bits too short");
	memset(bits, 0, (size_t)bytes);
	line += from;
	/* Serpentine: the next row's error for the pixel behind x (x - 1 going right, x + 1 going left) is errors[x + behind]. */
	forward = (row & 1) == 0;
	step = forward ? 1 : -1;
	behind = forward ? 0 : 2;
	for (i = 0, x = forward ? 0 : count - 1; i < count; i++, x += step) {
		int32_t value = line[x] + errors[x + 1] + right, error, e7, e3, e5;
		if (value < 128) {
			bits[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
			ink = 1;
			error = value;
		}
		else
			error = value - 255;
		e7 = error * 7 / 16;
		e3 = error * 3 / 16;
		e5 = error * 5 / 16;
		stored = clampError(pending + e3);
		errors[x + behind] = (int8_t)stored;
		carry |= stored;
		pending = next + e5;
		next = error - e7 - e3 - e5;
		right = e7;
	}
	stored = clampError(pending);
	errors[forward ? count : 1] = (int8_t)stored;
	carry |= stored;
	xsmcSetInteger(xsResult, (ink ? ditherInk : 0) | (carry != 0 ? ditherCarry : 0));
}

static int32_t packBits(const uint8_t *bits, int32_t from, int32_t end, uint8_t *out)
{
	int32_t i = from, o = 0;
	while (i < end) {
		uint8_t value = bits[i];
		int32_t run = 1, start, k;
		while (i + run < end && run < 128 && bits[i + run] == value)
			run++;
		if (run >= 2) {
			out[o++] = (uint8_t)(257 - run);
			out[o++] = value;
			i += run;
			continue;
		}
		start = i++;
		while (i < end && i - start < 128) {
			if (i + 2 < end && bits[i] == bits[i + 1] && bits[i] == bits[i + 2])
				break;
			i++;
		}
		out[o++] = (uint8_t)(i - start - 1);
		for (k = start; k < i; k++)
			out[o++] = bits[k];
	}
	return o;
}

static int32_t deltaRow(const uint8_t *bits, int32_t from, int32_t count, uint8_t *seed, uint8_t *out)
{
	int32_t i = 0, o = 0, position = 0, ink = 0;
	bits += from;
	while (i < count) {
		uint8_t value = bits[i];
		int32_t n = 1, offset, k;
		ink |= value;
		if (value == seed[i]) {
			i++;
			continue;
		}
		while (n < 8 && i + n < count && bits[i + n] != seed[i + n]) {
			ink |= bits[i + n];
			n++;
		}
		offset = i - position;
		if (offset < 31)
			out[o++] = (uint8_t)(((n - 1) << 5) | offset);
		else {
			out[o++] = (uint8_t)(((n - 1) << 5) | 31);
			offset -= 31;
			while (offset >= 255) {
				out[o++] = 255;
				offset -= 255;
			}
			out[o++] = (uint8_t)offset;
		}
		for (k = 0; k < n; k++) {
			uint8_t byte = bits[i + k];
			seed[i + k] = byte;
			out[o++] = byte;
		}
		i += n;
		position = i;
	}
	return ink == 0 ? -1 : o;
}

/* encodeLine(method, bits, from, count, seed, out): see scriptKernel.ts. */
void xs_raster_encode_line(xsMachine *the)
{
	int32_t method = xsmcToInteger(xsArg(0)), from = xsmcToInteger(xsArg(2)), count = xsmcToInteger(xsArg(3));
	int32_t bitsLength, seedLength, outLength, end, last, result;
	const uint8_t *bits = readableBytes(the, 1, &bitsLength);
	uint8_t *seed = writableBytes(the, 4, &seedLength);
	uint8_t *out = writableBytes(the, 5, &outLength);

	if (!(from >= 0 && count >= 0 && from <= bitsLength - count))
		xsRangeError("raster kernel: row range");
	if (outLength < rowOutputBytes(count))
		xsRangeError("raster kernel: output too short");
	if (method == encodeDeltaRow) {
		if (seedLength < count)
			xsRangeError("raster kernel: seed too short");
		result = deltaRow(bits, from, count, seed, out);
	}
	else {
		if (method != encodeRunLength && method != encodePackBits)
			xsRangeError("raster kernel: method");
		end = from + count;
		last = end;
		while (last > from && bits[last - 1] == 0)
			last--;
		if (last == from)
			result = -1;
		else
			result = packBits(bits, from, method == encodePackBits ? last : end, out);
	}
	xsmcSetInteger(xsResult, result);
}

/* copyBytes(source, from, count, target, at): see scriptKernel.ts. */
void xs_raster_copy_bytes(xsMachine *the)
{
	int32_t from = xsmcToInteger(xsArg(1)), count = xsmcToInteger(xsArg(2)), at = xsmcToInteger(xsArg(4));
	int32_t sourceLength, targetLength;
	const uint8_t *source = readableBytes(the, 0, &sourceLength);
	uint8_t *target = writableBytes(the, 3, &targetLength);

	if (!(from >= 0 && count >= 0 && from <= sourceLength - count && at >= 0 && at <= targetLength - count))
		xsRangeError("raster kernel: copy range");
	memmove(target + at, source + from, count);
}
