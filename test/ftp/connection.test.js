// The FTP connection core (modules/ftp/connection.ts) with no socket at all: command lines go in, whole reply lines
// come out through a fake control link, the data channel is a fake that records what it was asked, and the print
// job goes through the real spool to a fake printer port (test/print/fakes.js). The gate and every handler run here
// exactly as on a socket; the socket shell (controlChannel.ts) is covered by the end-to-end and scenario tests.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/job")
const { FtpConnection } = await import("../../build/modules/ftp/connection.js");
const { ArgumentRule, LoginRule } = await import("../../build/modules/ftp/states.js");
const { verbs } = await import("../../build/modules/ftp/verbs.js");
const { failedLoginDelayTicks, idleTimeoutTicks, loginTimeoutTicks } = await import("../../build/modules/ftp/limits.js");
const { Spool } = await import("../../build/modules/print/spool.js");
const { EventQueue, FakePort } = await import("../print/fakes.js");

const passivePort = 30123;

/** Takes every reply byte the connection queues, as a socket with room to spare would, and records the actions. */
class FakeControl {
  connection = undefined;
  text = "";
  resumed = 0;
  disconnected = 0;

  flush() {
    const connection = this.connection, replies = connection.replies;
    this.text += String.fromCharCode(...replies.bytes.subarray(0, replies.queued));
    replies.taken(replies.queued);
    if (connection.closing) connection.close("quit");
  }

  resume() { this.resumed++; }
  disconnect() { this.disconnected++; }

  /** The reply lines written since the last call. */
  take() {
    const lines = this.text.split("\r\n");
    assert.equal(lines.pop(), "", `replies end with CRLF: ${JSON.stringify(this.text)}`);
    this.text = "";
    return lines;
  }
}

/** Records what the connection asks of its data channel; PASV and PORT prepare it, reset() forgets. */
class FakeData {
  prepared = false;
  calls = [];
  sent = undefined;
  ring = undefined;

  listen(controlPeer) { this.calls.push(`listen ${controlPeer}`); this.prepared = true; return passivePort; }
  connectLater(target, controlPeer) { this.calls.push(`connectLater ${target.address}:${target.port} for ${controlPeer}`); this.prepared = true; }
  beginUpload(ring) { this.calls.push("beginUpload"); this.ring = ring; }
  beginSend(text) { this.calls.push("beginSend"); this.sent = text; }
  resumeReading() { this.calls.push("resumeReading"); }
  reset() { this.prepared = false; }
  tick() {}
  dispose() { this.calls.push("dispose"); }
}

function setUp({ credentials, table = verbs } = {}) {
  const queue = new EventQueue();
  const port = new FakePort(queue);
  const log = [];
  const spool = new Spool(port, (line) => log.push(line), 8, 4);
  const failed = [];
  let sessions = 0;
  const context = {
    verbs: table, spool, deviceName: "testprint", credentials, logCommands: false,
    localAddress: () => "192.168.1.50",
    loginFailed: (address) => { failed.push(address); },
    loginSucceeded: () => {},
    nextSessionNumber: () => ++sessions,
    log: (line) => { log.push(line); },
  };
  const control = new FakeControl();
  const data = new FakeData();
  const connection = new FtpConnection(context, control, () => data);
  control.connection = connection;
  connection.begin("192.168.1.7", 40001);
  /** Runs one command line and returns the reply lines it gave at once. */
  const ask = (line) => { connection.run(line); return control.take(); };
  return { queue, port, spool, log, failed, control, data, connection, ask };
}

function loggedIn(options) {
  const rig = setUp(options);
  rig.control.take();
  assert.deepEqual(rig.ask("USER alice"), ["331 Password for alice, please."]);
  assert.deepEqual(rig.ask("PASS secret"), ["230 Logged in; upload files to print them."]);
  return rig;
}

/** Bytes of `text` into the ring as a data socket would, reported to the connection; returns how many went in. */
function deliver(connection, ring, text) {
  let at = 0;
  while (at < text.length) {
    const view = ring.receiveView(text.length - at);
    if (!view) break;
    for (let i = 0; i < view.length; i++) view[i] = text.charCodeAt(at + i);
    ring.commit(view.length);
    at += view.length;
  }
  if (at > 0) connection.uploadReceived(at);
  return at;
}

