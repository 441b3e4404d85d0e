// Every command of the virtual tree and the session, with whole reply lines, against the simulator; and a walk
// over the verb table (as HELP publishes it) through the one gate, before and after login.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { RawClient, connectData, readAll } from "./rawClient.js";
import { startSimulator } from "./simulator.js";

let sim;
before(async () => { sim = await startSimulator(); });
after(async () => { await sim?.stop(); });

async function loggedIn() {
  const client = await RawClient.connect(sim.port);
  await client.login();
  return client;
}

async function quit(client) {
  assert.equal((await client.command("QUIT")).text, "221 Goodbye.");
  await client.waitClosed();
}

/** Runs a transfer command over EPSV and returns [data bytes, replies]. */
async function transfer(client, command, upload) {
  const data = await connectData(await client.command("EPSV"));
  client.send(command);
  const opening = await client.reply();
  if (upload !== undefined) data.end(upload);
  const received = upload === undefined ? await readAll(data).catch((error) => {
    throw new Error(`${command}: ${error.message}\nthe simulator's log ends:\n${sim.log.slice(-25).join("\n")}`);
  }) : Buffer.alloc(0);
  return [received, opening, await client.reply()];
}

test("before login: SYST, FEAT, OPTS UTF8 ON, NOOP and HELP answer; AUTH TLS is refused with 502", async () => {
  const client = await RawClient.connect(sim.port);
  await client.reply();
  assert.equal((await client.command("SYST")).text, "215 UNIX Type: L8");
  assert.equal((await client.command("OPTS UTF8 ON")).text, "200 UTF8 mode is always on.");
  assert.equal((await client.command("OPTS NONSENSE")).text, "501 Option not understood.");
  assert.equal((await client.command("NOOP")).text, "200 NOOP okay.");
  const help = await client.command("HELP");
  assert.equal(help.lines[0], "214-Commands understood (HELP <verb> for more):");
  assert.equal(help.lines.at(-1), "214 Upload a file to /PORT1 to print it.");
  assert.equal((await client.command("HELP STOR")).text, "214 STOR <name>: print it");
  assert.equal((await client.command("HELP BOGUS")).text, "501 Unknown command BOGUS.");
  assert.equal((await client.command("AUTH TLS")).text, "502 AUTH not implemented by this print server.");
  await quit(client);
});

test("every verb HELP lists passes the gate in order: 530 before login where a login is needed, never 500", async () => {
  const client = await RawClient.connect(sim.port);
  await client.reply();
  const help = await client.command("HELP");
  const verbs = help.lines.slice(1, -1).flatMap((line) => line.trim().split(/ +/));
  assert.ok(verbs.length >= 30, `HELP lists ${verbs.length} verbs`);
  const withoutLogin = new Set(["USER", "PASS", "ACCT", "QUIT", "REIN", "NOOP", "SYST", "FEAT", "OPTS", "HELP"]);   // STAT too, but "STAT x" asks about a path
  for (const verb of verbs) {
    if (verb === "QUIT" || verb === "REIN" || verb === "USER" || verb === "PASS" || verb === "ACCT") continue;
    const reply = await client.command(`${verb} x`);
    if (withoutLogin.has(verb)) assert.notEqual(reply.code, 530, `${verb}: ${reply.text}`);
    else assert.ok(reply.code === 530 || reply.code === 501, `${verb} before login: ${reply.text}`);
    assert.notEqual(reply.code, 500, verb);
  }
  await quit(client);
});

test("REIN logs out and keeps the connection; USER and PASS log in again", async () => {
  const client = await loggedIn();
  assert.equal((await client.command("CWD PORT1")).code, 250);
  assert.equal((await client.command("REIN")).text, "220 Ready for a new user.");
  assert.equal((await client.command("PWD")).text, "530 Please log in with USER and PASS.");
  await client.command("USER again");
  assert.equal((await client.command("PASS x")).code, 230);
  assert.equal((await client.command("PWD")).text, '257 "/" is the current directory.');
  await quit(client);
});

test("XCWD, XPWD and XCUP behave as CWD, PWD and CDUP", async () => {
  const client = await loggedIn();
  assert.equal((await client.command("XCWD /PORT1")).text, "250 Directory is now /PORT1.");
  assert.equal((await client.command("XPWD")).text, '257 "/PORT1" is the current directory.');
  assert.equal((await client.command("XCUP")).text, "200 Directory is now /.");
  assert.equal((await client.command("CWD status.txt")).code, 550);
  await quit(client);
});

