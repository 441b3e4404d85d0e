// Connects a SerialPrinter model to a simulated UART (and, for hardware handshake, its busy line to a GPIO input)
// on a GpioBoard, the way a null-modem cable through a MAX3232 would. Engine-neutral.

/** pins: { port, busy? } from the board definition. Returns { printer, poke(), dispose() }. */
export function wireSerialPrinter(board, printer, pins) {
  const undo = [board.connectUart(pins.port, printer)];
  if (pins.busy !== undefined) {
    undo.push(board.drive(pins.busy, (t) => {
      board.syncUarts(t);
      return printer.busy(t);
    }));
    undo.push(board.addTimedSource((t) => printer.nextChangeNs(t)));
  }
  return {
    printer,
    poke() { board.syncUarts(board.clock.nowNs()); board.poke(); },
    dispose() { for (const fn of undo) fn(); },
  };
}
