// Connects a Printer1284 model to the pins of a simulated GpioBoard, the way a DB-25 cable (and, on small
// boards, a 74HC595 on the data lines) would. Engine-neutral.

import { Shift595 } from "./shift595.js";

/**
 * pins: the board definition the firmware uses (GPIO numbers): data[8] or shift595 {serial, clock, latch},
 * strobe, init, selectIn, autoFeed (MCU outputs) and busy, ack, paperEnd, select, fault (MCU inputs).
 * Returns { printer, shift595?, poke(), dispose() }; call poke() after a fault-injection call so edge listeners see it.
 */
export function wirePrinter1284(board, printer, pins) {
  const undo = [];
  // The printer's inputs have pull-ups (IEEE 1284): an undriven line reads high.
  const level = (pin) => board.outputLevel(pin) ?? 1;
  let shifter;

  if (pins.shift595) {
    const { serial, clock, latch } = pins.shift595;
    shifter = new Shift595({ onOutputs: (byte, t) => printer.setData(byte, t) });
    undo.push(board.watch([serial, clock, latch], (t) => shifter.update(level(serial), level(clock), level(latch), t)));
  } else {
    const data = pins.data;
    undo.push(board.watch(data, (t) => {
      let byte = 0;
      for (let bit = 0; bit < 8; bit++) byte |= level(data[bit]) << bit;
      printer.setData(byte, t);
    }));
  }
  undo.push(board.watch([pins.strobe, pins.init, pins.selectIn, pins.autoFeed], (t) => {
    printer.setInit(level(pins.init), t);
    printer.selectIn = level(pins.selectIn);
    printer.autoFeed = level(pins.autoFeed);
    printer.setStrobe(level(pins.strobe), t);
  }));
  undo.push(board.drive(pins.busy, (t) => (printer.busy(t) ? 1 : 0)));
  undo.push(board.drive(pins.ack, (t) => printer.nAck(t)));
  undo.push(board.drive(pins.paperEnd, (t) => printer.paperEnd(t)));
  undo.push(board.drive(pins.select, (t) => printer.select(t)));
  undo.push(board.drive(pins.fault, (t) => printer.nFault(t)));
  undo.push(board.addTimedSource((t) => printer.nextChangeNs(t)));

  return {
    printer,
    shift595: shifter,
    poke() { board.poke(); },
    dispose() { for (const fn of undo) fn(); },
  };
}