test("TYPE, MODE, STRU and ALLO take what a print server can honour", async () => {
  const client = await loggedIn();
  for (const type of ["A", "A N", "a n"]) assert.equal((await client.command(`TYPE ${type}`)).text, "200 Type set to A: bare LF is printed as CRLF.");
  for (const type of ["I", "L 8"]) assert.equal((await client.command(`TYPE ${type}`)).text, "200 Type set to I: bytes are printed exactly as sent.");
  assert.equal((await client.command("MODE S")).text, "200 Mode set to S.");
  assert.equal((await client.command("MODE Z")).text, "501 Unknown mode.");
  assert.equal((await client.command("STRU F")).text, "200 Structure set to F.");
  assert.equal((await client.command("ALLO 5000")).code, 202);
  await quit(client);
});

test("MLSD lists facts, MLST describes one path on the control connection", async () => {
  const client = await loggedIn();
  const [listing, opening, done] = await transfer(client, "MLSD");
  assert.equal(opening.code, 150);
  assert.equal(done.text, "226 Transfer complete.");
  const lines = listing.toString().split("\r\n");
  assert.match(lines[0], /^type=dir;perm=elc;modify=\d{14}; PORT1$/);
  assert.match(lines[1], /^type=file;size=\d+;perm=r;modify=\d{14}; status\.txt$/);
  assert.equal(lines[2], "");
  const mlst = await client.command("MLST status.txt");
  assert.equal(mlst.lines[0], "250-Listing /status.txt");
  assert.match(mlst.lines[1], /^ type=file;size=\d+;perm=r;modify=\d{14}; \/status\.txt$/);
  assert.equal(mlst.lines[2], "250 End.");
  assert.equal((await client.command("MLST /nowhere/x")).code, 550);
  await quit(client);
});

test("NLST lists names; LIST of PORT1 is empty; STAT <path> lists on the control connection", async () => {
  const client = await loggedIn();
  const [names] = await transfer(client, "NLST");
  assert.equal(names.toString(), "PORT1\r\nstatus.txt\r\n");
  const [empty] = await transfer(client, "LIST -la /PORT1");
  assert.equal(empty.length, 0);
  const stat = await client.command("STAT /status.txt");
  assert.equal(stat.lines[0], "213-Status follows:");
  assert.match(stat.lines[1], /^ -r--r--r-- +1 printer +printer +\d+ .* status\.txt$/);
  assert.equal(stat.lines[2], "213 End of status.");
  await quit(client);
});

test("STOU prints under a name it reports, APPE prints too, and STOR to status.txt is refused", async () => {
  const before = (await sim.jobs()).length;
  const client = await loggedIn();
  await client.command("TYPE I");
  const [, stou, stouDone] = await transfer(client, "STOU", "unique");
  assert.match(stou.text, /^150 FILE: job\d+-\d+\.prn; printing\.$/);
  assert.equal(stouDone.code, 226);
  const [, , appeDone] = await transfer(client, "APPE /PORT1/more.txt", "appended");
  assert.equal(appeDone.code, 226);
  assert.equal((await client.command("STOR /status.txt")).text, "550 status.txt is read-only.");
  assert.equal((await client.command("STOR /a/b/c")).text, "553 Files print in / or /PORT1.");
  const jobs = (await sim.jobs()).slice(before);
  assert.deepEqual(jobs.map((job) => job.bytes.toString()), ["unique", "appended"]);
  await quit(client);
});

test("QUIT during an upload waits for its 226, then says goodbye", async () => {
  const client = await loggedIn();
  await client.command("TYPE I");
  const data = await connectData(await client.command("EPSV"));
  client.send("STOR last-words.bin");
  assert.equal((await client.reply()).code, 150);
  client.send("QUIT");
  data.end("the end");
  assert.equal((await client.reply()).text, "226 Transfer complete; 7 bytes received and printed.");
  assert.equal((await client.reply()).text, "221 Goodbye.");
  await client.waitClosed();
});

test("EPSV ALL keeps EPSV working and refuses PORT, EPRT and PASV", async () => {
  const client = await loggedIn();
  assert.equal((await client.command("EPSV ALL")).code, 200);
  assert.equal((await client.command("PORT 127,0,0,1,200,1")).code, 503);
  assert.equal((await client.command("EPRT |1|127.0.0.1|5000|")).code, 503);
  assert.equal((await client.command("EPSV 2")).text, "522 Network protocol not supported, use (1)");
  const [names] = await transfer(client, "NLST");
  assert.equal(names.toString(), "PORT1\r\nstatus.txt\r\n");
  await quit(client);
});
