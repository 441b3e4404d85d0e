// printer-uuid (RFC 8011 §5.4.41, PWG 5100.13): a urn:uuid that stays the printer's for good. Derived once from
// the device's hardware address (or its name where it has none, as on the simulators), then kept with the saved
// settings, so renaming the device or moving it keeps the UUID clients know it by. Pure apart from the store passed in.

/** What keeps the UUID (SettingsStore.kept, over the SDK's preference). */
export interface KeptValues {
  kept(key: string, make: () => string): string;
}

/** The preference key (at most 15 characters: NVS). */
export const uuidKey = "ippUuid";

/**
 * A name-based UUID in RFC 9562's version 8 (vendor-defined) form: 128 bits of FNV-1a over `seed`, in four
 * 32-bit lanes, with the version and variant bits set. The same seed always gives the same UUID.
 */
export function uuidFrom(seed: string): string {
  const lanes = [0x811c9dc5, 0x01000193 ^ 0x5bd1e995, 0x2545f491, 0x9e3779b9];
  for (let lane = 0; lane < 4; lane++) {
    let hash = lanes[lane]! >>> 0;
    for (let i = 0; i < seed.length; i++) {
      hash ^= (seed.charCodeAt(i) + lane * 31) & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
      hash ^= hash >>> 13;
    }
    lanes[lane] = hash >>> 0;
  }
  let hex = "";
  for (const lane of lanes) hex += lane.toString(16).padStart(8, "0");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The printer's UUID: the one kept, or a new one from the hardware address (or the name), kept from now on. */
export function printerUuid(store: KeptValues | undefined, hardwareAddress: string | undefined, deviceName: string): string {
  const make = () => uuidFrom(`ftprint:${hardwareAddress ?? `name:${deviceName}`}`);
  if (!store) return make();
  try {
    const uuid = store.kept(uuidKey, make);
    return uuid.startsWith("urn:uuid:") && uuid.length === 45 ? uuid : make();
  } catch {
    return make();    // a store that cannot keep it: the derived one, stable anyway
  }
}
