// A seeded, grammar-aware fuzzer for the raw 9100, LPD (RFC 1179) and IPP (RFC 8010/8011) servers, in the spirit
// of fuzz.js: per round,
// several clients at once (more than the 2 slots of each service) run scripts of hostile LPD commands and
// receive-job subcommands (odd counts, queue names, overlong and unterminated lines, NUL bytes, files shorter or
// longer than announced, wrong or missing zero bytes, garbage control files, aborts, removals, listings while jobs
// print) or raw byte streams, or HTTP requests carrying IPP (every operation, random versions and operations,
// corrupted and truncated messages, lying lengths, hostile chunk framing, documents), interleaved at random, ending
// with FIN, reset, or silence at any point. The printer
// stalls now and then. Runs against the compiled firmware on the in-memory host (virtual time), from a seed.
//
// The oracle: no exception escapes a callback and none is caught by a last-resort guard (log lines); every LPD
// connection receives only acknowledgement bytes (0, maybe a last 1), a listing of the documented shape, removal
// lines, or nothing; a raw job prints a prefix of what its client sent (all of it when the client ended with FIN
// and nobody removed jobs); after the round settles (timeouts passed in virtual time) every slot, socket, listener
// and timer is back where it started and the spool is empty; then a well-formed LPRng-style LPD job (either file
// order) and a raw job (and, with IPP in the mix, an IPP Print-Job), sent at once, print exactly their bytes, once
// each, never interleaved. An IPP client gets a well-formed HTTP answer (its IPP message parsed, its request-id
// echoed) or none, and an IPP job prints a prefix of a document some IPP client sent. Engine-neutral.

import { ScenarioHost } from "../xs-host/host.js";
import { createRandom } from "./prng.js";
import { latin1Bytes } from "./wire.js";
import { Op, T, httpResponse, parse, preamble, request as ippMessage } from "../ipp/wire.js";
import { rasterKernel } from "raster/platform";
import { convertFile } from "../raster/convert.js";
import { encodePwg, encodeUrf, syntheticPage } from "../raster/rasterFiles.js";

const rawPort = 9100, lpdPort = 515, ippPort = 631, deviceName = "ftprint";
/** Log lines that mean an exception was caught by a last-resort guard: a firmware bug. */
const guardedFailures = Object.freeze(["accept failed", "tick failed", "failed reading", "failed writing", "failed closing", "could not be taken",
  "could not take a connection", "housekeeping failed", "failed: ", "failed answering"]);
const statusLine = /^ftprint: printer (ready|busy|offline|paper out|error|unknown), \d+ jobs?\n/;

