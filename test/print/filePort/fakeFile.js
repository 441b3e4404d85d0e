// A stand-in for the SDK's `file` module ($(MODDABLE)/modules/files/file/lin/modFile.c) over an in-memory disk whose faults a test switches:
// a missing capture folder (files cannot be made) and a size limit (a full disk: a write stops part way and throws,
// its position moved by what it did write, the worst case for the port, since the SDK does not say).

export const disk = {
  /** path → bytes written so far */
  files: new Map(),
  folderPresent: true,
  /** Bytes the disk holds in all; a write past it writes what fits and throws. */
  capacity: Infinity,
  used() {
    let total = 0;
    for (const bytes of this.files.values()) total += bytes.length;
    return total;
  },
  reset() {
    this.files.clear();
    this.folderPresent = true;
    this.capacity = Infinity;
  },
};

export class File {
  #path;
  #position = 0;
  #open = true;

  constructor(path, write = false) {
    if (!disk.folderPresent) throw new Error(`file not found: ${path} (ENOENT)`);
    if (!disk.files.has(path)) {
      if (!write) throw new Error(`file not found: ${path} (ENOENT)`);
      disk.files.set(path, new Uint8Array(0));
    }
    this.#path = path;
  }

  write(buffer) {
    if (!this.#open) throw new SyntaxError("C: xsGetHostData: invalid host data");
    if (!(buffer instanceof ArrayBuffer)) throw new TypeError("not an ArrayBuffer instance");
    const bytes = new Uint8Array(buffer);
    const old = disk.files.get(this.#path);
    const room = disk.capacity - disk.used() + old.length;     // this file may grow to this length
    const fits = Math.max(0, Math.min(bytes.length, room - this.#position));
    const grown = new Uint8Array(Math.max(old.length, this.#position + fits));
    grown.set(old);
    grown.set(bytes.subarray(0, fits), this.#position);
    disk.files.set(this.#path, grown);
    this.#position += fits;
    if (fits < bytes.length) throw new Error("file write failed (ENOSPC)");
  }

  get position() { return this.#position; }
  set position(value) { this.#position = value; }
  get length() { return disk.files.get(this.#path).length; }

  close() { this.#open = false; }

  static exists(path) { return disk.folderPresent && disk.files.has(path); }

  static delete(path) { return disk.files.delete(path); }
}
