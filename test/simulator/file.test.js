// The SDK `file` module on Node fs ($(MODDABLE)/modules/files/file/file.js and lin/modFile.c).

import { it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { File } from "../../simulator/file.js";

it("opens for writing without truncating, at 0; writes strings, ArrayBuffers and bytes; refuses a Uint8Array", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ftprint-file-"));
  const name = path.join(folder, "job.prn");
  assert.equal(File.exists(name), false);
  let f = new File(name, true);
  f.write("hello ", Uint8Array.of(0x77, 0x6F).buffer, 0x72, "ld");
  assert.equal(f.length, 11);
  assert.equal(f.position, 11);
  assert.throws(() => f.write(new Uint8Array(1)), { name: "TypeError", message: "not an ArrayBuffer instance" });
  f.close();
  f.close();
  f = new File(name, true);
  assert.equal(f.position, 0);
  f.write("J");
  f.position = f.length;
  f.write("!");
  f.close();
  f = new File(name);
  assert.equal(f.read(String), "Jello world!");
  f.position = 6;
  assert.deepEqual(new Uint8Array(f.read(ArrayBuffer, 2)), Uint8Array.of(0x77, 0x6F));
  f.close();
  assert.throws(() => f.read(String), { name: "SyntaxError" });
  File.rename(name, "renamed.prn");
  assert.equal(File.exists(path.join(folder, "renamed.prn")), true);
  assert.equal(File.delete(path.join(folder, "renamed.prn")), true);
  assert.equal(File.delete(path.join(folder, "renamed.prn")), false);
  assert.throws(() => new File(name));
  fs.rmSync(folder, { recursive: true });
});
