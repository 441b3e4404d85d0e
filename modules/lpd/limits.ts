// Every size and time limit of the LPD service in one place. Constants only; buffers sized here are made once per
// connection slot at start.

/** Connections served at once: each holds an lwIP PCB, and a receiving one a job in the spool. */
export const lpdSlots = 2;
/** Longest command or subcommand line (RFC 1179 sets none; queue, agent and a few job numbers fit easily). */
export const lpdLineBytes = 256;
/** Bytes of a control file taken from the socket per read. */
export const lpdControlReadBytes = 128;
/** Queue listings go out through this buffer, a piece at a time. */
export const lpdSendBufferBytes = 512;
/** Housekeeping tick: the timeout below counts in these. */
export const lpdTickMs = 1000;
/**
 * SECURITY: a connection on which we wait for the client (a command, a subcommand, file bytes while the job is at
 * the printer, a listing it does not read) and nothing moves for this long is closed; a job cut short by it is
 * dropped. Waiting behind another job, or on a busy printer, never counts.
 */
export const lpdIdleTimeoutTicks = 60;
/** Fewer bytes than a ring chunk are read only after no more came for this long: the end of a data file. */
export const lpdShortReadWaitMs = 10;
