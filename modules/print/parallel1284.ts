// IEEE 1284 compatibility-mode ("Centronics") printer port on GPIO, worked through in short slices on the event loop.
// Must not: hold the engine for more than a slice, allocate per byte or per chunk, or let an exception out of a callback.

import type { DigitalBankClass, DigitalBankPins } from "embedded:io/digitalbank";
import type { DigitalClass, DigitalPin } from "embedded:io/digital";
import { ParkedTimer, type TimerApi } from "./parkedTimer.js";
import { PrinterState, type PrinterPort, type PrinterPortEvents } from "./port.js";
import { PortReporter, type PortLog } from "./portEvents.js";
import { Shift595DataLines, type ParallelDataLines, type Shift595Pins } from "./shift595.js";

/**
 * The dongle's wiring, from the host's board definition (GPIO numbers). Outputs: D0-D7 (or a 74HC595), nSTROBE,
 * nINIT, nSELECTIN, nAUTOFD. Inputs: BUSY, nACK, PE, SELECT, nERROR (nFAULT). Levels are the wire's: the "n"
 * lines are active low, and the level shifters between the 5 V printer and the 3.3 V ESP32 do not invert.
 */
export interface ParallelPins {
  /** D0..D7 in order; all in one bank, so a byte is one bank write. Omit when `shift595` is given. */
  readonly data?: readonly number[];
  readonly shift595?: Shift595Pins;
  readonly strobe: number;
  readonly init: number;
  readonly selectIn: number;
  readonly autoFeed: number;
  readonly busy: number;
  readonly ack: number;
  readonly paperEnd: number;
  readonly select: number;
  readonly fault: number;
  /** Pull resistors for the five inputs; GPIO 34-39 have none, so the dongle brings its own ("none"). */
  readonly inputPull?: "none" | "up" | "down";
}

export interface ParallelIO {
  readonly DigitalBank: DigitalBankClass;
  readonly Digital: DigitalClass;
  readonly Timer: TimerApi;
}

export interface ParallelOptions {
  readonly pins: ParallelPins;
  readonly io: ParallelIO;
  /** Where a failure inside a callback is told: the host's log. */
  readonly log?: PortLog;
  /** Millisecond clock that bounds a slice: Date.now on the device, simulated time in tests. */
  readonly now?: () => number;
  /** A slice ends at its first time check at or past this many ms (see #sendSlice). */
  readonly sliceMs?: number;
  readonly maxBytesPerSlice?: number;
  /** BUSY reads per byte before giving the turn back and polling with the timer. */
  readonly busySpins?: number;
  readonly maxBackoffMs?: number;
  /** Poll period while the printer is offline, out of paper or in error (edges on the status lines wake sooner). */
  readonly statusPollMs?: number;
  /** BUSY held this long with good status lines is reported as PrinterState.Busy (shorter waits are normal flow). */
  readonly busyReportMs?: number;
  /** nINIT low time at start-up; IEEE 1284 asks for at least 50 us, a timer tick gives about 1 ms. */
  readonly initPulseMs?: number;
}

/** Bank writes of D0-D7 straight from GPIO: a 256-entry table maps each byte to its bank value once, at start. */
class BankDataLines implements ParallelDataLines {
  readonly output: DigitalBankPins;
  readonly table = new Uint32Array(256);

  constructor(DigitalBank: DigitalBankClass, data: readonly number[]) {
    if (data.length !== 8) throw new Error("need 8 data pins");
    const bank = data[0]! >> 5;
    let mask = 0;
    for (const pin of data) {
      if (pin >> 5 !== bank) throw new Error("data pins must share a bank");
      mask |= 1 << (pin & 31);
    }
    for (let byte = 0; byte < 256; byte++) {
      let value = 0;
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) value |= 1 << (data[bit]! & 31);
      this.table[byte] = value >>> 0;
    }
    this.output = new DigitalBank({ pins: mask >>> 0, bank, mode: DigitalBank.Output, initialValue: 0 });
  }

  close(): void {
    this.output.close();
  }
}

