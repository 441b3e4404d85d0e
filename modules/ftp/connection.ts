// One FTP control connection without its socket: command lines in, reply bytes and actions (flush, resume reading,
// disconnect) out, through the one gate that checks every verb against its row of the table. No socket and no timer
// of its own: the control channel (controlChannel.ts) feeds it lines and ticks, and the unit tests drive it alone.

import type { DataChannelEvents, DataChannelLink } from "./dataChannel.js";
import { failedLoginDelayTicks, idleTimeoutTicks, loginFailuresPerSession, loginTimeoutTicks, replyBufferBytes } from "./limits.js";
import { Reply, ReplyQueue } from "./replies.js";
import { ArgumentRule, LoginRule, LoginState, Transfer } from "./states.js";
import { JobOutcome, JobState, PrintJob, type JobFeeder } from "print/job";
import type { Spool } from "print/spool";

/** The rules an offered verb's row gives the gate (run() checks them in the order its comment gives). */
interface VerbRules {
  readonly login: LoginRule;
  readonly argument: ArgumentRule;
  readonly help: string;
  /** May be run while a transfer is under way (RFC 959 §4.1.3 names ABOR, STAT and QUIT). */
  readonly duringTransfer?: boolean;
  /** Sets up an active or IPv4 passive data connection, which EPSV ALL rules out (RFC 2428 §4): 503. */
  readonly refusedAfterEpsvAll?: boolean;
  /** The FEAT line this verb adds (RFC 2389). */
  readonly feature?: string;
}

/** A verb that does its work at once and answers through the connection. */
export interface CommandVerb extends VerbRules {
  readonly transfer?: undefined;
  readonly run: (connection: FtpConnection, argument: string) => void;
}

/**
 * A verb that moves data (LIST, RETR, STOR...): `run` checks its argument and returns the text to send or the job's
 * name, or undefined once it has answered why not; the gate then wants a data connection (425) and starts it.
 */
export interface TransferVerb extends VerbRules {
  readonly transfer: typeof Transfer.Send | typeof Transfer.Upload;
  readonly run: (connection: FtpConnection, argument: string) => string | undefined;
}

/** Known, but not offered by a print server: 502, never the 500 of an unknown verb. Only HELP reads its line. */
export interface RefusedVerb {
  readonly help: string;
  readonly run?: undefined;
  readonly feature?: undefined;
}

export type Verb = CommandVerb | TransferVerb | RefusedVerb;
export type VerbTable = Readonly<Record<string, Verb>>;

/** What every connection shares: the verb table, the printer, the settings and the log. */
export interface ConnectionContext {
  /** Injected (server.ts passes verbs.ts's table), so the gate and the handlers never import each other. */
  readonly verbs: VerbTable;
  readonly spool: Spool;
  readonly deviceName: string;
  readonly credentials: { user: string; password: string } | undefined;
  /** Log each command line too (PASS masked). */
  readonly logCommands: boolean;
  /** Our IPv4 address as clients reach it, for the PASV reply. */
  localAddress(): string | undefined;
  /** A login from this address failed, or succeeded (the per-address limit, failedLogins.ts). */
  loginFailed(address: string): void;
  loginSucceeded(address: string): void;
  /** A number for the log, new for every client (the server counts: a preloaded module's own `let` is frozen). */
  nextSessionNumber(): number;
  log(line: string): void;
}

/** What the connection asks of the control socket it runs on. */
export interface ControlLink {
  /** Replies were queued: write what the socket takes now. */
  flush(): void;
  /** Commands may be read again: a transfer ended, or a held login failure was answered. */
  resume(): void;
  /** The connection is over: drop unread input and close the socket. */
  disconnect(): void;
}

export class FtpConnection implements JobFeeder, DataChannelEvents {
  readonly context: ConnectionContext;
  readonly data: DataChannelLink;
  readonly job: PrintJob;
  readonly #link: ControlLink;
  /** Every reply goes through here; the control channel writes them out. */
  readonly replies = new ReplyQueue(replyBufferBytes);
  #open = false;
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
  /** From the transfer command until its final reply; the data channel reads it too. */
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

