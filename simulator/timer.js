// The SDK `timer` module for the Node simulator, on real time divided by a settable scale (--time-scale K makes
// every delay K times shorter). Node only. Semantics follow modTimer.c: see simulator/io/event-loop.js.

import { guarded } from "./io/abort.js";

const INVALID_HOST_DATA = "C: xsGetHostData: invalid host data";
const realStart = performance.now();
let simulatedBase = 0, realBase = realStart, scale = 1;

/** Simulated milliseconds since start; continuous across scale changes. */
export function simulatedNow() {
  return simulatedBase + (performance.now() - realBase) * scale;
}

export function setTimeScale(k) {
  const value = Number(k);
  if (!(value > 0)) throw new RangeError("time scale must be > 0");
  simulatedBase = simulatedNow();
  realBase = performance.now();
  scale = value;
  for (const timer of timers.values()) arm(timer);
}

export function getTimeScale() {
  return scale;
}

/** @type {Map<object, {due: number, repeat: number, cb: Function, active: boolean, handle: any, id: object}>} */
const timers = new Map();

function disarm(timer) {
  if (timer.immediate) clearImmediate(timer.handle);
  else clearTimeout(timer.handle);
  timer.handle = undefined;
}

/**
 * A timer already due (a zero delay: the SDK's "on the next turn", which the firmware uses to give the turn back
 * between slices of work) goes on setImmediate: Node's setTimeout would hold it at least 1 ms, a device a few us.
 */
function arm(timer) {
  disarm(timer);
  if (!timer.active) return;
  const wait = Math.max(0, (timer.due - simulatedNow()) / scale);
  timer.immediate = wait === 0;
  timer.handle = timer.immediate ? setImmediate(fire, timer) : setTimeout(fire, wait, timer);
}

function fire(timer) {
  timer.handle = undefined;
  if (timers.get(timer.id) !== timer || !timer.active) return;
  timer.due += timer.repeat;    // from the previous due time, so repeats don't drift
  if (!timer.repeat) timer.active = false;
  try {
    guarded(() => timer.cb.call(globalThis, timer.id))();
  } finally {
    if (!timer.repeat) timers.delete(timer.id);    // a one-shot's id is dead now, even if re-armed without repeat
    else if (timers.get(timer.id) === timer && !timer.handle) arm(timer);
  }
}

function live(id) {
  const timer = timers.get(id);
  if (!timer) throw new SyntaxError(INVALID_HOST_DATA);
  return timer;
}

const Timer = Object.freeze({
  set(cb, ms = 0, repeat = 0) {
    const id = {};
    const timer = { due: simulatedNow() + Math.max(0, Number(ms) || 0), repeat: Math.max(0, Number(repeat) || 0), cb,
      active: true, handle: undefined, immediate: false, id };
    timers.set(id, timer);
    arm(timer);
    return id;
  },
  repeat(cb, ms) {
    return Timer.set(cb, ms, ms);
  },
  schedule(id, ms, repeat = 0) {
    const timer = live(id);
    if (arguments.length < 2) {
      timer.active = false;
      arm(timer);
      return;
    }
    timer.due = simulatedNow() + Math.max(0, Number(ms) || 0);
    timer.repeat = Math.max(0, Number(repeat) || 0);
    timer.active = true;
    arm(timer);
  },
  clear(id) {
    if (id === undefined || id === null) return;
    const timer = timers.get(id);
    if (!timer) return;
    disarm(timer);
    timers.delete(id);
  },
  /** Blocks the whole process, as Timer.delay blocks the VM. */
  delay(ms) {
    const wait = Math.max(0, Number(ms) || 0) / scale;
    if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
  },
});

export default Timer;