export function serviceRoundSeed(seed, round) {
  return (seed + Math.imul(round + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Runs rounds until `count` inputs have been sent (or just round `only`); `service` is "lpd", "raw", "both" (those
 * two), "ipp" or "all" (which hostile clients a round has; the well-formed jobs after it are always LPD and raw,
 * and IPP too when it is in the mix). Returns the figures;
 * `failure` holds the first failure with its reproducer, and the run stops there.
 */
export function runServiceFuzz({ seed = 1, count = 1000, service = "both", only = undefined, report = () => {}, afterRound = () => {} } = {}) {
  const stats = {
    seed, service, inputs: 0, rounds: 0, lpdConnections: 0, rawConnections: 0, ippConnections: 0, ippAnswers: 0, ippJobs: 0, ippRasterJobs: 0, turnedAway: 0, listings: 0, removals: 0,
    refusals: 0, stalls: 0, goodJobs: 0, goodBytes: 0, rawWhole: 0, crashes: 0, slotsLeaked: 0, failure: undefined,
  };
  for (let round = only ?? 0; only !== undefined ? round === only : stats.inputs < count; round++) {
    const trail = [];
    let host;
    try {
      host = fuzzRound(serviceRoundSeed(seed, round), service, round, stats, trail);
    } catch (error) {
      stats.crashes++;
      trail.push(...lastLog.slice(globalThis.serviceFuzzTrail ? -100000 : -12).map((line) => `log: ${line}`));
      stats.failure = `service fuzz round ${round} failed (seed ${seed}, service ${service}): ${error?.message ?? error}\n` +
        `  reproduce: npm run fuzz -- --service ${service} --seed ${seed} --round ${round}\n` +
        `  the round:\n${trail.slice(globalThis.serviceFuzzTrail ? -100000 : -60).map((line) => `    ${line}`).join("\n")}`;
      report(stats.failure);
      return stats;
    }
    stats.rounds++;
    afterRound(stats, round, host);
  }
  return stats;
}

let lastLog = [];

function fuzzRound(seedOfRound, service, round, stats, trail) {
  const random = createRandom(seedOfRound);
  const withIpp = service === "ipp" || service === "all";
  const host = new ScenarioHost({
    rawPort, lpdPort, deviceName, ippPort: withIpp ? ippPort : 0,
    random: random.fork().next,
    profile: random.chance(0.15) ? "lin" : "esp32",
    bytesPerTurn: random.pick([512, 4096, 65536, Infinity]),
  });
  lastLog = host.log;
  try {
    host.runUntilIdle();
    const start = snapshot(host);
    const clients = [];
    const howMany = random.between(1, 6);
    for (let i = 0; i < howMany; i++) {
      const kind = service === "both" ? (random.chance(0.6) ? "lpd" : "raw")
        : service === "all" ? random.pick(["lpd", "raw", "ipp", "ipp"]) : service;
      clients.push(kind === "lpd" ? lpdClient(random, i) : kind === "raw" ? rawClient(random, i) : ippClient(random, i));
    }
    for (const client of clients) {
      stats.inputs += client.inputs;
      if (client.kind === "lpd") stats.lpdConnections++; else if (client.kind === "raw") stats.rawConnections++; else stats.ippConnections++;
      trail.push(`client ${client.from} (${client.kind}): ${client.steps.map(describeStep).join(", ")}`);
    }
    const removes = clients.some((client) => client.kind === "lpd" && client.command === 5);
    play(host, random, clients, stats, trail);
    // Every timeout has passed (60 s LPD, 30/90 s raw), queued jobs drained: all back where it started.
    // (A client that stopped reading never sees the server's close; its socket on the server's side must go all the same.)
    waitFor(host, () => inUse(host) === 0 && host.server.spool.queueLength === 0 && host.net.openSockets() === start.sockets &&
      clients.every((client) => client.end.closed || client.paused), "every raw and LPD connection to be closed and the queue empty", 3_600_000);
    host.advance(2000);
    for (const client of clients) checkClient(host, client, removes, stats);
    if (withIpp) checkIppJobs(host, clients, stats);
    expectStart(host, start, stats, "after the hostile clients");
    goodJobs(host, random, round, stats, trail, withIpp);
    expectStart(host, start, stats, "after the well-formed jobs");
    const caught = host.log.find((line) => guardedFailures.some((text) => line.includes(text)));
    if (caught) throw new Error(`an exception was caught by a last-resort guard: ${caught}`);
    stats.turnedAway += host.logLines("turned away").length;
    stats.refusals += host.logLines("LPD error from").length;
    host.finish();
  } finally {
    host.shutDown();
    host.release();
  }
  return host;
}

function snapshot(host) {
  return { timers: host.loop.pendingTimers(), listeners: host.net.openListeners(), sockets: host.net.openSockets(), slots: inUse(host), queue: host.server.spool.queueLength };
}

function inUse(host) {
  return host.raw.connectionsInUse() + host.lpd.connectionsInUse() + (host.ipp?.connectionsInUse() ?? 0);
}

function expectStart(host, start, stats, when) {
  const now = snapshot(host);
  if (JSON.stringify(now) !== JSON.stringify(start)) {
    stats.slotsLeaked++;
    throw new Error(`not back where the round started ${when}: ${JSON.stringify({ start, now })}`);
  }
  if (host.printer.violations.length) throw new Error(`printer contract broken (jobs interleaved?): ${JSON.stringify(host.printer.violations)}`);
}

// ---- playing the clients at once ----

/** Runs every client's steps, interleaved at random, letting the loop and virtual time move between steps. */
function play(host, random, clients, stats, trail) {
  let stallUntil = -1;
  for (;;) {
    const active = clients.filter((client) => client.at < client.steps.length);
    if (!active.length) break;
    const client = random.pick(active);
    const step = client.steps[client.at++];
    // A client's own pauses, or other clients' waits between its steps, may outlast the raw idle timeout.
    if (client.lastStepAt !== undefined && host.loop.now() - client.lastStepAt > 25_000) client.cleanEnd = false;
    client.lastStepAt = host.loop.now();
    if (step.connect) {
      const port = client.kind === "lpd" ? lpdPort : client.kind === "raw" ? rawPort : ippPort;
      client.end = host.net.connect({ port, address: "127.0.0.1", from: client.from });
      client.end.onData = (bytes) => { for (const byte of bytes) client.received.push(byte); };
      if (step.sendWindow) client.end.sendWindow = step.sendWindow;
    } else if (step.bytes) {
      if (!client.end.closed) try { client.end.write(step.bytes); client.sent += step.bytes.length; } catch { /* after FIN */ }
      else client.unsent = true;          // the server closed first (a timeout while other clients waited)
    } else if (step.fin) {
      client.end.end();
      client.ended = "fin";
    } else if (step.reset) {
      client.end.reset();
      client.ended = "reset";
    } else if (step.pause) {
      client.end.pause();
      client.paused = true;
    }
    else if (step.wait) host.advance(step.wait);
    // silence: nothing; the server's timeout must free the slot
    if (stallUntil < 0 && random.chance(0.03)) {
      const state = random.between(1, 4);
      host.printer.stall(state);
      stats.stalls++;
      stallUntil = host.loop.now() + random.between(10, 120_000);
      trail.push(`printer stalled (state ${state}) until ${stallUntil} ms`);
    }
    if (stallUntil >= 0 && host.loop.now() >= stallUntil) { host.printer.resume(); stallUntil = -1; }
    const turns = random.between(0, 6);
    for (let i = 0; i < turns; i++) if (!host.loop.runUntilIdle({ maxTurns: 1 })) break;
    checkUncaught(host);
  }
  if (stallUntil >= 0) {
    host.advance(Math.max(0, stallUntil - host.loop.now()));
    host.printer.resume();
  }
  for (const client of clients) if (client.end && !client.ended) client.ended = "silent";
  // Connections made by the last steps are only in flight: let them land before anything is counted.
  host.loop.runUntilIdle();
  checkUncaught(host);
}

function checkUncaught(host) {
  if (host.uncaught.length) throw new Error(`an exception escaped a callback (the device would abort): ${host.uncaught[0]?.stack ?? host.uncaught[0]}`);
}

function waitFor(host, done, what, withinMs) {
  const loop = host.loop;
  const start = loop.now();
  while (!done()) {
    const turns = loop.runUntilIdle({ maxTurns: 1 });
    checkUncaught(host);
    if (turns > 0) continue;
    const waited = loop.now() - start;
    if (waited >= withinMs) throw new Error(`${what} did not happen within ${withinMs} ms of virtual time ${JSON.stringify(host.net.openSocketList?.())}`);
    loop.advance(waited < 3000 ? 10 : 1000);
  }
  checkUncaught(host);
}

// ---- the oracle for each hostile client ----

function checkClient(host, client, removes, stats) {
  const text = String.fromCharCode(...client.received.slice(0, 20_000));
  const where = `client ${client.from} (${client.kind}, ended by ${client.ended}, received ${JSON.stringify(text.slice(0, 300))})`;
  if (client.kind === "ipp") return checkIppClient(host, client, stats, where);
  if (client.kind === "raw") {
    if (client.received.length) throw new Error(`${where}: a raw client was sent bytes`);
    const printed = host.printer.jobs.filter((job) => job.name === `raw from ${client.from}`);
    if (printed.length > 1) throw new Error(`${where}: its job printed ${printed.length} times`);
    const sent = client.bytesSent();
    const bytes = printed[0]?.bytes ?? new Uint8Array(0);
    if (!isPrefix(bytes, sent)) throw new Error(`${where}: printed ${bytes.length} bytes that are not what it sent (${sent.length} bytes)`);
    const turnedAway = host.logLines(`raw connection from ${client.from} turned away`).length > 0;
    if (client.ended === "fin" && client.cleanEnd && !turnedAway && !removes) {
      if (bytes.length !== sent.length) throw new Error(`${where}: sent ${sent.length} bytes and FIN, ${bytes.length} printed`);
      if (sent.length) stats.rawWhole++;
    }
    return;
  }
  // A client that reset or stopped reading may have got only part of the answer, or none; so may one that closed its
  // side first on the ESP32, whose write throws "not ready" once the peer's FIN is in
  // ($(MODDABLE)/modules/io/socket/lwip/tcp.c, tcpDeliver and xs_tcp_write).
  // One whose bytes the server never saw (it closed first: a timeout) gets nothing.
  const whole = client.ended !== "reset" && !client.paused && !(client.ended === "fin" && host.settings.profile === "esp32") &&
    !client.unsent && !host.logLines(`LPD connection from ${client.from} dropped`).length &&
    client.sent >= (client.steps.find((step) => step.bytes)?.bytes.length ?? Infinity);     // its command line went out
  if (/[^\0\x01]/.test(text) || (text.length === 0 && whole && client.asksText)) {
    // Anything other than acknowledgements must be a whole listing or removal answer, to the command that asked.
    if (client.command === 3 || client.command === 4) {
      if (!statusLine.test(text) && (whole || text.length > 20)) throw new Error(`${where}: a listing that does not start with the status line`);
      if (whole && !text.endsWith("\n")) throw new Error(`${where}: a listing not ended by LF`);
      stats.listings++;
    } else if (client.command === 5) {
      if (!/^((job \d+ dequeued\n)+|no matching jobs\n)$/.test(text) && whole) throw new Error(`${where}: not a removal answer`);
      stats.removals++;
    } else if (text.length) throw new Error(`${where}: text to a command that asks for none`);
    return;
  }
  // Acknowledgements: zeros (only to a receive-job command), maybe one error byte last.
  if (!/^\0*\x01?$/.test(text)) throw new Error(`${where}: acknowledgement bytes out of order`);
  if (text.includes("\0") && client.command !== 2) throw new Error(`${where}: an acknowledgement to command ${client.command}`);
}

function isPrefix(bytes, of) {
  if (bytes.length > of.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== of[i]) return false;
  return true;
}

/**
 * An IPP client gets nothing, or "100 Continue" and then nothing, or a well-formed HTTP answer: a status line, the
 * headers, a body of the content-length's size when the connection ended normally; an IPP body parses and echoes
 * the request's id. One that sent a whole, well-framed request and waited gets its answer (unless turned away).
 */
function checkIppClient(host, client, stats, where) {
  let bytes = Uint8Array.from(client.received);
  const continued = "HTTP/1.1 100 Continue\r\n\r\n";
  if (String.fromCharCode(...bytes.subarray(0, continued.length)) === continued) bytes = bytes.subarray(continued.length);
  const turnedAway = host.logLines(`ipp: connection turned away`).length > 0;
  const dropped = host.logLines(`ipp: connection from ${client.from} dropped`).length > 0;
  const expectAnswer = client.wellFramed && client.cleanEnd && !client.unsent && client.ended === "silent" && !client.paused && !dropped &&
    client.sent === client.bytesSent().length;
  if (bytes.length === 0) {
    if (expectAnswer && !turnedAway) throw new Error(`${where}: no answer to a whole request`);
    return;
  }
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 400)));
  if (!/^HTTP\/1\.1 \d{3} /.test(head)) throw new Error(`${where}: not an HTTP status line`);
  // One that reset or stopped reading may have got part of the answer only; so may one that closed its side first:
  // on the ESP32 a write throws "not ready" once the peer's FIN is in (facts §1.5), and no onWritable follows onError.
  if (client.ended === "reset" || client.paused || client.ended === "fin") return;
  let answer;
  try { answer = httpResponse(bytes); } catch (error) { throw new Error(`${where}: ${error.message}`); }
  const length = Number(answer.headers["content-length"]);
  if (!(length === answer.body.length)) throw new Error(`${where}: content-length ${answer.headers["content-length"]}, ${answer.body.length} bytes of body`);
  stats.ippAnswers++;
  if (answer.headers["content-type"] !== "application/ipp") return;    // the page, the icon, an HTTP refusal
  let message;
  try { message = parse(answer.body); } catch (error) { throw new Error(`${where}: the IPP answer does not parse: ${error.message}`); }
  if (client.requestId !== undefined && message.requestId !== client.requestId && client.headerIntact)
    throw new Error(`${where}: request-id ${message.requestId}, not ${client.requestId}`);
  if (message.groups[0]?.tag !== T.operation) throw new Error(`${where}: the answer's first group is not the operation group`);
}

