// A single-threaded event loop on virtual time, with the SDK's Timer API on top, for scenarios run in-process.
// Engine-neutral: no Node API, no real clock; nothing happens unless the test calls runUntilIdle() or advance().

const INVALID_HOST_DATA = "C: xsGetHostData: invalid host data";

export function createEventLoop() {
  let now = 0;
  let sequence = 0;
  /** @type {Array<() => void>} */
  let queue = [];
  let head = 0;
  /** Timers by id object; `internal` ones (network polling) are left out of pendingTimers(). */
  const timers = new Map();

  const loop = {
    /** An exception escaping a callback lands here; the default rethrows it out of runUntilIdle()/advance(). */
    onUncaught(error) {
      throw error;
    },
    now: () => now,
    defer(fn) {
      queue.push(fn);
    },
    /** Network-internal one-shot on virtual time; returns a cancel function. Not counted by pendingTimers(). */
    after(ms, fn) {
      const id = {};
      timers.set(id, { due: now + Math.max(0, ms), repeat: 0, cb: fn, active: true, internal: true, seq: sequence++, id });
      return () => timers.delete(id);
    },
    /** Network-internal repeating timer (the lin profile's 20 ms polls). Not counted by pendingTimers(). */
    every(ms, fn) {
      const id = {};
      timers.set(id, { due: now + ms, repeat: ms, cb: fn, active: true, internal: true, seq: sequence++, id });
      return () => timers.delete(id);
    },
    pendingTimers() {
      let count = 0;
      for (const timer of timers.values()) if (!timer.internal) count++;
      return count;
    },
    /** Runs deferred work and timers already due, never moving the clock. Returns the number of turns run. */
    runUntilIdle({ maxTurns = 100000 } = {}) {
      let turns = 0;
      while (turns < maxTurns) {
        if (runDeferred()) {
          turns++;
          continue;
        }
        const timer = nextDue(now);
        if (!timer) break;
        fire(timer);
        turns++;
      }
      return turns;
    },
    /** Moves virtual time forward by ms, firing due timers in order with deferred work run between them. */
    advance(ms) {
      const until = now + Math.max(0, ms);
      for (;;) {
        loop.runUntilIdle();
        const timer = nextDue(until);
        if (!timer) break;
        now = Math.max(now, timer.due);
        fire(timer);
      }
      now = until;
      loop.runUntilIdle();
    },
    Timer: undefined,
  };

  function runDeferred() {
    if (head === queue.length) return false;
    const fn = queue[head++];
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    guard(fn);
    return true;
  }

  function guard(fn) {
    try {
      fn();
    } catch (error) {
      loop.onUncaught(error);
    }
  }

  function nextDue(limit) {
    let best;
    for (const timer of timers.values()) {
      if (!timer.active || timer.due > limit) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) best = timer;
    }
    return best;
  }

  /** modTimersExecute: a repeat moves by its interval before the call (no drift); a timer whose repeat is 0 after
   *  the call is removed, so a one-shot's id is dead even if the callback re-armed it without a repeat. */
  function fire(timer) {
    timer.due += timer.repeat;
    timer.seq = sequence++;
    if (!timer.repeat) timer.active = false;
    try {
      if (timer.internal) timer.cb();
      else timer.cb.call(globalThis, timer.id);
    } catch (error) {
      loop.onUncaught(error);
    } finally {
      if (!timer.repeat) timers.delete(timer.id);
    }
  }

  function live(id) {
    const timer = timers.get(id);
    if (!timer || timer.internal) throw new SyntaxError(INVALID_HOST_DATA);
    return timer;
  }

  loop.Timer = Object.freeze({
    set(cb, ms = 0, repeat = 0) {
      const id = {};
      timers.set(id, { due: now + Math.max(0, Number(ms) || 0), repeat: Math.max(0, Number(repeat) || 0), cb,
        active: true, internal: false, seq: sequence++, id });
      return id;
    },
    repeat(cb, ms) {
      return loop.Timer.set(cb, ms, ms);
    },
    schedule(id, ms, repeat = 0) {
      const timer = live(id);
      if (arguments.length < 2) {
        timer.active = false;    // paused until scheduled again
        return;
      }
      timer.due = now + Math.max(0, Number(ms) || 0);
      timer.repeat = Math.max(0, Number(repeat) || 0);
      timer.seq = sequence++;
      timer.active = true;
    },
    clear(id) {
      if (id === undefined || id === null) return;
      const timer = timers.get(id);
      if (timer && !timer.internal) timers.delete(id);
    },
    /** Timer.delay blocks the VM: time passes, nothing runs. */
    delay(ms) {
      now += Math.max(0, Number(ms) || 0);
    },
  });

  return loop;
}
