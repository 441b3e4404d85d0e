// What SDK 8.2.3's embedded:io/digitalbank really offers (modules/io/digital/esp32/digitalbank.c), where
// @moddable/typings 5.6.0 lags: numeric mode constants, activeLow, initialValue, rises/falls.
// Adds exported contract types to the ambient module; the SDK class itself is left as the package declares it.
declare module "embedded:io/digitalbank" {
  export interface DigitalBankOptions {
    /** Bit mask relative to the bank: bit n is GPIO n (bank 0) or GPIO 32 + n (bank 1). */
    pins: number;
    bank?: number;
    mode: number;
    /** Inverts every pin of the mask, for read() and write(). */
    activeLow?: boolean;
    /** Outputs only: the levels applied before the pins become outputs. */
    initialValue?: number;
    /** Inputs only, with onReadable; at least one of rises/falls must be non-zero. */
    rises?: number;
    falls?: number;
    onReadable?: (this: DigitalBankPins, triggers: number) => void;
    format?: "number";
    target?: unknown;
  }

  export interface DigitalBankPins {
    /** (levels & pins) ^ activeLow; throws "can't read output" on an output bank. */
    read(): number;
    /** One set + one clear register write for the whole mask; throws "can't write input" on an input bank. */
    write(value: number): void;
    close(): void;
  }

  export interface DigitalBankClass {
    new (options: DigitalBankOptions): DigitalBankPins;
    readonly Input: number;
    readonly InputPullUp: number;
    readonly InputPullDown: number;
    readonly InputPullUpDown: number;
    readonly Output: number;
    readonly OutputOpenDrain: number;
  }
}