const TimeCheckEveryBytes = 32;

export class Parallel1284Port implements PrinterPort {
  readonly description: string;
  /** For the bench and the tests; counters only, updated in place. */
  readonly stats = { slices: 0, bytes: 0, stalls: 0, maxSliceBytes: 0, maxSliceMs: 0, budget: 0 };

  readonly #reporter: PortReporter;
  readonly #timer: ParkedTimer;
  #now: () => number;

  #data: ParallelDataLines;
  #strobe: DigitalPin;
  #init: DigitalPin;
  #selectIn: DigitalPin;
  #autoFeed: DigitalPin;
  #busy: DigitalPin;
  /** nACK: wired and held as an input, but never read: the handshake paces on BUSY (see #sendSlice). */
  #ack: DigitalPin;
  #paperEnd: DigitalPin;
  #select: DigitalPin;
  #fault: DigitalPin;

  #sliceMs: number;
  #maxBytesPerSlice: number;
  #budget = 64;
  #busySpins: number;
  #maxBackoffMs: number;
  #statusPollMs: number;
  #busyReportMs: number;

  #initializing = true;
  #writablePending = false;
  #stalled = false;
  #backoffMs = 0;
  #busySinceMs = -1;
  #closed = false;

  constructor(options: ParallelOptions) {
    const { pins, io } = options;
    const { Digital, DigitalBank } = io;
    this.#reporter = new PortReporter("parallel port", options.log);
    this.#now = options.now ?? Date.now;
    this.#sliceMs = options.sliceMs ?? 2;
    this.#maxBytesPerSlice = options.maxBytesPerSlice ?? 512;
    this.#busySpins = options.busySpins ?? 32;
    this.#maxBackoffMs = options.maxBackoffMs ?? 16;
    this.#statusPollMs = options.statusPollMs ?? 250;
    this.#busyReportMs = options.busyReportMs ?? 1000;
    this.description = pins.shift595 ? "IEEE 1284 parallel (74HC595 data)" : "IEEE 1284 parallel";

    const inputMode = pins.inputPull === "up" ? Digital.InputPullUp
      : pins.inputPull === "down" ? Digital.InputPullDown : Digital.Input;
    // DOUBT: 8.2.3 passes initialValue on to the bank ($(MODDABLE)/modules/io/digital/digital.js, the Digital
    // constructor; esp32/digitalbank.c, xs_digitalbank_constructor sets the level); an older digital.js did not.
    // The level is written again right away, and nINIT is created first, so a glitch on nSTROBE falls in the reset.
    const output = (pin: number, level: number) => {
      const digital = new Digital({ pin, mode: Digital.Output, initialValue: level });
      digital.write(level);
      return digital;
    };
    // The status lines change rarely, so edges on them cost nothing and wake a stalled job at once. BUSY and
    // nACK change with every byte: an interrupt each would flood the message queue, so they are only polled.
    const onStatusEdge = () => this.#onStatusEdge();
    const edges = Digital.Rising | Digital.Falling;
    const statusInput = (pin: number) => new Digital({ pin, mode: inputMode, edge: edges, onReadable: onStatusEdge });

    this.#data = pins.shift595 ? new Shift595DataLines(DigitalBank, pins.shift595)
      : new BankDataLines(DigitalBank, pins.data ?? []);
    this.#init = output(pins.init, 0);          // reset pulse at start-up, released by the first timer tick
    this.#strobe = output(pins.strobe, 1);
    this.#autoFeed = output(pins.autoFeed, 1);  // no automatic line feed: the job's bytes go through as they are
    this.#selectIn = output(pins.selectIn, 0);  // selects the printer, and keeps it selected
    this.#busy = new Digital({ pin: pins.busy, mode: inputMode });
    this.#ack = new Digital({ pin: pins.ack, mode: inputMode });
    this.#paperEnd = statusInput(pins.paperEnd);
    this.#select = statusInput(pins.select);
    this.#fault = statusInput(pins.fault);

    this.#timer = new ParkedTimer(io.Timer, () => this.#onTimer());
    this.#timer.arm(options.initPulseMs ?? 1);
  }

