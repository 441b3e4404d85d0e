// The bench's one FTP client: raw FTP over node:net (EPSV, PASV fallback, TYPE I), the same code against every
// server so the client costs the same everywhere. Must not: buffer uploads in memory (one reused chunk is sent
// over and over), or time anything with Date.now (performance.now only).

import net from "node:net";
import { performance } from "node:perf_hooks";

const defaultTimeoutMs = 60_000;
/** One upload chunk, made once and sent over and over: the client allocates nothing per chunk. */
const uploadChunk = Buffer.alloc(256 * 1024, 0x41);

export class FtpError extends Error {
  constructor(message, reply) {
    super(reply ? `${message}: ${reply.code} ${reply.text}` : message);
    this.reply = reply;
  }
}

/** A control connection: sends command lines, parses replies (RFC 959 §4.2 multi-line included). */
export class FtpControl {
  #socket;
  #pending = "";
  #multiCode = "";
  #multiText = [];
  #replies = [];
  #waiters = [];
  #closed = undefined;
  host;
  timeoutMs;

  constructor(socket, host, timeoutMs) {
    this.#socket = socket;
    this.host = host;
    this.timeoutMs = timeoutMs;
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    socket.on("data", (text) => this.#receive(text));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(new Error("control connection closed")));
  }

  /** Connects and reads the greeting (220). */
  static async connect(host, port, { timeoutMs = defaultTimeoutMs } = {}) {
    const socket = await connectSocket(host, port, timeoutMs);
    const control = new FtpControl(socket, host, timeoutMs);
    const greeting = await control.reply();
    if (greeting.code !== 220) { control.destroy(); throw new FtpError("no greeting", greeting); }
    return control;
  }

  /** The next reply, in order. */
  reply() {
    if (this.#replies.length) return Promise.resolve(this.#replies.shift());
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const waiter = {
        resolve: (value) => { clearTimeout(timer); resolve(value); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      this.#waiters.push(waiter);
    });
  }

  send(line) {
    this.#socket.write(line + "\r\n", "latin1");
  }

  /** Sends a command and resolves with its reply; `expect` (a number or a first digit "2") checks it. */
  async command(line, expect) {
    this.send(line);
    const answer = await this.reply();
    if (expect !== undefined && !matches(answer.code, expect)) throw new FtpError(line.split(" ")[0], answer);
    return answer;
  }

  async login(user = "anonymous", password = "bench@example.com") {
    const answer = await this.command(`USER ${user}`);
    if (answer.code === 230) return;
    if (answer.code !== 331) throw new FtpError("USER", answer);
    await this.command(`PASS ${password}`, 230);
  }

  /** EPSV (RFC 2428), else PASV: the data port to connect to. */
  async passivePort() {
    const extended = await this.command("EPSV");
    if (extended.code === 229) {
      const match = /\(([^\d])\1\1(\d+)\1\)/.exec(extended.text);
      if (match) return Number(match[2]);
    }
    const passive = await this.command("PASV", 227);
    const numbers = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(passive.text);
    if (!numbers) throw new FtpError("PASV reply unreadable", passive);
    return Number(numbers[5]) * 256 + Number(numbers[6]);
  }

  /**
   * One STOR of `byteCount` bytes. Like ftplib, waits for the 1xx before sending data. Returns performance.now()
   * stamps: `start` (before EPSV), `stor` (STOR sent), `preliminary` (150 in), `sent` (last byte handed to the
   * kernel and FIN sent), `end` (226 in).
   */
  async store(name, byteCount, { onStor } = {}) {
    const start = performance.now();
    const port = await this.passivePort();
    const data = await connectSocket(this.host, port, this.timeoutMs);
    data.setNoDelay(true);
    let dataError;
    data.on("error", (error) => { dataError = error; });
    const stor = performance.now();
    this.send(`STOR ${name}`);
    onStor?.(stor);
    const first = await this.reply();
    if (first.code !== 150 && first.code !== 125) { data.destroy(); throw new FtpError("STOR", first); }
    const preliminary = performance.now();
    await writeBytes(data, byteCount);
    if (dataError) throw dataError;
    const sent = performance.now();
    const final = await this.reply();
    const end = performance.now();
    data.destroy();
    if (final.code !== 226 && final.code !== 250) throw new FtpError("STOR result", final);
    return { start, stor, preliminary, sent, end };
  }

  async quit() {
    const answer = await this.command("QUIT");
    this.destroy();
    return answer;
  }

  destroy() {
    this.#socket.destroy();
  }

  #receive(text) {
    this.#pending += text;
    for (let at = this.#pending.indexOf("\n"); at >= 0; at = this.#pending.indexOf("\n")) {
      const line = this.#pending.slice(0, at).replace(/\r$/, "");
      this.#pending = this.#pending.slice(at + 1);
      this.#line(line);
    }
  }

  #line(line) {
    const code = /^(\d{3})([ -])/.exec(line);
    if (this.#multiCode) {
      this.#multiText.push(line);
      if (code && code[1] === this.#multiCode && code[2] === " ") {
        this.#deliver({ code: Number(this.#multiCode), text: this.#multiText.join("\n") });
        this.#multiCode = "";
        this.#multiText = [];
      }
      return;
    }
    if (!code) return;                                         // stray text outside a reply: ignore
    if (code[2] === "-") {
      this.#multiCode = code[1];
      this.#multiText = [line];
      return;
    }
    this.#deliver({ code: Number(code[1]), text: line.slice(4) });
  }

