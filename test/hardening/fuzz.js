// A grammar-aware fuzzer for the control channel (issue 6, part 1): real verbs with hostile arguments, random
// bytes, overlong and unterminated lines, NUL and Telnet IAC sequences, pipelined commands, lines split at every
// byte, and data connections opened, fed, reset or left silent on the ports PASV and EPSV announce. Runs against
// the compiled firmware on the in-memory host (virtual time), from a seed, so every run can be repeated.
//
// The oracle, per input: after it, a sentinel "HELP Z<n>" must be answered (so the input got its replies, in
// order, and the session still works), or the server closed the connection cleanly, after a 221 or 421. Every
// reply line must be well formed. No exception may escape a callback, and none may be caught by the firmware's
// own last-resort guards (the log says "failed reading", "tick failed"...: on the device a bug, not a defence).
// After each round of sessions, slots, sockets, listeners, timers and the spool are back where they started.
// Engine-neutral.

import { ScenarioHost } from "../xs-host/host.js";
import { createRandom } from "./prng.js";
import { Wire } from "./wire.js";

const credentials = Object.freeze({ user: "print", password: "s3cret" });
const realVerbs = Object.freeze([
  "USER", "PASS", "ACCT", "REIN", "NOOP", "SYST", "FEAT", "OPTS", "HELP", "STAT", "ABOR", "PWD", "XPWD", "CWD", "XCWD",
  "CDUP", "XCUP", "TYPE", "MODE", "STRU", "ALLO", "PORT", "EPRT", "PASV", "EPSV", "LIST", "NLST", "MLSD", "MLST", "RETR",
  "STOR", "APPE", "STOU", "AUTH", "PBSZ", "PROT", "CCC", "DELE", "RMD", "XRMD", "MKD", "XMKD", "RNFR", "RNTO", "SIZE",
  "MDTM", "MFMT", "REST", "SMNT", "SITE", "LANG",
]);
const oddVerbs = Object.freeze(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "X", "STORE", "PASSW", "quit2", "\u00ff\u00fe"]);
const transferVerbs = Object.freeze(["STOR", "APPE", "STOU", "LIST", "NLST", "MLSD", "RETR"]);
/** Log lines that mean an exception was caught by a last-resort guard: a firmware bug. */
const guardedFailures = Object.freeze(["failed reading", "failed writing", "tick failed", "accept failed", "could not take a connection", "failed to open"]);

export function roundSeed(seed, round) {
  return (seed + Math.imul(round + 1, 0x9e3779b1)) >>> 0;
}

/**
 * Runs rounds until `count` inputs have been sent (or just round `only`). Returns the figures; `failure` holds the
 * first failure with its reproducer, and the run stops there.
 */
export function runFuzz({ seed = 1, count = 1000, only = undefined, report = () => {}, afterRound = () => {} } = {}) {
  const stats = { seed, inputs: 0, sessions: 0, rounds: 0, cleanCloses: 0, refusedAtConnect: 0, dataConnections: 0, crashes: 0, slotsLeaked: 0, failure: undefined };
  for (let round = only ?? 0; only !== undefined ? round === only : stats.inputs < count; round++) {
    const trail = [];
    try {
      fuzzRound(roundSeed(seed, round), stats, trail);
    } catch (error) {
      stats.crashes++;
      trail.push(...lastLog.slice(globalThis.fuzzLogLines ? -globalThis.fuzzLogLines : -6).map((line) => `log: ${line}`));
      stats.failure = `fuzz round ${round} failed (seed ${seed}): ${error?.message ?? error}\n` +
        `  reproduce: npm run fuzz -- --seed ${seed} --round ${round}\n` +
        `  last inputs of the session:\n${trail.slice(globalThis.fuzzLogLines ? -1000 : -16).map((line) => `    ${line}`).join("\n")}`;
      report(stats.failure);
      return stats;
    }
    stats.rounds++;
    afterRound(stats, round);
  }
  return stats;
}

let lastLog = [];

