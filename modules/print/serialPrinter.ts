// Serial printer port on an ESP32 UART (fixed 8N1, no hardware flow control), paced by XON/XOFF or a busy line.
// Must not: allocate per byte or per chunk, write past the free TX FIFO, or let an exception out of a callback.

import type { SerialClass, SerialPort } from "embedded:io/serial";
import type { DigitalClass, DigitalPin } from "embedded:io/digital";
import { ParkedTimer, type TimerApi } from "./parkedTimer.js";
import { PrinterState, type PrinterPort, type PrinterPortEvents } from "./port.js";
import { PortReporter, type PortLog } from "./portEvents.js";

/** From the host's board definition (GPIO numbers). `receive` is needed for XON/XOFF, `busy` for the handshake line. */
export interface SerialPrinterPins {
  /** UART number: 1 or 2 (UART0 is the console's: "port in use"). */
  readonly port: number;
  readonly transmit: number;
  readonly receive?: number;
  /** The printer's busy/DTR line after the RS-232 level shifter. */
  readonly busy?: number;
}

export interface SerialPrinterIO {
  readonly Serial: SerialClass;
  /** Needed only for handshake "busy". */
  readonly Digital?: DigitalClass;
  readonly Timer: TimerApi;
}

export interface SerialPrinterOptions {
  readonly pins: SerialPrinterPins;
  readonly io: SerialPrinterIO;
  readonly baud?: number;
  /** "xonxoff" (needs pins.receive), "busy" (needs pins.busy and io.Digital) or "none". */
  readonly handshake?: "xonxoff" | "busy" | "none";
  /** The busy line's level that means "stop". A MAX3232 inverts RS-232, so a printer dropping DTR reads high. */
  readonly busyLevel?: 0 | 1;
  readonly now?: () => number;
  /** Stopped this long by the printer is reported as PrinterState.Busy (shorter stops are normal flow). */
  readonly busyReportMs?: number;
  /** Poll period while stopped (an XON or a busy-line edge wakes sooner). */
  readonly pollMs?: number;
  /** Where a failure inside a callback is told: the host's log. */
  readonly log?: PortLog;
}

// The classic ESP32's UART TX FIFO: a hardware size (ESP-IDF's SOC_UART_FIFO_LEN), not in the SDK source, whose
// xs_serial_write ($(MODDABLE)/modules/io/serial/esp32/serial.c) writes straight into it, no software buffer.
const FifoBytes = 128;
const XON = 0x11, XOFF = 0x13;
const Handshake = Object.freeze({ None: 0, XonXoff: 1, Busy: 2 } as const);
type Handshake = (typeof Handshake)[keyof typeof Handshake];

export class SerialPrinterPort implements PrinterPort {
  readonly description: string;
  readonly stats = { writes: 0, bytes: 0, stops: 0, outputFull: 0 };

  readonly #reporter: PortReporter;
  #serial: SerialPort;
  #busyPin: DigitalPin | undefined;
  #busyLevel: number;
  #handshake: Handshake;
  #timer: ParkedTimer;
  #now: () => number;
  #busyReportMs: number;
  #pollMs: number;
  #fifoDrainMs: number;

  // ESP32 write() returns nothing, so the free FIFO space is counted: what onWritable reported, minus what was
  // written since. The FIFO drains at the baud rate whatever the printer says, so once `#fifoDrainMs` has passed
  // after the last write it is empty for sure: that covers an onWritable that does not come (see DOUBT below).
  #fifoFree = 0;
  #lastWriteMs = 0;
  #xoff = false;
  #writablePending = false;
  #stoppedSinceMs = -1;
  #closed = false;

  // Staging: write() needs a buffer the length of what it sends. Views of 1, 2, 4 ... 128 bytes over one buffer
  // are made once here, and a chunk goes out as a few power-of-two pieces: no allocation per chunk.
  #staging = new Uint8Array(FifoBytes);
  #views: Uint8Array[] = [];
  #rxView = new Uint8Array(16);

