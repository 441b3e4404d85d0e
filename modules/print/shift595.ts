// The printer's 8 data lines through a 74HC595 shift register, for boards with few free GPIOs (3 pins instead of 8).
// No allocation per byte; the three pins share one DigitalBank so each step is a single bank write.

import type { DigitalBankClass, DigitalBankPins } from "embedded:io/digitalbank";

/** GPIO numbers of the 74HC595's SER (pin 14), SRCLK (pin 11) and RCLK (pin 12); all in one bank. */
export interface Shift595Pins {
  readonly serial: number;
  readonly clock: number;
  readonly latch: number;
}

/**
 * What the parallel driver needs from its data lines: `output.write(table[byte])` puts a byte on D0-D7, all bits
 * at once. The driver makes that call itself, inside its byte loop: XS is an interpreter, and a wrapper method
 * around the bank write would cost one more JS call per byte. Direct wiring hands over its DigitalBank and a
 * byte-to-bank-value table, the 74HC595 itself (its write() does the shifting) and a table that maps a byte to itself.
 */
export interface ParallelDataLines {
  readonly output: { write(value: number): void };
  readonly table: Uint32Array | Uint8Array;
  close(): void;
}

/** byte → byte, made per 74HC595 port (256 bytes; a module-level cache would be frozen by preloading). */
function identity(): Uint8Array {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = byte;
  return table;
}

/**
 * Q0-Q7 drive D0-D7 (the 595's /OE tied low, /SRCLR tied high). Bits go in most significant first, so after
 * eight SRCLK rises the first bit sits on Q7 = D7. The outputs change only on the RCLK rise, all eight together,
 * which is what the printer's set-up time is measured from; the driver's next call (nSTROBE low) comes after it.
 * 17 bank writes per byte: per bit "SER with SRCLK low" then "SER with SRCLK high", then "RCLK high". RCLK goes
 * low again with the next byte's first write (the 595 acts on its rising edge only).
 */
export class Shift595DataLines implements ParallelDataLines {
  readonly output = this;
  readonly table = identity();
  #bank: DigitalBankPins;
  #serialMask: number;
  #clockMask: number;
  #latchMask: number;

  constructor(DigitalBank: DigitalBankClass, pins: Shift595Pins) {
    const bank = pins.serial >> 5;
    if (pins.clock >> 5 !== bank || pins.latch >> 5 !== bank) throw new Error("74HC595 pins must share a bank");
    this.#serialMask = 1 << (pins.serial & 31);
    this.#clockMask = 1 << (pins.clock & 31);
    this.#latchMask = 1 << (pins.latch & 31);
    this.#bank = new DigitalBank({
      pins: this.#serialMask | this.#clockMask | this.#latchMask,
      bank,
      mode: DigitalBank.Output,
      initialValue: 0,
    });
  }

  write(byte: number): void {
    const bank = this.#bank, serialMask = this.#serialMask, clockMask = this.#clockMask;
    for (let bit = 0x80; bit !== 0; bit >>= 1) {    // a moving mask: one AND per bit instead of a shift and an AND
      const serial = byte & bit ? serialMask : 0;
      bank.write(serial);
      bank.write(serial | clockMask);
    }
    bank.write(this.#latchMask);
  }

  close(): void {
    this.#bank.close();
  }
}
