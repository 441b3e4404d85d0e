// A virtual 74HC595: shifts SER in on each SRCLK rise (the first bit ends up on Q7) and copies the shift register
// to Q0-Q7 on each RCLK rise. Engine-neutral; it only sees levels and times.

export class Shift595 {
  #shift = 0;
  #clock = 0;
  #latch = 0;
  outputs = 0;
  onOutputs;   // (byte, timeNs) when the latch changes Q0-Q7
  clocks = 0;
  latches = 0;

  constructor({ onOutputs } = {}) { this.onOutputs = onOutputs; }

  /** The three input levels at time t (any of them may have changed). */
  update(serial, clock, latch, t) {
    if (clock && !this.#clock) { this.#shift = ((this.#shift << 1) | (serial ? 1 : 0)) & 0xff; this.clocks++; }
    if (latch && !this.#latch) {
      this.latches++;
      if (this.outputs !== this.#shift) { this.outputs = this.#shift; this.onOutputs?.(this.outputs, t); }
    }
    this.#clock = clock ? 1 : 0;
    this.#latch = latch ? 1 : 0;
  }
}
