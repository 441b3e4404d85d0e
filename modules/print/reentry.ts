// A pass that must not run inside itself, written once: a feeder's or a port's callback can call back into the
// code that called it (the spool's pump, a connection's service loop). A call that comes while the pass runs only
// asks for one more pass, which runs when the current one is over, on the same stack. Allocates nothing per run.

export class Reentry {
  #running = false;
  #again = false;

  /**
   * Runs `pass` until it says it is done (returns true) or a whole pass went by without a call asking for another.
   * `pass` should be made once (a bound method or an arrow field), not per call.
   */
  run(pass: () => boolean): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        if (pass()) break;
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }

  /** Asks for one more pass from inside the running one. */
  again(): void {
    this.#again = true;
  }
}
