// A timer made once at start and parked between uses, the way every data-path timer here works: arming it again
// allocates nothing (Timer.schedule re-arms the same timer; a Timer.set per use would make a new one each time).

import type Timer from "timer";

/** The part of the SDK's Timer a parked timer uses; tests pass a simulated clock's. */
export type TimerApi = Pick<typeof Timer, "set" | "schedule" | "clear">;

/**
 * The repeat of an armed timer: it fires once and parks itself before anything else runs, so the repeat never comes;
 * it is long only so that a timer left armed by mistake costs one wake-up an hour, not a loop.
 */
const parkedRepeatMs = 3_600_000;

export class ParkedTimer {
  readonly #api: TimerApi;
  readonly #timer: Timer;
  #armed = false;
  #cleared = false;

  /** `fired` runs once per arm(), with the timer already parked (it may arm it again). */
  constructor(api: TimerApi, fired: () => void) {
    this.#api = api;
    this.#timer = api.set(() => {
      this.park();
      fired();
    }, parkedRepeatMs, parkedRepeatMs);
    api.schedule(this.#timer);
  }

  get armed(): boolean {
    return this.#armed;
  }

  /** Fires once after `delayMs` (0: on the next turn), replacing any earlier arm. Does nothing once cleared. */
  arm(delayMs: number): void {
    if (this.#cleared) return;
    this.#armed = true;
    this.#api.schedule(this.#timer, delayMs, parkedRepeatMs);
  }

  park(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#api.schedule(this.#timer);
  }

  /** Releases the timer for good. */
  clear(): void {
    if (this.#cleared) return;
    this.#cleared = true;
    this.#armed = false;
    this.#api.clear(this.#timer);
  }
}