test("a connection is greeted with 220 and answers commands with no socket under it", () => {
  const { control, ask } = setUp();
  assert.deepEqual(control.take(), ["220 testprint FTP print server ready."]);
  assert.deepEqual(ask("NOOP"), ["200 NOOP okay."]);
  assert.deepEqual(ask("SYST"), ["215 UNIX Type: L8"]);
  assert.deepEqual(ask("STOR x.txt"), ["530 Please log in with USER and PASS."]);
});

test("the gate walks every row of the table: 502 for verbs not offered, 530 before login where a login is needed, never 500", () => {
  for (const [name, verb] of Object.entries(verbs)) {
    const { control, ask, connection } = setUp();
    control.take();
    const needsArgument = verb.run && verb.argument === ArgumentRule.Required;
    const [first] = ask(needsArgument ? `${name} x` : name);
    if (!verb.run) assert.equal(first, `502 ${name} not implemented by this print server.`, name);
    else if (verb.login === LoginRule.Required) assert.equal(first, "530 Please log in with USER and PASS.", name);
    else assert.ok(first && !/^(500|502|530) /.test(first), `${name} answered ${first}`);
    connection.close("test over");
  }
});

test("argument rules answer 501 before the login check, and an unknown verb 500", () => {
  const { control, ask } = setUp();
  control.take();
  assert.deepEqual(ask("CWD"), ["501 CWD needs an argument."]);
  assert.deepEqual(ask("PASV now"), ["501 PASV takes no argument."]);
  assert.deepEqual(ask("XYZZY"), ["500 XYZZY not understood."]);
  assert.deepEqual(ask("hasOwnProperty"), ["500 HASOWNPROPERTY not understood."]);
});

test("STAT answers before login, but STAT <path> needs a login: 530 first, the listing once logged in", () => {
  const rig = setUp();
  rig.control.take();
  const stat = rig.ask("STAT");
  assert.equal(stat[0], "211-testprint FTP print server status:");
  assert.ok(stat.includes(" Not logged in"), stat.join("\n"));
  assert.equal(stat.at(-1), "211 End of status.");
  assert.deepEqual(rig.ask("STAT /"), ["530 Please log in with USER and PASS."]);
  rig.ask("USER bob");
  rig.ask("PASS x");
  const listing = rig.ask("STAT /");
  assert.equal(listing[0], "213-Status follows:");
  assert.equal(listing.length, 4, listing.join("\n"));
  assert.equal(listing.at(-1), "213 End of status.");
});

test("with credentials, a wrong password is held for the delay ticks, then answered 530 and counted for the address", () => {
  const rig = setUp({ credentials: { user: "admin", password: "right" } });
  rig.control.take();
  rig.ask("USER admin");
  assert.deepEqual(rig.ask("PASS wrong"), []);
  assert.equal(rig.connection.acceptingCommands, false, "commands wait while the failure is held");
  for (let tick = 1; tick < failedLoginDelayTicks; tick++) rig.connection.tick();
  assert.deepEqual(rig.control.take(), []);
  rig.connection.tick();
  assert.deepEqual(rig.control.take(), ["530 Login incorrect."]);
  assert.deepEqual(rig.failed, ["192.168.1.7"]);
  assert.equal(rig.control.resumed, 1, "reading resumes once the 530 is out");
  rig.ask("USER admin");
  assert.deepEqual(rig.ask("PASS right"), ["230 Logged in; upload files to print them."]);
});

test("after EPSV ALL the gate refuses PORT, EPRT and PASV with 503, and EPSV still listens", () => {
  const { ask, data } = loggedIn();
  assert.deepEqual(ask("EPSV ALL"), ["200 EPSV ALL: only EPSV from now on."]);
  assert.deepEqual(ask("PASV"), ["503 Only EPSV after EPSV ALL."]);
  assert.deepEqual(ask("PORT 192,168,1,7,200,10"), ["503 Only EPSV after EPSV ALL."]);
  assert.deepEqual(ask("EPRT |1|192.168.1.7|51210|"), ["503 Only EPSV after EPSV ALL."]);
  assert.deepEqual(data.calls, []);
  assert.deepEqual(ask("EPSV"), [`229 Entering Extended Passive Mode (|||${passivePort}|)`]);
  assert.deepEqual(data.calls, ["listen 192.168.1.7"]);
});

