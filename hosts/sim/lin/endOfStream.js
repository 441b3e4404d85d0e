// The SDK's Linux simulator only (see endOfStream.c): the TCP class the firmware is given reports the peer's close
// even when it came while bytes were unread. A host function: the C beside this file is compiled into mc.so.
import Timer from "timer";

function peerEnded(socket) @ "xs_ftprint_peer_ended";

// Later than tcp.c's 20 ms task, so that its own report, when it does come, is the one delivered.
const checkDelayMs = 50;

/** A subclass of the SDK's lin TCP for the sockets the firmware makes with callbacks (`from` or address). */
export default function withEndOfStream(TCP) {
  return class TcpWithEndOfStream extends TCP {
    #unread = 0;
    #onError;
    #check;
    #reported = false;

    constructor(options) {
      const onError = options?.onError, onReadable = options?.onReadable;
      super(onError ? {
        ...options,
        onReadable(count) {
          this.#unread = count;
          onReadable?.call(this, count);
        },
        onError() { this.#report(); },
      } : options);
      this.#onError = onError;
    }

    read(into) {
      const result = super.read(into);
      if (this.#onError && (result !== undefined)) {
        // read(view) answers the count, read() and read(count) a buffer, a "number" socket one byte
        this.#unread -= (typeof result === "number") ? ((typeof into === "object") ? result : 1) : result.byteLength;
        if (this.#unread <= 0) {
          this.#check ??= Timer.repeat(() => this.#lookForEnd(), checkDelayMs);
          Timer.schedule(this.#check, checkDelayMs, checkDelayMs);
        }
      }
      return result;
    }

    close() {
      this.#park(true);
      return super.close();
    }

    #lookForEnd() {
      this.#park(false);
      if ((this.#unread <= 0) && peerEnded(this)) this.#report();
    }

    #report() {
      if (this.#reported) return;    // once, whether tcp.c or we saw the close first
      this.#reported = true;
      this.#park(true);
      this.#onError.call(this);
    }

    #park(clear) {
      if (!this.#check) return;
      if (clear) {
        Timer.clear(this.#check);
        this.#check = undefined;
      }
      else Timer.schedule(this.#check);
    }
  };
}
