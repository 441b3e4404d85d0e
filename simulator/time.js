// The SDK `time` module for the Node simulator, as on lin: ticks are epoch milliseconds, running at the same
// scale as the timers. Node only. Time.microseconds is absent, as on an SDK build without its manifest.

import { simulatedNow } from "./timer.js";

const epochAtStart = Date.now() - simulatedNow();

export default class Time {
  static get ticks() {
    return Math.floor(epochAtStart + simulatedNow());
  }

  static delta(start, end = Time.ticks) {
    return end - start;
  }

  static set() {}    // a no-op on lin

  static get timezone() {
    return 0;
  }

  static get dst() {
    return 0;
  }
}
