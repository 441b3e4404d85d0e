// A bare control or data connection for the fuzzer and the soak: raw bytes out, reply lines parsed as they come,
// nothing waited for (the caller drives the event loop). Engine-neutral.

export function latin1Bytes(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

export class Wire {
  constructor(net, { port, address = "10.0.0.2", from = "127.0.0.1" }) {
    this.end = net.connect({ port, address, from });
    this.from = from;
    this.text = "";            // everything received, as Latin-1
    this.consumed = 0;
    this.pending = [];         // reply lines not yet complete
    this.replies = [];         // complete replies: { code, lines }
    this.malformed = undefined;
    this.closed = false;
    this.end.onData = (bytes) => {
      let chunk = "";
      for (let i = 0; i < bytes.length; i++) chunk += String.fromCharCode(bytes[i]);
      this.text += chunk;
      this.#parse();
    };
    this.end.onClose = () => { this.closed = true; };
  }

  send(data) {
    if (this.closed || this.end.closed) return;
    try { this.end.write(typeof data === "string" ? latin1Bytes(data) : data); } catch { /* after end() */ }
  }

  /** Takes the replies parsed so far. */
  take() {
    const replies = this.replies;
    this.replies = [];
    return replies;
  }

  #parse() {
    for (;;) {
      const lf = this.text.indexOf("\n", this.consumed);
      if (lf < 0) break;
      const raw = this.text.slice(this.consumed, lf + 1);
      this.consumed = lf + 1;
      // RFC 959 §4.2: every line ends CRLF; the first line of a reply is "NNN " or "NNN-".
      if (!raw.endsWith("\r\n")) this.malformed ??= `a reply line not ended by CRLF: ${JSON.stringify(raw)}`;
      const line = raw.slice(0, -2);
      if (this.pending.length === 0 && !/^\d{3}[ -]/.test(line)) this.malformed ??= `not a reply line: ${JSON.stringify(line)}`;
      this.pending.push(line);
      const first = this.pending[0];
      if (first[3] === " " || (this.pending.length > 1 && line.startsWith(first.slice(0, 3) + " "))) {
        this.replies.push({ code: Number(first.slice(0, 3)), lines: this.pending });
        this.pending = [];
      }
    }
    // Release what is parsed, so a long session does not keep every byte.
    if (this.consumed > 65536) {
      this.text = this.text.slice(this.consumed);
      this.consumed = 0;
    }
  }
}