/**
 * Every IPP job that reached the printer holds bytes one IPP client sent in a row in its message (its document,
 * or, when a corrupted byte ended the attributes early, the rest of its message): nothing else, nothing mixed.
 */
function checkIppJobs(host, clients, stats) {
  // text/plain goes to the printer with CRLF for a bare LF (as FTP's TYPE A): its bytes are looked for that way too.
  const bodies = clients.filter((client) => client.kind === "ipp" && client.body).map((client) => String.fromCharCode(...client.body))
    .flatMap((body) => [body, body.replace(/\r?\n/g, (end) => end.length === 1 ? "\r\n" : end)]);
  // A raster document prints as the converter makes it of the whole file: all of it when the job ended at the
  // printer normally (converted, or found bad: the page ended and the printer reset), a prefix when it was cut short.
  const converted = clients.filter((client) => client.raster).map((client) => rasterReference(client.raster));
  for (const job of host.printer.jobs) {
    if (!job.name.startsWith("fuzz-ipp") || job.bytes.length === 0) continue;
    const printed = String.fromCharCode(...job.bytes);
    const fromRaster = converted.some((reference) => job.complete ? reference === printed : reference.startsWith(printed));
    if (!fromRaster && !bodies.some((body) => body.includes(printed)))
      throw new Error(`IPP job ${job.id} "${job.name}" printed ${job.bytes.length} bytes that no IPP client sent in its message, nor the converter made of one`);
    stats.ippJobs++;
    if (fromRaster) stats.ippRasterJobs++;
  }
}

