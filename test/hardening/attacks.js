// Attack and slot-protection scenarios (issue 6, parts 2 and 3): what a careless or hostile client can try against
// the print server, each with the defence that must hold. Same shape as test/scenarios (name, options, run(host))
// and the same end-of-scenario checks (every slot free, no socket, listener or timer left). Engine-neutral.
//
// `tally` counts every hostile attempt made and every one refused, for the README's figures.

import { bytesOf, equal, fail, latin1, match, ok } from "../xs-host/assert.js";
import { expectJob, loggedIn, patternBytes, printed, printing, typeI, upload, bounceRefused } from "../scenarios/helpers.js";
import { createRandom } from "./prng.js";

export const tally = { tried: 0, refused: 0 };

/** One hostile attempt: `refusedNow` must hold. */
function attempt(refusedNow, what) {
  tally.tried++;
  if (!refusedNow) fail(`not refused: ${what}`);
  tally.refused++;
}

const loginTimedOut = "421 Login timed out; closing the control connection.";
const cannotOpen = "425 Cannot open data connection.";
const protocolNotSupported = "522 Network protocol not supported, use (1)";
const busy = "421 All 3 sessions are in use; try again later.";
const tooManyFailures = "421 Too many failed logins; closing the control connection.";
const addressBlocked = "421 Too many failed logins from your address; try again in 300 s.";
const credentials = Object.freeze({ user: "print", password: "s3cret" });
const seeded = (seed) => createRandom(seed).next;

/** A small job, to show the server still prints after an attack. */
function printsStill(host, name, from = "127.0.0.1") {
  const client = host.login({ from, name: `after ${name}` });
  client.expect("TYPE I", typeI);
  const data = patternBytes(3000, name.length);
  upload(client, name, [data]);
  client.quit();
  const job = host.printer.jobs.find((candidate) => candidate.name === name);
  ok(job?.complete === true, `job ${name} was not printed whole`);
  equal(latin1(job.bytes), latin1(data), `job ${name} bytes`);
}

