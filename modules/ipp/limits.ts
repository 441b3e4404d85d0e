// Every size and time limit of the IPP service in one place, so its memory can be read off one page. Constants
// only; the buffers sized here are made once per connection slot at start (server.ts, exchange.ts).

/**
 * Connections served at once, from accept to close: each holds an lwIP PCB. Three, because CUPS's ipp backend
 * keeps a second connection open to watch the job while the first sends it, and a job queued behind another
 * holds its connection (its body unread) until its turn. A fourth client is closed at once.
 */
export const ippSlots = 3;
/** IPP jobs remembered (queued, printing, and the last finished ones for Get-Jobs and Get-Job-Attributes). */
export const ippJobRecords = 8;
/**
 * The request's attribute section is read through this buffer (the document data never is: it goes socket →
 * spool ring). The bytes read with the last attributes that are the document's first bytes wait here for the
 * job's turn, so it must not be larger than the ring (4 KiB).
 */
export const ippInputBytes = 512;
/** Longest attribute name kept (RFC 8011 keywords are at most 255 octets); longer is client-error-bad-request. */
export const ippNameBytes = 255;
/**
 * Longest value kept of an attribute we read (printer-uri, job-name, document-format...): longer is
 * client-error-request-value-too-long. Values of attributes we ignore are skipped, up to their syntax's maximum.
 */
export const ippValueBytes = 255;
/** Collections nest at most this deep (media-col holds media-size: 2); deeper is client-error-bad-request. */
export const ippCollectionDepth = 4;
/** requested-attributes, job-ids, identify-actions: values kept per list; more are ignored. */
export const ippListValues = 48;
/** Unsupported attributes echoed back in one response; more are left out of the group. */
export const ippUnsupportedEchoed = 8;
/** Housekeeping tick: the timeouts below count in these. */
export const ippTickMs = 1000;
/**
 * SECURITY: a connection whose client we wait on (request line and headers, the attributes, a body being drained,
 * a response it does not read) and nothing moves for this long is closed. Waiting behind another job, or on the
 * printer, never counts.
 */
export const ippIdleTimeoutTicks = 30;
/** SECURITY: a document at the printer whose client sends nothing for this long is cut short (as raw 9100's 90 s). */
export const ippStallTimeoutTicks = 90;
/** multiple-operation-time-out: a job made by Create-Job that gets no document in this long is aborted. */
export const ippMultipleOperationTimeoutSeconds = 60;
/** identify-actions "display": the message stays in printer-state-message this long. */
export const ippIdentifyShownSeconds = 60;
/** Fewer bytes than a ring chunk are read only after no more came for this long: the end of a document. */
export const ippShortReadWaitMs = 10;
/**
 * A body read and dropped for an error answer (a refused Print-Job's document) is read up to this much; past it
 * the connection is closed without an answer, so a refused client cannot keep the slot busy with a huge file.
 */
export const ippDrainLimitBytes = 1048576;
/** A chunk-size line (hex digits, extensions) or a trailer line longer than this is a malformed body. */
export const ippFramingLineBytes = 128;
/**
 * A raster document (image/pwg-raster, image/urf) is read into an input ring of this many chunks of this size, made
 * once per server, from which the converter takes it: one socket read fills at most a chunk.
 */
export const rasterInputChunkBytes = 1024;
export const rasterInputChunks = 2;
/**
 * The converter is fed at most this many times in a row (each feed makes at most 16 rows, raster/limits.ts), then
 * the rest waits a turn of the event loop, so a page of repeated lines cannot hold the engine.
 */
export const rasterFeedsPerTurn = 8;