/** The printer bytes of a raster document, converted whole (PCL 5, the scenario host's printer language). */
function rasterReference(raster) {
  raster.reference ??= String.fromCharCode(...convertFile(rasterKernel, raster.bytes, { format: raster.format, language: "pcl5" }).output);
  return raster.reference;
}

/** A small PWG or URF page, sent as made or with header fields, bytes or its length damaged. */
function rasterDocument(random) {
  const urf = random.chance(0.5), dpi = random.pick([300, 600, 150]);
  const page = syntheticPage(random.between(8, 240), random.between(1, 160), dpi, random.between(1, 1000), { gray: random.chance(0.7) });
  const kind = urf ? random.pick(["W8", "SRGB24"]) : random.pick(["black_1", "sgray_8", "srgb_8"]);
  let bytes = urf ? encodeUrf([{ page, dpi, kind }], { pageCount: random.chance(0.9) ? 1 : random.between(0, 3) }) : encodePwg([{ page, dpi, kind }]);
  const headerEnd = urf ? 44 : 1800;
  switch (random.below(6)) {
    case 0: bytes = bytes.slice(); for (let i = random.between(1, 4); i > 0; i--) bytes[random.below(bytes.length)] = random.below(256); break;
    case 1: bytes = bytes.slice(); for (let i = random.between(1, 4); i > 0; i--) bytes[random.below(Math.min(headerEnd, bytes.length))] = random.below(256); break;
    case 2: bytes = bytes.subarray(0, random.below(bytes.length)); break;
    case 3: {
      // A 32-bit header field that lies (width, height, bytes per line, resolution... wherever it lands).
      bytes = bytes.slice();
      const at = (urf ? 12 : 276) + 4 * random.below(urf ? 8 : 37);
      const value = random.pick([0, 1, 0xffffffff, 0x7fffffff, random.between(0, 100_000)]);
      for (let i = 0; i < 4; i++) bytes[at + i] = (value >>> (24 - 8 * i)) & 255;
      break;
    }
    default: break;
  }
  return { format: urf ? "image/urf" : "image/pwg-raster", bytes, reference: undefined };
}

// ---- the well-formed jobs after each round ----

