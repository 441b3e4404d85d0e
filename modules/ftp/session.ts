// One control-connection slot: reads command lines, runs them through the verb table's one gate, queues replies
// and flushes them within the socket's writable count. Made once at start and reused for every client; a slot
// holds its line, input and reply buffers for life, so serving a client allocates no buffers.

import { writeFailed, writeOrLose, type ListenerClass, type TcpClass, type TcpSocket } from "network/io";
import { DataChannel, type DataChannelEvents, type PassivePorts } from "./dataChannel.js";
import { LineReader } from "./lineReader.js";
import {
  controlReadBytes, failedLoginDelayTicks, idleTimeoutTicks, listingBufferBytes, loginFailuresPerSession, loginTimeoutTicks, replyBufferBytes,
  replyStallTicks,
} from "./limits.js";
import { Reply, replyLineBytes, writeReply, writeReplyContinuation } from "./replies.js";
import { LoginState, Transfer } from "./states.js";
import { verbs, type Verb } from "./verbs.js";
import { JobOutcome, JobState, PrintJob, type JobFeeder } from "print/job";
import type { Spool } from "print/spool";

/** What every session shares: the printer, the settings and the log. */
export interface SessionContext {
  readonly spool: Spool;
  readonly io: { Listener: ListenerClass; TCP: TcpClass };
  readonly deviceName: string;
  readonly credentials: { user: string; password: string } | undefined;
  /** Log each command line too (PASS masked). */
  readonly logCommands: boolean;
  /** Our IPv4 address as clients reach it, for the PASV reply. */
  localAddress(): string | undefined;
  /** Where PASV and EPSV listen. */
  readonly passivePorts: PassivePorts;
  /** A login from this address failed, or succeeded (the per-address limit, server.ts). */
  loginFailed(address: string): void;
  loginSucceeded(address: string): void;
  /** A number for the log, new for every client (the server counts: a preloaded module's own `let` is frozen). */
  nextSessionNumber(): number;
  log(line: string): void;
}

/** Below this much free reply space the client is not reading its replies at all. */
const minimumReplyRoom = 64;

export class Session implements JobFeeder, DataChannelEvents {
  readonly context: SessionContext;
  readonly data: DataChannel;
  readonly job: PrintJob;
  readonly #lines = new LineReader();
  readonly #input = new Uint8Array(controlReadBytes);
  readonly #replies = new Uint8Array(replyBufferBytes);
  #socket: TcpSocket | undefined;
  #inputAt = 0;
  #inputEnd = 0;
  #bytesReadable = 0;
  #bytesWritable = 0;
  #replyLength = 0;
  /** Ticks during which queued replies could not be written at all. */
  #replyStalledTicks = 0;
  #servicing = false;
  /** Commands wait while this many ticks run down (a failed login is answered late). */
  #holdTicks = 0;
  #heldReply = "";
  #closeWhenFlushed = false;

  /** A number for the log, new for every client. */
  number = 0;
  peerAddress = "";
  peerPort = 0;
  login: LoginState = LoginState.AwaitingUser;
  user = "";
  workingDirectory = "/";
  /** TYPE A (the RFC 959 default): bare LF becomes CRLF on the way to the printer. */
  asciiType = true;
  /** EPSV ALL was given: only EPSV may set up data connections from now on (RFC 2428 §4). */
  extendedPassiveOnly = false;
  transfer: Transfer = Transfer.None;
  /** QUIT came during a transfer: close once it has been answered. */
  quitAfterTransfer = false;
  idleTicks = 0;
  /** Ticks since the connection (or REIN) without a login. */
  loginTicks = 0;
  /** The name STOU gave, for its 150 line. */
  uniqueName = "";
  /** Failed logins on this connection; REIN does not reset it. */
  loginFailures = 0;

  constructor(context: SessionContext) {
    this.context = context;
    this.data = new DataChannel(context.io, this, listingBufferBytes, context.passivePorts);
    this.job = new PrintJob(this, "ftp");
  }

  get inUse(): boolean {
    return this.#socket !== undefined || this.job.state !== JobState.Idle;
  }

