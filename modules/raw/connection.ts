// One raw 9100 (AppSocket) connection slot: the whole connection is one job. Its bytes go socket → ring through the
// shared intake only while the job is at the printer; a queued job leaves its socket unread, so TCP holds the
// client back. The job ends when the client closes (the SDK reports that only once every byte was read). Made once
// at start with its PrintJob and reused: a connection allocates the SDK's socket object, and the intake a view for
// a job's short last read.

import type { TcpClass, TcpSocket } from "network/io";
import { JobOutcome, JobState, PrintJob, type JobFeeder } from "print/job";
import { SocketIntake, type IntakeEvents } from "print/socketIntake";
import type { Spool } from "print/spool";
import { rawIdleTimeoutTicks, rawShortReadWaitMs, rawStallTimeoutTicks } from "./limits.js";

export interface RawContext {
  readonly spool: Spool;
  readonly TCP: TcpClass;
  log(line: string): void;
}

export class RawConnection implements JobFeeder, IntakeEvents {
  readonly job: PrintJob;
  readonly #context: RawContext;
  readonly #intake: SocketIntake;
  #socket: TcpSocket | undefined;
  #peer = "";
  /** Ticks the connection (or its job at the printer) has waited on the client without a byte. */
  #quietTicks = 0;

  constructor(context: RawContext) {
    this.#context = context;
    this.job = new PrintJob(this, "raw");
    this.#intake = new SocketIntake(this, rawShortReadWaitMs);
  }

  /** Busy while connected, and while its job is queued or still draining into the printer. */
  get inUse(): boolean {
    return this.#socket !== undefined || this.job.state !== JobState.Idle;
  }

  open(raw: TcpSocket): void {
    const connection = this;
    this.#quietTicks = 0;
    this.#intake.reset();
    this.#socket = new this.#context.TCP({
      from: raw,
      onReadable(count) {
        try { connection.#readable(count); } catch { connection.#drop("failed reading"); }
      },
      onError() {
        try { connection.#peerClosed(); } catch { connection.#drop("failed closing"); }
      },
    });
    // Cached now: after a reset the SDK answers garbage (lin) or crashes (ESP32) when asked: xs_tcp_get_remoteAddress
    // calls getpeername() on a reset socket in $(MODDABLE)/modules/io/socket/lin/tcp.c, and dereferences the pcb that
    // tcpError set to NULL in lwip/tcp.c.
    this.#peer = this.#socket.remoteAddress ?? "";
    this.#context.log(`raw job from ${this.#peer}`);
  }

  /** Once per housekeeping tick: the idle and stall timeouts. */
  tick(): void {
    if (!this.#socket) return;
    const job = this.job;
    if (this.#intake.moved) {
      this.#intake.moved = false;
      this.#quietTicks = 0;
      return;
    }
    if (job.state === JobState.Idle) {
      if (++this.#quietTicks >= rawIdleTimeoutTicks) this.#drop(`sent nothing for ${rawIdleTimeoutTicks} s`);
      return;
    }
    // Waiting on the client: at the printer, allowed to read, and nothing to read. Not behind another job or a full ring.
    const waitingOnClient = this.#intake.reading && this.#intake.bytesReadable === 0;
    if (!waitingOnClient) { this.#quietTicks = 0; return; }
    if (++this.#quietTicks >= rawStallTimeoutTicks) this.#drop(`sent nothing for ${rawStallTimeoutTicks} s`);
  }

  /** The server is stopping. */
  dispose(): void {
    this.#drop("server stopping");
    this.#intake.dispose();
  }

  #readable(count: number): void {
    this.#intake.readable(count);
    // The job is queued at its first byte, not at connect: a port scan or a probe makes no empty job.
    if (count > 0 && this.job.state === JobState.Idle && this.#socket) {
      this.job.owner = this.#peer;
      this.#context.spool.submit(this.job, `raw from ${this.#peer}`, false);
    }
  }

  /** FIN (or RST: the SDK cannot tell them apart) after every byte was read: the end of the job. */
  #peerClosed(): void {
    this.#closeSocket();
    if (this.job.state === JobState.Idle) {
      this.#context.log(`raw connection from ${this.#peer} closed with no data`);
      return;
    }
    this.#context.spool.finish(this.job);
  }

  /** Ends the connection early; a job not yet complete is cut short (bytes the printer has not taken are dropped). */
  #drop(why: string): void {
    if (!this.#socket && this.job.state === JobState.Idle) return;
    const hadSocket = this.#socket !== undefined;
    this.#closeSocket();
    if (hadSocket) this.#context.log(`raw connection from ${this.#peer} dropped: ${why}`);
    if (this.job.state === JobState.Waiting || this.job.state === JobState.Receiving) this.#context.spool.cancel(this.job, JobOutcome.ClientLost);
  }

  #closeSocket(): void {
    this.#intake.reset();
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
  }

  // ---- the spool's side (JobFeeder) and the intake's (IntakeEvents) ----

  jobStarted(): void {
    if (!this.#socket) return;
    this.#intake.begin(this.#socket, this.#context.spool.ring);
    this.#intake.resume();
  }

  ringHasRoom(): void {
    this.#intake.resume();
  }

  jobPrinted(): void {
    this.#intake.reset();
  }

  jobRemoved(): void {
    if (this.#socket) this.#context.log(`raw connection from ${this.#peer} closed: its job was removed`);
    this.#closeSocket();
  }

  intakeReceived(count: number): void {
    this.#context.spool.received(this.job, count);
  }

  intakeFailed(): void {
    this.#drop("failed reading");
  }
}
