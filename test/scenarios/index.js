// The scenario suite: one table of named scenarios, each a function of a fresh ScenarioHost (test/xs-host/host.js).
// Every scenario asserts whole reply lines and byte-exact printer output; after each one the host checks that
// every session slot is free and that no socket, listener or timer is left. The same table runs on Node
// (test/scenarios.test.js) and on XS (npm run test:xs). Engine-neutral.

import { PrinterState } from "print/port";
import { bytesOf, concatBytes, equal, latin1, match, ok } from "../xs-host/assert.js";
import {
  bounceRefused, expectJob, filled, loggedIn, noDataConnection, patternBytes, printed, printing, queued, splitAt,
  startUpload, typeA, typeI, upload,
} from "./helpers.js";
import { webScenarios } from "./web.js";
import { printServiceScenarios } from "./printServices.js";
import { ippScenarios } from "./ipp.js";
import { ippRasterScenarios } from "./ippRaster.js";

const table = [
  {
    name: "any user and password log in, and QUIT closes the connection",
    run(host) {
      const client = host.connect();
      client.expect("USER alice", "331 Password for alice, please.");
      client.expect("PASS secret", loggedIn);
      client.quit();
      ok(host.logLines("logged in as \"alice\"").length === 1, `the log has no login line: ${JSON.stringify(host.log)}`);
      ok(!host.log.some((line) => line.includes("secret")), "the password reached the log");
    },
  },
  {
    name: "with credentials set, a wrong password is answered 530 late and the right one logs in",
    options: { credentials: { user: "print", password: "s3cret" } },
    run(host) {
      const client = host.connect();
      client.expect("USER print", "331 Password for print, please.");
      const sentAt = host.loop.now();
      client.expect("PASS wrong", "530 Login incorrect.");
      ok(host.loop.now() - sentAt >= 1000, `530 came after ${host.loop.now() - sentAt} ms of virtual time; it should be delayed`);
      client.expect("STOR x.txt", "530 Please log in with USER and PASS.");
      client.expect("USER print", "331 Password for print, please.");
      client.expect("PASS s3cret", loggedIn);
      client.quit();
    },
  },
  {
    name: "commands that need a login answer 530 before it, and unknown verbs 500",
    run(host) {
      const client = host.connect();
      client.expect("PWD", "530 Please log in with USER and PASS.");
      client.expect("LIST", "530 Please log in with USER and PASS.");
      client.expect("PASV", "530 Please log in with USER and PASS.");
      client.expect("STOR a.txt", "530 Please log in with USER and PASS.");
      client.expect("XYZZY now", "500 XYZZY not understood.");
      client.expect("SYST", "215 UNIX Type: L8");
      client.login();
      client.quit();
      equal(host.printer.jobs.length, 0, "jobs printed");
    },
  },
  {
    name: "PWD, CWD and CDUP walk the virtual tree and cannot leave it",
    run(host) {
      const client = host.login();
      client.expect("PWD", '257 "/" is the current directory.');
      client.expect("CWD PORT1", "250 Directory is now /PORT1.");
      client.expect("PWD", '257 "/PORT1" is the current directory.');
      client.expect("CWD ..", "250 Directory is now /.");
      client.expect("CWD /port1/", "250 Directory is now /PORT1.");
      client.expect("CDUP", "200 Directory is now /.");
      client.expect("CWD ../../../etc", "550 No such directory; there are / and /PORT1.");
      client.expect("CWD status.txt", "550 No such directory; there are / and /PORT1.");
      client.expect("PWD", '257 "/" is the current directory.');
      client.quit();
    },
  },
  {
    name: "NLST and LIST over PASV list the printer directory and the status file",
    run(host) {
      const client = host.login();
      let data = client.passive();
      client.expect("NLST", "150 Opening data connection.");
      const names = latin1(data.readAll("the NLST data"));
      client.expectReply("226 Transfer complete.", "the 226 after NLST");
      equal(names, "PORT1\r\nstatus.txt\r\n", "NLST names");

      data = client.passive();
      client.expect("LIST -la", "150 Opening data connection.");
      const listing = latin1(data.readAll("the LIST data"));
      client.expectReply("226 Transfer complete.", "the 226 after LIST");
      const rows = listing.split("\r\n");
      equal(rows.pop(), "", "LIST ends with CRLF");
      equal(rows.length, 2, `LIST rows in ${JSON.stringify(listing)}`);
      match(rows[0], /^d[rwx-]{9} +\d+ \S+ +\S+ +\d+ [A-Z][a-z]{2} [ \d]\d ( \d{4}|\d\d:\d\d) PORT1$/, "LIST row for PORT1");
      match(rows[1], /^-[rwx-]{9} +\d+ \S+ +\S+ +\d+ [A-Z][a-z]{2} [ \d]\d ( \d{4}|\d\d:\d\d) status\.txt$/, "LIST row for status.txt");
      client.quit();
    },
  },
  {
    name: "STOR in TYPE I over PASV prints every byte value exactly, whatever the chunking",
    options: { bytesPerTurn: 333 },
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const data = patternBytes(10_000);
      upload(client, "binary.prn", splitAt(data, 1, 1023, 1024, 1025, 4096, 4097, 8191), { mode: "PASV" });
      expectJob(host, 0, { name: "binary.prn", bytes: data });
      client.quit();
    },
  },
  {
    name: "STOR in TYPE A makes bare LF into CRLF and keeps CRLF, also when CR and LF are in different chunks",
    options: { bytesPerTurn: 7 },
    run(host) {
      const client = host.login();
      client.expect("TYPE A", typeA);
      // CR | LF across segments; a bare LF first in a segment; a bare LF last; a lone CR stays as it is.
      const chunks = ["one\r", "\ntwo\n", "\nthree\r\nfour\r", "\n", "five\rsix\n"].map(bytesOf);
      const expected = "one\r\ntwo\r\n\r\nthree\r\nfour\r\nfive\rsix\r\n";
      // The 226 counts both: 32 bytes came, 35 went to the printer (three bare LFs got their CR).
      upload(client, "text.txt", chunks, { mode: "PASV", type: "ASCII", printedBytes: expected.length });
      expectJob(host, 0, { name: "text.txt", bytes: expected });
      client.quit();
    },
  },
  {
    name: "TYPE A line ends that straddle the print ring's chunk boundaries come out right",
    options: { bytesPerTurn: 1000 },
    run(host) {
      const client = host.login();
      // A text whose CR, LF and bare LF land on every offset around 1024-byte boundaries, sent in odd segments.
      let text = "";
      let expected = "";
      for (let line = 0; text.length < 9000; line++) {
        const body = "x".repeat((line * 37) % 90);
        const crlf = line % 3 === 0;
        text += body + (crlf ? "\r\n" : "\n");
        expected += body + "\r\n";
      }
      const sent = bytesOf(text);
      upload(client, "long.txt", splitAt(sent, 1023, 1024, 2047, 2049, 3000, 4095, 4096, 6000), { mode: "PASV", type: "ASCII", printedBytes: expected.length });
      expectJob(host, 0, { name: "long.txt", bytes: expected });
      client.quit();
    },
  },
  {
    name: "uploads work over EPSV, PORT and EPRT too",
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const sent = [];
      for (const mode of ["EPSV", "PORT", "EPRT"]) {
        const data = patternBytes(3000, mode.length);
        sent.push(data);
        upload(client, `${mode}.prn`, splitAt(data, 1500), { mode, type: "BINARY" });
      }
      equal(host.printer.jobs.length, 3, "jobs printed");
      ["EPSV", "PORT", "EPRT"].forEach((mode, i) => expectJob(host, i, { name: `${mode}.prn`, bytes: sent[i] }));
      client.quit();
    },
  },
  {
    name: "three sessions are served, a fourth is told 421 and the three carry on",
    run(host) {
      const clients = [host.login(), host.login(), host.login()];
      equal(host.server.connectionsInUse(), 3, "sessions in use");
      const fourth = host.connect({ greeting: false, name: "client 4" });
      fourth.expectReply("421 All 3 sessions are in use; try again later.", "the 421 for a fourth client");
      fourth.waitClosed("the server to close the fourth connection");
      for (const client of clients) client.expect("NOOP", "200 NOOP okay.");
      clients[1].quit();
      const fifth = host.login({ name: "client 5" });   // the freed slot is reused
      fifth.expect("PWD", '257 "/" is the current directory.');
      for (const client of [clients[0], clients[2], fifth]) client.quit();
    },
  },
  {
    name: "a session idle for 900 s of virtual time is told 421 and closed, not before",
    run(host) {
      const client = host.login();
      host.advance(500);
      client.expect("NOOP", "200 NOOP okay.");          // the idle clock starts again here
      host.advance(899_000);
      client.expectSilence("no reply 899 s after the last command");
      ok(!client.closed, "the session was closed before 900 s");
      host.settle(() => client.closed, "the idle session to be closed", { withinMs: 1_000 });
      client.expectReply("421 Idle too long; closing the control connection.", "the idle timeout's 421");
      ok(host.logLines("idle for 900 s").length === 1, "the log has no idle line");
    },
  },
  {
    name: "two uploads at once print one after the other, first come first served, never interleaved",
    options: { bytesPerTurn: 500 },
    run(host) {
      const first = host.login({ name: "first" });
      const second = host.login({ name: "second" });
      first.expect("TYPE I", typeI);
      second.expect("TYPE I", typeI);
      const dataA = startUpload(first, "a.prn", { mode: "PASV", expect150: printing("BINARY") });
      dataA.write(filled(3000, "A"));
      host.settle(() => host.printer.openJobBytes().length > 0, "job a to start printing");
      const dataB = startUpload(second, "b.prn", { mode: "PASV", expect150: queued("BINARY", 1) });
      dataB.write(filled(5000, "B"));
      dataB.finish();
      second.expectSilence("no 226 for b while a is still printing");
      dataA.write(filled(3000, "a"));
      dataA.finish();
      first.expectReply(printed(6000), "the 226 for a");
      second.expectReply(printed(5000), "the 226 for b");
      equal(host.printer.jobs.length, 2, "jobs printed");
      expectJob(host, 0, { name: "a.prn", bytes: concatBytes(filled(3000, "A"), filled(3000, "a")) });
      expectJob(host, 1, { name: "b.prn", bytes: filled(5000, "B") });
      first.quit();
      second.quit();
    },
  },
  {
    name: "ABOR during an upload cancels the job with 426 then 226, and the next upload prints whole",
    options: { bytesPerTurn: 256 },
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const sent = patternBytes(6000);
      const data = startUpload(client, "cancel.prn", { mode: "PASV", expect150: printing("BINARY") });
      data.write(sent);
      host.settle(() => host.printer.openJobBytes().length >= 512, "the printer to start on the job");
      // BSD clients (tnftp, inetutils ftp): Telnet IP and Synch before ABOR; the line reader must strip them.
      client.sendRaw(concatBytes(Uint8Array.of(0xff, 0xf4, 0xff, 0xf2), bytesOf("ABOR\r\n")));
      client.expectReply("426 Transfer aborted; the print job was cancelled.", "the 426 for ABOR");
      client.expectReply("226 ABOR successful.", "the 226 for ABOR");
      host.settle(() => data.closed, "the aborted data connection to be closed");
      const job = host.printer.jobs[0];
      equal(job.complete, false, "the aborted job is marked incomplete");
      ok(job.bytes.length < sent.length, `the aborted job printed all ${job.bytes.length} bytes`);
      expectJob(host, 0, { name: "cancel.prn", complete: false, bytes: sent.subarray(0, job.bytes.length) });
      client.expect("ABOR", "225 No transfer to abort.");
      const next = patternBytes(2000, 3);
      upload(client, "after.prn", [next], { mode: "PASV" });
      expectJob(host, 1, { name: "after.prn", bytes: next });
      client.quit();
    },
  },
  {
    name: "a client that vanishes mid-upload frees its slot, and the cut job is marked incomplete",
    options: { bytesPerTurn: 200 },
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const sent = patternBytes(20_000);
      const data = startUpload(client, "gone.prn", { mode: "PASV", expect150: printing("BINARY") });
      data.write(sent);
      host.settle(() => host.printer.openJobBytes().length >= 1000, "the printer to start on the job");
      client.end.reset();
      data.reset();
      host.settle(() => host.server.connectionsInUse() === 0, "the slot to be freed");
      const job = host.printer.jobs[0];
      equal(job.complete, false, "a job cut short is marked incomplete");
      expectJob(host, 0, { name: "gone.prn", complete: false, bytes: sent.subarray(0, job.bytes.length) });
      ok(job.bytes.length < sent.length, "the whole job printed although the client vanished");
      ok(host.jobsEnded("client lost").length === 1, `no record of the cut job: ${JSON.stringify(host.log)}`);
      const later = host.login({ name: "later" });      // the server still serves
      later.quit();
    },
  },
  {
    name: "a printer that stalls for 20 minutes holds the upload back without losing a byte, then finishes it",
    options: { bytesPerTurn: 300 },
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const sent = patternBytes(30_000);
      const data = startUpload(client, "stall.prn", { mode: "PASV", expect150: printing("BINARY") });
      data.write(sent);
      data.finish();
      host.settle(() => host.printer.openJobBytes().length >= 3000, "the printer to start on the job");
      host.printer.stall(PrinterState.Offline);
      host.advance(20 * 60_000);
      client.expectSilence("no reply while the printer is offline");
      ok(!client.closed, "the idle timeout closed a session whose job was waiting for the printer");
      const printedSoFar = host.printer.openJobBytes().length;
      ok(printedSoFar < sent.length, "the job finished while the printer was offline");
      host.printer.resume();
      client.expectReply(printed(sent.length), "the 226 once the printer is back");
      expectJob(host, 0, { name: "stall.prn", bytes: sent });
      ok(host.logLines("printer offline").length === 1, `no log line for the offline printer: ${JSON.stringify(host.log)}`);
      ok(host.logLines("printer ready").length === 1, "no log line for the printer coming back");
      client.quit();
    },
  },
  {
    name: "PORT and EPRT to another host or a privileged port are refused (FTP bounce)",
    run(host) {
      const client = host.login();
      // Listeners where a bounced connection would land: none of them may ever see one.
      const targets = [["10.9.9.9", 2000], ["127.0.0.1", 80], ["127.0.0.1", 21]].map(([address, port]) => {
        const target = host.net.listen({ address, port });
        target.connections = 0;
        target.onConnection = (end) => {
          target.connections++;
          end.reset();
        };
        return target;
      });
      client.expect("PORT 10,9,9,9,7,208", bounceRefused);
      client.expect("PORT 127,0,0,1,0,80", bounceRefused);
      client.expect("EPRT |1|10.9.9.9|2000|", bounceRefused);
      client.expect("EPRT |1|127.0.0.1|21|", bounceRefused);
      client.expect("STOR bounce.txt", noDataConnection);
      client.expect("LIST", noDataConnection);
      host.settle(() => false, "any connection attempt to land", { idleIsSuccess: true });
      for (const target of targets) {
        equal(target.connections, 0, `connections made to ${target.address}:${target.port}`);
        target.close();
      }
      equal(host.printer.jobs.length, 0, "jobs printed");
      equal(host.logLines("refused PORT to 10.9.9.9:2000").length, 1, "log lines for the refused PORT");
      client.quit();
    },
  },
  {
    name: "a stranger connecting first to a PASV port is turned away and the client still gets its data port",
    run(host) {
      const client = host.login();
      client.expect("TYPE I", typeI);
      const reply = client.command("PASV");
      match(reply.lines[0], /^227 Entering Passive Mode \(10,0,0,2,\d+,\d+\)\.$/, "PASV reply");
      const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.lines[0]).slice(1).map(Number);
      const port = numbers[4] * 256 + numbers[5];
      const thief = host.net.connect({ port, address: "10.0.0.2", from: "10.0.0.99" });
      let thiefClosed = false;
      thief.onClose = () => { thiefClosed = true; };
      host.settle(() => thiefClosed || thief.closed, "the stranger's connection to be closed");
      ok(host.logLines("refused a data connection from 10.0.0.99").length === 1, `no log line for the stranger: ${JSON.stringify(host.log)}`);
      const end = host.net.connect({ port, address: "10.0.0.2", from: "127.0.0.1" });
      const sent = patternBytes(1500);
      client.send("STOR mine.prn");
      client.expectReply(printing("BINARY"), "the 150 for the rightful client");
      end.write(sent);
      end.end();
      client.expectReply(printed(sent.length), "the 226 for the rightful client");
      expectJob(host, 0, { name: "mine.prn", bytes: sent });
      client.quit();
    },
  },
  {
    // The SDK's lin sockets: a write to a peer that has reset returns undefined and no callback ever follows
    // (lin/tcp.c xs_tcp_write, tcpTask); lwIP returns undefined too once the pcb is gone. The session must take a
    // failed write for a dead connection at once, or the slot is held with its replies queued for good.
    name: "a client that resets while a reply is held frees its slot at the failed write",
    options: { credentials: { user: "print", password: "s3cret" } },
    run(host) {
      const client = host.connect();
      client.expect("USER print", "331 Password for print, please.");
      // The wrong password's 530 is held for a while; the NOOPs after it stay unread in the socket, so the
      // reset is not reported by onError before the held reply is written.
      client.sendRaw(`PASS wrong\r\n${"NOOP\r\n".repeat(100)}`);
      host.advance(100);
      client.end.reset();
      host.settle(() => host.server.connectionsInUse() === 0, "the slot to be free after the failed write", { withinMs: 10_000 });
      ok(host.logLines("closed: connection lost").length + host.logLines("closed: connection closed by client").length === 1,
        `the session's close is logged once: ${JSON.stringify(host.log)}`);
    },
  },
  {
    // lwIP holds a RST's onError until the app has read what came before it, and takes no more writes: a session
    // whose replies wait on the client reads no commands, so it would hear nothing until the idle timeout.
    name: "a client that resets with commands unread and replies pending frees its slot within the reply stall limit",
    run(host) {
      const client = host.login();
      client.sendRaw("HELP\r\n".repeat(300));
      host.advance(50);
      client.end.reset();
      host.settle(() => host.server.connectionsInUse() === 0, "the slot to be free", { withinMs: 40_000 });
      equal(host.logLines("replies did not move").length + host.logLines("connection lost").length
        + host.logLines("connection closed by client").length, 1, `one close: ${JSON.stringify(host.log.slice(-3))}`);
    },
  },
  {
    name: "a command line longer than the limit with no line end is answered 500 at once, and the session goes on",
    run(host) {
      const client = host.login();
      client.sendRaw("X".repeat(600));                  // past the 512-byte line, and no CR/LF is coming yet
      client.expectReply("500 Command line too long.", "the 500 before any line end");
      client.sendRaw(`${"Y".repeat(300)}\r\n`);        // the rest of that line: dropped without a second reply
      client.expect("NOOP", "200 NOOP okay.");
      client.quit();
    },
  },
];

// The data-path scenarios again over the lin simulator's sockets (1536-byte buffers, 20 ms polling, kernel staging),
// where reads and writes split differently than with lwIP's 8 KiB window.
const againOnLin = ["STOR in TYPE I", "STOR in TYPE A makes", "two uploads at once", "ABOR during", "a printer that stalls",
  "a client that resets while a reply is held", "a client that resets with commands unread"];

export const scenarios = Object.freeze([
  ...table,
  ...printServiceScenarios,
  ...ippScenarios,
  ...ippRasterScenarios,
  ...table
    .filter((scenario) => againOnLin.some((prefix) => scenario.name.startsWith(prefix)))
    .map((scenario) => ({ ...scenario, name: `${scenario.name} [lin sockets]`, options: { ...scenario.options, profile: "lin" } })),
  ...ippScenarios
    .filter((scenario) => ["IPP: Print-Job's document", "IPP: a Print-Job waits", "IPP: truncated"].some((prefix) => scenario.name.startsWith(prefix)))
    .map((scenario) => ({ ...scenario, name: `${scenario.name} [lin sockets]`, options: { ...scenario.options, profile: "lin" } })),
  ...webScenarios,
]);
