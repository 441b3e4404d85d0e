// One LPD connection slot (RFC 1179), the socket side of the pure reader in protocol.ts: reads what the reader
// asks for and acts on what it reports: receives a job (acknowledges each subcommand and file, queues the job, lets
// the shared intake stream the data file socket → ring while the job is at the printer), sends a queue listing, or
// removes jobs. Made once at start with its PrintJob and buffers, and reused: a connection allocates the SDK's
// socket object, the text of a listing, and a view for the short tail of a read or write.

import Timer from "timer";
import { writeFailed, writeOrLose, type TcpClass, type TcpSocket } from "network/io";
import { headView, readAndDrop } from "network/socketBuffers";
import { JobOutcome, JobState, PrintJob, type JobFeeder } from "print/job";
import { ParkedTimer } from "print/parkedTimer";
import { printerStateNames } from "print/port";
import { SocketIntake, type IntakeEvents } from "print/socketIntake";
import type { Spool } from "print/spool";
import { lpdIdleTimeoutTicks, lpdLineBytes, lpdSendBufferBytes, lpdShortReadWaitMs } from "./limits.js";
import {
  LpdCommand, LpdInput, LpdRead, LpdReader, LpdSubcommand, controlFileMaxBytes, dataFileMaxBytes, formatQueue, parseFileOperands,
  queueConvertsLineEnds, removalIds, type LpdLine, type ListedJob,
} from "./protocol.js";

export interface LpdContext {
  readonly spool: Spool;
  readonly TCP: TcpClass;
  readonly deviceName: string;
  log(line: string): void;
}

export class LpdConnection implements JobFeeder, IntakeEvents {
  readonly job: PrintJob;
  readonly #context: LpdContext;
  readonly #intake: SocketIntake;
  readonly #reader = new LpdReader();
  readonly #sendBuffer = new Uint8Array(lpdSendBufferBytes);
  /**
   * RFC 1179's answers: 0 yes, anything else no. Made per slot: a preloaded module's top-level buffers are read-only
   * ($(MODDABLE)/xs/tools/xslSlot.c, fxPrepareHeap and fxPetrifyInstance; the write then throws "read-only buffer").
   */
  readonly #acknowledged = Uint8Array.of(0);
  readonly #refused = Uint8Array.of(1);
  /** A data file ended inside the intake's pump: its end byte is read on the next turn, outside the pump. */
  readonly #afterDataFile: ParkedTimer;
  #socket: TcpSocket | undefined;
  #peer = "";
  #bytesWritable = 0;
  /** The data file being received: its announced size and name. */
  #fileBytes = 0;
  #fileName = "";
  #queue = "";
  /** An answer is going out: the text being sent, and how far. */
  #sending = false;
  #text = "";
  #textAt = 0;
  #quietTicks = 0;
  #moved = false;
  /** The job was removed (lprm) while being received: the rest of its files is read and dropped, and acknowledged. */
  #removed = false;