function fuzzRound(seedOfRound, stats, trail) {
  const random = createRandom(seedOfRound);
  const host = new ScenarioHost({
    credentials: random.chance(0.3) ? credentials : undefined,
    random: random.fork().next,
    profile: random.chance(0.15) ? "lin" : "esp32",
    bytesPerTurn: random.pick([64, 1000, 4096, Infinity]),
  });
  lastLog = host.log;
  try {
    host.runUntilIdle();
    const start = { timers: host.loop.pendingTimers(), listeners: host.net.openListeners(), sockets: host.net.openSockets() };
    const sessions = random.between(2, 6);
    for (let i = 0; i < sessions; i++) fuzzSession(host, random, stats, trail);
    waitFor(host, () => host.server.connectionsInUse() === 0, "every slot to be free after the round", 3_600_000);
    const now = { timers: host.loop.pendingTimers(), listeners: host.net.openListeners(), sockets: host.net.openSockets() };
    if (now.timers !== start.timers || now.listeners !== start.listeners || now.sockets !== start.sockets || host.server.spool.queueLength !== 0) {
      stats.slotsLeaked++;
      throw new Error(`not back where the round started: ${JSON.stringify({ start, now, queue: host.server.spool.queueLength })}`);
    }
    const caught = host.log.find((line) => guardedFailures.some((text) => line.includes(text)));
    if (caught) throw new Error(`an exception was caught by a last-resort guard: ${caught}`);
    host.finish();
  } finally {
    host.shutDown();
    host.release();
  }
}

function fuzzSession(host, random, stats, trail) {
  const from = random.pick(["127.0.0.1", "10.0.0.7", "10.0.0.66", "::ffff:10.0.0.7"]);
  trail.length = 0;
  trail.push(`connect from ${from}`);
  const wire = new Wire(host.net, { port: host.server.port, from });
  const dataEnds = [];
  stats.sessions++;
  waitFor(host, () => wire.replies.length > 0 || wire.closed, "the greeting", 10_000);
  const greeting = wire.take();
  if (!greeting.length || greeting[0].code === 421) {
    waitFor(host, () => wire.closed, "a turned-away client to be closed", 10_000);
    stats.refusedAtConnect++;
    return;
  }
  let sentinel = 0, quitSent = false, loggedIn = false;
  const exchange = (bytes, split, description) => {
    trail.push(split ? `${description} (sent a byte per turn)` : description);
    if (split) wire.end.sendWindow = 1;
    wire.send(bytes);
    const tag = `Z${++sentinel}`;
    wire.send(`\r\n\r\nHELP ${tag}\r\n`);
    const answer = `501 Unknown command ${tag}.`;
    let answered = false;
    const seen = [];
    waitFor(host, () => {
      for (const reply of wire.take()) {
        seen.push(reply);
        if (reply.lines[0] === answer) answered = true;
        if (reply.code === 230) loggedIn = true;
      }
      return answered || wire.closed;
    }, `the reply to ${description}`, 600_000);
    wire.end.sendWindow = Infinity;
    if (wire.malformed) throw new Error(wire.malformed);
    for (const reply of seen) openData(host, random, wire, reply, dataEnds, stats, trail);
    if (/quit/i.test(typeof bytes === "string" ? bytes : "")) quitSent = true;
    if (wire.closed && !answered) {
      const last = seen[seen.length - 1];
      // A client that goes on sending after its QUIT (or while the login timeout closes it) may meet an RST, as from
      // any TCP server: bytes that land after close() make the stack reset, and the reset can overtake the 221/421.
      if (wire.end.closeReason === "reset" && (quitSent || !loggedIn)) { stats.cleanCloses++; return false; }
      if (!last || (last.code !== 221 && last.code !== 421)) throw new Error(`closed without a 221 or 421; last reply ${JSON.stringify(last?.lines)}; closed by ${wire.end.closeReason}, unparsed ${JSON.stringify(wire.text.slice(wire.consumed))}, pending ${JSON.stringify(wire.pending)}; sent ${JSON.stringify(typeof bytes === "string" ? bytes.slice(0, 600) : "")}`);
      stats.cleanCloses++;
    }
    return !wire.closed;
  };

  if (random.chance(0.75)) {
    const password = host.settings.credentials && random.chance(0.8) ? credentials.password : "guess";
    if (!exchange(`USER print\r\nPASS ${password}\r\n`, false, "USER print / PASS")) return endSession(host, random, wire, dataEnds, trail);
  }
  const inputs = random.between(5, 40);
  for (let i = 0; i < inputs; i++) {
    const item = generate(random);
    stats.inputs += item.count;
    if (!exchange(item.bytes, random.chance(0.12), item.description)) break;
  }
  endSession(host, random, wire, dataEnds, trail);
}

