// The soak (issue 6, part 4): many print jobs, each with content known to the test, through random faults (clients
// resetting the control or data connection mid-upload, ABOR at random points, QUIT during the transfer, data
// connections closed early, slow senders, more clients than slots, the printer going offline, out of paper and
// busy), on the in-memory host with virtual time, from a seed. At the end of every batch it checks that every job
// that got 226 reached the printer exactly once and whole (the bytes the 226 counted), that no job interleaved
// with another or printed twice, that every cut or aborted job is accounted for in the spool's counters and the
// status file, and that slots, sockets, listeners and timers are back where they started. Engine-neutral.

import { ScenarioHost } from "../xs-host/host.js";
import { PrinterState } from "print/port";
import { statusReport } from "print/statusReport";
import { createRandom } from "./prng.js";
import { Wire } from "./wire.js";

const Plans = Object.freeze(["whole", "whole", "whole", "whole", "slow", "abort", "resetData", "resetControl", "finEarly", "quitDuring", "idleThenWhole"]);
const jobsPerBatch = 100;

export function runSoak({ seed = 1, jobs = 200, report = () => {}, sample = () => {} } = {}) {
  const stats = {
    seed, jobs: 0, batches: 0, completed: 0, printedWhole: 0, printedCut: 0, aborted: 0, vanished: 0, turnedAway: 0,
    neverStarted: 0, bytesSent: 0, bytesPrinted: 0, bytesLost: 0, bytesDuplicated: 0, jobsDuplicated: 0, jobsInterleaved: 0,
    printerStalls: 0, slotsLeaked: 0, failure: undefined, summary: "",
  };
  for (let batch = 0; stats.jobs < jobs; batch++) {
    try {
      soakBatch(createRandom((seed + Math.imul(batch + 1, 0x85ebca6b)) >>> 0), Math.min(jobsPerBatch, jobs - stats.jobs), stats);
    } catch (error) {
      stats.failure = `soak batch ${batch} failed (seed ${seed}): ${error?.message ?? error}\n  reproduce: npm run soak -- --seed ${seed} --jobs ${stats.jobs + jobsPerBatch}`;
      report(stats.failure);
      break;
    }
    stats.batches++;
    if (batch % 5 === 4) {
      sample();
      report(`  ${stats.jobs} jobs, ${stats.completed} with 226, ${stats.bytesPrinted} bytes printed`);
    }
  }
  stats.summary = `soak: seed ${seed}, ${stats.jobs} jobs (${stats.completed} got 226: ${stats.printedWhole} whole, ${stats.printedCut} cut short by their client; ` +
    `${stats.aborted} aborted, ${stats.vanished} clients vanished, ${stats.neverStarted} never reached the printer; ${stats.turnedAway} turned away at a full server, ` +
    `${stats.printerStalls} printer stalls); ${stats.bytesSent} bytes sent, ${stats.bytesPrinted} printed; bytes lost ${stats.bytesLost}, ` +
    `duplicated ${stats.bytesDuplicated}; jobs printed twice ${stats.jobsDuplicated}, interleaved ${stats.jobsInterleaved}; slots leaked ${stats.slotsLeaked}`;
  if (!stats.failure && (stats.bytesLost || stats.bytesDuplicated || stats.jobsDuplicated || stats.jobsInterleaved || stats.slotsLeaked))
    stats.failure = `soak failed (seed ${seed}): ${stats.summary}`;
  return stats;
}