  #deliver(answer) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(answer);
    else this.#replies.push(answer);
  }

  #fail(error) {
    if (this.#closed) return;
    this.#closed = error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}

function matches(code, expect) {
  return typeof expect === "number" ? code === expect : String(code).startsWith(String(expect));
}

function connectSocket(host, port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`connect ${host}:${port} timed out`)); }, timeoutMs);
    socket.once("connect", () => { clearTimeout(timer); socket.removeAllListeners("error"); resolve(socket); });
    socket.once("error", (error) => { clearTimeout(timer); reject(error); });
  });
}

/** Writes `byteCount` bytes of the one chunk with backpressure, then half-closes (end of file in stream mode). */
function writeBytes(socket, byteCount) {
  return new Promise((resolve, reject) => {
    let left = byteCount;
    const onError = (error) => reject(error);
    socket.once("error", onError);
    const pump = () => {
      while (left > 0) {
        const count = Math.min(left, uploadChunk.length);
        left -= count;
        const more = socket.write(count === uploadChunk.length ? uploadChunk : uploadChunk.subarray(0, count));
        if (!more) { socket.once("drain", pump); return; }
      }
      socket.end(() => { socket.off("error", onError); resolve(); });
    };
    pump();
  });
}

// ---- the measurements, each one a loop of the calls above ----

/** Connect, log in, TYPE I, one upload of `byteCount`, quit. MiB/s over STOR sent → 226. */
export async function uploadOnce(host, port, byteCount, { name = "bench-upload.bin", onStor } = {}) {
  const control = await FtpControl.connect(host, port);
  try {
    await control.login();
    await control.command("TYPE I", 200);
    const times = await control.store(name, byteCount, { onStor });
    await control.quit();
    return { ...times, mibPerS: byteCount / (1 << 20) / ((times.end - times.stor) / 1000) };
  } finally {
    control.destroy();
  }
}

/** 1 KiB uploads one after the other over one logged-in session, for `durationMs`. Jobs per second. */
export async function smallJobs(host, port, durationMs, { jobBytes = 1024, nameFor = (i) => `small-${i}.bin` } = {}) {
  const control = await FtpControl.connect(host, port);
  try {
    await control.login();
    await control.command("TYPE I", 200);
    const start = performance.now();
    let jobs = 0, now = start;
    while (now - start < durationMs) {
      await control.store(nameFor(jobs), jobBytes);
      jobs++;
      now = performance.now();
    }
    await control.quit();
    return jobs / ((now - start) / 1000);
  } finally {
    control.destroy();
  }
}

/** Connect, log in, quit (221), one after the other for `durationMs`. Sessions per second. */
export async function sessions(host, port, durationMs) {
  const start = performance.now();
  let count = 0, now = start;
  while (now - start < durationMs) {
    const control = await FtpControl.connect(host, port);
    try {
      await control.login();
      await control.quit();
    } finally {
      control.destroy();
    }
    count++;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}