function endSession(host, random, wire, dataEnds, trail) {
  const how = random.below(10);
  trail.push(`end: ${how < 5 ? "QUIT" : how < 7 ? "reset" : how < 9 ? "FIN" : "walk away"}`);
  if (how < 5) wire.send("QUIT\r\n");
  else if (how < 7) wire.end.reset();
  else if (how < 9) wire.end.end();
  // else: walk away; the login or idle timeout must close it
  for (const end of dataEnds) if (!end.closed && random.chance(0.5)) end.reset();
  waitFor(host, () => wire.closed || wire.end.closed, "the session to end", 2_000_000);
  for (const end of dataEnds) if (!end.closed) end.reset();
  host.runUntilIdle();
}

/** On a 227 or 229, maybe connect to the announced port and do something with it. */
function openData(host, random, wire, reply, dataEnds, stats, trail) {
  let port;
  const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.lines[0]);
  const epsv = /\(\|\|\|(\d+)\|\)/.exec(reply.lines[0]);
  if (reply.code === 227 && pasv) port = Number(pasv[5]) * 256 + Number(pasv[6]);
  else if (reply.code === 229 && epsv) port = Number(epsv[1]);
  else return;
  if (!random.chance(0.7)) return;
  const from = random.chance(0.9) ? wire.from : "10.0.0.99";     // sometimes a thief
  const end = host.net.connect({ port, address: "10.0.0.2", from });
  dataEnds.push(end);
  stats.dataConnections++;
  const behaviour = random.below(5);
  trail.push(`data connection to ${port} from ${from}: ${["upload + FIN", "upload", "upload + reset", "never reads", "silent"][behaviour]}`);
  if (behaviour <= 1) {
    end.write(random.bytes(random.between(0, 12_000)));
    if (behaviour === 0) end.end();
  } else if (behaviour === 2) {
    end.write(random.bytes(random.between(1, 3000)));
    end.reset();
  } else if (behaviour === 3) end.pause();                      // a reader that never reads
  // 4: silent
}

function waitFor(host, done, what, withinMs) {
  const loop = host.loop;
  const start = loop.now();
  while (!done()) {
    const turns = loop.runUntilIdle({ maxTurns: 1 });
    if (host.uncaught.length) throw new Error(`an exception escaped a callback (the device would abort): ${host.uncaught[0]?.stack ?? host.uncaught[0]}`);
    if (turns > 0) continue;
    const waited = loop.now() - start;
    if (waited >= withinMs) throw new Error(`no answer: ${what} did not happen within ${withinMs} ms of virtual time`);
    loop.advance(waited < 3000 ? 10 : 1000);
  }
  if (host.uncaught.length) throw new Error(`an exception escaped a callback (the device would abort): ${host.uncaught[0]?.stack ?? host.uncaught[0]}`);
}

// ---- the grammar ----