function goodJobs(host, random, round, stats, trail, withIpp) {
  const name = `fuzz-${round}.ps`;
  const data = random.bytes(random.between(1, 20_000));
  const rawData = random.bytes(random.between(1, 20_000));
  const controlFirst = random.chance(0.5);
  const control = `Hfuzzhost\nPfuzzer\nJ${name}\nldfA001fuzzhost\nUdfA001fuzzhost\nN${name}\n`;
  trail.push(`well-formed LPD job ${name} (${data.length} bytes, ${controlFirst ? "control" : "data"} file first) and raw job (${rawData.length} bytes) from 10.9.9.9`);
  const lpd = host.net.connect({ port: lpdPort, address: "127.0.0.1", from: "10.9.9.8" });
  const raw = host.net.connect({ port: rawPort, address: "127.0.0.1", from: "10.9.9.9" });
  const ippData = withIpp ? random.bytes(random.between(0, 20_000)) : undefined;
  const ippName = `good-ipp-${round}`;
  const ipp = withIpp ? host.net.connect({ port: ippPort, address: "127.0.0.1", from: "10.9.9.7" }) : undefined;
  const ippReceived = [];
  if (ipp) {
    ipp.onData = (bytes) => { for (const byte of bytes) ippReceived.push(byte); };
    const message = ippMessage({ operation: Op.printJob, requestId: 99, groups: [[T.operation, [...preamble(), [T.name, "requesting-user-name", "fuzzer"],
      [T.name, "job-name", ippName], [T.mimeMediaType, "document-format", "application/octet-stream"]]]], data: ippData });
    ipp.write(chunkedPost(message, random.pick([64, 1000, 4096, 65536]), true));
    trail.push(`well-formed IPP Print-Job ${ippName} (${ippData.length} bytes) from 10.9.9.7`);
  }
  const acks = [];
  lpd.onData = (bytes) => { for (const byte of bytes) acks.push(byte); };
  raw.write(rawData);
  raw.end();
  const expectAcks = (n, what) => {
    waitFor(host, () => acks.length >= n || lpd.closed, `the acknowledgement of ${what}`, 600_000);
    if (acks.length !== n || acks.some((byte) => byte !== 0)) throw new Error(`well-formed LPD job: ${what} answered ${JSON.stringify(acks)}`);
  };
  lpd.write(latin1Bytes("\x02raw\n"));
  expectAcks(1, "the receive-job command");
  const files = [
    () => { lpd.write(latin1Bytes(`\x02${control.length} cfA001fuzzhost\n`)); expectAcks(acks.length + 1, "the control file subcommand"); lpd.write(latin1Bytes(control + "\0")); expectAcks(acks.length + 1, "the control file"); },
    () => { lpd.write(latin1Bytes(`\x03${data.length} dfA001fuzzhost\n`)); expectAcks(acks.length + 1, "the data file subcommand"); lpd.write(data); lpd.write(new Uint8Array(1)); expectAcks(acks.length + 1, "the data file"); },
  ];
  if (controlFirst) { files[0](); files[1](); } else { files[1](); files[0](); }
  lpd.end();
  waitFor(host, () => lpd.closed && raw.closed && (!ipp || ipp.closed) && inUse(host) === 0 && host.server.spool.queueLength === 0 && !host.printer.open,
    "the well-formed jobs to print", 3_600_000);
  if (ipp) {
    const answer = httpResponse(Uint8Array.from(ippReceived).subarray(25));    // after "HTTP/1.1 100 Continue\r\n\r\n"
    const message = parse(answer.body);
    if (message.status !== 0 || message.requestId !== 99) throw new Error(`well-formed IPP Print-Job answered status 0x${message.status.toString(16)}`);
    const printed = host.printer.jobs.filter((job) => job.name === ippName);
    if (printed.length !== 1 || !printed[0].complete || printed[0].bytes.length !== ippData.length || !isPrefix(printed[0].bytes, ippData))
      throw new Error(`well-formed IPP job printed ${printed.length} times, or not whole`);
    stats.goodJobs++;
    stats.goodBytes += ippData.length;
  }
  host.advance(1000);
  // The printer learns a job's name when it begins: with the data file first, before the control file renames it.
  const lpdIds = host.log.map((line) => /^LPD job (\d+) received from 10\.9\.9\.8$/.exec(line)?.[1]).filter(Boolean).map(Number);
  if (lpdIds.length !== 1) throw new Error(`well-formed LPD job: received ${lpdIds.length} times (log)`);
  const lpdJob = host.server.spool.history?.().find?.((job) => job.id === lpdIds[0]);
  if (lpdJob && lpdJob.name !== name) throw new Error(`well-formed LPD job named ${JSON.stringify(lpdJob.name)}, not ${name}`);
  for (const [jobName, bytes] of [[name, data], ["raw from 10.9.9.9", rawData]]) {
    const printed = host.printer.jobs.filter((job) => jobName === name ? job.id === lpdIds[0] : job.name === jobName);
    if (printed.length !== 1) throw new Error(`well-formed job ${jobName} printed ${printed.length} times`);
    if (!printed[0].complete || !isPrefix(printed[0].bytes, bytes) || printed[0].bytes.length !== bytes.length)
      throw new Error(`well-formed job ${jobName}: ${printed[0].bytes.length} of ${bytes.length} bytes printed (complete ${printed[0].complete}), or not the same bytes`);
    stats.goodJobs++;
    stats.goodBytes += bytes.length;
  }
}

// ---- the grammar ----

/** An HTTP POST of `body` to /ipp/print, chunked in pieces of `chunkBytes`. */
function chunkedPost(body, chunkBytes, expect, type = "Content-Type: application/ipp\r\n") {
  const parts = [latin1Bytes(`POST /ipp/print HTTP/1.1\r\nHost: fuzz\r\n${type}Transfer-Encoding: chunked\r\n${expect ? "Expect: 100-continue\r\n" : ""}\r\n`)];
  for (let at = 0; at < body.length; at += chunkBytes) {
    const piece = body.subarray(at, Math.min(body.length, at + chunkBytes));
    parts.push(latin1Bytes(`${piece.length.toString(16)}\r\n`), piece, latin1Bytes("\r\n"));
  }
  parts.push(latin1Bytes("0\r\n\r\n"));
  return parts.reduce((joined, part) => concat(joined, part), new Uint8Array(0));
}

const ippOperations = Object.freeze([Op.getPrinterAttributes, Op.getJobs, Op.getJobAttributes, Op.printJob, Op.printJob, Op.validateJob,
  Op.createJob, Op.sendDocument, Op.sendDocument, Op.cancelJob, Op.cancelMyJobs, Op.closeJob, Op.identifyPrinter]);

