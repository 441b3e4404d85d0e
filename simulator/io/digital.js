// Simulated embedded:io/digital: as in the SDK, a one-pin DigitalBank (bank = pin >> 5, bit = pin & 31),
// read() gives 0/1 and write() drives 1 for any non-zero value. Engine-neutral.

import { createDigitalBankClass } from "./digitalbank.js";
import { getDefaultBoard } from "./gpio.js";

/** A Digital class bound to `board` (a GpioBoard, or a function returning one at construction time). */
export function createDigitalClass(board = getDefaultBoard, DigitalBank = createDigitalBankClass(board)) {
  class Digital extends DigitalBank {
    constructor(options) {
      const pin = options.pin;
      if (pin === undefined) throw new Error("invalid");
      const pins = 1 << (pin & 31);
      const edge = options.edge ?? 0;
      const bankOptions = {
        pins,
        bank: (pin >> 5) & 0xff,
        mode: options.mode,
        rises: edge & Digital.Rising ? pins : 0,
        falls: edge & Digital.Falling ? pins : 0,
        onReadable: options.onReadable,
        activeLow: options.activeLow,
        initialValue: options.initialValue ? pins : 0,
        format: options.format,
      };
      if ("target" in options) bankOptions.target = options.target;
      super(bankOptions);
    }
    read() { return super.read() ? 1 : 0; }
    write(value) { super.write(value ? ~0 : 0); }
  }
  Object.defineProperty(Digital, "Rising", { value: 1, enumerable: true });
  Object.defineProperty(Digital, "Falling", { value: 2, enumerable: true });
  return Digital;
}

const Digital = createDigitalClass();
export default Digital;
