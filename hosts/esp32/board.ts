// The default ftprint dongle: which ESP32 GPIO goes to which printer line (docs/wiring.md has the same as a table).
// Pin numbers only, no IO: hosts/esp32/host.ts hands these to the drivers with the SDK's classes.

import type { ParallelPins } from "print/parallel1284";
import type { SerialPrinterPins } from "print/serialPrinter";

// Chosen for a plain ESP32-WROOM-32 module: no strapping pins (0, 2, 12, 15) on outputs, nothing on the flash pins
// (6-11) or UART0 (1, 3); D0-D7 all in bank 0 so a byte is one bank write; the status inputs on the input-only
// GPIO 34-39, which have no internal pulls (the dongle's level shifter provides them). GPIO 16/17 are taken by
// PSRAM on WROVER modules: use the 74HC595 variant there.

/** The control and status lines, the same whichever way D0-D7 are driven. */
const controlAndStatus = {
  strobe: 23,
  init: 25,
  selectIn: 26,
  autoFeed: 27,
  busy: 34,
  ack: 35,
  paperEnd: 36,
  select: 39,
  fault: 32,
  inputPull: "none",
} as const;

/** Parallel port, D0-D7 wired straight to GPIO. */
export const parallelPins: ParallelPins = Object.freeze({
  data: Object.freeze([13, 14, 16, 17, 18, 19, 21, 22]),
  ...controlAndStatus,
});

/** Parallel port with D0-D7 from a 74HC595 (SER, SRCLK, RCLK), for boards with few free GPIOs. */
export const parallelPins595: ParallelPins = Object.freeze({
  shift595: Object.freeze({ serial: 13, clock: 14, latch: 16 }),
  ...controlAndStatus,
});

/** Serial printer through a MAX3232: UART2 on GPIO 4 (TX) / 5 (RX), the printer's busy (DTR) line on GPIO 33. */
export const serialPins: SerialPrinterPins = Object.freeze({
  port: 2,
  transmit: 4,
  receive: 5,
  busy: 33,
});
