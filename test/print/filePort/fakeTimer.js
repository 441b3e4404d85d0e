// The SDK's `timer` for a bundle under test: every call goes to the Timer a test installs (FakeLoop's, virtual ms).
let current;

export function useTimer(timer) {
  current = timer;
}

export default Object.freeze({
  set: (callback, delay, repeat) => current.set(callback, delay, repeat),
  repeat: (callback, ms) => current.repeat(callback, ms),
  schedule: (timer, delay, repeat) => current.schedule(timer, delay, repeat),
  clear: (timer) => current.clear(timer),
});
