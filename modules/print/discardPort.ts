// A printer port that takes every byte at once and keeps none: /dev/null for print jobs. It measures the server
// alone (npm run bench) and lets a dongle be tried out with no printer attached. Allocates nothing.

import { PrinterState, type PrinterPort } from "./port.js";

export class DiscardPort implements PrinterPort {
  readonly description = "discard (no printer)";
  readonly state: PrinterState = PrinterState.Ready;

  attach(): void {}
  beginJob(): void {}
  write(_bytes: Uint8Array, _at: number, count: number): number {
    return count;
  }
  endJob(): void {}
  close(): void {}
}
