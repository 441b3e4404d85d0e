// The `timer` module the firmware imports, for the scenario host: every call goes to the virtual clock of the
// scenario that is running now (each scenario makes its own event loop), so the 900 s idle timeout passes in
// microseconds of real time. Engine-neutral.

let current;

/** The host installs its event loop's Timer here before starting the firmware, and clears it afterwards. */
export function useTimers(timer) {
  current = timer;
}

function timers() {
  if (!current) throw new Error("timer used outside a scenario");
  return current;
}

const Timer = Object.freeze({
  // Arguments are passed on as given: Timer.schedule(id) with no delay means "pause", so their count matters.
  set: (...args) => timers().set(...args),
  repeat: (...args) => timers().repeat(...args),
  schedule: (...args) => timers().schedule(...args),
  clear: (...args) => timers().clear(...args),
  delay() {
    // Blocks the VM on the device; on a virtual clock it would only hide a bug, so say so.
    throw new Error("Timer.delay blocks the VM; the firmware must not use it");
  },
});

export default Timer;