/** Operation attributes a request may carry: the ones the printer reads, with good, odd and hostile values. */
function ippAttributes(random, from) {
  const attributes = [];
  const add = (tag, name, value) => attributes.push([tag, name, value]);
  for (let i = random.below(6); i > 0; i--) {
    switch (random.below(14)) {
      case 0: add(T.integer, "job-id", random.pick([1, 2, 3, random.between(0, 40), -1, 2147483647])); break;
      case 1: add(T.keyword, "requested-attributes", random.pick([["all"], ["all", "media-col-database"], ["job-id", "job-state"], ["printer-state"], ["nothing"]])); break;
      case 2: add(T.mimeMediaType, "document-format", random.pick(["application/octet-stream", "application/vnd.hp-PCL", "text/plain", "application/pdf", "image/urf", ""])); break;
      case 3: add(T.boolean, "last-document", random.chance(0.5)); break;
      case 4: add(T.keyword, "which-jobs", random.pick(["completed", "not-completed", "all", "proof-print", ""])); break;
      case 5: add(T.name, "job-name", random.pick(["x".repeat(random.between(200, 300)), "\u00e9l\u00e8ve", ""])); break;
      case 6: add(T.keyword, "compression", random.pick(["none", "gzip", "deflate"])); break;
      case 7: add(T.boolean, "my-jobs", true); break;
      case 8: add(T.integer, "limit", random.between(-2, 5)); break;
      case 9: add(T.keyword, "identify-actions", random.pick(["display", "sound", "flash"])); break;
      case 10: add(T.uri, "job-uri", random.pick([`ipp://fuzz/ipp/print/${random.between(1, 9)}`, "ipp://fuzz/ipp/print/", "nonsense"])); break;
      case 11: add(random.pick([T.keyword, T.integer, T.uri]), random.pick(["attributes-charset", "printer-uri", "job-id"]), random.chance(0.5) ? "x" : 1); break;
      case 12: add(T.text, "message", "m".repeat(random.between(0, 1100))); break;
      default: add(T.boolean, "ipp-attribute-fidelity", random.chance(0.5)); break;
    }
  }
  return attributes;
}

function ippJobTemplate(random) {
  const attributes = [];
  for (let i = random.below(4); i > 0; i--) {
    switch (random.below(6)) {
      case 0: attributes.push([T.integer, "copies", random.between(0, 3)]); break;
      case 1: attributes.push([T.keyword, "sides", random.pick(["one-sided", "two-sided-long-edge"])]); break;
      case 2: attributes.push([T.keyword, "media", random.pick(["iso_a4_210x297mm", "na_letter_8.5x11in", "na_legal_8.5x14in"])]); break;
      case 3: attributes.push([T.begCollection, "media-col", [[[T.begCollection, "media-size", [[[T.integer, "x-dimension", random.pick([21000, 21590, 10000])], [T.integer, "y-dimension", 29700]]]],
        [T.keyword, "media-type", random.pick(["stationery", "photographic"])]]]]); break;
      case 4: attributes.push([T.enum, "finishings", [3, random.pick([3, 4])]]); break;
      default: attributes.push([T.keyword, "print-scaling", "fit"]); break;
    }
  }
  return attributes;
}

function ippClient(random, index) {
  const client = newClient("ipp", index);
  client.from = `10.3.0.${index + 1}`;
  const push = (bytes) => { client.steps.push({ bytes }); client.inputs++; };
  const roll = random.below(100);
  client.wellFramed = false;
  if (roll < 8) {
    push(random.pick([random.bytes(random.between(1, 400)), latin1Bytes("GET /ipp/print HTTP/1.0\r\n\r\n"),
      latin1Bytes(`POST /ipp/print HTTP/1.1\r\n${"X-Junk: y\r\n".repeat(random.between(1, 50))}`), latin1Bytes("\r\n\r\n\r\n")]));
  } else if (roll < 18) {
    const path = random.pick(["/", "/icon.png", "/ipp/print", "/nothing", "/ipp/print/../..", "/%00"]);
    push(latin1Bytes(`${random.pick(["GET", "GET", "PUT", "DELETE", "OPTIONS"])} ${path} HTTP/1.1\r\nHost: fuzz\r\n\r\n`));
    client.wellFramed = true;
  } else {
    const operation = random.chance(0.9) ? random.pick(ippOperations) : random.between(0, 0xffff);
    const [major, minor] = random.chance(0.9) ? random.pick([[2, 0], [1, 1], [1, 0], [2, 1]]) : random.pick([[0, 0], [3, 5], [255, 255]]);
    const requestId = random.chance(0.95) ? random.between(1, 1000000) : 0;
    const first = preamble("ipp://fuzz/ipp/print");
    const leading = random.chance(0.9) ? first : random.pick([[], [first[1], first[0], first[2]], [first[0], first[2]]]);
    const operationGroup = [...leading, [T.name, "requesting-user-name", random.pick(["fuzzer", "other", ""])], ...ippAttributes(random, client.from)];
    const documentOp = operation === Op.printJob || operation === Op.sendDocument || operation === Op.validateJob;
    if (operation === Op.printJob || operation === Op.createJob) operationGroup.push([T.name, "job-name", `fuzz-ipp-${client.from}`]);
    // A raster document (mutated or not), sent well framed so that what the server got is known: the converter's.
    const raster = documentOp && random.chance(0.3) ? rasterDocument(random) : undefined;
    if (raster) {
      operationGroup.push([T.mimeMediaType, "document-format", raster.format]);
      client.raster = raster;
    }
    const groups = [[T.operation, operationGroup]];
    if (random.chance(0.4)) groups.push([T.job, ippJobTemplate(random)]);
    const document = raster ? raster.bytes
      : documentOp && random.chance(0.8) ? random.bytes(random.chance(0.2) ? random.between(4096, 40_000) : random.between(0, 3000)) : undefined;
    let body = ippMessage({ major, minor, operation, requestId, groups, data: document });
    client.requestId = requestId;
    client.headerIntact = true;
    // Corruption: bytes flipped, a length made to lie, or the message cut short.
    const corruption = raster ? 9 : random.below(10);
    if (corruption === 0) {
      body = body.slice();
      for (let i = random.between(1, 8); i > 0; i--) body[random.below(body.length)] = random.below(256);
      client.headerIntact = false;
    } else if (corruption === 1) {
      body = body.slice();
      const at = random.between(9, Math.max(9, body.length - 3));
      body[at] = 0x7f; body[at + 1] = 0xff;
      client.headerIntact = false;
    } else if (corruption === 2) {
      body = body.subarray(0, random.below(body.length));
      client.headerIntact = body.length >= 8;
    }
    const expect = random.chance(0.5) ? "Expect: 100-continue\r\n" : "";
    const type = random.chance(0.95) ? "Content-Type: application/ipp\r\n" : random.pick(["Content-Type: text/plain\r\n", ""]);
    const framing = raster ? random.pick([0, 5]) : random.below(10);
    if (framing < 5) {
      const lie = !raster && random.chance(0.1) ? random.pick([-5, 100, 100000]) : 0;
      const length = !raster && random.chance(0.03) ? random.pick(["", "abc", "-1", "99999999999"]) : String(Math.max(0, body.length + lie));
      push(concat(latin1Bytes(`POST /ipp/print HTTP/1.1\r\nHost: fuzz\r\n${type}${expect}Content-Length: ${length}\r\n\r\n`), body));
      client.wellFramed = lie === 0 && length === String(body.length);
    } else if (framing < 9) {
      push(chunkedPost(body, random.pick([1, 7, 100, 1460, 8192, 65536]), expect !== "", type));
      client.wellFramed = true;
    } else {
      // Hostile chunk framing: bad sizes, endless extensions, a missing CRLF, a chunk longer than said.
      const line = random.pick(["zz\r\n", "-5\r\n", "fffffffff\r\n", `5;${"e".repeat(300)}\r\n`, "3\r\nabcdef\r\n", "\r\n\r\n"]);
      push(concat(latin1Bytes(`POST /ipp/print HTTP/1.1\r\nHost: fuzz\r\n${type}Transfer-Encoding: chunked\r\n\r\n${line}`), body));
    }
    client.body = body;
  }
  if (random.chance(0.2)) client.steps.push({ wait: random.chance(0.8) ? random.between(1, 3000) : random.between(30_000, 90_000) });
  ending(random, client);
  return client;
}

