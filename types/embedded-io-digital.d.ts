// What SDK 8.2.3's embedded:io/digital really offers (modules/io/digital/digital.js over esp32/digitalbank.c),
// where @moddable/typings 5.6.0 lags: numeric mode constants, activeLow, initialValue, onReadable(triggers).
// Adds exported contract types to the ambient module; the SDK class itself is left as the package declares it.
declare module "embedded:io/digital" {
  export interface DigitalOptions {
    /** GPIO number; the bank is pin >> 5, the bit pin & 31. */
    pin: number;
    mode: number;
    /** Digital.Rising | Digital.Falling; needed with onReadable (else RangeError "invalid edges"). */
    edge?: number;
    /** Called on the event loop with the mask of the pins that fired since the last call (coalesced). */
    onReadable?: (this: DigitalPin, triggers: number) => void;
    activeLow?: boolean;
    /** Outputs only: the level applied before the pin becomes an output (no glitch). */
    initialValue?: number;
    format?: "number";
    target?: unknown;
  }

  export interface DigitalPin {
    /** 0 or 1; throws "can't read output" on an output. */
    read(): number;
    /** Any non-zero value drives 1; throws "can't write input" on an input. */
    write(value: number): void;
    close(): void;
  }

  export interface DigitalClass {
    new (options: DigitalOptions): DigitalPin;
    readonly Input: number;
    readonly InputPullUp: number;
    readonly InputPullDown: number;
    readonly InputPullUpDown: number;
    readonly Output: number;
    readonly OutputOpenDrain: number;
    readonly Rising: number;
    readonly Falling: number;
  }
}
