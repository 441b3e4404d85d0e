// The simulated ESP32 GPIO matrix behind simulator/io/digital.js, digitalbank.js and serial.js: pin ownership,
// output levels, input levels driven by virtual devices, edge delivery, and the simulated clock.
// Engine-neutral (no Node API): the XS scenario host loads it too. Time comes from injected functions.

// Classic ESP32: GPIO 0-39 exist except 20, 24 and 28-31; 34-39 are input only. xs_digitalbank_constructor
// ($(MODDABLE)/modules/io/digital/esp32/digitalbank.c) checks SOC_GPIO_VALID_GPIO_MASK and
// SOC_GPIO_VALID_OUTPUT_GPIO_MASK; the masks themselves are ESP-IDF's (soc_caps.h), not in the SDK source.
const classicValidPins = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27,
  32, 33, 34, 35, 36, 37, 38, 39];
const classicInputOnlyPins = [34, 35, 36, 37, 38, 39];

export const Mode = Object.freeze({
  Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9,
});

function isInputMode(mode) { return mode >= 0 && mode <= 3; }
function isOutputMode(mode) { return mode === 8 || mode === 9; }

/**
 * Simulated time in nanoseconds. It moves for two reasons, and the two add up:
 *  - every GPIO/UART call costs `callCostNs` (what a JS-to-native call costs on the device), so a tight loop of
 *    pin writes takes simulated time even though Node runs it in no time at all;
 *  - the outside clock (`timeSourceMs`: the event loop's time, real or fake) moved since the last look, which is
 *    how waiting on a timer lets the virtual printer finish its work.
 * Adding rather than taking the larger of the two keeps the clock monotonic and makes set-up and hold times
 * depend only on how many calls separate two edges, as they would on the device. That is the default, and right
 * for virtual time (the tests' fake loop, where the outside clock moves only when they wait).
 *
 * With `callCostIsFloor` (the live simulator, whose outside clock is the wall clock): simulated time is the later of
 * the outside clock and the previous simulated time plus `callCostNs`. On the wall clock the call's real cost has
 * already passed, so adding the cost again made simulated time run ~3x faster than real time; as a floor, calls
 * still never take less than `callCostNs` apart (set-up and hold times stay honest), and the clock follows real time.
 */
export class SimClock {
  #ns = 0;
  #lastExternalMs;
  #timeSourceMs;
  #startExternalMs;
  callCostNs;
  callCostIsFloor;

  constructor({ callCostNs = 1000, timeSourceMs = () => Date.now(), callCostIsFloor = false } = {}) {
    this.callCostNs = callCostNs;
    this.callCostIsFloor = callCostIsFloor;
    this.#timeSourceMs = timeSourceMs;
    this.#lastExternalMs = this.#startExternalMs = timeSourceMs();
  }

