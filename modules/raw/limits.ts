// Every size and time limit of raw 9100 (AppSocket) printing in one place. Constants only.

/**
 * Connections served at once. Each holds an lwIP PCB and one job in the spool, waiting or printing; a third client
 * is closed at once (JetDirect accepts one at a time; two lets a second job queue behind a slow first).
 */
export const rawSlots = 2;
/** Housekeeping tick: the timeouts below count in these. */
export const rawTickMs = 1000;
/** A connection that sends no byte for this long after connecting is closed, so a port scan or a vanished client frees its slot and its PCB. */
export const rawIdleTimeoutTicks = 30;
/**
 * SECURITY: a job at the printer whose client sends nothing for this long is cut short (JetDirect's 9100 idle
 * timeout is 90 s). Waiting behind another job, or on a busy printer, never counts.
 */
export const rawStallTimeoutTicks = 90;
/** Fewer bytes than a ring chunk are read only after no more came for this long: the end of a job. */
export const rawShortReadWaitMs = 10;
