// Every size and time limit of the FTP service in one place, so the memory budget can be read off one page.
// Constants only. Buffers sized here are allocated once at start (the slots server.ts makes) and never per chunk;
// the print ring every service shares is sized in print/limits.

/** Control sessions served at once (JetDirect serves a handful; lwIP PCBs are the real bound, hosts/esp32/sdkconfig). */
export const sessionSlots = 3;

/** Longest command line we assemble, CRLF excluded. RFC 959 sets no limit; vsftpd and pyftpdlib cap theirs too. */
export const commandLineBytes = 512;
/** Bytes taken from the control socket per read into a slot's input buffer. */
export const controlReadBytes = 256;
/** Replies queued per session before we stop reading commands. The longest single reply (HELP) must fit. */
export const replyBufferBytes = 1024;
/** Listing or status-file text sent on a data connection, built in one buffer per session. */
export const listingBufferBytes = 1024;

/** Fewer bytes than a chunk are read from an upload only after no more came for this long: the end of a job. */
export const shortReadWaitMs = 10;

/** Housekeeping tick: idle and login timers count in these. */
export const tickMs = 1000;
/** A logged-in session idle this long (no command, no transfer) is told 421 and closed. Fixed, as on JetDirect. */
export const idleTimeoutTicks = 900;
/**
 * SECURITY: a connection must log in within this long of connecting (or of REIN), commands or not, so that a few
 * silent or chatty sockets cannot hold all three slots and lock printing out (vsftpd and pyftpdlib do the same).
 */
export const loginTimeoutTicks = 30;
/**
 * A session whose queued replies have not moved for this long is closed: the client reads none of them, or it is
 * gone and the SDK will never say so. lwIP delivers a RST's onError only after the app has read every byte
 * buffered before it (lwip/tcp.c tcpDeliver), and writes nothing once it knows (write throws "not ready"); a
 * session waiting for its replies to drain reads no commands, so without this a client that reset with commands
 * unread would hold its slot until the idle timeout.
 */
export const replyStallTicks = 30;
/** A PASV listener nobody connects to, or a PORT connection that never completes, is given up after this: 425. */
export const dataConnectionTimeoutTicks = 30;
/**
 * SECURITY: a transfer whose data connection moves no byte for this long while we wait on the client (an upload
 * at the printer with nothing to read, a listing the client does not read) is ended with 426, so that one stalled
 * client cannot hold the printer and a slot for ever (vsftpd's data_connection_timeout). Waiting on the printer,
 * or in the queue behind another job, never counts.
 */
export const dataStallTicks = 300;
/** A failed login is answered this late, to slow down password guessing (pyftpdlib waits 3 s, vsftpd 1 s). */
export const failedLoginDelayTicks = 2;

/**
 * SECURITY (RFC 2577 §5, port theft): PASV/EPSV ports are picked at random from this range, as vsftpd's
 * pasv_min_port/pasv_max_port, so the next data port cannot be guessed from the last one. The range sits below
 * lwIP's ephemeral ports (49152 up, used for PORT connections) and Linux's (32768 up). ECMA-419 listeners cannot
 * bind "any port in a range", so a taken port is met with another random pick, then with an ephemeral port.
 */
export const passivePortFirst = 30000;
export const passivePortLast = 30999;
export const passivePortTries = 8;

/** SECURITY: failed logins a session may make before it is told 421 and closed (pyftpdlib: max_login_attempts). */
export const loginFailuresPerSession = 3;
/**
 * SECURITY: failed logins from one address, each within failingAddressTicks of the last, after which new sessions
 * from that address are told 421 until failingAddressTicks pass without one. Kept in a table of
 * failingAddressSlots entries made at start; when it is full, the entry with the oldest failure is reused.
 */
export const failuresPerAddress = 6;
export const failingAddressTicks = 300;
export const failingAddressSlots = 8;
