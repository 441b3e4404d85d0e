// What every TCP service here (FTP, raw 9100, LPD) does around its own protocol: the listener, a fixed pool of
// connection slots made once at start, one housekeeping timer that ticks every slot, and the turning away of a
// client who finds every slot taken. The service brings its slots, its refusal bytes and its log wording. Raw and
// LPD are pools (they extend this class); FTP holds one. Takes its socket classes as arguments, so the same code
// runs on the ESP32, the simulators and the XS host.

import Timer from "timer";
import type { ListenerClass, ListenerSocket, TcpClass, TcpSocket } from "./io.js";
import { readAndDrop } from "./socketBuffers.js";

/** One connection slot: free while !inUse; the pool finds free slots by looking. */
export interface PooledSlot {
  readonly inUse: boolean;
  /** Takes a connection just read from the listener (the slot makes its TCP object `from` it). */
  open(raw: TcpSocket): void;
  /** Once per housekeeping tick: the slot's timeouts. */
  tick(): void;
  /** The server is stopping: close, and release the slot's timers for good. */
  dispose(): void;
}

/** What a client who gets no slot is told, made once at start. */
export interface Refusal {
  /** Written before the close; undefined to close without a word (raw 9100 has no way to say why). */
  readonly bytes: Uint8Array | undefined;
  /** Why, for the log line: "all 3 sessions in use". */
  readonly reason: string;
}

/** How the pool's log lines read for one service (tests and the bench wait for these lines). */
export interface PoolWording {
  /** Starts the lines of a listener or timer callback that threw: "" for FTP, "raw ", "LPD ". */
  readonly prefix: string;
  /** Logged, followed by ": " and the error, when a slot could not take a connection. */
  readonly couldNotTake: string;
  turnedAway(address: string, reason: string): string;
}

export interface ConnectionPoolOptions<Slot extends PooledSlot> {
  io: { Listener: ListenerClass; TCP: TcpClass };
  /** 0 picks a free port (see ConnectionPool.port). */
  port: number;
  /** How many slots, each made once here by makeSlot. */
  slots: number;
  makeSlot(): Slot;
  tickMs: number;
  /** For a client who finds every slot taken. */
  busy: Refusal;
  wording: PoolWording;
  log(line: string): void;
  /** A refusal for an address that gets no slot however many are free (FTP's failed-login block), else undefined. */
  screen?(address: string): Refusal | undefined;
  /** Runs at each housekeeping tick before the slots tick (FTP's failed-login clock). */
  tick?(): void;
  /** Lets go of what a slot whose open() threw had taken already. */
  openFailed?(slot: Slot): void;
}

/** How many of `slots` are in use (the page's and STAT's count); IPP's server, which keeps its own slots, uses it too. */
export function slotsInUse(slots: readonly { readonly inUse: boolean }[]): number {
  let count = 0;
  for (const slot of slots) if (slot.inUse) count++;
  return count;
}

/** Bytes of a turned-away client's early input read (and dropped) at a time. */
const drainBytes = 64;

export class ConnectionPool<Slot extends PooledSlot> {
  readonly #slots: readonly Slot[];
  readonly #listener: ListenerSocket;
  readonly #tcp: TcpClass;
  readonly #tick: Timer;
  readonly #log: (line: string) => void;
  readonly #busy: Refusal;
  readonly #wording: PoolWording;
  readonly #screen: ((address: string) => Refusal | undefined) | undefined;
  readonly #openFailed: ((slot: Slot) => void) | undefined;
  /** Where a turned-away client's early bytes are read to, and dropped. */
  readonly #scratch = new Uint8Array(drainBytes);

