// Recent failed logins by client address, in a small table made once at start: the server asks it whether a new
// connection comes from an address that has been guessing passwords. Pure: no IO, no allocation after start.

import { failingAddressSlots, failingAddressTicks, failuresPerAddress } from "./limits.js";

interface Entry {
  address: string;
  failures: number;
  lastFailureTick: number;
}

/**
 * SECURITY: a per-address limit on failed logins (vsftpd's max_login_fails works per session only; this also stops
 * an attacker who reconnects after each 421). Time is counted in the server's housekeeping ticks (tick()).
 */
export class FailedLogins {
  readonly #entries: Entry[] = [];
  /** Housekeeping ticks since start. */
  #now = 0;

  constructor(slots = failingAddressSlots) {
    for (let i = 0; i < slots; i++) this.#entries.push({ address: "", failures: 0, lastFailureTick: 0 });
  }

  /** One housekeeping tick went by. */
  tick(): void {
    this.#now++;
  }

  /** A login from `address` failed. */
  failed(address: string): void {
    if (address === "") return;                     // a peer whose address the SDK could not tell
    let entry = this.#find(address);
    if (!entry) {
      // A free (or expired) entry, else the one whose last failure is oldest: a full table forgets, never grows.
      entry = this.#entries[0];
      for (const candidate of this.#entries) {
        if (this.#expired(candidate)) { entry = candidate; break; }
        if (candidate.lastFailureTick < entry.lastFailureTick) entry = candidate;
      }
      entry.address = address;
      entry.failures = 0;
    }
    entry.failures++;
    entry.lastFailureTick = this.#now;
  }

  /** A login from `address` succeeded: whoever is there knows the password. */
  succeeded(address: string): void {
    for (const entry of this.#entries) if (entry.address === address) entry.address = "";
  }

  /** New sessions from `address` are refused now. */
  blocked(address: string): boolean {
    const entry = this.#find(address);
    return entry !== undefined && entry.failures >= failuresPerAddress;
  }

  #find(address: string): Entry | undefined {
    for (const entry of this.#entries) {
      if (entry.address !== address || entry.address === "") continue;
      if (!this.#expired(entry)) return entry;
      entry.address = "";                           // its failures are too old to count
    }
    return undefined;
  }

  #expired(entry: Entry): boolean {
    return entry.address === "" || this.#now - entry.lastFailureTick >= failingAddressTicks;
  }
}