function soakBatch(random, jobCount, stats) {
  const host = new ScenarioHost({ random: random.fork().next, bytesPerTurn: random.pick([512, 4096, 20_000]) });
  try {
    host.runUntilIdle();
    const start = { timers: host.loop.pendingTimers(), listeners: host.net.openListeners() };
    const actors = [];
    let next = 0;
    let stallUntil = 0, nextStall = host.loop.now() + random.between(1000, 60_000);
    const concurrency = random.between(2, 5);
    while (next < jobCount || actors.some((actor) => !actor.done)) {
      const active = actors.filter((actor) => !actor.done).length;
      if (next < jobCount && active < concurrency && random.chance(0.3)) actors.push(new Actor(host, random.fork(), `b${stats.batches}j${next++}`));
      const now = host.loop.now();
      if (stallUntil && now >= stallUntil) { host.printer.resume(); stallUntil = 0; }
      else if (!stallUntil && now >= nextStall) {
        host.printer.stall(random.pick([PrinterState.Offline, PrinterState.PaperOut, PrinterState.Busy]));
        stats.printerStalls++;
        stallUntil = now + random.between(100, 120_000);
        nextStall = stallUntil + random.between(1000, 300_000);
      }
      host.loop.runUntilIdle();
      if (host.uncaught.length) throw new Error(`an exception escaped a callback: ${host.uncaught[0]?.stack ?? host.uncaught[0]}`);
      let moved = false;
      for (const actor of actors) if (!actor.done && actor.step()) moved = true;
      if (!moved) host.loop.advance(random.between(1, 50));
      for (const actor of actors)
        if (!actor.done && host.loop.now() - actor.startedAt > 4 * 3600_000) throw new Error(`job ${actor.name} (${actor.plan}) stuck in "${actor.state}"`);
    }
    if (stallUntil) host.printer.resume();
    const settleStart = host.loop.now();
    while (host.server.connectionsInUse() > 0) {
      host.loop.advance(100);
      if (host.loop.now() - settleStart > 3600_000) { stats.slotsLeaked += host.server.connectionsInUse(); throw new Error("slots still in use an hour after the last job"); }
    }
    check(host, actors, stats);
    const now = { timers: host.loop.pendingTimers(), listeners: host.net.openListeners(), sockets: host.net.openSockets() };
    if (now.timers !== start.timers || now.listeners !== start.listeners || now.sockets !== 0 || host.server.spool.queueLength) {
      stats.slotsLeaked++;
      throw new Error(`not back where the batch started: ${JSON.stringify({ start, now })}`);
    }
    host.finish();
  } finally {
    host.shutDown();
    host.release();
  }
}

/** TYPE A: a bare LF is printed as CR LF. */
function asPrinted(bytes, ascii) {
  if (!ascii) return bytes;
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10 && (i === 0 || bytes[i - 1] !== 13)) out.push(13);
    out.push(bytes[i]);
  }
  return Uint8Array.from(out);
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isPrefix(prefix, whole) {
  if (prefix.length > whole.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== whole[i]) return false;
  return true;
}

function check(host, actors, stats) {
  const printer = host.printer, spool = host.server.spool;
  if (printer.violations.length) {
    stats.jobsInterleaved += printer.violations.length;
    throw new Error(`printer contract broken (jobs interleaved?): ${printer.violations.slice(0, 3).join("; ")}`);
  }
  const byName = new Map();
  for (const job of printer.jobs) {
    if (byName.has(job.name)) {
      stats.jobsDuplicated++;
      stats.bytesDuplicated += job.bytes.length;
      throw new Error(`job ${job.name} reached the printer twice`);
    }
    byName.set(job.name, job);
  }
  let complete = 0, incomplete = 0;
  for (const job of printer.jobs) job.complete ? complete++ : incomplete++;
  for (const actor of actors) {
    stats.jobs++;
    stats.bytesSent += actor.sent;
    if (actor.turnedAway) stats.turnedAway += actor.turnedAway;
    const job = byName.get(actor.name);
    byName.delete(actor.name);
    const expected = asPrinted(actor.content, actor.ascii);
    if (actor.got226 !== undefined) {
      stats.completed++;
      const counted = asPrinted(actor.content.subarray(0, actor.got226), actor.ascii);
      if (!job || !job.complete || !sameBytes(job.bytes, counted)) {
        stats.bytesLost += Math.max(0, counted.length - (job?.bytes.length ?? 0));
        stats.bytesDuplicated += Math.max(0, (job?.bytes.length ?? 0) - counted.length);
        throw new Error(`job ${actor.name} (${actor.plan}) got 226 for ${actor.got226} bytes but the printer has ${job ? `${job.bytes.length} bytes, complete ${job.complete}, same bytes ${sameBytes(job.bytes, counted)}` : "nothing"}`);
      }
      if (actor.got226 === actor.content.length) stats.printedWhole++;
      else stats.printedCut++;
      stats.bytesPrinted += job.bytes.length;
      continue;
    }
    if (actor.plan === "abort" && actor.aborted) stats.aborted++;
    else if (actor.vanished) stats.vanished++;
    if (!job) { stats.neverStarted++; continue; }
    // No 226: an aborted or cut job, printed in part, never beyond what was sent; or a job that drained after its
    // client vanished (complete, but nobody was told).
    if (!isPrefix(job.bytes, expected)) throw new Error(`job ${actor.name} (${actor.plan}) printed bytes that were never sent in that order`);
    if (job.complete && !actor.vanished) throw new Error(`job ${actor.name} (${actor.plan}) printed complete but its client got no 226`);
    stats.bytesPrinted += job.bytes.length;
  }
  if (byName.size) throw new Error(`the printer has jobs no client sent: ${Array.from(byName.keys()).join(", ")}`);
  // The spool's counters and the status file account for every job the printer saw.
  // A job cancelled while it waited in the queue is counted but never reached the printer.
  const submitted = actors.filter((actor) => actor.submitted).length;
  if (spool.jobsPrinted !== complete || spool.jobsPrinted + spool.jobsAborted + spool.jobsClientLost !== submitted || incomplete > spool.jobsAborted + spool.jobsClientLost)
    throw new Error(`spool counters (${spool.jobsPrinted} printed, ${spool.jobsAborted} aborted, ${spool.jobsClientLost} cut short) do not account for ` +
      `${submitted} jobs queued (the printer has ${complete} complete, ${incomplete} cut)`);
  stats.accounted = (stats.accounted ?? 0) + submitted;
  const status = statusReport(spool, "ftprint");
  const line = `jobs printed: ${complete}, aborted: ${spool.jobsAborted}, cut short: ${spool.jobsClientLost}`;
  if (!status.includes(line)) throw new Error(`status.txt does not say "${line}":\n${status}`);
}

