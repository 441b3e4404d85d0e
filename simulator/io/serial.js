// Simulated embedded:io/serial with the ESP32 implementation's behaviour ($(MODDABLE)/modules/io/serial/esp32/
// serial.c: xs_serial_constructor, xs_serial_write, serialDeliver, kTransmitTreshold; the 128 bytes are the classic
// ESP32's hardware FIFO, not in the SDK source): fixed 8N1, no flow control, a 128-byte TX FIFO that drains at
// baud/10 bytes per second, write() throwing "output full" past the free space, onWritable(free) once after
// construction and then when the FIFO drops below 10 bytes.
// Engine-neutral; bytes go to whatever device simulator/io/gpio.js has connected to the port.

import { getDefaultBoard, Mode } from "./gpio.js";

const FifoBytes = 128;
const WritableThreshold = 10;
const PortCount = 3;

/** A Serial class bound to `board` (a GpioBoard, or a function returning one at construction time). */
export function createSerialClass(board = getDefaultBoard) {
  const boardOf = typeof board === "function" ? board : () => board;

  class Serial {
    #board;
    #port;
    #byteNs;
    #format;
    #pins = [];
    #device;
    #tx = [];                 // bytes in the TX FIFO, oldest first
    #txDoneNs = Infinity;     // when the oldest one has left the wire
    #rx = [];
    #onReadable;
    #onWritable;
    #writableArmed = false;
    #readablePending;
    #writablePending;
    #wake;
    #wakeAtNs = Infinity;
    #removeSync;
    #closed = false;
    rxOverruns = 0;

    constructor(options) {
      const board = boardOf();
      const port = options.port ?? 0;
      if (!(port >= 0 && port < PortCount)) throw new RangeError("invalid port");
      if (port === 0) throw new RangeError("port in use"); // UART0 belongs to the console on ESP32
      const baud = options.baud;
      if (!(baud >= 1 && baud <= 20_000_000)) throw new RangeError("invalid baud");
      const format = options.format ?? "buffer";
      if (format !== "buffer" && format !== "number") throw new RangeError("invalid format");
      if (options.transmit === undefined && options.receive === undefined) throw new Error("invalid");
      if (options.transmit !== undefined) this.#pins.push(...board.claimPin(options.transmit, Mode.Output, this));
      try {
        if (options.receive !== undefined) this.#pins.push(...board.claimPin(options.receive, Mode.Input, this));
      } catch (e) { board.release(this.#pins, this); throw e; }
      if ("target" in options) this.target = options.target;
      this.#board = board;
      this.#port = port;
      this.#byteNs = 10e9 / baud; // start + 8 data + stop bits
      this.#format = format;
      this.#onReadable = options.onReadable;
      this.#onWritable = options.onWritable;
      this.#device = board.uartDevice(port);
      this.#device?.attach({ transmit: (byte, t) => this.#fromDevice(byte, t) });
      this.#removeSync = board.addUartSync((t) => this.#sync(t));
      if (this.#onWritable) {
        this.#writablePending = board.scheduler.set(() => {
          this.#writablePending = undefined;
          if (!this.#closed) this.#onWritable.call(this, FifoBytes - this.#tx.length);
        }, 0);
      }
    }

    write(data) {
      this.#check();
      const t = this.#board.clock.tick();
      this.#board.calls++;
      this.#sync(t);
      let bytes;
      if (typeof data === "number") bytes = [data & 0xff];
      else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
      else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      else throw new TypeError("invalid buffer");
      if (bytes.length > FifoBytes - this.#tx.length) throw new Error("output full");
      if (this.#tx.length === 0 && bytes.length) this.#txDoneNs = t + this.#byteNs;
      for (let i = 0; i < bytes.length; i++) this.#tx.push(bytes[i]);
      this.#writableArmed = true;
      this.#armWake(t);
      return undefined;
    }

    read(view) {
      this.#check();
      const t = this.#board.clock.tick();
      this.#board.calls++;
      this.#sync(t);
      if (this.#rx.length === 0) return undefined;
      if (this.#format === "number" && view === undefined) return this.#rx.shift();
      if (view === undefined) return new Uint8Array(this.#rx.splice(0)).buffer;
      if (typeof view === "number") {
        const bytes = this.#rx.splice(0, view); // ESP32 read(n) does not clamp: asking past the FIFO is the caller's bug
        return new Uint8Array(bytes).buffer;
      }
      const into = view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const count = Math.min(into.length, this.#rx.length);
      for (let i = 0; i < count; i++) into[i] = this.#rx.shift();
      return count;
    }

    close() {
      if (this.#closed) return;
      this.#closed = true;
      this.#removeSync();
      const scheduler = this.#board.scheduler;
      if (this.#wake !== undefined) scheduler.clear(this.#wake);
      if (this.#readablePending !== undefined) scheduler.clear(this.#readablePending);
      if (this.#writablePending !== undefined) scheduler.clear(this.#writablePending);
      this.#device?.attach(undefined);
      this.#board.release(this.#pins, this);
    }

    get format() { this.#check(); return this.#format; }
    set format(value) {
      this.#check();
      if (value !== "buffer" && value !== "number") throw new RangeError("invalid format");
      this.#format = value;
    }

    /** Bytes still in the TX FIFO (for tests). */
    get txQueued() { return this.#tx.length; }

    // Delivers every TX byte whose last bit has left by time t, each at its own time, letting the device run up
    // to that time first, so whatever it sends back (XOFF) carries the right time too.
    #sync(t) {
      if (this.#closed) return;
      while (this.#tx.length && this.#txDoneNs <= t) {
        const at = this.#txDoneNs;
        const byte = this.#tx.shift(); // taken out of `?.` so it leaves the FIFO even with nothing connected
        this.#device?.advance(at);
        this.#device?.receive(byte, at);
        this.#txDoneNs = this.#tx.length ? at + this.#byteNs : Infinity;
      }
      this.#device?.advance(t);
      if (this.#writableArmed && this.#tx.length < WritableThreshold && this.#onWritable) {
        this.#writableArmed = false;
        this.#writablePending ??= this.#board.scheduler.set(() => {
          this.#writablePending = undefined;
          if (!this.#closed) this.#onWritable.call(this, FifoBytes - this.#tx.length);
        }, 0);
      }
    }

    #fromDevice(byte, t) {
      if (this.#closed) return;
      if (this.#rx.length >= FifoBytes) { this.rxOverruns++; return; }
      this.#rx.push(byte);
      if (this.#onReadable) {
        this.#readablePending ??= this.#board.scheduler.set(() => {
          this.#readablePending = undefined;
          if (!this.#closed && this.#rx.length) this.#onReadable.call(this, this.#rx.length);
        }, 0);
      }
    }

    // Wakes up while bytes are on the wire (each ms at most), so the device hears them close to their time and
    // what it answers is delivered without waiting for the firmware's next call.
    #armWake(t) {
      let next = this.#txDoneNs;
      const deviceNext = this.#device?.nextChangeNs?.(t) ?? Infinity;
      if (deviceNext < next) next = deviceNext;
      if (next === Infinity) return;
      if (this.#wake !== undefined && this.#wakeAtNs <= next) return;
      const scheduler = this.#board.scheduler;
      if (this.#wake !== undefined) scheduler.clear(this.#wake);
      this.#wakeAtNs = next;
      this.#wake = scheduler.set(() => {
        this.#wake = undefined;
        this.#wakeAtNs = Infinity;
        if (this.#closed) return;
        const now = this.#board.clock.nowNs();
        this.#sync(now);
        this.#board.poke();
        this.#armWake(now);
      }, Math.max(1, Math.ceil((next - t) / 1e6)));
    }

    #check() { if (this.#closed) throw new SyntaxError("C: xsGetHostData: invalid host data"); }
  }
  return Serial;
}

const Serial = createSerialClass();
export default Serial;