function generate(random) {
  const kind = random.below(100);
  if (kind < 55) return one(command(random), random, "command");
  if (kind < 63) {
    const count = random.between(2, 8);
    let text = "";
    for (let i = 0; i < count; i++) text += command(random) + terminator(random);
    return { bytes: text, count, description: `pipelined ${JSON.stringify(text.slice(0, 200))}` };
  }
  if (kind < 70) {
    const bytes = random.bytes(random.between(1, 200));
    return { bytes, count: 1, description: `random bytes ${JSON.stringify(Array.from(bytes.slice(0, 64)))}` };
  }
  if (kind < 75) {
    const text = random.pick(["STOR ", "USER ", "", "CWD /"]) + "A".repeat(random.between(500, 6000));
    return one(text, random, "overlong", random.chance(0.7) ? terminator(random) : "");
  }
  if (kind < 78) return one(command(random), random, "unterminated", "");
  if (kind < 88) {
    const text = random.pick([
      "\xff\xf4\xff\xf2ABOR\r\n", "\xff\xf4\xffABOR\r\n", "\xff\xf4\xff\xf2", "\xff\xfb\x01NOOP\r\n", "\xff\xfd", "\xff\xff\xffNOOP\r\n",
      "\xff", "NO\xffOP\r\n", "\0\0\0\r\n", "NO\0OP\r\n", "\r\0\n", "\xffUSER x\r\n", "\xff\xfe\xff\xfe\xff\xfe", "ABOR\r", "\xf2ABOR\n",
      "\xff\xf0\xff\xf1\xff\xfa\xff\xf0", "STAT\xff\xf4\r\n",
    ]);
    return one(text, random, "telnet", "");
  }
  const verb = random.pick(["PASV", "EPSV", "EPSV 1", "PASV"]);
  const transfer = random.pick(transferVerbs);
  const text = `TYPE ${random.pick(["I", "A"])}\r\n${verb}\r\n${transfer}${random.chance(0.8) ? " " + argument(random) : ""}${terminator(random)}`;
  return { bytes: text, count: 3, description: `transfer ${JSON.stringify(text.slice(0, 200))}` };
}

function one(text, random, kind, end = terminator(random)) {
  return { bytes: text + end, count: 1, description: `${kind} ${JSON.stringify((text + end).slice(0, 200))}` };
}

function terminator(random) {
  return random.pick(["\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r"]);
}

function command(random) {
  const roll = random.below(100);
  let verb = roll < 85 ? random.pick(realVerbs) : roll < 95 ? random.pick(oddVerbs) : random.pick(["QUIT", "REIN"]);
  if (random.chance(0.15)) verb = verb.toLowerCase();
  if (random.chance(0.2)) return verb;
  const separator = random.pick([" ", " ", " ", "  ", "\t", " \0"]);
  return verb + separator + argument(random);
}

function argument(random) {
  switch (random.below(14)) {
    case 0: return "";
    case 1: return random.pick([" ", "   ", "\t"]);
    case 2: return random.pick(["../../etc/passwd", "/PORT1/", "status.txt", "PORT1/../..", "/PORT1/../../x", "..", ".", "/", "~", "*", "/dev/mem", "C:\\x"]);
    case 3: return random.pick(["a", "/", "./", "../"]).repeat(random.between(1, 300));
    case 4: return random.pick(["-1", "0", "65536", "99999999999999999999", "1e309", "0x10", "NaN", "Infinity", "-0", "1.5"]);
    case 5: return random.pick(["A", "A N", "L 8", "I", "E", "S", "F", "B", "ALL", "1", "2", "UTF8 ON", "MLST type;", "A T", "L 7", ""]);
    case 6: {
      const numbers = [];
      for (let i = 0; i < random.between(4, 8); i++) numbers.push(random.chance(0.8) ? random.below(256) : random.pick([-1, 256, 1000, 99999]));
      return numbers.join(random.pick([",", ", ", ",,"]));
    }
    case 7: {
      const delimiter = random.pick(["|", "!", "#", " ", "\x7f", "a"]);
      const family = random.pick(["1", "2", "3", "", "01", "+1"]);
      const address = random.pick(["127.0.0.1", "10.0.0.7", "::1", "::ffff:10.0.0.7", "1.2.3", "999.1.1.1", ""]);
      const port = random.pick(["1025", "21", "0", "65536", "", "x"]);
      return [delimiter, family, delimiter, address, delimiter, port, delimiter].join("");
    }
    case 8: return random.pick(["%s%s%n%x", "${x}", "'\"; DROP TABLE", "<script>", "\u00e9\u00ff", "__proto__", "constructor"]);
    case 9: return random.pick(realVerbs);
    case 10: {
      let text = "";
      for (let i = random.between(0, 100); i > 0; i--) text += String.fromCharCode(random.between(32, 126));
      return text;
    }
    case 11: {
      let text = "";
      for (let i = random.between(1, 60); i > 0; i--) {
        const code = random.below(256);
        text += code === 10 || code === 13 ? "x" : String.fromCharCode(code);
      }
      return text;
    }
    case 12: return `10,0,0,7,${random.between(0, 255)},${random.below(256)}`;
    default: return `job-${random.below(1000)}.prn`;
  }
}
