// Small steps the scenarios share: an upload in each data mode, test data, the texts of the replies that several
// scenarios expect. Engine-neutral.

import { bytes as assertBytes, bytesOf, equal, lines as assertLines, ok } from "../xs-host/assert.js";

export const loggedIn = "230 Logged in; upload files to print them.";
export const typeI = "200 Type set to I: bytes are printed exactly as sent.";
export const typeA = "200 Type set to A: bare LF is printed as CRLF.";
export const printing = (mode) => `150 Opening ${mode} mode data connection; printing.`;
export const queued = (mode, ahead) => `150 Opening ${mode} mode data connection; queued behind ${ahead} job${ahead > 1 ? "s" : ""}.`;
/** The 226 of an upload: in TYPE A the printer may get more bytes than came (each bare LF becomes CRLF). */
export const printed = (count, printedCount = count) => printedCount === count
  ? `226 Transfer complete; ${count} bytes received and printed.`
  : `226 Transfer complete; ${count} bytes received, ${printedCount} printed.`;
export const bounceRefused = "501 Data connections go only to your own address and a port above 1023.";
export const noDataConnection = "425 Use PORT, PASV, EPRT or EPSV first.";

/** `length` bytes that run through every byte value, so a lost, doubled or reordered byte shows. */
export function patternBytes(length, seed = 0) {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 7 + seed + (i >> 8)) & 0xff;
  return data;
}

export function filled(length, character) {
  return new Uint8Array(length).fill(character.charCodeAt(0));
}

/** Splits `data` at the given offsets. */
export function splitAt(data, ...offsets) {
  const parts = [];
  let from = 0;
  for (const to of offsets) {
    parts.push(data.subarray(from, to));
    from = to;
  }
  parts.push(data.subarray(from));
  return parts;
}

/**
 * Prepares a data connection the way the named client style does, sends STOR and waits for the 150.
 * mode: "PASV" | "EPSV" | "PORT" | "EPRT". Returns the client's end of the data connection.
 */
export function startUpload(client, name, { mode = "PASV", expect150 } = {}) {
  let data;
  if (mode === "PASV") data = client.passive();
  else if (mode === "EPSV") data = client.extendedPassive();
  else {
    const active = client.active({ extended: mode === "EPRT", expectLines: [`200 ${mode} command successful.`] });
    client.send(`STOR ${name}`);
    data = active.accept();
    if (expect150) client.expectReply([expect150], `the 150 for STOR ${name}`);
    return data;
  }
  client.send(`STOR ${name}`);
  if (expect150) client.expectReply([expect150], `the 150 for STOR ${name}`);
  return data;
}

/**
 * A whole upload: 150, the chunks one by one (each its own segment), FIN, 226 with the byte counts (`printedBytes`:
 * what the printer gets, when TYPE A makes it more than was sent).
 */
export function upload(client, name, chunks, { mode = "PASV", type = "BINARY", printedBytes } = {}) {
  const data = startUpload(client, name, { mode, expect150: printing(type) });
  let total = 0;
  for (const chunk of chunks) {
    data.write(chunk);
    total += chunk.length;
    client.host.runUntilIdle();   // each chunk arrives, and is read, on its own
  }
  data.finish();
  client.expectReply([printed(total, printedBytes ?? total)], `the 226 for STOR ${name}`);
  client.host.settle(() => data.closed, "the server to close the data connection after 226");
  return data;
}

/** The one job the printer should hold at index `index`: its name, completeness and exact bytes. */
export function expectJob(host, index, { name, complete = true, bytes }) {
  const job = host.printer.jobs[index];
  ok(job !== undefined, `printer job ${index} missing; the printer has ${host.printer.jobs.length}`);
  equal(job.name, name, `printer job ${index} name`);
  equal(job.complete, complete, `printer job ${index} complete`);
  assertBytes(job.bytes, typeof bytes === "string" ? bytesOf(bytes) : bytes, `printer job ${index} bytes`);
}

export { assertLines };