export const attacks = [
  {
    name: "three silent connections are closed after the 30 s login timeout, so they cannot lock printing out",
    run(host) {
      const silent = [host.connect({ name: "silent 1" }), host.connect({ name: "silent 2" }), host.connect({ name: "silent 3" })];
      const fourth = host.connect({ greeting: false, name: "would-be printer" });
      fourth.expectReply(busy, "the 421 for a fourth client");
      fourth.waitClosed();
      host.advance(29_000);
      for (const client of silent) ok(!client.closed, `${client.name} closed before the login timeout`);
      host.advance(2_000);
      for (const client of silent) {
        client.expectReply(loginTimedOut, "the login timeout");
        client.waitClosed();
        attempt(client.closed, `${client.name} holding a slot without logging in`);
      }
      equal(host.server.connectionsInUse(), 0, "slots in use after the login timeout");
      printsStill(host, "after-silent.prn");
    },
  },
  {
    name: "a connection that keeps talking but never logs in is closed at 30 s just the same",
    run(host) {
      const chatty = host.connect({ name: "chatty" });
      for (let second = 0; second < 28; second += 4) {
        chatty.expect("NOOP", "200 NOOP okay.");
        chatty.expect("USER someone", "331 Password for someone, please.");
        host.advance(4_000);
      }
      host.advance(3_000);
      chatty.expectReply(loginTimedOut, "the login timeout");
      chatty.waitClosed();
      attempt(chatty.closed, "a chatty connection that never logs in");
    },
  },
  {
    name: "a PASV port nobody connects to is given up after 30 s with 425, and its listener is closed",
    run(host) {
      const client = host.login();
      const reply = client.command("PASV");
      match(reply.lines[0], /^227 /, "PASV reply");
      equal(host.net.openListeners(), 2, "listeners while PASV waits");
      client.send("STOR nobody.prn");
      host.advance(29_000);
      client.expectSilence("no reply before the data-connection timeout");
      host.advance(2_000);
      client.expectReply(cannotOpen, "the 425 for a data connection that never came");
      attempt(host.net.openListeners() === 1, "a PASV listener held open for ever");
      // PASV with no transfer command at all: the listener goes too, silently, and the session stays.
      client.command("EPSV");
      host.advance(31_000);
      attempt(host.net.openListeners() === 1, "an EPSV listener with no transfer held open for ever");
      client.expect("NOOP", "200 NOOP okay.");
      client.quit();
      equal(host.printer.jobs.length, 0, "jobs printed");
    },
  },
  {
    name: "a PORT target that refuses the connection gets 425 at once",
    run(host) {
      const client = host.login({ from: "10.0.0.7" });
      client.expect("PORT 10,0,0,7,156,64", "200 PORT command successful.");   // nobody listens on 40000
      const sentAt = host.loop.now();
      client.send("STOR refused.prn");
      client.expectReply(cannotOpen, "the 425 for a refused PORT connection");
      attempt(host.loop.now() - sentAt < 1000, "a refused PORT connection not answered at once");
      client.expect("EPRT |1|10.0.0.7|40001|", "200 EPRT command successful.");
      client.expect("LIST", cannotOpen);
      client.quit();
    },
  },
  {
    name: "a PORT target that never answers gets 425 within the 30 s data-connection timeout",
    run(host) {
      const client = host.login({ from: "10.0.0.7" });
      const target = client.active({ expectLines: ["200 PORT command successful."] });
      host.net.setBehaviour({ blackhole: [`10.0.0.7:${target.port}`] });
      const sentAt = host.loop.now();
      client.send("STOR blackhole.prn");
      client.reply("the 425 for a PORT target that never answers");   // asserted below: settle bounds the wait
      const waited = host.loop.now() - sentAt;
      attempt(waited <= 31_000, `a silent PORT target held the session for ${waited} ms`);
      equal(host.net.openSockets(), 1, "firmware sockets after the 425 (the control connection only)");
      target.close();
      host.net.setBehaviour({ blackhole: [] });
      client.quit();
      equal(host.printer.jobs.length, 0, "jobs printed");
    },
  },
  {
    name: "a logged-in session is still closed after 900 s idle, also with a PASV port left open",
    run(host) {
      const client = host.login();
      client.command("PASV");
      host.advance(899_000);
      ok(!client.closed, "closed before 900 s");
      equal(host.net.openListeners(), 1, "the PASV listener outlived the data-connection timeout");
      host.advance(2_000);
      client.expectReply("421 Idle too long; closing the control connection.", "the idle 421");
      client.waitClosed();
      attempt(client.closed, "a logged-in session idle for 900 s");
    },
  },
  {
    name: "an upload whose client goes silent is ended with 426 after 300 s, and the job queued behind it prints",
    run(host) {
      const stalled = host.login({ name: "stalled" });
      stalled.expect("TYPE I", typeI);
      const data = stalled.passive();
      stalled.expect("STOR stalled.prn", printing("BINARY"));
      data.write(patternBytes(1500));
      const waiting = host.login({ name: "waiting" });
      waiting.expect("TYPE I", typeI);
      const next = waiting.passive();
      waiting.expect("STOR next.prn", "150 Opening BINARY mode data connection; queued behind 1 job.");
      next.write(patternBytes(2000, 5));
      next.finish();
      stalled.send("QUIT");
      host.advance(290_000);
      stalled.expectSilence("nothing before the stall timeout");
      host.advance(12_000);
      stalled.expectReply("426 Data connection lost; transfer aborted.", "the 426 for a stalled upload");
      stalled.expectReply("221 Goodbye.", "the QUIT that waited for the transfer");
      stalled.waitClosed();
      attempt(stalled.closed, "a silent upload holding the printer for ever");
      waiting.expectReply(printed(2000), "the queued job's 226");
      waiting.quit();
      expectJob(host, 1, { name: "next.prn", bytes: patternBytes(2000, 5) });
      equal(host.printer.jobs[0].complete, false, "the stalled job is marked cut");
    },
  },
  {
    name: "a printer that is offline for an hour does not count as a stalled upload",
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const data = client.passive();
      client.expect("STOR offline.prn", printing("BINARY"));
      host.printer.stall(2);                         // PrinterState.Offline
      const sent = patternBytes(40_000, 9);
      data.write(sent);
      data.finish();
      host.advance(3_600_000);
      client.expectSilence("no 426 while the printer is offline");
      host.printer.resume();
      client.expectReply(printed(40_000), "the 226 once the printer is back");
      client.quit();
      expectJob(host, 0, { name: "offline.prn", bytes: sent });
    },
  },
  {
    name: "commands pipelined after QUIT, or after ABOR of a transfer QUIT waited for, do not cost the 221",
    run(host) {
      const client = host.login();
      client.sendRaw("NOOP\r\nQUIT\r\nNOOP\r\nSTAT\r\nLIST\r\n");
      client.expectReply("200 NOOP okay.", "the NOOP before QUIT");
      client.expectReply("221 Goodbye.", "the 221 despite the commands after it");
      client.waitClosed();
      attempt(client.end.closeReason === "fin", `the session ended with ${client.end.closeReason}, not a clean close`);
      const second = host.login({ name: "second" });
      second.passive();
      second.expect("STOR q.prn", printing("ASCII"));
      second.send("QUIT");
      second.expect("ABOR", "426 Transfer aborted; the print job was cancelled.");
      second.expectReply("226 ABOR successful.", "the 226 after ABOR");
      second.expectReply("221 Goodbye.", "the QUIT that waited for the transfer");
      second.waitClosed();
    },
  },
  {
    name: "PORT and EPRT bounces are refused in every form: other hosts, privileged ports, IPv6, IPv4-mapped",
    run(host) {
      const client = host.login({ from: "10.0.0.7" });
      const refusals = [
        ["PORT 10,0,0,8,4,1", bounceRefused],              // another host
        ["PORT 10,0,0,2,0,21", bounceRefused],              // the print server itself
        ["PORT 10,0,0,7,0,25", bounceRefused],              // our own host, privileged port (SMTP)
        ["PORT 10,0,0,7,3,255", bounceRefused],             // 1023
        ["PORT 10,0,0,7,0,0", bounceRefused],
        ["PORT 0,0,0,0,4,1", bounceRefused],
        ["PORT 255,255,255,255,4,1", bounceRefused],
        ["PORT 127,0,0,1,4,1", bounceRefused],
        ["PORT 010,000,000,008,004,001", bounceRefused],    // leading zeros: still 10.0.0.8
        ["EPRT |1|10.0.0.8|1025|", bounceRefused],
        ["EPRT |1|10.0.0.7|80|", bounceRefused],
        ["EPRT !1!192.168.1.1!1025!", bounceRefused],
        ["EPRT |2|::1|1025|", protocolNotSupported],
        ["EPRT |2|fe80::1|1025|", protocolNotSupported],
        ["EPRT |2|::ffff:10.0.0.8|1025|", protocolNotSupported],
        ["EPRT |2|::ffff:10.0.0.7|1025|", protocolNotSupported],
        ["EPRT |1|::ffff:10.0.0.8|1025|", "501 EPRT wants |1|address|port|."],
        ["EPRT |1|10.0.0.8.1|1025|", "501 EPRT wants |1|address|port|."],
        ["PORT 10,0,0,7,4", "501 PORT wants h1,h2,h3,h4,p1,p2."],
        ["PORT 10,0,0,7,4,1,1", "501 PORT wants h1,h2,h3,h4,p1,p2."],
        ["PORT -10,0,0,7,4,1", "501 PORT wants h1,h2,h3,h4,p1,p2."],
      ];
      for (const [line, expected] of refusals) {
        const reply = client.command(line);
        attempt(reply.lines.length === 1 && reply.lines[0] === expected, `${line} answered ${JSON.stringify(reply.lines)}`);
      }
      // None of them set a target: a transfer now has no data connection to use.
      client.expect("STOR bounce.prn", "425 Use PORT, PASV, EPRT or EPSV first.");
      equal(host.net.openSockets(), 1, "firmware sockets (the control connection only)");
      client.quit();
    },
  },
  {
    name: "a control connection from an IPv4-mapped address may use its own address, and no other",
    run(host) {
      const client = host.login({ from: "::ffff:10.0.0.7" });
      attempt(client.command("PORT 10,0,0,8,4,1").lines[0] === bounceRefused, "PORT to another host from a mapped peer");
      client.expect("PORT 10,0,0,7,4,1", "200 PORT command successful.");
      client.quit();
    },
  },
  {
    name: "port theft: strangers who connect to a PASV or EPSV port are turned away, in any address form",
    options: { random: seeded(7) },
    run(host) {
      const client = host.login({ from: "10.0.0.7" });
      client.expect("TYPE I", typeI);
      for (const [verb, stranger] of [["PASV", "10.0.0.66"], ["EPSV", "::ffff:10.0.0.66"], ["PASV", "10.0.0.70"]]) {
        const reply = client.command(verb);
        const port = verb === "PASV"
          ? ((n) => n[4] * 256 + n[5])(/\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.lines[0]).slice(1).map(Number))
          : Number(/\(\|\|\|(\d+)\|\)/.exec(reply.lines[0])[1]);
        const thief = host.net.connect({ port, address: "10.0.0.2", from: stranger });
        let thiefClosed = false;
        thief.onClose = () => { thiefClosed = true; };
        host.settle(() => thiefClosed, `the stranger ${stranger} to be turned away`);
        attempt(thiefClosed, `${stranger} stealing the ${verb} port`);
        const data = host.net.connect({ port, address: "10.0.0.2", from: "10.0.0.7" });
        const bytes = patternBytes(2000, port & 0xff);
        client.send(`STOR theft-${verb}-${port}.prn`);
        client.expectReply(printing("BINARY"), "the 150 for the rightful client");
        // A second connection from anyone, after the client is in, finds no listener at all.
        const late = host.net.connect({ port, address: "10.0.0.2", from: stranger });
        let lateRefused = false;
        late.onClose = () => { lateRefused = true; };
        data.write(bytes);
        data.end();
        client.expectReply(printed(2000), "the 226");
        host.settle(() => lateRefused, "a late stranger to be refused");
        attempt(late.closeReason === "refused", `a late ${stranger} reaching a closed PASV port`);
      }
      ok(host.logLines("refused a data connection from 10.0.0.66").length === 1, `no theft log line: ${JSON.stringify(host.log)}`);
      client.quit();
      equal(host.printer.jobs.length, 3, "jobs printed");
      for (const job of host.printer.jobs) ok(job.complete && job.bytes.length === 2000, `job ${job.name} incomplete`);
    },
  },
  {
    name: "PASV ports are random within the range, and a taken port is met with another pick, then an ephemeral port",
    options: { random: seeded(11), passivePorts: { first: 30000, last: 30999 } },
    run(host) {
      const client = host.login();
      const ports = [];
      for (let i = 0; i < 40; i++) ports.push(Number(/\(\|\|\|(\d+)\|\)/.exec(client.command("EPSV").lines[0])[1]));
      ok(ports.every((port) => port >= 30000 && port <= 30999), `a port outside 30000-30999: ${ports}`);
      let sequential = 0;
      for (let i = 1; i < ports.length; i++) if (Math.abs(ports[i] - ports[i - 1]) <= 1) sequential++;
      attempt(new Set(ports).size >= 35 && sequential <= 2, `guessable PASV ports: ${ports}`);
      client.quit();
    },
  },
  {
    name: "with a one-port range taken by another session, PASV still answers, on an ephemeral port",
    options: { random: seeded(3), passivePorts: { first: 30500, last: 30500 } },
    run(host) {
      const first = host.login({ name: "first" });
      equal(first.command("EPSV").lines[0], "229 Entering Extended Passive Mode (|||30500|)", "first EPSV");
      const second = host.login({ name: "second" });
      const port = Number(/\(\|\|\|(\d+)\|\)/.exec(second.command("EPSV").lines[0])[1]);
      ok(port !== 30500 && port > 0, `second EPSV port ${port}`);
      equal(host.net.openListeners(), 3, "listeners");
      first.quit();
      second.quit();
    },
  },
  {
    name: "three failed logins close the session with 421; the address is then refused for 300 s; others are not",
    options: { credentials },
    run(host) {
      for (let round = 1; round <= 2; round++) {
        const guesser = host.connect({ from: "10.0.0.66", name: `guesser ${round}` });
        for (let guess = 1; guess <= 3; guess++) {
          guesser.expect("USER print", "331 Password for print, please.");
          const reply = guesser.command(`PASS guess${round}${guess}`);
          equal(reply.lines[0], "530 Login incorrect.", `guess ${guess}`);
        }
        guesser.expectReply(tooManyFailures, "the 421 after three failures");
        guesser.waitClosed();
        attempt(guesser.closed, `a fourth guess on one connection (round ${round})`);
      }
      const blocked = host.connect({ from: "10.0.0.66", greeting: false, name: "blocked" });
      blocked.expectReply(addressBlocked, "the 421 for a blocked address");
      blocked.waitClosed();
      attempt(blocked.closed, "a new session from an address with 6 recent failures");
      equal(host.server.connectionsInUse(), 0, "a blocked address took a slot");
      // Someone else still logs in and prints; the blocked address may come back after 300 s.
      const other = host.connect({ from: "10.0.0.7", name: "other" });
      other.login("print", "s3cret");
      other.quit();
      host.advance(280_000);
      const stillBlocked = host.connect({ from: "10.0.0.66", greeting: false, name: "still blocked" });
      stillBlocked.expectReply(addressBlocked, "still blocked after 280 s");
      attempt(true, "a new session from a blocked address after 280 s");
      host.advance(25_000);   // 300 s counted from the last failure
      const back = host.connect({ from: "10.0.0.66", name: "back" });
      back.login("print", "s3cret");
      back.quit();
    },
  },
  {
    name: "a right password clears an address's failures; without credentials nothing is counted",
    options: { credentials },
    run(host) {
      for (let round = 0; round < 4; round++) {
        const client = host.connect({ from: "10.0.0.9" });
        client.expect("USER print", "331 Password for print, please.");
        client.expect("PASS wrong", "530 Login incorrect.");
        client.expect("USER print", "331 Password for print, please.");
        client.expect("PASS wrong", "530 Login incorrect.");
        client.login("print", "s3cret");
        client.quit();
      }
    },
  },
  {
    name: "no path leaves the virtual tree and nothing but status.txt can be read",
    run(host) {
      const client = host.login();
      const hostile = [
        "../../etc/passwd", "/etc/passwd", "..", "/", "/PORT1", "PORT1", "../status.txt/..", "%2e%2e/etc",
        "....//....//etc", "/PORT1/../../../", "C:\\boot.ini", "\\..\\..\\windows", "~root", "/dev/mem", "/proc/self/environ",
        "/PORT1/status.txt", "status.txt/", "./././etc", "/./PORT1/./../../etc/shadow", "*", "/PORT1/*",
      ];
      for (const path of hostile) {
        const reply = client.command(`RETR ${path}`);
        attempt(/^5\d\d /.test(reply.lines[0]) || /^425 /.test(reply.lines[0]), `RETR ${path} answered ${reply.lines[0]}`);
        const cwd = client.command(`CWD ${path}`);
        client.expect("CWD /", "250 Directory is now /.");
        const pwdOk = cwd.lines[0].startsWith("550 ") || cwd.lines[0] === "250 Directory is now /." || cwd.lines[0] === "250 Directory is now /PORT1.";
        attempt(pwdOk, `CWD ${path} answered ${cwd.lines[0]}`);
      }
      for (const name of ["status.txt", "/status.txt", "STATUS.TXT", "/PORT1/../status.txt"]) {
        const data = client.passive();
        client.expect(`RETR ${name}`, "150 Opening data connection.");
        const text = latin1(data.readAll());
        client.expectReply("226 Transfer complete.", `the 226 for RETR ${name}`);
        match(text, /^ftprint print server\r\n/, `status.txt via ${name}`);
      }
      client.expect("STOR status.txt", "550 status.txt is read-only.");
      client.expect("STOR /etc/x", "553 Files print in / or /PORT1.");
      client.expect("DELE status.txt", "502 DELE not implemented by this print server.");
      client.quit();
    },
  },
  {
    name: "input memory is bounded: a megabyte line, 4,000 commands from a client that reads no replies",
    run(host) {
      const client = host.login();
      const line = new Uint8Array(1 << 20).fill(0x41);
      client.sendRaw(line);
      client.sendRaw("\r\n");
      client.expectReply("500 Command line too long.", "the 500 for a 1 MiB line");
      attempt(true, "a 1 MiB command line");
      client.expect("NOOP", "200 NOOP okay.");
      client.end.pause();
      let flood = "";
      for (let i = 0; i < 4000; i++) flood += "NOOP\r\n";   // 24 KB: more than a socket's 8 KB window
      client.sendRaw(flood);
      host.advance(5_000);
      // The firmware stops reading once its replies cannot go out: the rest stays in TCP, not in our memory.
      attempt(client.end.pending > 0, "a client that reads no replies made the server read all its input");
      client.end.resume();
      for (let noops = 0; noops < 4000; noops++) {
        const reply = client.reply("the NOOP replies");
        if (reply.lines[0] !== "200 NOOP okay.") fail(`unexpected reply ${reply.lines[0]} after ${noops} NOOPs`);
      }
      client.quit();
    },
  },
];
