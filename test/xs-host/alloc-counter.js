// Counts the ArrayBuffers and typed-array/DataView views the FIRMWARE creates, on any engine (XS has no allocation
// instrumentation in xsnap, and Node's heap statistics cannot say who allocated). Engine-neutral.
//
// How: while counting is on, the global buffer constructors are replaced by Proxies and the view-making prototype
// methods (subarray, slice...) by wrappers that count. A creation is charged to the firmware only when firmware code
// is running and no host code is: the host marks its entry points into the firmware (socket, listener and timer
// callbacks) with `firmware(fn)`, and the firmware's calls into the host (socket read/write, GPIO, timers) with
// `host(fn)`, so the in-memory network's own copies are not charged. A socket read() that returns a new
// ArrayBuffer is charged explicitly (the SDK allocates it natively on the device; see countDeviceBuffer).
//
// DOUBT: views made internally by the engine (e.g. by TypedArray.prototype.set on overlapping ranges) are not
// seen; neither is allocation by string building. Both would be invisible to this counter on either engine.

const viewConstructorNames = [
  "Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView",
];

export function createAllocationCounter() {
  let firmwareDepth = 0;
  let hostDepth = 0;
  let installed = false;
  const counts = { buffers: 0, views: 0 };
  const originals = [];

  const charged = () => {
    if (firmwareDepth === 0 || hostDepth > 0) return false;
    counter.onCharge?.();   // a debugging hook: e.g. record new Error().stack to see who allocates
    return true;
  };

  function replaceGlobal(name, make) {
    const original = globalThis[name];
    if (typeof original !== "function") return;
    originals.push(() => {
      globalThis[name] = original;
    });
    globalThis[name] = make(original);
  }

  function replaceMethod(target, name, wrap) {
    if (!target || typeof target[name] !== "function") return;
    const original = target[name];
    originals.push(() => {
      target[name] = original;
    });
    target[name] = wrap(original);
  }

  function install() {
    if (installed) return;
    installed = true;
    replaceGlobal("ArrayBuffer", (original) => new Proxy(original, {
      construct(target, args, newTarget) {
        if (charged()) counts.buffers++;
        return Reflect.construct(target, args, newTarget);
      },
    }));
    for (const name of viewConstructorNames) {
      replaceGlobal(name, (original) => new Proxy(original, {
        construct(target, args, newTarget) {
          if (charged()) {
            counts.views++;
            // new Uint8Array(length | array | iterable) makes a buffer of its own; over an ArrayBuffer it does not.
            const first = args[0];
            const overBuffer = first instanceof originalArrayBuffer || (typeof SharedArrayBuffer === "function" && first instanceof SharedArrayBuffer);
            if (!overBuffer) counts.buffers++;
          }
          return Reflect.construct(target, args, newTarget);
        },
      }));
    }
    const typedArrayPrototype = Object.getPrototypeOf(originalUint8Array.prototype);
    const countView = (original, alsoBuffer) => function (...args) {
      if (charged()) {
        counts.views++;
        if (alsoBuffer) counts.buffers++;
      }
      return original.apply(this, args);
    };
    replaceMethod(typedArrayPrototype, "subarray", (original) => countView(original, false));
    for (const name of ["slice", "map", "filter", "toReversed", "toSorted", "with"])
      replaceMethod(typedArrayPrototype, name, (original) => countView(original, true));
    const countBuffer = (original) => function (...args) {
      if (charged()) counts.buffers++;
      return original.apply(this, args);
    };
    for (const name of ["slice", "transfer", "transferToFixedLength", "concat"])
      replaceMethod(originalArrayBuffer.prototype, name, countBuffer);
    const typedArray = Object.getPrototypeOf(originalUint8Array);
    for (const name of ["from", "of"]) replaceMethod(typedArray, name, (original) => countView(original, true));
  }

  function uninstall() {
    while (originals.length) originals.pop()();
    installed = false;
  }

  const counter = {
    onCharge: undefined,
    counts,
    install,
    uninstall,
    reset() {
      counts.buffers = 0;
      counts.views = 0;
    },
    /** Wraps a callback the host will call into firmware code. */
    firmware(fn) {
      return function (...args) {
        firmwareDepth++;
        try {
          return fn.apply(this, args);
        } finally {
          firmwareDepth--;
        }
      };
    },
    /** Runs host code on behalf of the firmware, uncharged. */
    host(fn, self, args) {
      hostDepth++;
      try {
        return fn.apply(self, args);
      } finally {
        hostDepth--;
      }
    },
    /** A host call that the device would serve by allocating a buffer natively (TCP read() with no view). */
    countDeviceBuffer() {
      if (firmwareDepth > 0) counts.buffers++;
    },
  };
  return counter;
}

// Captured before anything is replaced, so that the counter's own checks never go through its Proxies.
const originalArrayBuffer = ArrayBuffer;
const originalUint8Array = Uint8Array;

/**
 * Wraps an ECMA-419 io pair ({Listener, TCP}) so the counter knows where firmware code runs: callbacks passed in
 * options are firmware, every method call is host. Works with classes from simulator/io/socket-core.js.
 */
export function countingIo(io, counter) {
  const wrapOptions = (options) => {
    const wrapped = { ...options };
    for (const name of ["onReadable", "onWritable", "onError"])
      if (typeof options[name] === "function") wrapped[name] = counter.firmware(options[name]);
    return wrapped;
  };
  class TCP extends io.TCP {
    constructor(options) {
      super(wrapOptions(options));
    }
    read(...args) {
      const result = counter.host(super.read, this, args);
      if (args.length === 0 || typeof args[0] === "number") {
        if (result !== undefined) counter.countDeviceBuffer();
      }
      return result;
    }
    write(...args) {
      return counter.host(super.write, this, args);
    }
    close(...args) {
      return counter.host(super.close, this, args);
    }
  }
  class Listener extends io.Listener {
    constructor(options) {
      super(wrapOptions(options));
    }
    read(...args) {
      return counter.host(super.read, this, args);
    }
    close(...args) {
      return counter.host(super.close, this, args);
    }
  }
  return { TCP, Listener };
}

/** The `timer` API with firmware callbacks marked as such and the API itself as host calls. */
export function countingTimer(Timer, counter) {
  return Object.freeze({
    set: (callback, ...rest) => counter.host(Timer.set, Timer, [counter.firmware(callback), ...rest]),
    repeat: (callback, ...rest) => counter.host(Timer.repeat, Timer, [counter.firmware(callback), ...rest]),
    schedule: (...args) => counter.host(Timer.schedule, Timer, args),
    clear: (id) => counter.host(Timer.clear, Timer, [id]),
    delay: (ms) => counter.host(Timer.delay, Timer, [ms]),
  });
}