  get state(): PrinterState {
    return this.#reporter.state;
  }

  attach(events: PrinterPortEvents): void {
    this.#reporter.attach(events);
  }

  beginJob(jobId: number, name: string): void {
    if (!this.#closed && !this.#initializing) this.#reporter.change(this.#statusLines());
  }

  write(bytes: Uint8Array, at: number, count: number): number {
    if (this.#closed || count <= 0) return 0;
    let taken = 0;
    if (!this.#initializing) taken = this.#sendSlice(bytes, at, count);
    if (taken < count) {
      this.#writablePending = true;
      if (!this.#initializing) this.#timer.arm(this.#stalled ? this.#nextWaitMs() : 0);
    }
    return taken;
  }

  endJob(complete: boolean): void {
    // Nothing is held here: every byte write() took has been strobed. Only a pending onWritable is dropped.
    this.#writablePending = false;
    this.#stalled = false;
    this.#busySinceMs = -1;
    if (!this.#closed && !this.#initializing) {
      this.#timer.park();
      this.#reporter.change(this.#statusLines());
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writablePending = false;
    this.#timer.clear();
    for (const pin of [this.#paperEnd, this.#select, this.#fault, this.#busy, this.#ack, this.#init, this.#selectIn,
      this.#autoFeed, this.#strobe, this.#data]) {
      try { pin.close(); } catch { /* already closed: nothing left to release */ }
    }
  }

  /**
   * One slice: at most `#budget` bytes, and it stops at the first time check (after every 32 bytes) that finds
   * `sliceMs` elapsed. Date.now() ticks in whole ms, so "elapsed >= 2" can be true after just over 1 ms or only
   * after nearly 3 ms: a slice lasts under sliceMs + 1 ms plus 32 bytes. The byte budget covers the case where the
   * clock is coarser than that, and calibrates itself: a slice cut by the clock sets the budget to what it sent, a
   * slice that used its whole budget early raises it by half, up to maxBytesPerSlice.
   *
   * Per byte (IEEE 1284 compatibility mode): wait for BUSY low; one bank write puts the byte on D0-D7; nSTROBE low;
   * nSTROBE high. Set-up, strobe width and hold are each at least one native call (a few us on an ESP32, well over
   * the 0.5 us asked for), and the data stay on the lines until the next byte. The printer raises BUSY when it
   * latches the byte and drops it after its nACK pulse, so BUSY low also means "acknowledged"; polling a ~5 us nACK
   * pulse from JS would miss it. DOUBT: a JS-to-native GPIO call was not timed on a device; if one ever costs less
   * than 0.5 us, set-up and strobe width need a dummy read between the writes.
   */
  #sendSlice(bytes: Uint8Array, at: number, count: number): number {
    const status = this.#statusLines();
    if (status !== PrinterState.Ready) {
      this.#reporter.change(status);
      this.#stalled = true;
      return 0;
    }
    // The loop touches locals only, makes no call but the four GPIO calls per byte, and looks at the clock once
    // per block of TimeCheckEveryBytes: XS interprets, so every field lookup, call or modulo is paid per byte.
    const busy = this.#busy, strobe = this.#strobe, output = this.#data.output, table = this.#data.table;
    const now = this.#now, sliceMs = this.#sliceMs, busySpins = this.#busySpins;
    const end = at + (count < this.#budget ? count : this.#budget);
    const startMs = now();
    let next = at, stalled = false, timedOut = false;
    sending: while (next < end) {
      const fullBlock = end - next >= TimeCheckEveryBytes;
      const blockEnd = fullBlock ? next + TimeCheckEveryBytes : end;
      for (; next < blockEnd; next++) {
        if (busy.read()) {
          // Still busy with the last byte: a few more reads (busySpins in all), then give the turn back.
          let spins = busySpins;
          while (--spins > 0 && busy.read());
          if (spins <= 0) { stalled = true; break sending; }
        }
        output.write(table[bytes[next]!]!);   // set-up: the strobe call below comes one GPIO call later
        strobe.write(0);
        strobe.write(1);                      // hold: the data change only after the next byte's BUSY read
      }
      if (fullBlock && now() - startMs >= sliceMs) { timedOut = true; break; }
    }
    const sent = next - at;
    const elapsedMs = now() - startMs;

    if (timedOut) this.#budget = sent > TimeCheckEveryBytes ? sent : TimeCheckEveryBytes;
    else if (sent === this.#budget && elapsedMs < this.#sliceMs) {
      const grown = this.#budget + (this.#budget >> 1);
      this.#budget = grown < this.#maxBytesPerSlice ? grown : this.#maxBytesPerSlice;
    }
    const stats = this.stats;
    stats.slices++;
    stats.bytes += sent;
    stats.budget = this.#budget;
    if (sent > stats.maxSliceBytes) stats.maxSliceBytes = sent;
    if (elapsedMs > stats.maxSliceMs) stats.maxSliceMs = elapsedMs;

    if (sent > 0) {
      this.#backoffMs = 0;
      this.#busySinceMs = -1;
      this.#reporter.change(PrinterState.Ready);
    }
    this.#stalled = stalled;
    if (stalled) {
      stats.stalls++;
      this.#noteBusy();
    }
    return sent;
  }

  /** What PE, SELECT and nERROR say, in that order of precedence (paper out also drops nERROR). */
  #statusLines(): PrinterState {
    if (this.#paperEnd.read()) return PrinterState.PaperOut;
    if (!this.#select.read()) return PrinterState.Offline;
    if (!this.#fault.read()) return PrinterState.Error;
    return PrinterState.Ready;
  }

  #noteBusy(): void {
    const nowMs = this.#now();
    if (this.#busySinceMs < 0) this.#busySinceMs = nowMs;
    else if (nowMs - this.#busySinceMs >= this.#busyReportMs) this.#reporter.change(PrinterState.Busy);
  }

  /** The wait before looking again at a stalled printer: status trouble polls slowly, BUSY backs off 0, 1, 2, 4... ms. */
  #nextWaitMs(): number {
    if (this.#reporter.state !== PrinterState.Ready && this.#reporter.state !== PrinterState.Busy) return this.#statusPollMs;
    const wait = this.#backoffMs;
    const next = wait === 0 ? 1 : wait * 2;
    this.#backoffMs = next < this.#maxBackoffMs ? next : this.#maxBackoffMs;
    return wait;
  }

  #onTimer(): void {
    try {
      if (this.#closed) return;
      if (this.#initializing) {
        this.#initializing = false;
        this.#init.write(1);
        this.#reporter.change(this.#statusLines());
      }
      if (!this.#writablePending) return;
      if (this.#stalled) {
        const status = this.#statusLines();
        if (status !== PrinterState.Ready) {
          this.#reporter.change(status);
          this.#timer.arm(this.#statusPollMs);
          return;
        }
        if (this.#busy.read()) {
          if (this.#reporter.state !== PrinterState.Busy) this.#reporter.change(PrinterState.Ready);
          this.#noteBusy();
          this.#timer.arm(this.#nextWaitMs());
          return;
        }
        this.#stalled = false;
        this.#reporter.change(PrinterState.Ready);
      }
      this.#writablePending = false;
      this.#reporter.writable();
    } catch (e) {
      this.#reporter.failed("timer", e);
    }
  }

  #onStatusEdge(): void {
    try {
      if (this.#closed || this.#initializing) return;
      const status = this.#statusLines();
      if (status !== PrinterState.Ready || this.#reporter.state !== PrinterState.Busy) this.#reporter.change(status);
      if (status === PrinterState.Ready && this.#writablePending && this.#stalled) this.#timer.arm(0);
    } catch (e) {
      this.#reporter.failed("status edge", e);
    }
  }
}