test("a transfer verb answers its own 550 or 553 first, then 425 without PORT or PASV, and starts nothing", () => {
  const { ask, data } = loggedIn();
  assert.deepEqual(ask("STOR /status.txt"), ["550 status.txt is read-only."]);
  assert.deepEqual(ask("STOR /a/b/c"), ["553 Files print in / or /PORT1."]);
  assert.deepEqual(ask("LIST /nowhere/x"), ["550 No such file or directory."]);
  assert.deepEqual(ask("RETR /PORT1/x"), ["550 Only status.txt can be read; printing is write-only."]);
  for (const line of ["STOR job.txt", "APPE job.txt", "STOU", "LIST", "NLST", "MLSD", "RETR status.txt"])
    assert.deepEqual(ask(line), ["425 Use PORT, PASV, EPRT or EPSV first."], line);
  assert.deepEqual(data.calls, []);
});

test("PORT to the control peer is taken; PORT elsewhere or to a privileged port is refused (no bounce)", () => {
  const { ask, data, log } = loggedIn();
  assert.deepEqual(ask("PORT 10,0,0,9,200,10"), ["501 Data connections go only to your own address and a port above 1023."]);
  assert.deepEqual(ask("PORT 192,168,1,7,0,21"), ["501 Data connections go only to your own address and a port above 1023."]);
  assert.ok(log.includes("session 1 refused PORT to 10.0.0.9:51210"), log.join("\n"));
  assert.deepEqual(ask("PORT 192,168,1,7,200,10"), ["200 PORT command successful."]);
  assert.deepEqual(data.calls, ["connectLater 192.168.1.7:51210 for 192.168.1.7"]);
});

test("NLST after PASV: 227, the names handed to the data channel, 150 when it connects, 226 when all went out", () => {
  const { ask, data, connection, control } = loggedIn();
  assert.deepEqual(ask("PASV"), [`227 Entering Passive Mode (192,168,1,50,${passivePort >> 8},${passivePort & 255}).`]);
  assert.deepEqual(ask("NLST"), []);
  assert.equal(data.sent, "PORT1\r\nstatus.txt\r\n");
  connection.dataConnected();
  assert.deepEqual(control.take(), ["150 Opening data connection."]);
  connection.sendCompleted();
  assert.deepEqual(control.take(), ["226 Transfer complete."]);
  assert.deepEqual(ask("NOOP"), ["200 NOOP okay."]);
});

test("STOR in TYPE A prints through the spool: 150, bare LF made CRLF, 226 with both counts", () => {
  const { ask, data, connection, control, port, queue } = loggedIn();
  ask("PASV");
  assert.deepEqual(ask("STOR /PORT1/letter.txt"), []);
  assert.deepEqual(data.calls, ["listen 192.168.1.7", "beginUpload"]);
  connection.dataConnected();
  assert.deepEqual(control.take(), ["150 Opening ASCII mode data connection; printing."]);
  assert.ok(data.calls.includes("resumeReading"), "the spool started the job and the upload may read");
  assert.equal(deliver(connection, data.ring, "one\ntwo\n"), 8);
  connection.uploadEnded();
  queue.run();
  assert.deepEqual(control.take(), ["226 Transfer complete; 8 bytes received, 10 printed."]);
  assert.equal(String.fromCharCode(...port.jobs[0].bytes), "one\r\ntwo\r\n");
  assert.equal(port.jobs[0].name, "letter.txt");
  assert.equal(connection.job.owner, "alice");
});

test("commands during a transfer answer 503, NOOP may come, and QUIT waits for the transfer's 226 before 221 and the close", () => {
  const { ask, data, connection, control, queue } = loggedIn();
  ask("TYPE I");
  ask("EPSV");
  ask("STOU");
  connection.dataConnected();
  assert.match(control.take()[0], /^150 FILE: job1-1\.prn; printing\.$/);
  assert.deepEqual(ask("CWD /"), ["503 A transfer is in progress; wait for it to end or send ABOR."]);
  assert.deepEqual(ask("NOOP"), ["200 NOOP okay."]);
  assert.deepEqual(ask("QUIT"), []);
  deliver(connection, data.ring, "bytes");
  connection.uploadEnded();
  queue.run();
  assert.deepEqual(control.take(), ["226 Transfer complete; 5 bytes received and printed.", "221 Goodbye."]);
  assert.equal(control.disconnected, 1);
  assert.equal(connection.inUse, false);
});

