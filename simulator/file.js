// The SDK `file` module ($(MODDABLE)/modules/files/file/file.js, lin/modFile.c) for the Node simulator, on Node's fs.
// Node only.
// Each write goes straight to the file (no buffering), like lin, so a capture is readable while it grows.

import fs from "node:fs";
import path from "node:path";

const INVALID_HOST_DATA = "C: xsGetHostData: invalid host data";

export class File {
  #fd;
  #position = 0;

  /** write=true opens read/write without truncating, at position 0, creating the file if it is missing. */
  constructor(filePath, write = false) {
    const name = String(filePath);
    try {
      this.#fd = fs.openSync(name, write ? (fs.existsSync(name) ? "r+" : "w+") : "r");
    } catch (error) {
      throw new Error(`file not found: ${name} (${error.code})`);    // DOUBT: the SDK's wording differs per platform
    }
  }

  #live() {
    if (this.#fd === undefined) throw new SyntaxError(INVALID_HOST_DATA);
    return this.#fd;
  }

  /** read(String | ArrayBuffer, count = the rest) from the current position. */
  read(type, count) {
    const fd = this.#live();
    const size = fs.fstatSync(fd).size;
    const wanted = count === undefined ? size - this.#position : Math.min(Number(count), size - this.#position);
    const bytes = Buffer.alloc(Math.max(0, wanted));
    const got = bytes.length ? fs.readSync(fd, bytes, 0, bytes.length, this.#position) : 0;
    this.#position += got;
    if (type === String) return bytes.subarray(0, got).toString("utf8");
    if (type === ArrayBuffer) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + got);
    throw new TypeError("invalid type");
  }

  /** write(...items): strings (UTF-8), ArrayBuffers, or numbers (one byte each). */
  write(...items) {
    const fd = this.#live();
    for (const item of items) {
      let bytes;
      if (typeof item === "string") bytes = Buffer.from(item, "utf8");
      else if (typeof item === "number") bytes = Buffer.of(item & 0xFF);
      else if (item instanceof ArrayBuffer) bytes = Buffer.from(item);
      else throw new TypeError("not an ArrayBuffer instance");    // a Uint8Array too, as on lin
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, this.#position + done);
      this.#position += bytes.length;
    }
  }

  get length() {
    return fs.fstatSync(this.#live()).size;
  }

  get position() {
    this.#live();
    return this.#position;
  }

  set position(value) {
    this.#live();
    this.#position = Math.max(0, Number(value) || 0);
  }

  close() {
    if (this.#fd === undefined) return;
    fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  static delete(filePath) {
    try {
      fs.unlinkSync(String(filePath));
      return true;
    } catch {
      return false;
    }
  }

  static exists(filePath) {
    try {
      return fs.statSync(String(filePath)).isFile();
    } catch {
      return false;
    }
  }

  /** DOUBT: SDK builds differ on whether `to` is a bare name (same folder) or a path; both are accepted here. */
  static rename(from, to) {
    const target = String(to).includes("/") ? String(to) : path.join(path.dirname(String(from)), String(to));
    fs.renameSync(String(from), target);
  }
}

/** Directory listing: files as {name, length}, folders as {name}. */
export class Iterator {
  #entries;

  constructor(directory) {
    const folder = String(directory);
    this.#entries = fs.readdirSync(folder, { withFileTypes: true }).map((entry) => entry.isDirectory()
      ? { name: entry.name }
      : { name: entry.name, length: fs.statSync(path.join(folder, entry.name)).size });
  }

  next() {
    return this.#entries.shift();
  }

  [Symbol.iterator]() {
    return { next: () => {
      const value = this.next();
      return value ? { value, done: false } : { value: undefined, done: true };
    } };
  }
}

export default File;