  constructor(context: LpdContext) {
    this.#context = context;
    this.job = new PrintJob(this, "lpd");
    this.#intake = new SocketIntake(this, lpdShortReadWaitMs);
    this.#afterDataFile = new ParkedTimer(Timer, () => {
      try { this.#service(); } catch { this.#drop("failed reading"); }
    });
  }

  get inUse(): boolean {
    return this.#socket !== undefined || this.job.state !== JobState.Idle;
  }

  open(raw: TcpSocket): void {
    const connection = this;
    this.#reader.open();
    this.#bytesWritable = 0;
    this.#quietTicks = 0;
    this.#moved = false;
    this.#queue = "";
    this.#removed = false;
    this.#intake.reset();
    this.#socket = new this.#context.TCP({
      from: raw,
      nodelay: true,                                 // one-byte acknowledgements: the client waits for each
      onReadable(count) {
        try {
          connection.#intake.readable(count);
          connection.#service();
        } catch { connection.#drop("failed reading"); }
      },
      onWritable(count) {
        try {
          connection.#bytesWritable = count;
          connection.#push();
        } catch { connection.#drop("failed writing"); }
      },
      onError() {
        try { connection.#peerClosed(); } catch { connection.#drop("failed closing"); }
      },
    });
    // Cached now: after a reset lin's getpeername() answers garbage and lwIP's pcb is gone (NULL), see
    // xs_tcp_get_remoteAddress in $(MODDABLE)/modules/io/socket/lin/tcp.c and lwip/tcp.c.
    this.#peer = this.#socket.remoteAddress ?? "";
  }

  /** Once per housekeeping tick: a client we wait on that moves nothing for lpdIdleTimeoutTicks is dropped. */
  tick(): void {
    if (!this.#socket) return;
    const moved = this.#moved || this.#intake.moved;
    this.#moved = false;
    this.#intake.moved = false;
    // A data file held back by the queue or by a full ring waits on the printer, not on the client.
    const waitingOnPrinter = this.#reader.state === LpdInput.DataFile && (!this.#intake.reading || this.#intake.bytesReadable > 0);
    if (moved || waitingOnPrinter) { this.#quietTicks = 0; return; }
    if (++this.#quietTicks >= lpdIdleTimeoutTicks) this.#drop(`nothing from the client for ${lpdIdleTimeoutTicks} s`);
  }

  dispose(): void {
    this.#drop("server stopping");
    this.#intake.dispose();
    this.#afterDataFile.clear();
  }

  /** Reads what the reader wants, byte-exact (never past a line or a file), and acts on what it found. */
  #service(): void {
    const intake = this.#intake, reader = this.#reader;
    while (this.#socket && intake.bytesReadable > 0) {
      const count = reader.wanted(intake.bytesReadable);
      if (count === 0) return;                       // a data file: the intake reads; an answer going out: no input expected
      this.#socket.read(headView(reader.input, count));
      intake.bytesReadable -= count;
      this.#moved = true;
      switch (reader.received(count)) {
        case LpdRead.Command: this.#command(reader.takeLine()); break;
        case LpdRead.Subcommand: this.#subcommand(reader.takeLine()); break;
        case LpdRead.LineTooLong: this.#refuse(`a line longer than ${lpdLineBytes} bytes`); break;
        case LpdRead.ControlFileEnd: this.#controlFileReceived(); break;
        case LpdRead.FileEnd: this.#acknowledge(); break;
        case LpdRead.NoZeroByte: this.#refuse(`a file not followed by its zero byte`); return;
      }
    }
  }

  #command(line: LpdLine | undefined): void {
    const code = line?.code ?? -1;
    const words = line?.words ?? [];
    const queue = words[0] ?? "";
    switch (code) {
      case LpdCommand.ReceiveJob:
        this.#queue = queue;
        this.#context.log(`LPD job for queue "${queue}" from ${this.#peer}`);
        this.#reader.expectSubcommands();
        this.#acknowledge();
        return;
      case LpdCommand.QueueShort:
      case LpdCommand.QueueLong:
        this.#context.log(`LPD queue listing (${code === LpdCommand.QueueLong ? "long" : "short"}) for ${this.#peer}`);
        this.#send(formatQueue(this.#status(), this.#listedJobs(), code === LpdCommand.QueueLong, words.slice(1)));
        return;
      case LpdCommand.RemoveJobs:
        this.#send(this.#remove(words[1] ?? "", words.slice(2)));
        return;
      case LpdCommand.PrintWaiting:
        // Our queue never stalls for want of a kick: nothing to do (RFC 1179 §5.1 asks for no answer).
        this.#context.log(`LPD print-waiting-jobs from ${this.#peer}: nothing to do`);
        this.#closeQuietly();
        return;
      default:
        this.#refuse(`unknown command ${code}`);
    }
  }

  #subcommand(line: LpdLine | undefined): void {
    if (!line) { this.#refuse("an empty subcommand line"); return; }
    switch (line.code) {
      case LpdSubcommand.AbortJob:
        if (this.job.state !== JobState.Idle) this.#context.spool.cancel(this.job, JobOutcome.Aborted);
        this.#context.log(`LPD job from ${this.#peer} aborted by the client`);
        this.#reader.control.reset();
        this.#acknowledge();
        return;
      case LpdSubcommand.ControlFile: {
        const file = parseFileOperands(line.words, controlFileMaxBytes);
        if (!file) { this.#refuse(`a bad control file count "${line.words[0] ?? ""}"`); return; }
        const complete = this.#reader.expectControlFile(file.count);
        this.#acknowledge();
        if (complete) this.#controlFileReceived();
        return;
      }
      case LpdSubcommand.DataFile: {
        const file = parseFileOperands(line.words, dataFileMaxBytes);
        if (!file) { this.#refuse(`a bad data file count "${line.words[0] ?? ""}"`); return; }
        this.#acknowledge();
        this.#dataFile(file.count, file.name);
        return;
      }
      default:
        this.#refuse(`unknown subcommand ${line.code}`);
    }
  }

  /** A data file begins: queue the job at its first file (or go on with it), and let the intake stream the bytes. */
  #dataFile(count: number, name: string): void {
    const job = this.job, spool = this.#context.spool;
    this.#fileBytes = count;
    this.#fileName = name;
    this.#reader.expectDataFile();
    if (this.#removed) { this.#discard(count); return; }
    this.#intake.begin(this.#socket!, spool.ring, count);
    if (count === 0) { this.#dataFileReceived(); return; }
    if (job.state === JobState.Idle) {
      this.#nameJob();
      spool.submit(job, job.name, queueConvertsLineEnds(this.#queue));   // at the head of the queue: jobStarted() now
    } else if (job.state === JobState.Receiving) this.#intake.resume();
  }

  /** Reads the rest of a data file (`count` bytes) and drops it. */
  #discard(count: number): void {
    this.#intake.end();
    this.#reader.discard(count);
  }

  #dataFileReceived(): void {
    this.#intake.end();
    this.#reader.dataFileEnded();
  }

  #controlFileReceived(): void {
    const info = this.#reader.control.info;
    this.#context.log(`LPD control file from ${this.#peer}: user "${info.user}", host "${info.host}", job "${info.jobName || info.fileName}"`);
    if (this.job.state !== JobState.Idle) this.#nameJob();
  }

  /** Name and owner from the control file when it came (before or after the data), else from the data file and the peer. */
  #nameJob(): void {
    const info = this.#reader.control.info;
    this.job.name = info.jobName || info.fileName || this.#fileName || `lpd from ${this.#peer}`;
    this.job.owner = info.user || info.host || this.#peer;
  }

  /** The peer closed (the SDK tells only once every byte was read): the end of the job, or a job cut short. */
  #peerClosed(): void {
    const state = this.#reader.state, job = this.job, got = this.#fileBytes - this.#intake.remaining;
    this.#closeSocket();
    if (job.state === JobState.Idle || this.#removed) return;
    if (state === LpdInput.DataFile) {
      this.#context.log(`LPD job ${job.id} cut short: the data file had ${got} of ${this.#fileBytes} bytes when ${this.#peer} closed`);
      this.#context.spool.cancel(job, JobOutcome.ClientLost);
      return;
    }
    this.#context.log(`LPD job ${job.id} received from ${this.#peer}`);
    this.#context.spool.finish(job);
  }

  #remove(agent: string, operands: readonly string[]): string {
    const spool = this.#context.spool;
    const ids = removalIds(this.#listedJobs(), agent, operands);
    let text = "";
    for (const id of ids) if (spool.remove(id)) text += `job ${id} dequeued\n`;
    this.#context.log(`LPD remove jobs for "${agent}" (${operands.join(" ") || "no operands"}) from ${this.#peer}: ${ids.length ? ids.join(", ") : "none"}`);
    return text || "no matching jobs\n";
  }

  #status(): string {
    const spool = this.#context.spool;
    return `${this.#context.deviceName}: printer ${printerStateNames[spool.printerState] ?? "unknown"}, ${spool.queueLength} job${spool.queueLength === 1 ? "" : "s"}`;
  }

  #listedJobs(): ListedJob[] {
    return this.#context.spool.jobs.map((job, position) => ({
      id: job.id, name: job.name, owner: job.owner, source: job.source, bytesReceived: job.bytesReceived, position,
    }));
  }

  // ---- writing ----

  /**
   * A client that sent its whole job and closed its side (a script piping into nc) cannot be told anything: once
   * the peer's FIN is processed the ESP32 throws "not ready" on write, while the bytes it sent are still unread
   * ($(MODDABLE)/modules/io/socket/lwip/tcp.c: tcpDeliver clears `ready` on the FIN and holds onError back while
   * bytes are buffered; xs_tcp_write throws "not ready"). The acknowledgement is dropped and reading goes on, so its
   * job still prints and the close is seen.
   */
  #acknowledge(): void {
    let spaceLeft: number | undefined = 0;
    try { spaceLeft = this.#socket!.write(this.#acknowledged); } catch { /* the peer closed its side: nobody to tell */ }
    this.#moved = true;
    // Not a half-close but a dead peer (lin's write failed, see TcpSocket.write): no onError will follow.
    if (writeFailed(spaceLeft)) this.#peerClosed();
  }

  /** An error byte, then close: what RFC 1179 gives a client for anything we will not do. */
  #refuse(why: string): void {
    this.#context.log(`LPD error from ${this.#peer}: ${why}; connection closed`);
    const job = this.job;
    if (job.state === JobState.Waiting || job.state === JobState.Receiving) this.#context.spool.cancel(job, JobOutcome.Aborted);
    try { this.#socket?.write(this.#refused); } catch { /* gone already */ }
    this.#closeQuietly();
  }

  #send(text: string): void {
    this.#text = text;
    this.#textAt = 0;
    this.#reader.stop();
    this.#sending = true;
    this.#push();
  }

  #push(): void {
    const socket = this.#socket;
    if (!this.#sending || !socket) return;
    while (this.#textAt < this.#text.length) {
      const count = Math.min(this.#text.length - this.#textAt, this.#sendBuffer.length, this.#bytesWritable);
      if (count <= 0) return;                        // wait for onWritable
      for (let i = 0; i < count; i++) this.#sendBuffer[i] = this.#text.charCodeAt(this.#textAt + i) & 0xff;
      // The peer closed its side before the listing went out ("not ready" on the ESP32: lwip/tcp.c, xs_tcp_write),
      // or is gone (lin's failed write): either way nobody reads the rest.
      const spaceLeft = writeOrLose(socket, headView(this.#sendBuffer, count));
      if (writeFailed(spaceLeft)) {
        this.#textAt = this.#text.length;
        break;
      }
      this.#bytesWritable = spaceLeft;
      this.#textAt += count;
      this.#moved = true;
    }
    this.#text = "";
    this.#closeQuietly();
  }

  /** Drains what the client sent (unread input would turn close() into a reset that loses our last bytes), then closes. */
  #closeQuietly(): void {
    const socket = this.#socket;
    if (socket) {
      try { readAndDrop(socket, this.#intake.bytesReadable, this.#reader.input); } catch { /* closing anyway */ }
    }
    this.#closeSocket();
  }

  #closeSocket(): void {
    this.#intake.reset();
    this.#afterDataFile.park();
    const socket = this.#socket;
    this.#socket = undefined;
    this.#reader.stop();
    this.#sending = false;
    socket?.close();
  }

  /** Ends the connection early: a job still being received is dropped. */
  #drop(why: string): void {
    if (!this.#socket) return;
    this.#context.log(`LPD connection from ${this.#peer} dropped: ${why}`);
    const job = this.job;
    this.#closeSocket();
    if (job.state === JobState.Waiting || job.state === JobState.Receiving) this.#context.spool.cancel(job, JobOutcome.ClientLost);
  }

  // ---- the spool's side (JobFeeder) and the intake's (IntakeEvents) ----

  jobStarted(): void {
    if (this.#reader.state === LpdInput.DataFile) this.#intake.resume();
  }

  ringHasRoom(): void {
    if (this.#reader.state === LpdInput.DataFile) this.#intake.resume();
  }

  jobPrinted(): void { /* the connection closed before finish(): nothing left to do */ }

  /**
   * Removed while still being received. An error byte would make the client send the whole job again (LPRng retries
   * on ACK_STOP_Q, measured), so the rest of its files is read, dropped and acknowledged: the client is done, the
   * job is gone.
   */
  jobRemoved(): void {
    if (!this.#socket) return;
    this.#removed = true;
    this.#context.log(`LPD job from ${this.#peer} removed while being received; the rest of it is read and dropped`);
    if (this.#reader.state === LpdInput.DataFile) {
      const rest = this.#intake.remaining;
      this.#discard(rest);
      this.#afterDataFile.arm(0);                     // the socket's bytes are not announced again: read them now
    }
  }

  intakeReceived(count: number): void {
    this.#context.spool.received(this.job, count);
    if (this.#reader.state === LpdInput.DataFile && this.#intake.remaining === 0) {
      this.#dataFileReceived();
      // Its end byte and what follows are read on the next turn, outside the pump that called us.
      this.#afterDataFile.arm(0);
    }
  }

  intakeFailed(): void {
    this.#drop("failed reading");
  }
}
