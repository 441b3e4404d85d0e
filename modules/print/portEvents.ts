// What every printer port does the same way around its events: keep the printer's state and tell the spool when it
// changes, or when the port can take bytes again, without letting the spool's exception escape into a GPIO, UART or
// timer callback (that would reboot the device), and say so through the host's log.

import { PrinterState, type PrinterPortEvents } from "./port.js";

/** The host's log: one line, no newline. */
export type PortLog = (line: string) => void;

/** Where a port's failures go when the host gives no log (unit tests): trace, if there is one. */
function traceLine(line: string): void {
  try {
    trace(line + "\n");
  } catch { /* no trace available: the exception must still not escape */ }
}

/** A port's state and its events to the spool, guarded. */
export class PortReporter {
  readonly #port: string;
  readonly #log: PortLog;
  #events: PrinterPortEvents | undefined;
  #state: PrinterState = PrinterState.Ready;

  /** `port` starts the log lines: "parallel port". */
  constructor(port: string, log: PortLog = traceLine) {
    this.#port = port;
    this.#log = log;
  }

  get state(): PrinterState {
    return this.#state;
  }

  attach(events: PrinterPortEvents): void {
    this.#events = events;
  }

  /** A new state, told to the spool only when it differs. */
  change(state: PrinterState): void {
    if (state === this.#state) return;
    this.#state = state;
    try {
      this.#events?.onStateChanged(state);
    } catch (error) {
      this.failed("onStateChanged", error);
    }
  }

  /** The port takes bytes again (the callers are inside their own guarded callbacks). */
  writable(): void {
    this.#events?.onWritable();
  }

  /** Logs a failure inside a port's callback; never throws. */
  failed(where: string, error: unknown): void {
    try {
      this.#log(`${this.#port}: ${where} failed: ${error}`);
    } catch { /* a log that throws must not let the exception escape either */ }
  }
}