/** One client printing one job, driven by replies as they come; step() returns whether it did anything. */
class Actor {
  constructor(host, random, name) {
    this.host = host;
    this.random = random;
    this.name = `${name}.prn`;
    this.plan = random.pick(Plans);
    this.mode = random.pick(["PASV", "EPSV", "PORT", "EPRT"]);
    this.ascii = random.chance(0.2);
    const length = random.chance(0.05) ? 0 : random.between(1, random.chance(0.2) ? 200_000 : 30_000);
    this.content = random.bytes(length);
    this.faultAt = random.between(0, length);
    this.from = random.pick(["10.0.0.7", "10.0.0.8", "10.0.0.9"]);
    this.startedAt = host.loop.now();
    this.sent = 0;
    this.done = false;
    this.turnedAway = 0;
    this.state = "connecting";
    this.data = undefined;
    this.got226 = undefined;
    this.connect();
  }

  connect() {
    this.wire = new Wire(this.host.net, { port: this.host.server.port, from: this.from });
    this.state = "greeting";
  }

  command(line, state) {
    this.wire.send(line + "\r\n");
    this.state = state;
  }

  finish() {
    this.done = true;
    if (this.data && !this.data.closed) this.data.reset();
    this.listener?.close();
  }

  step() {
    let moved = false;
    if (this.wire.malformed) throw new Error(`job ${this.name}: ${this.wire.malformed}`);
    for (const reply of this.wire.take()) {
      moved = true;
      this.onReply(reply);
      if (this.done) return true;
    }
    if (this.state === "waitRetry" && this.host.loop.now() >= this.retryAt) { this.connect(); return true; }
    if (this.wire.closed && !this.done && this.state !== "waitRetry") {
      if (this.state === "quitting" || this.vanished) { this.finish(); return true; }
      throw new Error(`job ${this.name} (${this.plan}): the server closed the control connection in state "${this.state}"`);
    }
    if (this.state === "sending") moved = this.pump() || moved;
    return moved;
  }