test("ABOR cancels the print job: 426 then 226, and the connection goes on", () => {
  const { ask, connection, control, port, queue, data } = loggedIn();
  ask("EPSV");
  ask("STOR doomed.txt");
  connection.dataConnected();
  control.take();
  deliver(connection, data.ring, "half");
  assert.deepEqual(ask("ABOR"), ["426 Transfer aborted; the print job was cancelled.", "226 ABOR successful."]);
  queue.run();
  assert.equal(port.jobs[0].complete, false);
  assert.deepEqual(ask("ABOR"), ["225 No transfer to abort."]);
  assert.deepEqual(ask("PWD"), ['257 "/" is the current directory.']);
});

test("a data connection that fails answers 425, or 426 once it was up, and the job is cut short", () => {
  const { ask, connection, control, port, queue } = loggedIn();
  ask("EPSV");
  ask("LIST");
  connection.dataConnectionFailed(false);
  assert.deepEqual(control.take(), ["425 Cannot open data connection."]);
  ask("EPSV");
  ask("STOR x");
  connection.dataConnected();
  control.take();
  connection.dataConnectionFailed(true);
  queue.run();
  assert.deepEqual(control.take(), ["426 Data connection lost; transfer aborted."]);
  assert.equal(port.jobs[0].complete, false);
});

test("a connection that does not log in within the login timeout is told 421 and closed", () => {
  const { connection, control, log } = setUp();
  control.take();
  for (let tick = 1; tick < loginTimeoutTicks; tick++) connection.tick();
  assert.deepEqual(control.take(), []);
  connection.tick();
  assert.deepEqual(control.take(), ["421 Login timed out; closing the control connection."]);
  assert.equal(control.disconnected, 1);
  assert.ok(log.includes("session 1 closed: quit"), log.join("\n"));
});

test("a logged-in connection idle for the idle timeout is told 421 and closed; a command starts the count again", () => {
  const { connection, control, ask } = loggedIn();
  for (let tick = 1; tick < idleTimeoutTicks; tick++) connection.tick();
  ask("NOOP");
  for (let tick = 1; tick < idleTimeoutTicks; tick++) connection.tick();
  assert.deepEqual(control.take(), []);
  connection.tick();
  assert.deepEqual(control.take(), ["421 Idle too long; closing the control connection."]);
  assert.equal(control.disconnected, 1);
});

test("HELP and FEAT come from the table the connection is given, and a verb not in it is unknown", () => {
  const table = Object.freeze({ NOOP: verbs.NOOP, FEAT: verbs.FEAT, HELP: verbs.HELP, EPSV: verbs.EPSV, SITE: verbs.SITE });
  const { ask, control } = setUp({ table });
  control.take();
  assert.deepEqual(ask("FEAT"), ["211-Features:", " EPSV", "211 End."]);
  assert.deepEqual(ask("HELP"), ["214-Commands understood (HELP <verb> for more):", " NOOP  FEAT  HELP  EPSV ", "214 Upload a file to /PORT1 to print it."]);
  assert.deepEqual(ask("HELP SITE"), ["214 SITE: no site commands"]);
  assert.deepEqual(ask("SITE x"), ["502 SITE not implemented by this print server."]);
  assert.deepEqual(ask("LIST"), ["500 LIST not understood."]);
});

test("REIN forgets the login and EPSV ALL but keeps the connection; dispose() closes it and releases the data channel", () => {
  const { ask, connection, control, data } = loggedIn();
  ask("EPSV ALL");
  assert.deepEqual(ask("REIN"), ["220 Ready for a new user."]);
  assert.deepEqual(ask("PWD"), ["530 Please log in with USER and PASS."]);
  ask("USER carol");
  ask("PASS x");
  assert.deepEqual(ask("PASV"), [`227 Entering Passive Mode (192,168,1,50,${passivePort >> 8},${passivePort & 255}).`]);
  connection.dispose();
  assert.equal(control.disconnected, 1);
  assert.ok(data.calls.includes("dispose"));
  assert.equal(connection.inUse, false);
});
