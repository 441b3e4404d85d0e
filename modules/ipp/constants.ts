// The numbers of IPP (RFC 8010 wire tags, RFC 8011 operations, status codes and enums, PWG 5100.x additions),
// named by meaning. Constants only: frozen tables, no IO.

/** Delimiter tags: a byte below 0x10 starts an attribute group (RFC 8010 §3.5.1). */
export const GroupTag = Object.freeze({
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  unsupported: 0x05,
  subscription: 0x06,
  eventNotification: 0x07,
  document: 0x09,
} as const);

/** Value tags (RFC 8010 §3.5.2): out-of-band 0x10-0x1F, integers 0x20-0x2F, octet strings 0x30-0x3F, character strings 0x40-0x5F. */
export const ValueTag = Object.freeze({
  unsupported: 0x10,
  unknown: 0x12,
  noValue: 0x13,
  notSettable: 0x15,
  deleteAttribute: 0x16,
  adminDefine: 0x17,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
  /** RFC 8010 §3.5.2: the real tag follows in the value's first four octets. */
  extension: 0x7f,
} as const);

/** The operations this printer implements (RFC 8011 §5.4.15, PWG 5100.11 and 5100.13). */
export const Operation = Object.freeze({
  printJob: 0x0002,
  validateJob: 0x0004,
  createJob: 0x0005,
  sendDocument: 0x0006,
  cancelJob: 0x0008,
  getJobAttributes: 0x0009,
  getJobs: 0x000a,
  getPrinterAttributes: 0x000b,
  cancelMyJobs: 0x0039,
  closeJob: 0x003b,
  identifyPrinter: 0x003c,
} as const);

/** Status codes (RFC 8011 §13.1, PWG 5100.x), by meaning. */
export const Status = Object.freeze({
  ok: 0x0000,
  okIgnoredOrSubstituted: 0x0001,
  badRequest: 0x0400,
  notAuthorized: 0x0403,
  notPossible: 0x0404,
  notFound: 0x0406,
  requestValueTooLong: 0x0409,
  documentFormatNotSupported: 0x040a,
  attributesOrValuesNotSupported: 0x040b,
  charsetNotSupported: 0x040d,
  compressionNotSupported: 0x040f,
  /** RFC 8011 §13.1.5.18: the document's data cannot be interpreted (a raster header that lies, a cut-short page). */
  documentFormatError: 0x0411,
  internalError: 0x0500,
  operationNotSupported: 0x0501,
  versionNotSupported: 0x0503,
  busy: 0x0507,
  jobCanceled: 0x0508,
  multipleDocumentJobsNotSupported: 0x0509,
} as const);

/** job-state (RFC 8011 §5.3.7). */
export const IppJobState = Object.freeze({
  pending: 3,
  pendingHeld: 4,
  processing: 5,
  processingStopped: 6,
  canceled: 7,
  aborted: 8,
  completed: 9,
} as const);

/** printer-state (RFC 8011 §5.4.11). */
export const IppPrinterState = Object.freeze({ idle: 3, processing: 4, stopped: 5 } as const);

/** Enum values we answer with (RFC 8011 §5.2): finishings none, orientation portrait, print-quality normal. */
export const finishingsNone = 3;
export const orientationPortrait = 3;
export const qualityNormal = 4;
/** resolution units (RFC 8010 §3.9): dots per inch. */
export const dotsPerInch = 3;
