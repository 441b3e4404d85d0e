// DNS messages (RFC 1035 §4) to and from bytes, for the simulator's mDNS emulation. Names are arrays of labels.
// Node only. Reads compressed names; writes names whole, as the SDK's serializer does not compress either.

export const RR = Object.freeze({ A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, NSEC: 47, ANY: 255 });
export const CLASS_IN = 1;
export const TOP_BIT = 0x8000;    // in a question's class: unicast response wanted (QU); in a record's: cache flush

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = 0;
  }
  u8() { return this.view.getUint8(this.at++); }
  u16() { const v = this.view.getUint16(this.at); this.at += 2; return v; }
  u32() { const v = this.view.getUint32(this.at); this.at += 4; return v; }
  name() {
    const labels = [];
    let at = this.at, jumped = false, hops = 0;
    for (;;) {
      const length = this.view.getUint8(at);
      if ((length & 0xc0) === 0xc0) {
        if (++hops > 64) throw new Error("name pointer loop");
        const target = this.view.getUint16(at) & 0x3fff;
        if (!jumped) this.at = at + 2;
        jumped = true;
        at = target;
        continue;
      }
      if (length === 0) {
        if (!jumped) this.at = at + 1;
        return labels;
      }
      if (at + 1 + length > this.bytes.length) throw new Error("label past the end");
      labels.push(Buffer.from(this.bytes.subarray(at + 1, at + 1 + length)).toString("utf8"));
      at += 1 + length;
    }
  }
}

/** { id, flags, questions: [{name, type, class}], answers/authorities/additionals: [{name, type, class, ttl, rdata}] } */
export function parseMessage(bytes) {
  const r = new Reader(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const id = r.u16(), flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions = [];
  for (let i = 0; i < counts[0]; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (count) => {
    const records = [];
    for (let i = 0; i < count; i++) {
      const name = r.name(), type = r.u16(), klass = r.u16(), ttl = r.u32(), length = r.u16();
      const start = r.at;
      if (start + length > r.bytes.length) throw new Error("record past the end");
      records.push({ name, type, class: klass, ttl, rdata: readData(r, type, start, length) });
      r.at = start + length;
    }
    return records;
  };
  return { id, flags, questions, answers: section(counts[1]), authorities: section(counts[2]), additionals: section(counts[3]) };
}

function readData(r, type, start, length) {
  switch (type) {
    case RR.A:
      return Array.from(r.bytes.subarray(start, start + 4)).join(".");
    case RR.PTR:
      return r.name();
    case RR.SRV: {
      const priority = r.u16(), weight = r.u16(), port = r.u16();
      return { priority, weight, port, target: r.name() };
    }
    case RR.TXT: {
      const strings = [];
      for (let at = start; at < start + length;) {
        const size = r.bytes[at];
        strings.push(Buffer.from(r.bytes.subarray(at + 1, at + 1 + size)).toString("utf8"));
        at += 1 + size;
      }
      return strings;
    }
    default:
      return r.bytes.slice(start, start + length);
  }
}

function nameBytes(name) {
  const labels = typeof name === "string" ? name.split(".") : name;
  const parts = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, "utf8");
    parts.push(Buffer.of(bytes.length), bytes);
  }
  parts.push(Buffer.of(0));
  return Buffer.concat(parts);
}

function dataBytes(type, rdata) {
  switch (type) {
    case RR.A:
      return Buffer.from(String(rdata ?? "0.0.0.0").split(".").map(Number));
    case RR.PTR:
      return nameBytes(rdata);
    case RR.SRV: {
      const head = Buffer.alloc(6);
      head.writeUInt16BE(rdata.priority, 0);
      head.writeUInt16BE(rdata.weight, 2);
      head.writeUInt16BE(rdata.port, 4);
      return Buffer.concat([head, nameBytes(rdata.target)]);
    }
    case RR.TXT: {
      // "key=value" strings in the object's key order, as the SDK's serializer writes an object.
      const parts = [];
      for (const key in rdata) {
        if (rdata[key] === undefined) continue;
        const entry = Buffer.from(`${key}=${rdata[key]}`, "utf8");
        parts.push(Buffer.of(entry.length), entry);
      }
      return Buffer.concat(parts);
    }
    case RR.NSEC:
      return Buffer.concat([nameBytes(rdata.next), Buffer.from(rdata.bitmaps)]);
    default:
      return Buffer.from(rdata ?? []);
  }
}

/** message: { id, flags, questions: [{name, type, class}], answers: [...], authorities: [...] } → Buffer */
export function buildMessage({ id = 0, flags = 0, questions = [], answers = [], authorities = [], additionals = [] }) {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(flags, 2);
  [questions, answers, authorities, additionals].forEach((list, i) => head.writeUInt16BE(list.length, 4 + 2 * i));
  const parts = [head];
  for (const q of questions) {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(q.class, 2);
    parts.push(nameBytes(q.name), tail);
  }
  for (const record of [...answers, ...authorities, ...additionals]) {
    const data = dataBytes(record.type, record.rdata);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(record.type, 0);
    fixed.writeUInt16BE(record.class, 2);
    fixed.writeUInt32BE(record.ttl >>> 0, 4);
    fixed.writeUInt16BE(data.length, 8);
    parts.push(nameBytes(record.name), fixed, data);
  }
  return Buffer.concat(parts);
}
