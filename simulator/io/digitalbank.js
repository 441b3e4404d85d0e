// Simulated embedded:io/digitalbank with the ESP32 implementation's API and errors ($(MODDABLE)/modules/io/digital/
// digitalbank.js and esp32/digitalbank.c: xs_digitalbank_constructor, xs_digitalbank_read, xs_digitalbank_write):
// pins mask, bank, modes, activeLow, initialValue, rises/falls + onReadable(triggers), "in use", "can't read output".
// Engine-neutral; the pins live on a GpioBoard (simulator/io/gpio.js).

import { getDefaultBoard, isInputMode, isOutputMode, Mode } from "./gpio.js";

/** A DigitalBank class bound to `board` (a GpioBoard, or a function returning one at construction time). */
export function createDigitalBankClass(board = getDefaultBoard) {
  const boardOf = typeof board === "function" ? board : () => board;

  class DigitalBank {
    #board;
    #bank = 0;
    #pins = 0;
    #invert = 0;
    #input = true;
    #pinList;
    #removeEdges;
    #closed = false;

    constructor(options) {
      const board = boardOf();
      const bank = options.bank === undefined ? 0 : options.bank | 0;
      if (bank < 0 || bank > 1) throw new Error("invalid bank");
      const pins = options.pins | 0;
      if (!pins) throw new Error("invalid");
      const mode = options.mode;
      if (typeof mode !== "number" || !(isInputMode(mode) || isOutputMode(mode))) throw new RangeError("invalid mode");
      const onReadable = options.onReadable;
      let rises = 0, falls = 0;
      if (onReadable) {
        if (!isInputMode(mode)) throw new RangeError("invalid mode");
        rises = (options.rises | 0) & pins;
        falls = (options.falls | 0) & pins;
        if (!rises && !falls) throw new RangeError("invalid edges");
      }
      if (options.format !== undefined && options.format !== "number") throw new RangeError("invalid format");
      if ("target" in options) this.target = options.target;
      const invert = options.activeLow ? pins : 0;
      this.#pinList = board.claim(bank, pins, mode, this);
      if (isOutputMode(mode)) {
        // The level is set before the pin turns into an output, so no device sees an edge.
        const initial = (((options.initialValue ?? 0) | 0) ^ invert) & pins;
        for (let bit = 0; bit < 32; bit++) if (pins & (1 << bit)) board.presetOutput(bank * 32 + bit, (initial >>> bit) & 1);
        board.announce(this.#pinList);
      }
      this.#board = board;
      this.#bank = bank;
      this.#pins = pins >>> 0;
      this.#invert = invert >>> 0;
      this.#input = isInputMode(mode);
      if (onReadable) {
        // Listen on raw levels; activeLow swaps what counts as a rise (the ISR sees the wire).
        const rawRises = ((rises & ~invert) | (falls & invert)) >>> 0;
        const rawFalls = ((falls & ~invert) | (rises & invert)) >>> 0;
        this.#removeEdges = board.addEdgeListener(bank, pins, rawRises, rawFalls, (triggered) => {
          if (!this.#closed) onReadable.call(this, triggered);
        });
      }
    }

    read() {
      this.#check();
      if (!this.#input) throw new Error("can't read output");
      return ((this.#board.readPins(this.#bank, this.#pins) ^ this.#invert) & this.#pins) >>> 0;
    }

    write(value) {
      this.#check();
      if (this.#input) throw new Error("can't write input");
      this.#board.writePins(this.#bank, this.#pins, ((value ^ this.#invert) & this.#pins) >>> 0);
    }

    close() {
      if (this.#closed) return;
      this.#closed = true;
      this.#removeEdges?.();
      this.#board.release(this.#pinList, this);
    }

    get format() { this.#check(); return "number"; }
    set format(value) { this.#check(); if (value !== "number") throw new RangeError("invalid format"); }

    // The SDK's members after close() fail the host-data check.
    #check() { if (this.#closed) throw new SyntaxError("C: xsGetHostData: invalid host data"); }
  }
  for (const [name, value] of Object.entries(Mode)) Object.defineProperty(DigitalBank, name, { value, enumerable: true });
  return DigitalBank;
}

const DigitalBank = createDigitalBankClass();
export default DigitalBank;
