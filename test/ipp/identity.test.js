// printer-uuid (modules/ipp/identity.ts): derived once from the MAC (or the name), kept with the saved settings
// (SettingsStore.kept over the SDK's preference), the same across restarts and renames.

import { test } from "node:test";
import assert from "node:assert/strict";
import { printerUuid, uuidFrom, uuidKey } from "../../build/modules/ipp/identity.js";
import { SettingsStore, preferenceDomain } from "../../build/modules/device/preferences.js";

const uuidPattern = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The SDK's Preference as an in-memory map, with NVS's 15-character key limit. */
function memoryPreferences() {
  const values = new Map();
  return {
    values,
    get: (domain, key) => values.get(`${domain}/${key}`),
    set(domain, key, value) {
      if (key.length > 15) throw new Error("nvs set fail");
      values.set(`${domain}/${key}`, value);
    },
    delete: (domain, key) => values.delete(`${domain}/${key}`),
    keys: () => [],
  };
}

test("a UUID from a seed is an RFC 9562 version 8 urn:uuid, the same for the same seed and different for another", () => {
  const one = uuidFrom("ftprint:24:6f:28:aa:bb:cc");
  assert.match(one, uuidPattern);
  assert.equal(uuidFrom("ftprint:24:6f:28:aa:bb:cc"), one);
  assert.notEqual(uuidFrom("ftprint:24:6f:28:aa:bb:cd"), one);
  const seen = new Set(Array.from({ length: 1000 }, (_, i) => uuidFrom(`ftprint:name:printer-${i}`)));
  assert.equal(seen.size, 1000, "no two of a thousand names alike");
});

test("the UUID is made from the MAC once and kept: a rename, or a MAC no longer known, keeps it", () => {
  const backend = memoryPreferences();
  const store = new SettingsStore(backend);
  const first = printerUuid(store, "24:6f:28:aa:bb:cc", "Office");
  assert.equal(first, uuidFrom("ftprint:24:6f:28:aa:bb:cc"));
  assert.equal(backend.get(preferenceDomain, uuidKey), first, "saved under ippUuid (15 characters at most)");
  assert.equal(printerUuid(store, undefined, "Renamed"), first);
  store.clear();
  assert.equal(printerUuid(store, undefined, "Renamed"), first, "the setup page's clear() leaves it");
  assert.equal(printerUuid(undefined, undefined, "ftprint"), uuidFrom("ftprint:name:ftprint"), "no store: from the name, each start the same");
  const broken = new SettingsStore({ ...memoryPreferences(), set() { throw new Error("nvs set fail"); } });
  assert.equal(printerUuid(broken, "24:6f:28:aa:bb:cc", "x"), first, "a store that cannot keep it: the derived one");
});