function newClient(kind, index) {
  const client = {
    kind, from: `10.${kind === "lpd" ? 1 : 2}.0.${index + 1}`, steps: [{ connect: true }], at: 0, inputs: 0, command: undefined,
    end: undefined, received: [], sent: 0, ended: undefined, cleanEnd: true, paused: false, lastStepAt: undefined,
    bytesSent() {
      const chunks = this.steps.filter((step) => step.bytes).map((step) => step.bytes);
      const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
      let at = 0;
      for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
      return out;
    },
  };
  return client;
}

/** How a client ends: FIN, reset, silence, or it stops reading and goes silent; sometimes at any point of its script. */
function ending(random, client) {
  if (random.chance(0.25)) {
    client.steps.length = random.between(1, client.steps.length);
    client.cleanEnd = false;
  }
  // Some clients' bytes reach the server in small pieces (a slow link), splitting lines and files anywhere.
  if (random.chance(0.1)) client.steps[0].sendWindow = random.pick([1, 13, 200, 1500]);
  const how = random.below(10);
  if (how < 5) client.steps.push({ fin: true });
  else if (how < 7) client.steps.push({ reset: true });
  else if (how < 9) client.steps.push({ silent: true });
  else client.steps.push({ pause: true }, { silent: true });
}

function rawClient(random, index) {
  const client = newClient("raw", index);
  const chunks = random.chance(0.15) ? 0 : random.between(1, 8);
  for (let i = 0; i < chunks; i++) {
    client.steps.push({ bytes: random.bytes(random.chance(0.2) ? random.between(4096, 30_000) : random.between(1, 2000)) });
    client.inputs++;
    // Pauses shorter than the 30 s idle timeout keep a whole job; longer ones may cut it.
    if (random.chance(0.2)) {
      const wait = random.chance(0.9) ? random.between(1, 5000) : random.between(20_000, 100_000);
      if (wait > 25_000) client.cleanEnd = false;
      client.steps.push({ wait });
    }
  }
  ending(random, client);
  if (!chunks) client.inputs++;
  return client;
}

function lpdClient(random, index) {
  const client = newClient("lpd", index);
  const push = (text, what = 1) => { client.steps.push({ bytes: typeof text === "string" ? latin1Bytes(text) : text }); client.inputs += what; };
  const roll = random.below(100);
  if (roll < 8) {
    // Not a command at all: random bytes, an overlong line, a line with no LF.
    const kind = random.below(3);
    const text = kind === 0 ? String.fromCharCode(...random.bytes(random.between(1, 300)))
      : kind === 1 ? "\x02" + "A".repeat(random.between(250, 3000)) + (random.chance(0.5) ? "\n" : "")
      : String.fromCharCode(random.between(1, 5)) + queueName(random);
    client.command = text.charCodeAt(0);
    push(text);
  } else if (roll < 14) {
    client.command = random.pick([0, 6, 7, 0x41, 0xff, 10]);
    push(String.fromCharCode(client.command) + queueName(random) + "\n");
  } else if (roll < 18) {
    client.command = 1;
    push(`\x01${queueName(random)}\n`);
  } else if (roll < 32) {
    client.command = random.pick([3, 4]);
    client.asksText = true;
    push(`${String.fromCharCode(client.command)}${queueName(random)}${listOperands(random)}\n`);
  } else if (roll < 42) {
    client.command = 5;
    client.asksText = true;
    push(`\x05${queueName(random)} ${random.pick(["root", "root", "fuzzer", "", "-", "\xe9l\xe8ve", "a".repeat(200), "\0", "peer"])}${listOperands(random)}\n`);
  } else {
    client.command = 2;
    push(`\x02${queueName(random)}\n`);
    receiveJob(random, client, push);
  }
  if (random.chance(0.3)) client.steps.push({ wait: random.chance(0.8) ? random.between(1, 3000) : random.between(30_000, 90_000) });
  ending(random, client);
  return client;
}

