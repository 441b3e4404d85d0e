// The SDK's `mdns` module ($(MODDABLE)/modules/network/mdns/mdns.js) for the Node simulator, on 127.0.0.1 only:
// the same API (new MDNS({hostName}, callback), add, update, remove, close), the same probe and announcement
// timing on the simulator's Timer, and the same answers: only to the questions the SDK answers, with the records
// it puts in them. Node only. Written from reading the SDK's source; see docs/network.md for what it does.
//
// Multicast goes to 224.0.0.251 on the loopback interface, at the port --mdns-port sets (default 5353; 0 = off).
// It binds the address --listen names, as the TCP services do (default 127.0.0.1): one socket on that address for
// unicast questions and for sending, one on the group address that only receives the group's datagrams there.
// --listen 0.0.0.0 puts it on the network: one socket on every address, the group joined on --address's interface.

import dgram from "node:dgram";
import Timer from "./timer.js";
import Net from "./net.js";
import { guarded } from "./io/abort.js";
import { RR, CLASS_IN, TOP_BIT, parseMessage, buildMessage } from "./dnsWire.js";

const GROUP = "224.0.0.251";
const LOCAL = "local";
const TTL = 4500;             // the SDK's one TTL for PTR, TXT and NSEC; SRV and A get 120
const responseFlags = 0x8400;  // QR + AA
const probeFlags = 0x0400;     // the SDK's probe: a query with AA set
const INVALID_HOST_DATA = "C: xsGetHostData: invalid host data";

let mdnsPort = 5353;
let listenAddress = "127.0.0.1";

/** --mdns-port: 0 turns the emulation off (hosts/sim then announces nothing). */
export function setMdnsPort(port) {
  mdnsPort = Number(port);
}

/** --listen: the IPv4 address to bind ("0.0.0.0": every interface). */
export function setMdnsListenAddress(address) {
  listenAddress = String(address);
}

/** What a socket that cannot be bound prints (once): the port, why, and the flag that changes it. */
function cannotBind(error, address) {
  const why = error.code === "EADDRINUSE" ? "is in use" : `cannot be had on ${address} (${error.code ?? error.message})`;
  process.stderr.write(`mDNS port ${mdnsPort} ${why}: choose another with --mdns-port N (0 turns it off); DNS-SD is not announced\n`);
}

const same = (labels, ...expected) => labels.length === expected.length && labels.every((label, i) => label === expected[i]);

export default class MDNS {
  static IP = GROUP;
  static get PORT() { return mdnsPort; }
  static FLUSH = 0x8000;
  static UNICAST = 0x8000;

  #socket;
  /** Bound to the group address, receiving only, when the main socket is bound to one address (not 0.0.0.0). */
  #groupSocket;
  /** Loopback mode: datagrams from elsewhere (the kernel passes up a group's traffic from every interface) are dropped. */
  #loopbackOnly;
  #bound = false;
  #closed = false;
  #queued = [];
  #sending = 0;
  #echoes = new Set();    // what we sent, to drop our own multicast coming back over loopback