  constructor(options: SerialPrinterOptions) {
    const { pins, io } = options;
    const baud = options.baud ?? 9600;
    const handshake = options.handshake ?? (pins.receive !== undefined ? "xonxoff" : pins.busy !== undefined ? "busy" : "none");
    this.#handshake = handshake === "xonxoff" ? Handshake.XonXoff : handshake === "busy" ? Handshake.Busy : Handshake.None;
    this.#busyLevel = options.busyLevel ?? 1;
    this.#reporter = new PortReporter("serial port", options.log);
    this.#now = options.now ?? Date.now;
    this.#busyReportMs = options.busyReportMs ?? 1000;
    this.#pollMs = options.pollMs ?? 50;
    this.#fifoDrainMs = Math.ceil((FifoBytes * 10 * 1000) / baud) + 1;
    this.description = `UART ${baud} 8N1` + (handshake === "xonxoff" ? " XON/XOFF" : handshake === "busy" ? " busy line" : "");
    for (let size = 1; size <= FifoBytes; size <<= 1) this.#views.push(new Uint8Array(this.#staging.buffer, 0, size));

    if (this.#handshake === Handshake.XonXoff && pins.receive === undefined) throw new Error("XON/XOFF needs a receive pin");
    if (this.#handshake === Handshake.Busy) {
      if (pins.busy === undefined || !io.Digital) throw new Error("busy handshake needs a busy pin and Digital");
      const Digital = io.Digital;
      this.#busyPin = new Digital({
        pin: pins.busy,
        mode: Digital.Input,
        edge: Digital.Rising | Digital.Falling,
        onReadable: () => this.#onBusyEdge(),
      });
    }
    const port = this;
    this.#serial = new io.Serial({
      port: pins.port,
      transmit: pins.transmit,
      receive: this.#handshake === Handshake.XonXoff ? pins.receive : undefined,
      baud,
      format: "buffer",
      onWritable(count: number) { port.#onFifoWritable(count); },
      onReadable(count: number) { port.#onReceived(count); },
    });
    this.#timer = new ParkedTimer(io.Timer, () => this.#onTimer());
  }

  get state(): PrinterState {
    return this.#reporter.state;
  }

  attach(events: PrinterPortEvents): void {
    this.#reporter.attach(events);
  }

  beginJob(jobId: number, name: string): void {}

  write(bytes: Uint8Array, at: number, count: number): number {
    if (this.#closed || count <= 0) return 0;
    let taken = 0;
    try {
      if (!this.#stopped()) taken = this.#send(bytes, at, count);
      else this.#noteStopped();
    } catch (e) {
      this.#reporter.failed("write", e);
    }
    if (taken < count) {
      this.#writablePending = true;
      // Room in the FIFO comes with the UART's onWritable; a stop ends with XON or a busy edge. The timer covers
      // both in case the event does not come.
      this.#timer.arm(this.#stopped() ? this.#pollMs : this.#fifoDrainMs);
    }
    return taken;
  }

  endJob(complete: boolean): void {
    // What is in the FIFO leaves at the baud rate; nothing is held in JS.
    this.#writablePending = false;
    this.#stoppedSinceMs = -1;
    if (!this.#closed) this.#timer.park();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writablePending = false;
    this.#timer.clear();
    try { this.#serial.close(); } catch { /* already closed */ }
    try { this.#busyPin?.close(); } catch { /* already closed */ }
  }

  #stopped(): boolean {
    if (this.#handshake === Handshake.XonXoff) return this.#xoff;
    if (this.#busyPin) return this.#busyPin.read() === this.#busyLevel;
    return false;
  }

  #send(bytes: Uint8Array, at: number, count: number): number {
    if (this.#fifoFree === 0 && this.#now() - this.#lastWriteMs >= this.#fifoDrainMs) this.#fifoFree = FifoBytes;
    let remaining = count < this.#fifoFree ? count : this.#fifoFree;
    let sent = 0;
    const staging = this.#staging;
    while (remaining > 0) {
      let index = this.#views.length - 1;
      while (this.#views[index]!.length > remaining) index--;
      const view = this.#views[index]!, size = view.length;
      for (let i = 0; i < size; i++) staging[i] = bytes[at + sent + i]!;
      try {
        this.#serial.write(view);
      } catch {
        // "output full": our count was off (or the FIFO is shared); nothing was written, wait for onWritable
        this.stats.outputFull++;
        this.#fifoFree = 0;
        break;
      }
      this.stats.writes++;
      this.#fifoFree -= size;
      sent += size;
      remaining -= size;
    }
    if (sent > 0) {
      this.#lastWriteMs = this.#now();
      this.stats.bytes += sent;
      this.#stoppedSinceMs = -1;
      this.#reporter.change(PrinterState.Ready);
    }
    return sent;
  }

  #noteStopped(): void {
    const nowMs = this.#now();
    if (this.#stoppedSinceMs < 0) { this.#stoppedSinceMs = nowMs; this.stats.stops++; }
    else if (nowMs - this.#stoppedSinceMs >= this.#busyReportMs) this.#reporter.change(PrinterState.Busy);
  }

  /** Wakes the spool on a later turn when it waits and the printer lets us go on. */
  #resumeIfWaiting(): void {
    if (!this.#writablePending || this.#closed) return;
    if (this.#stopped()) {
      this.#noteStopped();
      this.#timer.arm(this.#pollMs);
      return;
    }
    if (this.#fifoFree === 0 && this.#now() - this.#lastWriteMs >= this.#fifoDrainMs) this.#fifoFree = FifoBytes;
    if (this.#fifoFree === 0) {
      this.#timer.arm(this.#fifoDrainMs);
      return;
    }
    this.#timer.park();
    this.#writablePending = false;
    this.#stoppedSinceMs = -1;
    this.#reporter.change(PrinterState.Ready);
    this.#reporter.writable();
  }

  // DOUBT: esp32/serial.c is read as firing onWritable once after construction and then each time the FIFO drops
  // below 10 bytes after a write; whether it also fires when a short write never filled the FIFO past 10 was not
  // checked on a device. The drain-time timer in write() keeps the port going either way.
  #onFifoWritable(count: number): void {
    try {
      this.#fifoFree = count;
      this.#resumeIfWaiting();
    } catch (e) {
      this.#reporter.failed("onWritable", e);
    }
  }

  #onReceived(count: number): void {
    try {
      const view = this.#rxView;
      let read: number | undefined;
      // read(view) is clamped to what the RX FIFO holds on ESP32; the last flow byte received wins
      while ((read = this.#serial.read(view))) {
        for (let i = 0; i < read; i++) {
          const byte = view[i];
          if (byte === XOFF) this.#xoff = true;
          else if (byte === XON) this.#xoff = false;
        }
        if (read < view.length) break;
      }
      if (!this.#xoff) this.#resumeIfWaiting();
    } catch (e) {
      this.#reporter.failed("onReadable", e);
    }
  }

  #onBusyEdge(): void {
    try {
      this.#resumeIfWaiting();
    } catch (e) {
      this.#reporter.failed("busy edge", e);
    }
  }

  #onTimer(): void {
    try {
      this.#resumeIfWaiting();
    } catch (e) {
      this.#reporter.failed("timer", e);
    }
  }
}