  constructor(context: ConnectionContext, link: ControlLink, makeDataChannel: (events: DataChannelEvents) => DataChannelLink) {
    this.context = context;
    this.#link = link;
    this.data = makeDataChannel(this);
    this.job = new PrintJob(this, "ftp");
  }

  /** A client is on this connection, or its job is still at the printer. */
  get inUse(): boolean {
    return this.#open || this.job.state !== JobState.Idle;
  }

  /** The next command may be run: every reply went out, no failed login is being held, no close is pending. */
  get acceptingCommands(): boolean {
    return this.#open && this.replies.queued === 0 && this.#holdTicks === 0 && !this.#closeWhenFlushed;
  }

  /** QUIT or a 421 was answered: close once the last queued reply is out. */
  get closing(): boolean {
    return this.#closeWhenFlushed;
  }

  /** A client connected from this address: everything starts afresh, and it is greeted. */
  begin(peerAddress: string, peerPort: number): void {
    this.#reset();
    this.#open = true;
    this.number = this.context.nextSessionNumber();
    this.peerAddress = peerAddress;
    this.peerPort = peerPort;
    this.context.log(`session ${this.number} from ${peerAddress}:${peerPort}`);
    this.reply(Reply.ServiceReady, `${this.context.deviceName} FTP print server ready.`);
  }

  // ---- replies: every line goes through the one writer into the reply queue ----

  reply(code: number, text: string): void {
    this.#queue(code, text, false);
    this.#link.flush();
  }

  /** A multi-line reply (RFC 959 §4.2): "code-first", indented middle lines (as many as fit), "code last". */
  replyLines(code: number, first: string, middle: readonly string[], last: string): void {
    this.#queue(code, first, true);
    for (const line of middle) if (!this.replies.addContinuation(line)) break;
    this.#queue(code, last, false);
    this.#link.flush();
  }