  onReply(reply) {
    const code = reply.code, line = reply.lines[0];
    const unexpected = () => { throw new Error(`job ${this.name} (${this.plan}, ${this.mode}): unexpected reply "${line}" in state "${this.state}"`); };
    switch (this.state) {
      case "greeting":
        if (code === 421) { this.turnedAway++; this.state = "waitRetry"; this.retryAt = this.host.loop.now() + this.random.between(100, 5000); return; }
        if (code !== 220) unexpected();
        return this.command("USER soak", "user");
      case "user": if (code !== 331) unexpected(); return this.command("PASS soak", "pass");
      case "pass": if (code !== 230) unexpected(); return this.command(this.ascii ? "TYPE A" : "TYPE I", "type");
      case "type": {
        if (code !== 200) unexpected();
        if (this.plan === "idleThenWhole") { this.plan = "whole"; this.idleFor = this.random.between(1000, 200_000); }
        if (this.mode === "PORT" || this.mode === "EPRT") {
          this.listener = this.host.net.listen({ port: 0, address: this.from });
          this.listener.onConnection = (end) => { if (this.data) end.reset(); else this.data = end; };
          const port = this.listener.port;
          return this.command(this.mode === "PORT" ? `PORT ${this.from.split(".").join(",")},${port >> 8},${port & 255}` : `EPRT |1|${this.from}|${port}|`, "mode");
        }
        return this.command(this.mode, "mode");
      }
      case "mode": {
        if (this.mode === "PASV" || this.mode === "EPSV") {
          const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line), epsv = /\(\|\|\|(\d+)\|\)/.exec(line);
          const port = pasv ? Number(pasv[5]) * 256 + Number(pasv[6]) : epsv ? Number(epsv[1]) : unexpected();
          this.data = this.host.net.connect({ port, address: "10.0.0.2", from: this.from });
        } else if (code !== 200) unexpected();
        return this.command(`STOR ${this.name}`, "stor");
      }
      case "stor":
        if (code !== 150) unexpected();
        this.listener?.close();
        this.state = "sending";
        this.submitted = true;                       // the 150 of an upload: the job is in the spool's queue
        if (this.plan === "quitDuring") { this.wire.send("QUIT\r\n"); this.quitSent = true; }
        return;
      case "sending": case "finished":
        if (code === 226 && /bytes received(?: and printed|, \d+ printed)\./.test(line)) {
          this.got226 = Number(/(\d+) bytes/.exec(line)[1]);
          if (this.quitSent) { this.state = "quitting"; return; }
          return this.command("QUIT", "quitting");
        }
        if (code === 426 && this.plan === "abort") { this.state = "aborting"; return; }
        if (code === 426 && this.vanished) return;
        return unexpected();
      case "aborting":
        if (code === 426) return;
        if (code !== 226) unexpected();
        return this.command("QUIT", "quitting");
      case "abortIdle":
        // ABOR: 426 + 226 when the transfer was on, 225 when the job had already printed (its 226 came first).
        if (code === 226 && /bytes received(?: and printed|, \d+ printed)\./.test(line)) { this.got226 = Number(/(\d+) bytes/.exec(line)[1]); return; }
        if (code === 426) { this.state = "aborting"; return; }
        if (code === 225 || code === 226) return this.command("QUIT", "quitting");
        return unexpected();
      case "quitting":
        if (code === 221) return;
        if (code === 226 && /bytes received(?: and printed|, \d+ printed)\./.test(line)) { this.got226 = Number(/(\d+) bytes/.exec(line)[1]); return; }
        return unexpected();
      default:
        return unexpected();
    }
  }

  /** Sends the next piece of the job when the server has taken the last one (TCP's window), or does the fault. */
  pump() {
    const data = this.data;
    if (!data || !data.connected || this.state !== "sending") return false;
    if (this.idleFor) {
      this.idleUntil ??= this.host.loop.now() + this.idleFor;
      if (this.host.loop.now() < this.idleUntil) return false;
    }
    if (data.pending > 0) return false;
    if (this.sent >= this.faultAt && this.plan !== "whole" && this.plan !== "slow" && this.plan !== "quitDuring" && !this.faulted) {
      this.faulted = true;
      switch (this.plan) {
        case "abort":
          this.aborted = true;
          this.wire.send("ABOR\r\n");
          if (this.random.chance(0.5)) data.reset();
          this.state = "abortIdle";
          return true;
        case "resetData": data.reset(); this.state = "finished"; return true;   // the SDK cannot tell a reset from the end
        case "finEarly": data.end(); this.state = "finished"; return true;
        case "resetControl":
          this.vanished = true;
          this.wire.end.reset();
          if (this.random.chance(0.5)) data.reset(); else data.end();
          this.finish();
          return true;
      }
    }
    if (this.sent >= this.content.length) {
      data.end();
      this.state = "finished";
      return true;
    }
    const most = this.plan === "slow" ? this.random.between(1, 300) : this.random.between(512, 16_384);
    let count = Math.min(most, this.content.length - this.sent);
    if (this.plan !== "whole" && this.plan !== "slow" && this.sent < this.faultAt) count = Math.min(count, this.faultAt - this.sent);
    if (this.plan === "slow" && this.random.chance(0.5)) { this.idleFor = this.random.between(1, 2000); this.idleUntil = undefined; }
    else this.idleFor = 0;
    data.write(this.content.subarray(this.sent, this.sent + count));
    this.sent += count;
    return true;
  }
}