  /** Takes a freshly accepted connection into this free slot and greets it. */
  open(raw: TcpSocket): void {
    const session = this;
    this.#reset();
    this.number = this.context.nextSessionNumber();
    this.#socket = new this.context.io.TCP({
      from: raw,
      // Replies are small and a client waits for each: Nagle would hold a 226 behind the delayed ACK of the 150.
      nodelay: true,
      onReadable(count) {
        try {
          session.#bytesReadable = count;
          session.#service();
        } catch { session.close("failed reading"); }
      },
      onWritable(count) {
        try {
          session.#bytesWritable = count;
          session.#service();
        } catch { session.close("failed writing"); }
      },
      onError() {
        try { session.close("connection closed by client"); } catch { /* nothing more to do */ }
      },
    });
    // Cached now: after a reset the SDK answers garbage (lin) or crashes (ESP32) when asked.
    this.peerAddress = this.#socket.remoteAddress ?? "";
    this.peerPort = this.#socket.remotePort ?? 0;
    this.context.log(`session ${this.number} from ${this.peerAddress}:${this.peerPort}`);
    this.reply(Reply.ServiceReady, `${this.context.deviceName} FTP print server ready.`);
  }

  // ---- replies: every line goes through the one writer into the reply buffer ----

  reply(code: number, text: string): void {
    this.#queueLine(code, text, false);
    this.#flush();
  }

  /** A multi-line reply (RFC 959 §4.2): "code-first", indented middle lines, "code last". */
  replyLines(code: number, first: string, middle: readonly string[], last: string): void {
    this.#queueLine(code, first, true);
    for (const line of middle) {
      if (this.#replyLength + line.length + 3 > this.#replies.length) break;
      this.#replyLength = writeReplyContinuation(this.#replies, this.#replyLength, line);
    }
    this.#queueLine(code, last, false);
    this.#flush();
  }

  #queueLine(code: number, text: string, continues: boolean): void {
    const room = this.#replies.length - this.#replyLength;
    if (room < minimumReplyRoom) {
      // Commands wait while replies are queued, so only a client that reads none of its replies gets here.
      this.close("not reading its replies");
      return;
    }
    if (replyLineBytes(text) > room) text = text.slice(0, room - 6);
    this.#replyLength = writeReply(this.#replies, this.#replyLength, code, text, continues);
  }

  /** Writes queued replies as far as the send space allows (write() would throw past it). */
  #flush(): void {
    const socket = this.#socket;
    if (!socket) return;                             // with nothing queued, still close if asked (QUIT, 421)
    const count = Math.min(this.#replyLength, this.#bytesWritable);
    if (count > 0) {
      const spaceLeft = writeOrLose(socket, new Uint8Array(this.#replies.buffer, 0, count));
      if (writeFailed(spaceLeft)) {
        this.close("connection lost (a write failed)");
        return;
      }
      this.#bytesWritable = spaceLeft;
      this.#replyStalledTicks = 0;
      this.#replies.copyWithin(0, count, this.#replyLength);
      this.#replyLength -= count;
    }
    if (this.#replyLength === 0 && this.#closeWhenFlushed) this.close("quit");
  }

  // ---- commands ----

  /** Reads and runs commands until the input is used up or a reply must drain first. */
  #service(): void {
    if (this.#servicing) return;
    this.#servicing = true;
    try {
      while (this.#socket) {
        this.#flush();
        if (this.#replyLength > 0 || this.#holdTicks > 0 || this.#closeWhenFlushed) return;
        if (this.#inputAt < this.#inputEnd) {
          this.#inputAt = this.#lines.feed(this.#input, this.#inputAt, this.#inputEnd);
          if (this.#lines.lineReady) {
            const tooLong = this.#lines.tooLong;
            const line = this.#lines.takeLine();
            if (tooLong) this.reply(Reply.Unrecognized, "Command line too long.");
            else this.#run(line);
          }
        } else if (this.#bytesReadable > 0) {
          const count = Math.min(this.#bytesReadable, this.#input.length);
          this.#socket.read(count === this.#input.length ? this.#input : new Uint8Array(this.#input.buffer, 0, count));
          this.#bytesReadable -= count;
          this.#inputAt = 0;
          this.#inputEnd = count;
        } else return;
      }
    } finally {
      this.#servicing = false;
    }
  }

  /**
   * The one gate, always in this order (pyftpdlib's pre_process_command): unknown verb 500, known but not offered
   * 502, argument rule 501, login 530, transfer in progress 503; then the verb's handler.
   */
  #run(line: string): void {
    this.idleTicks = 0;
    const space = line.indexOf(" ");
    const verbName = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const argument = space < 0 ? "" : line.slice(space + 1);
    if (this.context.logCommands) this.context.log(`session ${this.number} < ${verbName === "PASS" ? "PASS ****" : line}`);
    // SECURITY: the client picks the key; only the table's own properties are verbs.
    if (!Object.hasOwn(verbs, verbName)) return this.reply(Reply.Unrecognized, `${verbName.slice(0, 16)} not understood.`);
    const verb: Verb = verbs[verbName as keyof typeof verbs];
    if (!verb.run) return this.reply(Reply.NotImplemented, `${verbName} not implemented by this print server.`);
    if (verb.argument === "required" && argument.trim() === "") return this.reply(Reply.BadArguments, `${verbName} needs an argument.`);
    if (verb.argument === "forbidden" && argument.trim() !== "") return this.reply(Reply.BadArguments, `${verbName} takes no argument.`);
    if (verb.login && this.login !== LoginState.LoggedIn) return this.reply(Reply.NotLoggedIn, "Please log in with USER and PASS.");
    if (this.transfer !== Transfer.None && !verb.duringTransfer)
      return this.reply(Reply.BadSequence, "A transfer is in progress; wait for it to end or send ABOR.");
    verb.run(this, argument);
  }

  /** A login failed: holds further commands for a few housekeeping ticks, then answers `text` with 530. */
  answerLoginFailureLater(text: string): void {
    this.loginFailures++;
    this.context.loginFailed(this.peerAddress);
    this.#holdTicks = failedLoginDelayTicks;
    this.#heldReply = text;
  }

  /** Called once per housekeeping tick by the server. */
  tick(): void {
    if (!this.#socket) return;
    if (this.#replyLength > 0 && ++this.#replyStalledTicks >= replyStallTicks) {
      this.close(`its replies did not move for ${replyStallTicks} s`);
      return;
    }
    if (this.#holdTicks > 0 && --this.#holdTicks === 0) {
      this.reply(Reply.NotLoggedIn, this.#heldReply);
      // SECURITY: a few guesses per connection, then it is closed (pyftpdlib max_login_attempts, vsftpd max_login_fails).
      if (this.loginFailures >= loginFailuresPerSession) {
        this.context.log(`session ${this.number} closed after ${this.loginFailures} failed logins`);
        this.reply(Reply.ServiceUnavailable, "Too many failed logins; closing the control connection.");
        this.closeAfterReplies();
        return;
      }
      this.#service();
      return;
    }
    this.data.tick();
    if (this.login !== LoginState.LoggedIn) {
      if (++this.loginTicks >= loginTimeoutTicks) {
        this.context.log(`session ${this.number} did not log in within ${loginTimeoutTicks} s`);
        this.reply(Reply.ServiceUnavailable, "Login timed out; closing the control connection.");
        this.closeAfterReplies();
      }
      return;
    }
    if (this.transfer !== Transfer.None || this.job.state !== JobState.Idle) return;
    if (++this.idleTicks >= idleTimeoutTicks) {
      this.context.log(`session ${this.number} idle for ${idleTimeoutTicks} s`);
      this.reply(Reply.ServiceUnavailable, "Idle too long; closing the control connection.");
      this.closeAfterReplies();
    }
  }

  /** Closes once every queued reply has been written (QUIT, 421). */
  closeAfterReplies(): void {
    this.#closeWhenFlushed = true;
    this.#flush();
  }

  /** Forgets the login and everything since (REIN). */
  reinitialize(): void {
    this.abortTransfer();
    this.login = LoginState.AwaitingUser;
    this.loginTicks = 0;
    this.user = "";
    this.workingDirectory = "/";
    this.asciiType = true;
    this.extendedPassiveOnly = false;
  }

  /** Ends any transfer without a reply of its own; a print job loses what the printer has not taken. Returns whether one was in progress. */
  abortTransfer(): boolean {
    const wasBusy = this.transfer !== Transfer.None;
    if (this.job.state !== JobState.Idle) this.context.spool.cancel(this.job, JobOutcome.Aborted);
    this.data.reset();
    this.transfer = Transfer.None;
    return wasBusy;
  }

  /** Ends the session; idempotent. A job still receiving is cut short; a job already draining prints to the end first. */
  close(reason: string): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    this.#discardInput(socket);
    socket.close();
    const job = this.job;
    if (job.state === JobState.Waiting || job.state === JobState.Receiving) this.context.spool.cancel(job, JobOutcome.ClientLost);
    this.data.reset();
    this.transfer = Transfer.None;
    this.context.log(`session ${this.number} closed: ${reason}`);
    // The slot is free again once inUse is false (the server finds free slots by looking): a job still draining
    // to the printer keeps it until jobPrinted().
  }

  /**
   * Reads and drops the commands still buffered. Unread input makes lwIP answer close() with RST instead of FIN, and
   * the RST throws away replies still on their way: a client that pipelined commands after QUIT lost its 221, and
   * the replies before it (found by the control-channel fuzzer, test/hardening/fuzz.js).
   */
  #discardInput(socket: TcpSocket): void {
    try {
      while (this.#bytesReadable > 0) {
        const count = Math.min(this.#bytesReadable, this.#input.length);
        socket.read(count === this.#input.length ? this.#input : new Uint8Array(this.#input.buffer, 0, count));
        this.#bytesReadable -= count;
      }
    } catch { /* a reset socket has nothing left to read */ }
    this.#bytesReadable = 0;
  }

  /** The server is stopping: any transfer ends, the session closes, and the slot's timers are released for good. */
  dispose(): void {
    this.abortTransfer();
    this.close("server stopping");
    this.data.dispose();
  }

  #reset(): void {
    this.#lines.clear();
    this.#inputAt = this.#inputEnd = 0;
    this.#bytesReadable = this.#bytesWritable = 0;
    this.#replyLength = 0;
    this.#replyStalledTicks = 0;
    this.#holdTicks = 0;
    this.#heldReply = "";
    this.#closeWhenFlushed = false;
    this.login = LoginState.AwaitingUser;
    this.user = "";
    this.workingDirectory = "/";
    this.asciiType = true;
    this.extendedPassiveOnly = false;
    this.transfer = Transfer.None;
    this.quitAfterTransfer = false;
    this.idleTicks = 0;
    this.loginTicks = 0;
    this.uniqueName = "";
    this.loginFailures = 0;
    this.data.reset();
  }

  // ---- the print job, as the spool and the data channel drive it ----

  /** STOR/APPE/STOU with a data connection prepared: the 150 comes when the connection is up. */
  beginUpload(name: string): void {
    this.transfer = Transfer.Upload;
    this.job.name = name;
    this.job.owner = this.user;
    this.data.beginUpload(this.context.spool.ring);
  }

  /** LIST/NLST/MLSD/RETR: send text on the data connection. */
  beginSend(text: string): void {
    this.transfer = Transfer.Send;
    this.data.beginSend(text);
  }

  dataConnected(): void {
    if (this.transfer === Transfer.Send) {
      this.reply(Reply.FileStatusOkay, "Opening data connection.");
      return;
    }
    const spool = this.context.spool;
    const ahead = spool.queueLength;
    const mode = this.asciiType ? "ASCII" : "BINARY";
    const name = this.uniqueName ? `FILE: ${this.uniqueName}` : `Opening ${mode} mode data connection`;
    this.reply(Reply.FileStatusOkay, ahead ? `${name}; queued behind ${ahead} job${ahead > 1 ? "s" : ""}.` : `${name}; printing.`);
    spool.submit(this.job, this.job.name, this.asciiType);
  }

  dataConnectionFailed(wasConnected: boolean): void {
    const wasUpload = this.transfer === Transfer.Upload;
    this.transfer = Transfer.None;
    if (wasUpload && this.job.state !== JobState.Idle) this.context.spool.cancel(this.job, JobOutcome.ClientLost);
    if (wasConnected) this.reply(Reply.ConnectionBroken, "Data connection lost; transfer aborted.");
    else this.reply(Reply.CannotOpenDataConnection, "Cannot open data connection.");
    this.#afterTransfer();
  }

  sendCompleted(): void {
    this.transfer = Transfer.None;
    this.reply(Reply.TransferComplete, "Transfer complete.");
    this.#afterTransfer();
  }

  uploadEnded(): void {
    this.context.spool.finish(this.job);
  }

  uploadReceived(count: number): void {
    this.context.spool.received(this.job, count);
  }

  strangerRefused(address: string | undefined): void {
    this.context.log(`session ${this.number} refused a data connection from ${address ?? "an unknown address"} (not the control peer)`);
  }

  jobStarted(): void {
    this.data.resumeReading();
  }

  ringHasRoom(): void {
    this.data.resumeReading();
  }

  jobPrinted(): void {
    // TYPE A turns each bare LF into CRLF, so the printer may get more bytes than came in: say both then.
    const received = this.job.bytesReceived, printed = this.job.bytesPrinted;
    this.transfer = Transfer.None;
    if (!this.#socket) {                             // the client left while its job drained: the slot is free now
      this.data.reset();
      return;
    }
    this.reply(Reply.TransferComplete, received === printed
      ? `Transfer complete; ${received} bytes received and printed.`
      : `Transfer complete; ${received} bytes received, ${printed} printed.`);
    this.#afterTransfer();
  }

  jobRemoved(): void {
    const wasUpload = this.transfer === Transfer.Upload;
    this.data.reset();
    if (!wasUpload) return;                           // the client left while its job drained: nobody to tell
    this.transfer = Transfer.None;
    if (!this.#socket) return;
    this.reply(Reply.ConnectionBroken, "Job removed from the print queue; transfer aborted.");
    this.#afterTransfer();
  }

  #afterTransfer(): void {
    if (this.quitAfterTransfer) {
      this.reply(Reply.Goodbye, "Goodbye.");
      this.closeAfterReplies();
    } else this.#service();
  }
}
