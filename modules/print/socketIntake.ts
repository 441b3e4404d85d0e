// The upload pump every way of printing shares (FTP data channel, raw 9100, LPD data files): socket → print ring,
// only while the owner lets it read (its job is at the printer) and the ring has room. Engine-neutral: it sees the
// socket only through read(view). Allocates nothing per chunk: whole chunks go into the ring's premade views; only a
// shorter read, when no more bytes come for a moment (the end of a job) or the byte limit is reached, makes a view.

import Timer from "timer";
import { ParkedTimer } from "./parkedTimer.js";

/**
 * Where the intake reads into: the spool's ring (ByteRing has exactly these members), or a document converter's
 * input (IPP's raster formats, later) that offers its own premade views the same way.
 */
export interface IntakeTarget {
  receiveChunks(wanted: number): Uint8Array | undefined;
  receiveView(wanted: number, wholeChunksOnly?: boolean): Uint8Array | undefined;
  roomInChunk(): number;
  commit(count: number): void;
}

/** The one socket call the intake makes: fill `into` completely (the SDK's read(view)). */
export interface IntakeSocket {
  read(into: Uint8Array): number | undefined;
}

export interface IntakeEvents {
  /** `count` bytes landed in the ring. */
  intakeReceived(count: number): void;
  /** The pump threw (a socket gone bad): the owner drops the connection. */
  intakeFailed(): void;
}

/** No byte limit: read until the peer closes. */
export const unlimited = Number.MAX_SAFE_INTEGER;

export class SocketIntake {
  readonly #events: IntakeEvents;
  readonly #shortReadWaitMs: number;
  #socket: IntakeSocket | undefined;
  #ring: IntakeTarget | undefined;
  /** The socket's unread byte count, as its onReadable last gave it, less what we read since. */
  bytesReadable = 0;
  /** Bytes still to take before the intake stops by itself (LPD's data file count); `unlimited` otherwise. */
  remaining = unlimited;
  /** The owner lets us read: its job is at the printer. */
  #reading = false;
  /** Bytes moved since the owner last looked (its stall timer). */
  moved = false;
  /**
   * Fewer bytes than a chunk are read only after no more came for shortReadWaitMs: this timer, made once, paused
   * when not needed. Those last bytes must be read, because the SDK reports the peer's close (onError) only once
   * every buffered byte has been read ($(MODDABLE)/modules/io/socket/lwip/tcp.c, tcpDeliver and xs_tcp_read;
   * lin/tcp.c, xs_tcp_read).
   */
  readonly #shortReadTimer: ParkedTimer;

  constructor(events: IntakeEvents, shortReadWaitMs: number) {
    this.#events = events;
    this.#shortReadWaitMs = shortReadWaitMs;
    this.#shortReadTimer = new ParkedTimer(Timer, () => {
      try { this.#pull(false); } catch { this.#events.intakeFailed(); }
    });
  }

  /** Starts an upload from `socket` into `ring`, paused until resume(); at most `limit` bytes. */
  begin(socket: IntakeSocket, ring: IntakeTarget, limit = unlimited): void {
    this.#socket = socket;
    this.#ring = ring;
    this.remaining = limit;
    this.#reading = false;
    this.moved = false;
  }

  /** The same socket and target, a further `limit` bytes (IPP's next chunk of a chunked body); keeps the reading permission. */
  extend(limit: number): void {
    this.remaining = limit;
  }

  get active(): boolean { return this.#socket !== undefined; }
  /** The owner lets us read now (its job is at the printer). */
  get reading(): boolean { return this.#reading; }

  /** The socket's onReadable: `count` is the total unread. */
  readable(count: number): void {
    this.bytesReadable = count;
    this.#pull();
  }

  /** The spool started our job, or made room in the ring: read what the socket has. */
  resume(): void {
    this.#reading = true;
    this.#pull();
  }

  /** Stops reading and forgets the socket; the owner keeps bytesReadable if it reads the socket itself. */
  end(): void {
    this.#socket = undefined;
    this.#ring = undefined;
    this.#reading = false;
    this.remaining = unlimited;
    this.#shortReadTimer.park();
  }

  /** end() and forget the count too: the connection is gone. */
  reset(): void {
    this.end();
    this.bytesReadable = 0;
    this.moved = false;
  }

  /** Releases the timer; the intake is not used again. */
  dispose(): void {
    this.reset();
    this.#shortReadTimer.clear();
  }

  /**
   * Socket → ring, as far as the ring has room, the limit allows and the owner lets us. Whole chunks only, unless
   * the short-read timer found that no more bytes are coming, or the limit's last bytes are all here.
   */
  #pull(wholeChunksOnly = true): void {
    const socket = this.#socket, ring = this.#ring;
    if (!this.#reading || !socket || !ring) return;
    let received = 0;
    while (this.bytesReadable > 0 && this.remaining > 0) {
      const wanted = Math.min(this.bytesReadable, this.remaining);
      // The limit's tail is here whole: no more bytes will follow it into this ring, so read it short at once.
      const shortAllowed = !wholeChunksOnly || wanted === this.remaining;
      // As many whole chunks as one read can fill (fewer read calls), else what receiveView allows.
      const view = ring.receiveChunks(wanted) ?? ring.receiveView(wanted, !shortAllowed);
      if (!view) break;
      socket.read(view);
      this.bytesReadable -= view.byteLength;
      this.remaining -= view.byteLength;
      ring.commit(view.byteLength);
      received += view.byteLength;
    }
    // Armed only when bytes, not room, are short: room comes back by itself (ringHasRoom), bytes may never.
    if (this.remaining > 0 && this.bytesReadable > 0 && this.bytesReadable < ring.roomInChunk() && !this.#shortReadTimer.armed) {
      this.#shortReadTimer.arm(this.#shortReadWaitMs);
    }
    if (received > 0) {
      this.moved = true;
      this.#events.intakeReceived(received);
    }
  }
}