  constructor(options: ConnectionPoolOptions<Slot>) {
    const pool = this;
    const slots: Slot[] = [];
    for (let i = 0; i < options.slots; i++) slots.push(options.makeSlot());
    this.#slots = Object.freeze(slots);
    this.#tcp = options.io.TCP;
    this.#log = options.log;
    this.#busy = options.busy;
    this.#wording = options.wording;
    this.#screen = options.screen;
    this.#openFailed = options.openFailed;
    const beforeTick = options.tick;
    this.#listener = new options.io.Listener({
      port: options.port,
      onReadable() {
        try { pool.#acceptAll(); } catch (error) { pool.#log(`${pool.#wording.prefix}accept failed: ${String(error)}`); }
      },
    });
    this.#tick = Timer.repeat(() => {
      try {
        beforeTick?.();
        for (const slot of this.#slots) slot.tick();
      } catch (error) { this.#log(`${this.#wording.prefix}tick failed: ${String(error)}`); }
    }, options.tickMs);
  }

  get port(): number {
    return this.#listener.port;
  }

  connectionsInUse(): number {
    return slotsInUse(this.#slots);
  }

  /** Stops listening and the timer, and disposes of every slot. The listener is never touched again. */
  close(): void {
    Timer.clear(this.#tick);
    this.#listener.close();
    for (const slot of this.#slots) slot.dispose();
  }

  #acceptAll(): void {
    // Read every pending connection at once, even the ones turned away: on the ESP32 a connection left in the
    // listener has its data held by lwIP and its reset goes unnoticed ($(MODDABLE)/modules/io/socket/lwip/tcp.c,
    // listenerAccept: its receive callback listenerReceive refuses the data, and no error callback is installed).
    for (let raw = this.#listener.read(); raw; raw = this.#listener.read()) {
      const address = raw.remoteAddress;                 // asked now: the socket is moved (and closed) below
      // SECURITY: a screened address gets no slot, however many are free.
      const refusal = this.#screen?.(address ?? "");
      const slot = refusal ? undefined : this.#slots.find((candidate) => !candidate.inUse);
      try {
        if (slot) slot.open(raw);
        else this.#turnAway(raw, address ?? "a client", refusal ?? this.#busy);
      } catch (error) {
        this.#log(`${this.#wording.couldNotTake}: ${String(error)}`);
        try { raw.close(); } catch { /* already moved into a TCP object */ }
        if (slot) this.#openFailed?.(slot);
      }
    }
  }

  /** The refusal's bytes, if any, then close; the slots carry on untouched. */
  #turnAway(raw: TcpSocket, address: string, refusal: Refusal): void {
    const bytes = refusal.bytes;
    if (!bytes) {
      this.#log(this.#wording.turnedAway(address, refusal.reason));
      raw.close();
      return;
    }
    const scratch = this.#scratch;
    let bytesReadable = 0;
    // What the client sent is read and dropped as it comes: unread input turns close() into an RST on lwIP, which
    // would throw the refusal away (lwIP's own tcp_close, not in the SDK source: the SDK's xs_tcp_destructor, reached
    // from close(), only calls tcp_close_safe; not verified on an ESP32); and a client that sent and closed its
    // side before we got to it hears no onWritable, while its onError waits until every byte is read
    // ($(MODDABLE)/modules/io/socket/lwip/tcp.c, tcpDeliver; lin/tcp.c, reportTrigger and xs_tcp_read): left
    // unread, the socket and its PCB would be held for ever.
    const drain = (socket: TcpSocket): void => {
      const count = bytesReadable;
      bytesReadable = 0;
      readAndDrop(socket, count, scratch);
    };
    new this.#tcp({
      from: raw,
      onReadable(count) {
        bytesReadable = count;
        try { drain(this); } catch { /* it may be gone already */ }
      },
      onWritable() {
        try {
          this.write(bytes);
          drain(this);
        } catch { /* it may be gone already */ }
        try { this.close(); } catch { /* closed already */ }
      },
      onError() {
        try { this.close(); } catch { /* closed already */ }
      },
    });
    this.#log(this.#wording.turnedAway(address, refusal.reason));
  }
}
