// The SDK `net` module for the Node simulator: Net.get("IP") answers the address given with --address.
// Node only. lin supports nothing but "IP"; everything else is undefined, as there.

import dns from "node:dns";

let address = "127.0.0.1";

export function setAddress(value) {
  address = String(value);
}

export default class Net {
  static get(what) {
    return what === "IP" ? address : undefined;
  }

  static resolve(host, callback) {
    dns.lookup(String(host), { family: 4 }, (error, result) => callback(host, error ? undefined : result));
  }
}
