// What every printer port does the same way around its events: tell the spool of a new state without letting the
// spool's exception escape into a GPIO, UART or timer callback (that would reboot the device), and say so in the log.

import type { PrinterPortEvents, PrinterState } from "./port.js";

/** Logs a failure inside a port's callback; never throws, even where trace is missing. */
export function reportPortFailure(port: string, where: string, error: unknown): void {
  try {
    trace(`${port}: ${where} failed: ${error}\n`);
  } catch { /* no trace available: the exception must still not escape */ }
}

/** Tells the spool the printer's new state, guarded. */
export function announceState(events: PrinterPortEvents | undefined, state: PrinterState, port: string): void {
  try {
    events?.onStateChanged(state);
  } catch (error) {
    reportPortFailure(port, "onStateChanged", error);
  }
}