  /** The current simulated time, after taking in the outside clock's progress. */
  nowNs() {
    const external = this.#timeSourceMs();
    if (this.callCostIsFloor) {
      const realNs = (external - this.#startExternalMs) * 1e6;
      if (realNs > this.#ns) this.#ns = realNs;
    } else if (external > this.#lastExternalMs) {
      this.#ns += (external - this.#lastExternalMs) * 1e6;
      this.#lastExternalMs = external;
    }
    return this.#ns;
  }

  /**
   * One GPIO/UART call: the clock moves by its cost (by default on top of the outside clock's progress; with
   * callCostIsFloor, to at least the previous time plus the cost), and the call's effect happens at the returned time.
   */
  tick() {
    if (this.callCostIsFloor) {
      const floor = this.#ns + this.callCostNs;
      this.nowNs();
      if (this.#ns < floor) this.#ns = floor;
      return this.#ns;
    }
    this.nowNs();
    this.#ns += this.callCostNs;
    return this.#ns;
  }

  /** Milliseconds of simulated time, for slice timing in tests (the device uses Date.now()). */
  nowMs() { return this.nowNs() / 1e6; }
}

/**
 * Pins, levels and devices. Devices plug in three ways:
 *  - watch(pins, fn): fn(timeNs) after any MCU output among `pins` changed (once per write call);
 *  - drive(pin, fn): the pin's input level is fn(timeNs) (0/1), computed when someone looks;
 *  - addTimedSource(fn): fn(timeNs) tells when the device's driven levels next change (Infinity if never),
 *    so the board can wake up and deliver edges to onReadable listeners without being polled.
 */
export class GpioBoard {
  clock;
  #scheduler;
  #valid = new Set(classicValidPins);
  #inputOnly = new Set(classicInputOnlyPins);
  #owner = [];            // pin -> owning object or undefined
  #mode = [];             // pin -> mode while owned
  #outLevel = [];         // pin -> level an output drives
  #watchers = [];         // { pins: Set, fn }
  #drivers = new Map();   // pin -> fn(timeNs)
  #timedSources = [];
  #changedPins = new Set();
  #edgeListeners = new Set(); // { bank, mask, rises, falls, last, triggered, pending, deliver }
  #wake;                  // pending wake handle
  #wakeAtNs = Infinity;
  calls = 0;

  /** scheduler: { set(fn, ms) -> handle, clear(handle) } on the event loop that runs the firmware. */
  constructor({ clock = new SimClock(), scheduler } = {}) {
    this.clock = clock;
    this.#scheduler = scheduler ?? {
      set: (fn, ms) => globalThis.setTimeout(fn, ms),
      clear: (handle) => globalThis.clearTimeout(handle),
    };
    for (let pin = 0; pin < 40; pin++) this.#outLevel[pin] = 0;
  }

  get scheduler() { return this.#scheduler; }

  // ---- ownership (the SDK's builtinArePinsFree / builtinUsePins) ----

  /** Validates and claims every pin of `mask` in `bank` for `owner`; throws as the SDK does. */
  claim(bank, mask, mode, owner) {
    const pins = this.pinsOf(bank, mask);
    for (const pin of pins) if (!this.#valid.has(pin)) throw new Error("invalid pin");
    for (const pin of pins) if (this.#owner[pin] !== undefined) throw new Error("in use");
    if (isOutputMode(mode)) for (const pin of pins) if (this.#inputOnly.has(pin)) throw new RangeError("input only");
    for (const pin of pins) { this.#owner[pin] = owner; this.#mode[pin] = mode; }
    return pins;
  }

  release(pins, owner) {
    const freed = pins.filter((pin) => this.#owner[pin] === owner);
    for (const pin of freed) { this.#owner[pin] = undefined; this.#mode[pin] = undefined; }
    if (freed.length) this.announce(freed);
  }

  /** Claims single pins for a UART (transmit is an output, receive an input). */
  claimPin(pin, mode, owner) { return this.claim(pin >> 5, 1 << (pin & 31), mode, owner); }

  pinsOf(bank, mask) {
    const pins = [];
    for (let bit = 0; bit < 32; bit++) if (mask & (1 << bit)) pins.push(bank * 32 + bit);
    return pins;
  }

  ownerOf(pin) { return this.#owner[pin]; }

  // ---- MCU side ----

  /** One bank write: every pin of `mask` takes its bit of `value` at the same instant. */
  writePins(bank, mask, value) {
    this.calls++;
    const t = this.clock.tick();
    let changed = false;
    for (let bit = 0; bit < 32; bit++) {
      if (!(mask & (1 << bit))) continue;
      const pin = bank * 32 + bit;
      const level = (value >>> bit) & 1;
      if (this.#outLevel[pin] !== level) { this.#outLevel[pin] = level; changed = true; this.#changedPins.add(pin); }
    }
    if (changed) {
      for (const watcher of this.#watchers) {
        for (const pin of this.#changedPins) if (watcher.pins.has(pin)) { watcher.fn(t); break; }
      }
      this.#changedPins.clear();
    }
    this.#sampleEdges(t);
    return t;
  }

  /** One bank read: the raw levels of `mask` (before activeLow). */
  readPins(bank, mask) {
    this.calls++;
    const t = this.clock.tick();
    let value = 0;
    for (let bit = 0; bit < 32; bit++) if (mask & (1 << bit)) value |= this.levelAt(bank * 32 + bit, t) << bit;
    this.#sampleEdges(t);
    return value >>> 0;
  }

  /** The level on a pin at time t, as a device or the MCU sees it. */
  levelAt(pin, t) {
    const mode = this.#mode[pin];
    if (mode !== undefined && isOutputMode(mode)) return this.#outLevel[pin];
    const driver = this.#drivers.get(pin);
    if (driver) return driver(t) ? 1 : 0;
    if (mode === Mode.InputPullUp || mode === Mode.InputPullUpDown) return 1;
    return 0; // floating or pulled down: reads low
  }

  /** The level an MCU output drives (0 when the pin is not an output), for devices. */
  outputLevel(pin) {
    const mode = this.#mode[pin];
    return mode !== undefined && isOutputMode(mode) ? this.#outLevel[pin] : undefined;
  }

  /** Sets the level an output will drive once it becomes one (initialValue), without an edge. */
  presetOutput(pin, level) { this.#outLevel[pin] = level ? 1 : 0; }

  /** Tells the watching devices that `pins` now have MCU-driven levels (a pin just became an output). */
  announce(pins) {
    const t = this.clock.nowNs();
    for (const watcher of this.#watchers) if (pins.some((pin) => watcher.pins.has(pin))) watcher.fn(t);
  }

  // ---- device side ----

  watch(pins, fn) {
    const watcher = { pins: new Set(pins), fn };
    this.#watchers.push(watcher);
    return () => { const i = this.#watchers.indexOf(watcher); if (i >= 0) this.#watchers.splice(i, 1); };
  }

  drive(pin, fn) {
    this.#drivers.set(pin, fn);
    return () => { if (this.#drivers.get(pin) === fn) this.#drivers.delete(pin); };
  }

  addTimedSource(fn) {
    this.#timedSources.push(fn);
    return () => { const i = this.#timedSources.indexOf(fn); if (i >= 0) this.#timedSources.splice(i, 1); };
  }

  // ---- UARTs: a virtual device on the far end of each port, and the open ports' catch-up functions ----

  #uartDevices = new Map();
  #uartSyncs = new Set();

  /** device: { attach({transmit(byte, t)}), receive(byte, t), advance(t), nextChangeNs(t) } */
  connectUart(port, device) { this.#uartDevices.set(port, device); return () => this.#uartDevices.delete(port); }
  uartDevice(port) { return this.#uartDevices.get(port); }
  addUartSync(fn) { this.#uartSyncs.add(fn); return () => this.#uartSyncs.delete(fn); }
  /** Brings every open UART (and what hangs on it) up to time t, before anyone looks at a level. */
  syncUarts(t) { for (const fn of this.#uartSyncs) fn(t); }

  /** A device changed its driven levels outside any GPIO call (fault injection): look at the pins now. */
  poke() { this.#sampleEdges(this.clock.nowNs()); }

  // ---- edges (ISR + message to the VM, coalesced per object) ----

  addEdgeListener(bank, mask, rises, falls, deliver) {
    const listener = { bank, mask, rises, falls, last: 0, triggered: 0, pending: undefined, deliver };
    listener.last = this.#levels(bank, mask, this.clock.nowNs());
    this.#edgeListeners.add(listener);
    this.#armWake(this.clock.nowNs());
    return () => {
      this.#edgeListeners.delete(listener);
      if (listener.pending !== undefined) this.#scheduler.clear(listener.pending);
      listener.pending = undefined;
    };
  }

  #levels(bank, mask, t) {
    let value = 0;
    for (let bit = 0; bit < 32; bit++) if (mask & (1 << bit)) value |= this.levelAt(bank * 32 + bit, t) << bit;
    return value >>> 0;
  }

  // Edges are found by sampling: at every GPIO call and at the wake-ups the devices ask for. A pulse that
  // starts and ends between two samples is missed, where a real ISR would catch it; the drivers here watch
  // only slow status lines with edges, so this does not matter to them.
  #sampleEdges(t) {
    if (this.#edgeListeners.size === 0) return;
    for (const listener of this.#edgeListeners) {
      const now = this.#levels(listener.bank, listener.mask, t);
      const edges = ((listener.rises & ~listener.last & now) | (listener.falls & listener.last & ~now)) >>> 0;
      listener.last = now;
      if (!edges) continue;
      listener.triggered |= edges;
      listener.pending ??= this.#scheduler.set(() => {
        listener.pending = undefined;
        const triggered = listener.triggered >>> 0;
        listener.triggered = 0;
        if (this.#edgeListeners.has(listener)) listener.deliver(triggered);
      }, 0);
    }
    this.#armWake(t);
  }

  #armWake(t) {
    if (this.#edgeListeners.size === 0) return;
    let next = Infinity;
    for (const source of this.#timedSources) next = Math.min(next, source(t));
    if (next === Infinity || next <= t) return;
    if (this.#wake !== undefined && this.#wakeAtNs <= next) return;
    if (this.#wake !== undefined) this.#scheduler.clear(this.#wake);
    this.#wakeAtNs = next;
    this.#wake = this.#scheduler.set(() => {
      this.#wake = undefined;
      this.#wakeAtNs = Infinity;
      this.#sampleEdges(this.clock.nowNs());
    }, Math.max(1, Math.ceil((next - t) / 1e6)));
  }

  /** Cancels the pending wake-up (end of a test or of the simulator). */
  dispose() {
    if (this.#wake !== undefined) this.#scheduler.clear(this.#wake);
    this.#wake = undefined;
    for (const listener of this.#edgeListeners) if (listener.pending !== undefined) this.#scheduler.clear(listener.pending);
    this.#edgeListeners.clear();
  }
}

export { isInputMode, isOutputMode };

// The board the module-level classes (the loader's embedded:io/* modules) use. simulator/devices/index.js
// replaces it when it wires a virtual printer; tests make their own boards and bound classes instead.
let defaultBoard;
export function getDefaultBoard() { return (defaultBoard ??= new GpioBoard()); }
export function setDefaultBoard(board) { defaultBoard = board; }
