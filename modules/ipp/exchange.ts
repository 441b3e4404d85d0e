// One IPP connection slot, from accept to close, on the SDK's HTTP server (embedded:network/http/server). The
// server reads the request line and headers; then every request is taken over with detach(), and this slot reads
// the body itself: content-length or chunked framing (framing.ts), the attributes through a small buffer into the
// decoder, the document straight from the socket into the spool's ring through the shared intake, in turn with FTP,
// raw and LPD jobs. Why not the SDK server's own body path: it cannot send "100 Continue" (CUPS and ipptool wait a
// second for it before each document), and it aborts the VM when a request without a body is followed by more
// bytes and its answer is written at once (httpserver.js #onReadable goes on reading with its socket gone; seen in
// mcsim, see README "What the real SDK showed"). The answer goes out once the whole body is read, and the
// connection closes (one request per connection, as the SDK server does). Buffers are made once per slot; the
// document's chunks allocate nothing (the intake reads them into the ring), but the answer, made per request, goes
// out through a view of it for each write that cannot take it whole.

import type { HTTPConnection, HTTPRequest } from "embedded:network/http/server";
import { writeOrLose, type TcpClass, type TcpSocket } from "network/io";
import { JobOutcome } from "print/job";
import { Reentry } from "print/reentry";
import { SocketIntake, type IntakeEvents } from "print/socketIntake";
import type { Spool } from "print/spool";
import { Status } from "./constants.js";
import { IppDecoder } from "./decoder.js";
import type { DocumentSink } from "./documentSink.js";
import { BodyFraming } from "./framing.js";
import { iconBytes, iconPath } from "./icon.js";
import { JobStage, type DocumentFeed, type IppJob } from "./jobs.js";
import {
  ippDrainLimitBytes, ippIdleTimeoutTicks, ippInputBytes, ippShortReadWaitMs, ippStallTimeoutTicks,
} from "./limits.js";
import { decide, encodeAnswer, operationName, refused, type AnswerViews, type OperationContext, type Outcome } from "./operations.js";
import { RequestBuilder } from "./request.js";

/** The path of the printer (DNS-SD's rp=ipp/print). */
export const printerPath = "/ipp/print";

export interface ExchangeContext {
  readonly TCP: TcpClass;
  readonly spool: Spool;
  readonly operations: OperationContext;
  /** The printer and job views for an answer, with URIs on the host the client named. */
  views(host: string): AnswerViews;
  /** The small page GET / answers with (where the status page is). */
  page(host: string): string;
  log(line: string): void;
}

const ExchangeState = Object.freeze({ Free: 0, Headers: 1, Attributes: 3, Queued: 4, Streaming: 5, Draining: 6, Answering: 7, Lingering: 8 } as const);
type ExchangeState = (typeof ExchangeState)[keyof typeof ExchangeState];

/**
 * After a plain answer (whose request's body, or a pipelined request, was not read) the connection is held this
 * many ticks, its input read and dropped, for the client to close first: closing over unread bytes sends a RST,
 * and the client's stack then throws away the answer it has not read yet.
 */
const lingerTicks = 2;

const continueLine = "HTTP/1.1 100 Continue\r\n\r\n";

/** The input's prefix views, largest first (the largest is the whole input). */
const prefixSizes: readonly number[] = Object.freeze([ippInputBytes, 64, 8, 1]);

/** An HTTP answer that is not IPP: the icon, the little page, a refusal. */
interface PlainAnswer {
  status: number;
  type: string;
  body: Uint8Array;
  allow?: string;
  maxAgeSeconds?: number;
}

const reasons: Readonly<Record<number, string>> = Object.freeze({
  200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 411: "Length Required", 415: "Unsupported Media Type",
  501: "Not Implemented",
});

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** The Host header, if it is a plausible host[:port] (it is put into URIs we answer with). */
function cleanHost(value: string | undefined): string {
  if (!value || value.length > 64) return "";
  for (const character of value) {
    const ok = (character >= "a" && character <= "z") || (character >= "A" && character <= "Z") || (character >= "0" && character <= "9") ||
      character === "." || character === "-" || character === ":" || character === "[" || character === "]";
    if (!ok) return "";
  }
  return value;
}