  constructor(dictionary = {}, callback) {
    if (!mdnsPort) throw new Error("mDNS is off (--mdns-port 0)");
    this.services = [];
    this.client = callback ? callback : function () {};
    const everywhere = listenAddress === "0.0.0.0";
    // The interface the group is joined and sent on: the one of the listen address, or --address's for 0.0.0.0.
    const groupInterface = everywhere ? String(Net.get("IP")) : listenAddress;
    this.#loopbackOnly = groupInterface.startsWith("127.");
    let failed = false;
    const fail = (address) => (error) => {
      if (failed) return;
      failed = true;
      cannotBind(error, address);
    };
    this.#socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
    this.#socket.on("message", guarded((message, from) => this.#receive(message, from)));
    this.#socket.on("error", fail(listenAddress));
    if (!everywhere) {
      this.#groupSocket = dgram.createSocket({ type: "udp4", reuseAddr: true });
      this.#groupSocket.on("message", guarded((message, from) => this.#receive(message, from)));
      this.#groupSocket.on("error", fail(GROUP));
      this.#groupSocket.bind(mdnsPort, GROUP, () => {
        try {
          this.#groupSocket.addMembership(GROUP, groupInterface);
        } catch { /* another simulator on the port has joined already */ }
      });
    }
    this.#socket.bind(mdnsPort, listenAddress, () => {
      try {
        if (everywhere) this.#socket.addMembership(GROUP, groupInterface);
        this.#socket.setMulticastInterface(groupInterface);
        this.#socket.setMulticastTTL(1);
        this.#socket.setMulticastLoopback(true);
      } catch { /* another simulator on the port has joined already */ }
      this.#bound = true;
      if (this.#closed) {
        this.#queued.length = 0;
        if (this.#sending === 0) this.#closeSockets();
        return;
      }
      for (const [address, port, bytes] of this.#queued.splice(0)) this.#send(address, port, bytes);
    });
    if (dictionary.hostName) {
      this.hostName = dictionary.hostName;
      this.probing = 1;
      Timer.set(() => this.#probe(), 0);
    }
  }

  close() {
    while (this.services.length) this.remove(this.services[0]);
    this.#closed = true;
    // The goodbyes just written are still in Node's send queue: let them out before the socket goes.
    if (this.#sending === 0) this.#closeSockets();
  }

  #closeSockets() {
    for (const socket of [this.#socket, this.#groupSocket]) {
      try {
        socket?.close();
      } catch { /* closed already, or never bound */ }
    }
  }

  add(service) {
    if (!this.hostName) throw new Error("no hostName");
    if (this.probing) throw new Error("not ready");
    if (!service.txt) service.txt = {};
    this.services.push(service);
    this.write(GROUP, mdnsPort, this.#reply(0x1f | 0x8000, service, true));    // goodbye first: clients drop stale records
    let intervalMs = 500;
    const timer = Timer.repeat(() => {
      this.write(GROUP, mdnsPort, this.#reply(0x1f, service));
      intervalMs *= 2;
      if (intervalMs > 16000) {
        Timer.clear(timer);
        delete service.timer;
      } else Timer.schedule(timer, intervalMs, intervalMs);
    }, intervalMs);
    service.timer = timer;
  }

  update(service) {
    if (this.services.indexOf(service) < 0) throw new Error("service not found");
    let intervalMs = 0;
    if (!service.updater) {
      service.updater = Timer.set(() => {
        this.write(GROUP, mdnsPort, this.#reply(0x04 | 0x8000, service));
        intervalMs += 250;
        if (intervalMs >= 1500) {
          Timer.clear(service.updater);
          delete service.updater;
        } else Timer.schedule(service.updater, intervalMs, 250);
      }, 0, 250);
    } else Timer.schedule(service.updater, 0, 250);
  }

  remove(service) {
    if (typeof service === "string") throw new Error("monitor is not emulated");
    const index = this.services.indexOf(service);
    if (index < 0) throw new Error("service not found");
    this.services.splice(index, 1);
    this.write(GROUP, mdnsPort, this.#reply(0x0f, service, true));
    if (service.timer) {
      Timer.clear(service.timer);
      delete service.timer;
    }
  }

  monitor() {
    throw new Error("monitor is not emulated");
  }

  /** The SDK's UDP socket write(address, port, bytes); it throws once the socket is closed, as host data does. */
  write(address, port, bytes) {
    if (this.#closed) throw new SyntaxError(INVALID_HOST_DATA);
    if (!this.#bound) this.#queued.push([address, port, bytes]);
    else this.#send(address, port, bytes);
  }

  #send(address, port, bytes) {
    const key = bytes.toString("hex");
    this.#echoes.add(key);
    setTimeout(() => this.#echoes.delete(key), 2000).unref();
    this.#sending += 1;
    this.#socket.send(bytes, port, address, () => {
      this.#sending -= 1;
      if (this.#closed && this.#sending === 0) this.#closeSockets();
    });
  }

  // Probe as the SDK does: three ANY questions (QU) for host.local with our A record, 250 ms apart; the name is
  // ours on the fourth tick. A conflict lets the client pick a name (callback 2) or renames to name-2, name-3...
  #probe() {
    this.probing = 1;
    this.probeAttempt = 1;
    this.client(1, "");
    const id = Timer.repeat(() => {
      if (this.probing < 0) {
        let hostName = this.client(2, this.hostName);
        if (hostName) {
          if (typeof hostName === "string") {
            this.hostName = hostName;
            this.probeAttempt = 1;
          } else {
            Timer.clear(id);
            delete this.probeAttempt;
            delete this.hostName;
            this.client(-1);
            return;
          }
        } else {
          if (this.probeAttempt > 2) {
            const parts = this.hostName.split("-");
            parts.pop();
            this.hostName = parts.join("-");
          }
          if (this.probeAttempt >= 2) this.hostName += "-" + this.probeAttempt;
        }
        Timer.schedule(id, -this.probing, 250);
        this.probing = 1;
      }
      if (this.probing === 4) {
        Timer.clear(id);
        delete this.probing;
        delete this.probeAttempt;
        this.client(1, this.hostName);
        return;
      }
      const host = [this.hostName, LOCAL];
      this.write(GROUP, mdnsPort, buildMessage({
        flags: probeFlags,
        questions: [{ name: host, type: RR.ANY, class: CLASS_IN | MDNS.UNICAST }],
        answers: [{ name: host, type: RR.A, class: CLASS_IN | MDNS.FLUSH, ttl: 120, rdata: Net.get("IP") }],
      }));
      this.probing += 1;
    }, 250);
  }

  #receive(message, from) {
    if (this.#closed) return;
    if (this.#loopbackOnly && !from.address.startsWith("127.")) return;    // loopback: the simulator stays off the network
    if (this.#echoes.has(message.toString("hex"))) return;
    let packet;
    try {
      packet = parseMessage(message);
    } catch {
      return;    // DOUBT: the SDK's parser would throw out of the socket callback (an abort); we drop the datagram
    }
    this.#scan(packet);
    if (this.probing) {
      if (this.probing < 0) return;
      this.#tieBreak(packet);
      return;
    }
    if (packet.flags & 0x8000) return;    // a response: nothing to answer
    this.#answer(packet, from);
  }

  /** Another host's A record for our name while we probe is a conflict (answers and additionals are scanned). */
  #scan(packet) {
    for (const record of [...packet.answers, ...packet.additionals]) {
      if (record.type !== RR.A) continue;
      if (this.probing > 0 && same(record.name, this.hostName, LOCAL)) {
        this.probing = -1;
        this.probeAttempt += 1;
      }
    }
  }

  /** Simultaneous probes: the SDK compares the other prober's proposed address with ours, octet by octet. */
  #tieBreak(packet) {
    for (const question of packet.questions) {
      if (question.type !== RR.ANY || !same(question.name, this.hostName, LOCAL)) continue;
      for (const authority of packet.authorities) {
        if (authority.type !== RR.A || !same(authority.name, this.hostName, LOCAL)) continue;
        const theirs = String(authority.rdata).split("."), ours = String(Net.get("IP")).split(".");
        for (let k = 0; k < 4; k++) {
          if (parseInt(ours[k]) < parseInt(theirs[k])) {
            this.probing = -1000;    // lost: probe again in a second
            return;
          }
        }
      }
    }
  }

  /**
   * The questions the SDK answers: A and AAAA (an NSEC saying "A only") for host.local, PTR for a service type
   * (unless the asker already knows our instance) and for _services._dns-sd._udp.local, SRV for our instance,
   * ANY for host.local. Not TXT questions, not SRV/TXT ANY for the instance. QU questions are answered to the
   * asker's address and port, the others to the group, whatever port the asker used (no legacy unicast replies).
   */
  #answer(packet, from) {
    const answers = [[], []];    // [multicast, unicast]
    const passes = this.services.length ? this.services.length : 1;
    for (let h = 0; h < passes; h++) {
      const service = this.services[h];
      const mask = [0, 0];
      for (const question of packet.questions) {
        const name = question.name, wantsUnicast = question.class >> 15;
        switch (question.type) {
          case RR.A:
            if (!h && same(name, this.hostName, LOCAL)) mask[wantsUnicast] |= 0x01;
            break;
          case RR.AAAA:
            if (!h && same(name, this.hostName, LOCAL)) mask[wantsUnicast] |= 0x20;
            break;
          case RR.PTR:
            if (!service) break;
            if (same(name, "_" + service.name, "_" + service.protocol, LOCAL)) {
              const known = packet.answers.some((a) => a.type === RR.PTR && same(a.name, "_" + service.name, "_" + service.protocol, LOCAL)
                && same(a.rdata, this.hostName, "_" + service.name, "_" + service.protocol, LOCAL));
              if (!known) mask[wantsUnicast] |= 0x1f;
            } else if (same(name, "_services", "_dns-sd", "_udp", LOCAL)) {
              const known = packet.answers.some((a) => a.type === RR.PTR && same(a.rdata, "_" + service.name, "_" + service.protocol, LOCAL));
              if (!known) mask[wantsUnicast] |= 0x10;
            }
            break;
          case RR.SRV:
            if (service && same(name, this.hostName, "_" + service.name, "_" + service.protocol, LOCAL)) mask[wantsUnicast] |= 0x02;
            break;
          case RR.ANY:
            if (same(name, this.hostName, LOCAL)) mask[wantsUnicast] |= service ? 0x1f : 0x01;
            break;
        }
      }
      for (const side of [0, 1]) if (mask[side]) answers[side].push(...this.#records(mask[side], service, false));
    }
    if (answers[0].length) this.write(GROUP, mdnsPort, buildMessage({ id: packet.id, flags: responseFlags, answers: answers[0] }));
    if (answers[1].length) this.write(from.address, from.port, buildMessage({ id: packet.id, flags: responseFlags, answers: answers[1] }));
  }

  #reply(mask, service, bye = false) {
    return buildMessage({ flags: responseFlags, answers: this.#records(mask, service, bye) });
  }

  /** mask bits as the SDK names them: 0x20 NSEC (A only), 0x10 services PTR, 0x08 PTR, 0x04 TXT, 0x02 SRV,
   * 0x01 A, 0x8000 cache-flush on TXT. A goodbye (bye) sends every record with TTL 0. */
  #records(mask, service, bye) {
    const keep = bye ? 0 : 0xfffffff;
    const host = [this.hostName, LOCAL];
    const records = [];
    if (mask & 0x20) records.push({ name: host, type: RR.NSEC, class: CLASS_IN | MDNS.FLUSH, ttl: TTL & keep, rdata: { next: host, bitmaps: Uint8Array.of(0, 4, 0x40, 0, 0, 0) } });
    if (!service) {
      if (mask & 0x01) records.push({ name: host, type: RR.A, class: CLASS_IN | MDNS.FLUSH, ttl: 120 & keep, rdata: Net.get("IP") });
      return records;
    }
    const type = ["_" + service.name, "_" + service.protocol, LOCAL];
    const instance = [this.hostName, ...type];
    if (mask & 0x10) records.push({ name: ["_services", "_dns-sd", "_udp", LOCAL], type: RR.PTR, class: CLASS_IN, ttl: TTL & keep, rdata: type });
    if (mask & 0x08) records.push({ name: type, type: RR.PTR, class: CLASS_IN, ttl: TTL & keep, rdata: instance });
    if (mask & 0x04) records.push({ name: instance, type: RR.TXT, class: CLASS_IN | ((mask & 0x8000) ? MDNS.FLUSH : 0), ttl: TTL & keep, rdata: service.txt });
    if (mask & 0x02) records.push({ name: instance, type: RR.SRV, class: CLASS_IN, ttl: 120 & keep, rdata: { priority: 0, weight: 0, port: service.port, target: host } });
    if (mask & 0x01) records.push({ name: host, type: RR.A, class: CLASS_IN | MDNS.FLUSH, ttl: 120 & keep, rdata: Net.get("IP") });
    return records;
  }
}
