// The `time` module on the scenario's virtual clock (only what the firmware core could use). Engine-neutral.

let now = () => 0;

export function useClock(clock) {
  now = clock;
}

const Time = Object.freeze({
  get ticks() {
    // The ESP32 gives ms since boot as an int32 ($(MODDABLE)/modules/base/time/esp/modTime.c, xs_time_ticks); the
    // virtual clock starts at 0 so it never wraps here.
    return now() | 0;
  },
  delta(start, end) {
    return (end ?? (now() | 0)) - start;
  },
});

export default Time;
