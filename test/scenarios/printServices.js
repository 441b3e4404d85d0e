// Raw 9100 and LPD scenarios on the in-memory network, with virtual time: they run on Node and under XS like the
// FTP scenarios. Every printed byte is compared exactly; the host checks after each that every slot is free and no
// socket, listener or timer is left. Engine-neutral.

import { bytes as assertBytes, bytesOf, concatBytes, equal, latin1, match, ok } from "../xs-host/assert.js";
import { patternBytes } from "./helpers.js";

const rawPort = 9100, lpdPort = 515;
const services = { rawPort, lpdPort };

/** Sends an LPD line and returns the one-byte answer. */
function ask(host, client, line, what) {
  const before = client.received().length;
  client.write(line);
  host.settle(() => client.received().length > before || client.closed, `the answer to ${what}`);
  return client.received()[before];
}

export const printServiceScenarios = [
  {
    name: "raw 9100: two jobs sent at once print whole, the second queued behind the first",
    options: { ...services, bytesPerTurn: 512 },
    run(host) {
      const first = patternBytes(20000, 1), second = patternBytes(9000, 2);
      const a = host.connectBytes(rawPort), b = host.connectBytes(rawPort);
      a.write(first.subarray(0, 5000));
      host.runUntilIdle();
      b.write(second);
      b.finish();
      a.write(first.subarray(5000));
      a.finish();
      host.settle(() => host.printer.jobs.length === 2 && host.printer.jobs[1].complete !== undefined, "both raw jobs to print");
      equal(host.printer.jobs[0].complete, true, "first job complete");
      assertBytes(host.printer.jobs[0].bytes, first, "first raw job");
      assertBytes(host.printer.jobs[1].bytes, second, "second raw job");
      ok(host.logLines("queued, 1 ahead").length === 1, `the second job did not queue: ${JSON.stringify(host.log)}`);
    },
  },
  {
    name: "raw 9100: a client that sends nothing is dropped after 30 s and makes no job; one that stalls at the printer is cut short after 90 s",
    options: services,
    run(host) {
      const silent = host.connectBytes(rawPort);
      host.advance(29000);
      ok(!silent.closed, "dropped before the idle timeout");
      host.advance(2000);
      ok(silent.closed, "a silent client kept its slot past 30 s");
      equal(host.printer.jobs.length, 0, "a silent connection made a job");
      const stalling = host.connectBytes(rawPort);
      stalling.write(patternBytes(100, 3));
      host.advance(5000);
      ok(!stalling.closed, "dropped while it had just sent");
      host.advance(90000);
      ok(stalling.closed, "a stalled job held the printer past 90 s");
      equal(host.printer.jobs.length, 1);
      equal(host.printer.jobs[0].complete, false, "the stalled job was not cut short");
      const cut = host.jobsEnded("client lost");
      ok(cut.length === 1 && cut[0].bytesReceived === 100, `no job cut short after 100 bytes: ${JSON.stringify(cut)}`);
    },
  },
  {
    name: "LPD: a job with its data file first streams into the spool, takes its name from the control file, and lpq lists it",
    options: { ...services, bytesPerTurn: 256 },
    run(host) {
      const data = patternBytes(6000, 4);
      const client = host.connectBytes(lpdPort);
      equal(ask(host, client, "\x02raw\n", "receive job"), 0);
      equal(ask(host, client, `\x03${data.length} dfA001host\n`, "the data file line"), 0);
      client.write(concatBytes(data, new Uint8Array(1)));
      host.settle(() => client.received().length === 3, "the data file's acknowledgement");
      equal(client.received()[2], 0);
      const listing = host.connectBytes(lpdPort);
      listing.write("\x03raw\n");
      const text = latin1(listing.readAll("the short listing"));
      match(text, /^active 127\.0\.0\.1  1    dfA001host +6000 bytes$/m, "before its control file, the job is the peer's, named by its data file");
      const control = "Hws\nPalice\nJbudget.xls\nldfA001host\n";
      equal(ask(host, client, `\x02${control.length} cfA001host\n`, "the control file line"), 0);
      client.write(concatBytes(bytesOf(control), new Uint8Array(1)));
      host.settle(() => client.received().length === 5, "the control file's acknowledgement");
      equal(client.received()[4], 0);
      const long = host.connectBytes(lpdPort);
      long.write("\x04raw\n");
      match(latin1(long.readAll("the long listing")), /^alice: active +\[job 001 lpd\]\n {8}budget\.xls +6000 bytes$/m, "after it, alice's budget.xls");
      client.finish();
      host.settle(() => host.printer.jobs.length === 1 && host.printer.jobs[0].complete !== undefined, "the LPD job to print");
      equal(host.printer.jobs[0].complete, true);
      assertBytes(host.printer.jobs[0].bytes, data, "the LPD job");
      const printed = host.jobsEnded("printed");
      ok(printed.length === 1 && printed[0].id === 1 && printed[0].name === "budget.xls" && printed[0].bytesReceived === 6000 && printed[0].bytesPrinted === 6000,
        `no printed job with the control file's name: ${JSON.stringify(printed)}`);
    },
  },
  {
    name: "LPD: an unknown command and a bad count get the error byte and a close; a silent client is dropped after 60 s",
    options: services,
    run(host) {
      const unknown = host.connectBytes(lpdPort);
      unknown.write("\x07raw\n");
      const answer = unknown.readAll("the error byte and close");
      equal(answer.length, 1);
      equal(answer[0], 1, "the error byte");
      const badCount = host.connectBytes(lpdPort);
      equal(ask(host, badCount, "\x02raw\n", "receive job"), 0);
      badCount.write("\x03-1 dfA001host\n");
      const refused = badCount.readAll("the error byte and close");
      equal(refused[1], 1, "the error byte after a bad count");
      const silent = host.connectBytes(lpdPort);
      host.advance(59000);
      ok(!silent.closed, "dropped before the idle timeout");
      host.advance(2000);
      ok(silent.closed, "a silent LPD client kept its slot past 60 s");
      equal(host.printer.jobs.length, 0, "bad input made a job");
    },
  },
  {
    // Found by the service fuzzer: on the ESP32 a write after the peer's FIN throws "not ready" while its bytes are
    // still unread ($(MODDABLE)/modules/io/socket/lwip/tcp.c, tcpDeliver and xs_tcp_write); the acknowledgement
    // threw, and the job was dropped as "failed reading".
    name: "LPD: a whole job sent at once and the client's side closed (a script piping into nc) prints whole; so does a listing asked that way close cleanly",
    options: services,
    run(host) {
      const data = patternBytes(3000, 7);
      const control = "Hscript\nPbob\nJpiped.ps\nldfA001script\n";
      const piped = host.connectBytes(lpdPort);
      piped.write(concatBytes(bytesOf(`\x02raw\n\x02${control.length} cfA001script\n${control}\0\x03${data.length} dfA001script\n`), data, new Uint8Array(1)));
      piped.finish();
      host.settle(() => host.printer.jobs.length === 1 && host.printer.jobs[0].complete !== undefined, "the piped LPD job to print");
      equal(host.printer.jobs[0].complete, true, "the piped job was not printed whole");
      assertBytes(host.printer.jobs[0].bytes, data, "the piped LPD job");
      const listing = host.connectBytes(lpdPort);
      listing.write("\x04raw\n");
      listing.finish();
      host.settle(() => listing.closed && host.lpd.connectionsInUse() === 0, "the listing connection to close");
      equal(host.log.filter((line) => line.includes("failed")).length, 0, `a last-resort guard caught an exception: ${JSON.stringify(host.log)}`);
    },
  },
  {
    // Found by the service fuzzer: a turned-away client that sent and closed its side before the server took it
    // hears no onWritable, and its onError waits until its bytes are read; the socket was held for ever.
    name: "LPD: a client turned away after it sent its command and closed its side is closed, not held",
    options: services,
    run(host) {
      const holders = [host.connectBytes(lpdPort), host.connectBytes(lpdPort)];
      host.runUntilIdle();
      equal(host.lpd.connectionsInUse(), 2);
      const third = host.connectBytes(lpdPort);
      third.write("\x03raw\n");
      third.finish();
      host.settle(() => third.closed, "the turned-away client to be closed", { withinMs: 5000 });
      equal(host.net.openSockets(), 2, "a turned-away socket is still open");
      for (const holder of holders) holder.reset();
    },
  },
];