  #queue(code: number, text: string, continues: boolean): void {
    if (!this.replies.add(code, text, continues)) this.close("not reading its replies");
  }

  // ---- commands ----

  /** A line longer than the line reader's buffer came: 500, and the connection carries on. */
  lineTooLong(): void {
    this.reply(Reply.Unrecognized, "Command line too long.");
  }

  /**
   * The one gate, always in this order (pyftpdlib's pre_process_command): unknown verb 500, known but not offered
   * 502, argument rule 501, login 530, transfer in progress 503, ruled out by EPSV ALL 503; then the verb's handler,
   * and for a verb that moves data, once its handler has named what, a prepared data connection (425).
   */
  run(line: string): void {
    this.idleTicks = 0;
    const space = line.indexOf(" ");
    const verbName = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const argument = space < 0 ? "" : line.slice(space + 1);
    const verbs = this.context.verbs;
    if (this.context.logCommands) this.context.log(`session ${this.number} < ${verbName === "PASS" ? "PASS ****" : line}`);
    // SECURITY: the client picks the key; only the table's own properties are verbs.
    if (!Object.hasOwn(verbs, verbName)) return this.reply(Reply.Unrecognized, `${verbName.slice(0, 16)} not understood.`);
    const verb = verbs[verbName];
    if (!verb.run) return this.reply(Reply.NotImplemented, `${verbName} not implemented by this print server.`);
    const given = argument.trim() !== "";
    if (verb.argument === ArgumentRule.Required && !given) return this.reply(Reply.BadArguments, `${verbName} needs an argument.`);
    if (verb.argument === ArgumentRule.Forbidden && given) return this.reply(Reply.BadArguments, `${verbName} takes no argument.`);
    const loginNeeded = verb.login === LoginRule.Required || (verb.login === LoginRule.ForArgument && given);
    if (loginNeeded && this.login !== LoginState.LoggedIn) return this.reply(Reply.NotLoggedIn, "Please log in with USER and PASS.");
    if (this.transfer !== Transfer.None && !verb.duringTransfer)
      return this.reply(Reply.BadSequence, "A transfer is in progress; wait for it to end or send ABOR.");
    if (verb.refusedAfterEpsvAll && this.extendedPassiveOnly) return this.reply(Reply.BadSequence, "Only EPSV after EPSV ALL.");
    if (verb.transfer === undefined) return verb.run(this, argument);
    const subject = verb.run(this, argument);
    if (subject === undefined) return;
    if (!this.data.prepared) return this.reply(Reply.CannotOpenDataConnection, "Use PORT, PASV, EPRT or EPSV first.");
    if (verb.transfer === Transfer.Upload) this.#beginUpload(subject);
    else this.#beginSend(subject);
  }

  /** A login failed: holds further commands for a few housekeeping ticks, then answers `text` with 530. */
  answerLoginFailureLater(text: string): void {
    this.loginFailures++;
    this.context.loginFailed(this.peerAddress);
    this.#holdTicks = failedLoginDelayTicks;
    this.#heldReply = text;
  }

  /** Once per housekeeping tick, while a client is connected. */
  tick(): void {
    if (!this.#open) return;
    if (this.#holdTicks > 0 && --this.#holdTicks === 0) {
      this.reply(Reply.NotLoggedIn, this.#heldReply);
      // SECURITY: a few guesses per connection, then it is closed (pyftpdlib max_login_attempts, vsftpd max_login_fails).
      if (this.loginFailures >= loginFailuresPerSession) {
        this.context.log(`session ${this.number} closed after ${this.loginFailures} failed logins`);
        this.reply(Reply.ServiceUnavailable, "Too many failed logins; closing the control connection.");
        this.closeAfterReplies();
        return;
      }
      this.#link.resume();
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
    this.#link.flush();
  }

  /** Forgets the login and everything since (REIN). */
  reinitialize(): void {
    this.abortTransfer();
    this.#forgetLogin();
  }

  #forgetLogin(): void {
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

  /** Ends the connection; idempotent. A job still receiving is cut short; a job already draining prints to the end first. */
  close(reason: string): void {
    if (!this.#open) return;
    this.#open = false;
    this.#link.disconnect();
    const job = this.job;
    if (job.state === JobState.Waiting || job.state === JobState.Receiving) this.context.spool.cancel(job, JobOutcome.ClientLost);
    this.data.reset();
    this.transfer = Transfer.None;
    this.context.log(`session ${this.number} closed: ${reason}`);
    // The slot is free again once inUse is false (the pool finds free slots by looking): a job still draining
    // to the printer keeps it until jobPrinted().
  }

  /** The server is stopping: any transfer ends, the connection closes, and the data channel's timer is released for good. */
  dispose(): void {
    this.abortTransfer();
    this.close("server stopping");
    this.data.dispose();
  }

  #reset(): void {
    this.replies.clear();
    this.#holdTicks = 0;
    this.#heldReply = "";
    this.#closeWhenFlushed = false;
    this.#forgetLogin();
    this.transfer = Transfer.None;
    this.quitAfterTransfer = false;
    this.idleTicks = 0;
    this.uniqueName = "";
    this.loginFailures = 0;
    this.data.reset();
  }

  // ---- the print job, as the spool and the data channel drive it ----

  /** STOR/APPE/STOU with a data connection prepared: the 150 comes when the connection is up. */
  #beginUpload(name: string): void {
    this.transfer = Transfer.Upload;
    this.job.name = name;
    this.job.owner = this.user;
    this.data.beginUpload(this.context.spool.ring);
  }

  /** LIST/NLST/MLSD/RETR: send text on the data connection. */
  #beginSend(text: string): void {
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
    if (!this.#open) {                               // the client left while its job drained: the slot is free now
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
    if (!this.#open) return;
    this.reply(Reply.ConnectionBroken, "Job removed from the print queue; transfer aborted.");
    this.#afterTransfer();
  }

  #afterTransfer(): void {
    if (this.quitAfterTransfer) {
      this.reply(Reply.Goodbye, "Goodbye.");
      this.closeAfterReplies();
    } else this.#link.resume();
  }
}