function receiveJob(random, client, push) {
  const subcommands = random.between(0, 6);
  let order = random.chance(0.5);          // control file first or data file first
  for (let i = 0; i < subcommands; i++) {
    const roll = random.below(100);
    if (roll < 8) { push("\x01\n"); continue; }                                   // abort job
    if (roll < 14) { push(String.fromCharCode(random.pick([0, 4, 5, 0x20, 0xff, 10])) + "x\n"); continue; }
    if (roll < 18) { push(String.fromCharCode(...random.bytes(random.between(1, 100)))); continue; }
    if (roll < 21) { push("\x03" + " ".repeat(random.between(250, 600)) + "\n"); continue; }
    const controlFile = (roll < 60) === order;
    order = !order;
    const content = controlFile ? controlFileContent(random) : random.bytes(random.chance(0.2) ? random.between(4096, 40_000) : random.between(0, 3000));
    const length = content.length;
    const announced = random.chance(0.7) ? String(length) : hostileCount(random, length);
    const name = random.pick([`${controlFile ? "cf" : "df"}A${random.between(0, 999)}host`, "", "x y", "\xe9", "a".repeat(300)]);
    const separator = random.pick([" ", " ", " ", "\t", "  "]);
    push(`${controlFile ? "\x02" : "\x03"}${announced}${separator}${name}${random.chance(0.95) ? "\n" : ""}`);
    // The file: as announced, shorter, or longer; then its zero byte, a wrong one, none, or two.
    const cut = random.below(10);
    const bytes = typeof content === "string" ? latin1Bytes(content) : content;
    if (cut === 0) push(bytes.subarray(0, random.below(length + 1)));
    else if (cut === 1) push(concat(bytes, random.bytes(random.between(1, 200))));
    else if (length) push(bytes);
    const terminator = random.below(12);
    if (terminator < 8) push(new Uint8Array(1), 0);
    else if (terminator === 8) push(Uint8Array.of(1), 0);
    else if (terminator === 9) push(new Uint8Array(2), 0);
    else if (terminator === 10) push(Uint8Array.of(0x0a), 0);
    // 11: none
    if (random.chance(0.1)) client.steps.push({ wait: random.between(1, 2000) });
  }
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function queueName(random) {
  return random.pick(["raw", "raw", "lp", "text", "TEXT", "", " raw", "raw\tlp", "\xe9\xff\xfe", "q\0ueue", "a".repeat(random.between(100, 260)), "PORT1", "__proto__", "\r"]);
}

function listOperands(random) {
  let text = "";
  for (let i = random.below(5); i > 0; i--) {
    text += random.pick([" ", "\t", "  "]) + random.pick(["1", "2", "3", String(random.between(0, 40)), "-1", "0x2", "99999999999999999999", "all", "-", "fuzzer", "root", "10.1.0.1", "10.2.0.1", "\xe9", "NaN", "constructor"]);
  }
  return text;
}

function hostileCount(random, length) {
  return random.pick([
    "", "-" + length, "0x" + length.toString(16), " " + length, length + " ", "\t" + length, "+" + length, "99999999999", "4294967296",
    "2147483648", "2147483647", "0" + length, String(length + random.between(1, 50)), String(Math.max(0, length - random.between(1, 50))),
    "1e3", "twelve", "\xe9", "0", "00000000000", "16385",
  ]);
}

function controlFileContent(random) {
  const lines = [];
  for (let i = random.between(0, 12); i > 0; i--) {
    const roll = random.below(12);
    if (roll < 6) lines.push(random.pick(["H", "P", "J", "N", "l", "f", "U", "L", "C", "T", "M", "o", "p"]) + random.pick(["fuzz", "dfA001host", "", "a".repeat(random.between(100, 400)), "\xe9\xff", "x\0y", "alice"]));
    else if (roll < 8) lines.push(String.fromCharCode(...random.bytes(random.between(0, 200))).replace(/\n/g, "?"));
    else if (roll < 9) lines.push("");
    else if (roll < 10) lines.push("J" + "B".repeat(random.between(1000, 5000)));
    else lines.push(random.pick(["\0\0\0", "\r", "\x01\x02", "X garbage line"]));
  }
  return lines.join("\n") + (random.chance(0.8) ? "\n" : "");
}

function describeStep(step) {
  if (step.connect) return step.sendWindow ? `connect (${step.sendWindow} bytes per turn)` : "connect";
  if (step.bytes) {
    const head = String.fromCharCode(...step.bytes.subarray(0, 40));
    return `send ${step.bytes.length} ${JSON.stringify(head)}${step.bytes.length > 40 ? "..." : ""}`;
  }
  if (step.fin) return "FIN";
  if (step.reset) return "reset";
  if (step.pause) return "stop reading";
  if (step.wait) return `wait ${step.wait} ms`;
  return "silent";
}
