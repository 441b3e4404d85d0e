// What happens when an exception escapes a firmware callback in the Node simulator (Node only, not engine-neutral).
// On the device the VM aborts and a release build reboots, so by default the simulator dies loudly too.

let hook;

/** Lets a test observe escaping exceptions instead of losing the process; returns the previous hook. */
export function setUncaughtHook(fn) {
  const previous = hook;
  hook = fn;
  return previous;
}

export function reportUncaught(error) {
  if (hook) {
    hook(error);
    return;
  }
  process.stderr.write(`unhandled exception (the device would reboot): ${error?.stack ?? error}\n`);
  process.exit(70);
}

/** Wraps a callback the way the SDK's event loop runs one: an escaping exception is an abort. */
export function guarded(fn) {
  return function () {
    try {
      return fn.apply(this, arguments);
    } catch (error) {
      reportUncaught(error);
    }
  };
}