export class IppExchange implements DocumentFeed, IntakeEvents {
  readonly #context: ExchangeContext;
  readonly #input = new Uint8Array(ippInputBytes);
  /**
   * #input[0, n) for n = 512, 64, 8 and 1: a read of any size is a few reads into these, so the attributes need no
   * view per read (four views rather than one per power of two: each costs the XS heap a few slots).
   */
  readonly #prefixViews: readonly Uint8Array[];
  readonly #oneByte = new Uint8Array(1);
  readonly #builder = new RequestBuilder();
  readonly #decoder: IppDecoder;
  readonly #framing = new BodyFraming();
  readonly #intake: SocketIntake;
  #state: ExchangeState = ExchangeState.Free;
  #connection: HTTPConnection | undefined;
  #socket: TcpSocket | undefined;
  #peer = "";
  #host = "";
  #expectContinue = false;
  #linger = false;
  #leftoverAt = 0;
  #leftoverEnd = 0;
  #outcome: Outcome | undefined;
  #job: IppJob | undefined;
  #sink: DocumentSink | undefined;
  #intakeBegun = false;
  #canceled = false;
  #documentError = "";
  #drained = 0;
  #response: Uint8Array | undefined;
  #sent = 0;
  #writable = 0;
  #quietTicks = 0;
  #moved = false;
  readonly #servicing = new Reentry();
  /** Given to the document's sink (made once): it calls it when it moved on by itself. */
  readonly #wake: () => void;

  constructor(context: ExchangeContext) {
    this.#context = context;
    this.#prefixViews = Object.freeze(prefixSizes.map((size) => new Uint8Array(this.#input.buffer, 0, size)));
    this.#decoder = new IppDecoder(this.#builder);
    this.#builder.decoder = this.#decoder;
    this.#intake = new SocketIntake(this, ippShortReadWaitMs);
    this.#wake = () => {
      try { this.#service(); } catch (error) { this.#drop(`failed (${String(error)})`); }
    };
  }

  get inUse(): boolean {
    return this.#state !== ExchangeState.Free;
  }

  /** A new connection from the SDK server: it reads the request line and headers, then calls onRequest. */
  open(connection: HTTPConnection): void {
    this.#reset();
    this.#state = ExchangeState.Headers;
    this.#connection = connection;
    const exchange = this;
    connection.accept({
      onRequest(this: HTTPConnection, request: HTTPRequest) {
        try { exchange.#onRequest(this, request); } catch (error) { exchange.#drop(`failed: ${String(error)}`); }
      },
      onError() {
        exchange.#free();    // the SDK server refused the request line (not HTTP/1.1) and closed
      },
    });
  }

  /** Once per housekeeping tick: the idle and stall timeouts. */
  tick(): void {
    if (this.#state === ExchangeState.Free) return;
    const moved = this.#moved || this.#intake.moved;
    this.#moved = false;
    this.#intake.moved = false;
    if (this.#state === ExchangeState.Queued) { this.#quietTicks = 0; return; }    // waiting on the printer, not the client
    if (this.#state === ExchangeState.Lingering) {
      if (++this.#quietTicks >= lingerTicks) this.#close();
      return;
    }
    if (this.#state === ExchangeState.Streaming) {
      const waitingOnClient = this.#intake.reading && this.#intake.bytesReadable === 0 && this.#leftoverAt === this.#leftoverEnd;
      if (moved || !waitingOnClient) { this.#quietTicks = 0; return; }
      if (++this.#quietTicks >= ippStallTimeoutTicks) this.#drop(`sent nothing for ${ippStallTimeoutTicks} s`);
      return;
    }
    if (moved) { this.#quietTicks = 0; return; }
    if (++this.#quietTicks >= ippIdleTimeoutTicks) this.#drop(`nothing moved for ${ippIdleTimeoutTicks} s`);
  }

  dispose(): void {
    this.#drop("server stopping");
    this.#intake.dispose();
  }

  #reset(): void {
    this.#connection = undefined;
    this.#socket = undefined;
    this.#peer = this.#host = "";
    this.#expectContinue = this.#canceled = this.#intakeBegun = this.#moved = this.#linger = false;
    this.#documentError = "";
    this.#leftoverAt = this.#leftoverEnd = this.#drained = this.#sent = this.#writable = this.#quietTicks = 0;
    this.#outcome = this.#job = this.#sink = this.#response = undefined;
    this.#builder.reset();
    this.#decoder.reset();
    this.#intake.reset();
  }

  // ---- the SDK server's part: the request line and headers; then the socket is ours ----

  #onRequest(connection: HTTPConnection, request: HTTPRequest): void {
    this.#host = cleanHost(request.headers.get("host"));
    const plain = this.#route(request);
    if (!plain) {
      this.#expectContinue = (request.headers.get("expect") ?? "").toLowerCase() === "100-continue";
      this.#state = ExchangeState.Attributes;
    }
    const raw = connection.detach() as unknown as TcpSocket;
    this.#connection = undefined;
    const exchange = this;
    this.#socket = new this.#context.TCP({
      from: raw,
      onReadable(count) {
        try {
          exchange.#intake.bytesReadable = count;
          exchange.#service();
        } catch (error) { exchange.#drop(`failed reading (${String(error)})`); }
      },
      onWritable(count) {
        try {
          exchange.#writable = count;
          exchange.#service();
        } catch (error) { exchange.#drop(`failed writing (${String(error)})`); }
      },
      onError() {
        try { exchange.#peerClosed(); } catch { exchange.#drop("failed closing"); }
      },
    });
    this.#peer = this.#socket.remoteAddress ?? "";    // cached now: after a reset the SDK may not say (facts §1.7)
    if (plain) this.#answerPlain(plain);
  }

  /** A POST to /ipp/print with a body we can read sets up its framing (undefined); anything else gets its answer. */
  #route(request: HTTPRequest): PlainAnswer | undefined {
    const path = request.path, method = request.method;
    const printer = path === printerPath || path === `${printerPath}/`;
    if (method === "GET" && path === iconPath) return { status: 200, type: "image/png", body: iconBytes(), maxAgeSeconds: 86400 };
    if (method === "GET" && (path === "/" || printer))
      return { status: 200, type: "text/html; charset=utf-8", body: utf8(this.#context.page(this.#host)) };
    if (!printer) return method === "GET" ? refusal(404, "404 not found\n") : refusal(405, "405 method not allowed\n", "GET");
    if (method !== "POST") return refusal(405, "405 use POST with an IPP request\n", "GET, POST");
    const type = (request.headers.get("content-type") ?? "").toLowerCase();
    if (!type.startsWith("application/ipp")) return refusal(400, "400 an IPP request is application/ipp\n");
    const coding = (request.headers.get("content-encoding") ?? "identity").toLowerCase();
    if (coding !== "identity") return refusal(415, `415 content-encoding ${coding} is not supported\n`);
    const transfer = (request.headers.get("transfer-encoding") ?? "").toLowerCase();
    if (transfer === "chunked") this.#framing.startChunked();
    else if (transfer !== "") return refusal(501, `501 transfer-encoding ${transfer} is not supported\n`);
    else {
      const length = request.headers.get("content-length") ?? "";
      if (!isDecimal(length)) return refusal(411, "411 an IPP request needs a content-length or chunked body\n");
      this.#framing.startLength(Number(length));
    }
    return undefined;
  }

  /** A plain answer at once: a body the request may have is not read (what has come is dropped before the close). */
  #answerPlain(plain: PlainAnswer): void {
    let head = `HTTP/1.1 ${plain.status} ${reasons[plain.status] ?? "OK"}\r\ncontent-type: ${plain.type}\r\n` +
      `content-length: ${plain.body.byteLength}\r\ncache-control: ${plain.maxAgeSeconds ? `max-age=${plain.maxAgeSeconds}` : "no-store"}\r\n`;
    if (plain.allow) head += `allow: ${plain.allow}\r\n`;
    head += "connection: close\r\n\r\n";
    if (plain.status >= 400) this.#context.log(`ipp: HTTP ${plain.status} to ${this.#peer || "a client"}`);
    const bytes = new Uint8Array(head.length + plain.body.byteLength);
    for (let i = 0; i < head.length; i++) bytes[i] = head.charCodeAt(i);
    bytes.set(plain.body, head.length);
    this.#linger = true;
    this.#respond(bytes);
  }

  // ---- the detached part: the IPP request's body, the document, the answer ----

  /** The one place that reads the socket and moves the exchange on; re-entered calls only ask for another pass. */
  #service(): void {
    this.#servicing.run(this.#pass);
  }

  /** One pass of #service; true when the exchange is over (made once: Reentry runs it without a closure per call). */
  readonly #pass = (): boolean => {
    if (!this.#socket) return true;
    this.#sendContinue();
    switch (this.#state) {
      case ExchangeState.Attributes: this.#readAttributes(); break;
      case ExchangeState.Streaming: this.#stream(); break;
      case ExchangeState.Draining: this.#drain(); break;
      case ExchangeState.Answering: this.#writeAnswer(); break;
      case ExchangeState.Lingering: this.#discardReadable(); break;
    }
    return !this.#socket;
  };

  /** "100 Continue" (RFC 9110 §10.1.1) as soon as we can write it, before any answer. */
  #sendContinue(): void {
    if (!this.#expectContinue || this.#state === ExchangeState.Answering || this.#writable < continueLine.length) return;
    this.#expectContinue = false;
    const left = writeOrLose(this.#socket!, ascii(continueLine));
    if (left === undefined) return this.#drop("gone");
    this.#writable = left;
  }

  /** Reads one framing byte at a time while the framing wants them; false when it cannot go on (yet). */
  #readFraming(): boolean {
    const framing = this.#framing, intake = this.#intake;
    while (framing.needsFramingBytes) {
      if (intake.bytesReadable === 0) return false;
      this.#socket!.read(this.#oneByte);
      intake.bytesReadable--;
      this.#moved = true;
      framing.byte(this.#oneByte[0]!);
    }
    if (framing.failed) {
      this.#context.log(`ipp: a malformed chunked body from ${this.#peer}`);
      this.#answerHttp(400, "400 malformed chunked body\n");
      return false;
    }
    return true;
  }

  /** The largest of the prefix views that `wanted` (1 or more) fills. */
  #prefixView(wanted: number): Uint8Array {
    const views = this.#prefixViews;
    for (let i = 0; i < views.length - 1; i++) if (views[i]!.byteLength <= wanted) return views[i]!;
    return views[views.length - 1]!;
  }

  /** Up to `wanted` body bytes (at most the buffer) into #input[0, n); returns n. */
  #readInput(wanted: number): number {
    const view = this.#prefixView(wanted), size = view.byteLength;
    this.#socket!.read(view);
    this.#intake.bytesReadable -= size;
    this.#framing.took(size);
    this.#moved = true;
    return size;
  }

  #readAttributes(): void {
    const framing = this.#framing, intake = this.#intake, decoder = this.#decoder;
    while (this.#state === ExchangeState.Attributes) {
      if (!this.#readFraming()) return;
      if (framing.ended) {
        decoder.truncated();
        return this.#refuse();
      }
      const wanted = Math.min(intake.bytesReadable, framing.runLeft);
      if (wanted === 0) return;
      const size = this.#readInput(wanted);
      const used = decoder.push(this.#input, 0, size);
      if (decoder.failed) return this.#refuse();
      if (decoder.done) {
        this.#leftoverAt = used;
        this.#leftoverEnd = size;
        return this.#decide();
      }
    }
  }

  /** The decoder gave up: an IPP error answer when it has the header, else HTTP 400. The rest is drained. */
  #refuse(): void {
    const decoder = this.#decoder;
    if (!decoder.headerSeen) return this.#answerHttp(400, "400 not an IPP request\n");
    this.#context.log(`ipp: ${operationName(decoder.operation)} from ${this.#peer} refused: ${decoder.reason}`);
    this.#outcome = refused(decoder.status, decoder.reason);
    this.#state = ExchangeState.Draining;
    this.#servicing.again();
  }

  #decide(): void {
    const request = this.#builder.request;
    const outcome = decide(request, this.#context.operations);
    this.#outcome = outcome;
    const plan = outcome.document;
    if (!plan) {
      this.#state = ExchangeState.Draining;
      this.#drained += this.#leftoverEnd - this.#leftoverAt;           // data after the attributes: read, dropped
      this.#leftoverAt = this.#leftoverEnd;
      this.#servicing.again();
      return;
    }
    const job = plan.job;
    this.#job = job;
    job.attach(this);
    job.stage = JobStage.Spooled;
    this.#state = ExchangeState.Queued;
    job.printJob.owner = job.user;
    const ahead = this.#context.spool.submit(job.printJob, job.name, plan.format.lineEnds, job.id);
    this.#context.log(`ipp: job ${job.id} "${job.name}" (${plan.format.mimeType}) from ${job.user} at ${this.#peer}${ahead ? `, ${ahead} ahead` : ""}`);
    this.#servicing.again();
  }

  // ---- the spool's side, through the job record (DocumentFeed) ----

  jobStarted(): void {
    if (this.#state !== ExchangeState.Queued || !this.#job || !this.#outcome?.document) return;
    this.#sink = this.#outcome.document.format.converter.open(this.#context.spool, this.#job.printJob, this.#wake);
    this.#state = ExchangeState.Streaming;
    this.#service();
  }

  ringHasRoom(): void {
    if (this.#state !== ExchangeState.Streaming) return;
    this.#sink?.ringHasRoom();                         // a converter's waiting output first, then more input
    this.#service();
  }

  jobRemoved(): void {
    // Canceled while its document comes: the rest of the body is read and dropped, then server-error-job-canceled.
    if (this.#state !== ExchangeState.Queued && this.#state !== ExchangeState.Streaming) return;
    this.#canceled = true;
    this.#intake.end();
    this.#sink?.abandon();
    this.#sink = undefined;
    this.#job = undefined;
    this.#leftoverAt = this.#leftoverEnd;
    this.#state = ExchangeState.Draining;
    this.#service();
  }

  // ---- the intake's side ----

  intakeReceived(count: number): void {
    this.#framing.took(count);
    if (this.#job) this.#job.documentBytes += count;
    this.#sink?.received(count);
    this.#service();
  }

  intakeFailed(): void {
    this.#drop("failed reading");
  }

  /** Document bytes: first those that came with the attributes, then socket → sink, one framing run at a time. */
  #stream(): void {
    const framing = this.#framing, intake = this.#intake, sink = this.#sink;
    if (!sink) return;
    if (this.#leftoverAt < this.#leftoverEnd) {
      const taken = sink.write(this.#input, this.#leftoverAt, this.#leftoverEnd - this.#leftoverAt);
      this.#leftoverAt += taken;
      this.#job!.documentBytes += taken;
      if (sink.failure) return this.#documentFailed();
      if (this.#leftoverAt < this.#leftoverEnd) return;                // the ring is full: ringHasRoom() comes back here
    }
    while (this.#state === ExchangeState.Streaming) {
      if (sink.failure) return this.#documentFailed();
      if (!this.#readFraming()) return;
      if (framing.ended) return this.#documentComplete();
      if (!this.#intakeBegun) {
        intake.begin(this.#socket!, sink.target, framing.runLeft);
        this.#intakeBegun = true;
      } else if (intake.remaining === 0) {
        intake.extend(framing.runLeft);
      }
      const before = framing.runLeft;
      intake.resume();
      if (framing.runLeft === before) return;                          // no bytes, or no room: wait for either
    }
  }

  #documentComplete(): void {
    const job = this.#job!, sink = this.#handOver();
    this.#context.log(`ipp: job ${job.id}: its document came whole, ${job.documentBytes} bytes`);
    sink.end();
    this.#documentError = sink.failure;    // found now (a page cut short), or later: then the job ends aborted
    this.#startAnswer();
  }

  /** The sink found the document bad: the rest of the body is read and dropped, the answer says why. */
  #documentFailed(): void {
    const job = this.#job!, sink = this.#handOver();
    this.#documentError = sink.failure;
    this.#context.log(`ipp: job ${job.id}: its document is bad after ${job.documentBytes} bytes; the rest is dropped`);
    this.#leftoverAt = this.#leftoverEnd;
    this.#state = ExchangeState.Draining;
    this.#servicing.again();
  }

  /**
   * The socket is no longer read into the sink. The job record keeps the sink (not this connection) for what it
   * may still hold: the ring's room, its end, a cancel.
   */
  #handOver(): DocumentSink {
    const job = this.#job!, sink = this.#sink!;
    this.#intake.end();
    this.#sink = undefined;
    job.attach({ jobStarted() {}, ringHasRoom: () => sink.ringHasRoom(), jobRemoved: () => sink.abandon() });
    return sink;
  }

  #drain(): void {
    const framing = this.#framing, intake = this.#intake;
    while (this.#state === ExchangeState.Draining) {
      if (!this.#readFraming()) return;
      if (framing.ended) return this.#startAnswer();
      const wanted = Math.min(intake.bytesReadable, framing.runLeft);
      if (wanted === 0) return;
      this.#drained += this.#readInput(wanted);
      if (this.#drained > ippDrainLimitBytes) return this.#drop(`a ${this.#drained}-byte body for an error answer`);
    }
  }

  /** The body is read: the answer, encoded (once counted, once written) behind its HTTP head. */
  #startAnswer(): void {
    const request = this.#builder.request;
    const outcome = this.#outcome ?? refused(Status.internalError, "no outcome");
    const answer = outcome.answer({ drainedBytes: this.#drained, canceled: this.#canceled, documentError: this.#documentError });
    const views = this.#context.views(this.#host);
    const length = encodeAnswer(request, answer, views);
    const head = `HTTP/1.1 200 OK\r\ncontent-type: application/ipp\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`;
    const bytes = new Uint8Array(head.length + length);
    for (let i = 0; i < head.length; i++) bytes[i] = head.charCodeAt(i);
    encodeAnswer(request, answer, views, bytes, head.length);
    if (answer.status >= 0x0400) {
      this.#context.log(`ipp: ${operationName(request.operation)} from ${this.#peer}: status 0x${answer.status.toString(16).padStart(4, "0")}` +
        `${answer.message ? ` (${answer.message})` : ""}`);
    }
    this.#respond(bytes);
  }

  /** An HTTP-level refusal once the body cannot be read on (malformed framing, no IPP header). */
  #answerHttp(status: number, text: string): void {
    this.#answerPlain(refusal(status, text));
  }

  #respond(bytes: Uint8Array): void {
    this.#expectContinue = false;
    this.#response = bytes;
    this.#sent = 0;
    this.#state = ExchangeState.Answering;
    this.#servicing.again();
  }

  #writeAnswer(): void {
    const response = this.#response!;
    while (this.#socket && this.#sent < response.byteLength && this.#writable > 0) {
      const size = Math.min(this.#writable, response.byteLength - this.#sent);
      const piece = this.#sent === 0 && size === response.byteLength ? response : new Uint8Array(response.buffer, this.#sent, size);
      const left = writeOrLose(this.#socket, piece);
      if (left === undefined) return this.#drop("gone before its answer");
      this.#sent += size;
      this.#writable = left;
      this.#moved = true;
    }
    if (this.#sent < response.byteLength) return;
    // Written, then FIN (the SDK server does the same), at once after an IPP answer, whose request was read whole.
    // After a plain answer the client may still be sending (a body we did not read, a pipelined request): we linger.
    this.#discardReadable();
    if (!this.#linger) return this.#close();
    this.#state = ExchangeState.Lingering;
    this.#quietTicks = 0;
  }

  #discardReadable(): void {
    const intake = this.#intake;
    while (this.#socket && intake.bytesReadable > 0) {
      const view = this.#prefixView(intake.bytesReadable);
      this.#socket.read(view);
      intake.bytesReadable -= view.byteLength;
    }
  }

  /** The client closed (FIN or RST; the SDK reports it once every byte was read). */
  #peerClosed(): void {
    if (this.#state === ExchangeState.Lingering) return this.#close();
    // A client that closed its side after its request (FIN; the SDK cannot tell it from a RST) may still read the
    // answer: what the send space takes now is written (lwIP throws once the FIN is in, facts §1.5; lin writes), then
    // the connection closes, since no onWritable may follow an onError.
    if (this.#state === ExchangeState.Answering) {
      this.#writeAnswer();
      if (this.#state === ExchangeState.Answering) this.#close();
      return;
    }
    this.#drop("closed before the end of its request");
  }

  /** Ends the connection early; a document not complete is cut short (bytes the printer has not taken are dropped). */
  #drop(why: string): void {
    if (this.#state === ExchangeState.Free) return;
    const job = this.#job;
    if (job && (this.#state === ExchangeState.Queued || this.#state === ExchangeState.Streaming)) {
      job.attach(undefined);
      this.#sink?.abandon();
      this.#context.spool.cancel(job.printJob, JobOutcome.ClientLost);
      job.end(JobStage.Aborted, "aborted-by-system");
    }
    if (this.#state !== ExchangeState.Headers) this.#context.log(`ipp: connection from ${this.#peer || "?"} dropped: ${why}`);
    this.#close();
  }

  #close(): void {
    const socket = this.#socket, connection = this.#connection;
    this.#socket = undefined;
    this.#connection = undefined;
    this.#intake.reset();
    this.#state = ExchangeState.Free;
    this.#job = this.#sink = this.#outcome = this.#response = undefined;
    socket?.close();
    connection?.close();
  }

  #free(): void {
    this.#connection = undefined;
    if (this.#state === ExchangeState.Headers) this.#close();
  }
}

function refusal(status: number, text: string, allow?: string): PlainAnswer {
  return { status, type: "text/plain", body: ascii(text), allow };
}

/** 1 to 10 decimal digits (a content-length we take: up to 9,999,999,999 bytes). */
function isDecimal(text: string): boolean {
  if (text.length === 0 || text.length > 10) return false;
  for (const character of text) if (character < "0" || character > "9") return false;
  return true;
}

function utf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0x3f;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(bytes);
}
