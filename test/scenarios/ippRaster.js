// IPP's raster formats on the in-memory network: image/pwg-raster and image/urf documents stream through the raster
// converter (the TypeScript kernel here, on Node and XS) into the one spool, and the printer gets exactly the bytes
// the converter makes of the whole file; bad raster (lying or cut headers, absurd sizes, wrong sync words, bit
// depths it does not read) aborts its job with document-format-error, the printer reset, and disturbs nothing.
// Engine-neutral.

import { bytes as assertBytes, concatBytes, equal, ok } from "../xs-host/assert.js";
import { rasterKernel } from "raster/platform";
import { convertFile } from "../raster/convert.js";
import { encodePwg, encodeUrf, syntheticPage } from "../raster/rasterFiles.js";
import { patternBytes } from "./helpers.js";
import { Op, T, httpPost, httpResponse, parse, valueOf } from "../ipp/wire.js";
import { ask, expectStatus, ippPort, ippRequest, jobState, printJob, rawPort } from "./ipp.js";

const services = { ippPort, rawPort };
const documentFormatError = 0x0411;

/** What the converter makes of a whole file at once: what must reach the printer, byte for byte. */
function converted(file, format, language = "pcl5") {
  const { output, converter } = convertFile(rasterKernel, file, { format, language });
  equal(converter.status, 1, `the reference conversion finished (${converter.error})`);
  return output;
}

/** The attributes of job `id` the tests look at. */
function jobReport(host, id) {
  const answer = ask(host, ippRequest(Op.getJobAttributes, [[T.integer, "job-id", id],
    [T.keyword, "requested-attributes", ["job-state", "job-state-reasons", "job-state-message"]]]));
  expectStatus(answer, 0, `Get-Job-Attributes ${id}`);
  return { state: valueOf(answer.ipp, T.job, "job-state")[0], reasons: valueOf(answer.ipp, T.job, "job-state-reasons") };
}

function printedJob(host, index, what) {
  host.settle(() => host.printer.jobs.length > index && host.printer.jobs[index].complete !== undefined, what);
  return host.printer.jobs[index];
}

/** Small pages (2.7 × 4.3 in. at 300 dpi: XS runs these too) with text, rules, a gray ramp and a noisy patch. */
const small = syntheticPage(800, 1300, 300, 3);
const smallBlack = syntheticPage(800, 1300, 300, 4, { gray: false });

/** A good two-page PWG file, then bad ones made from it by changing header fields (PWG 5102.4 byte offsets). */
const goodPwg = encodePwg([{ page: small, dpi: 300, kind: "sgray_8" }, { page: smallBlack, dpi: 300, kind: "black_1" }]);
const pwgWith = (header, options) => encodePwg([{ page: small, dpi: 300, kind: "sgray_8", header }], options);

/** Each bad document, the log's reason, and whether its bytes still come when the converter refuses it. */
const badDocuments = [
  { what: "a wrong sync word (RaS3, another CUPS raster version)", format: "image/pwg-raster", data: pwgWith({}, { sync: "RaS3" }), reason: /RaS3|sync/ },
  { what: "a wrong URF magic", format: "image/urf", data: concatBytes(Uint8Array.from("UNIRAST9", (c) => c.charCodeAt(0)), encodeUrf([{ page: small, dpi: 300, kind: "W8" }]).subarray(8)), reason: /UNIRAST|magic/ },
  { what: "an absurd width (cupsWidth 20000, cupsBytesPerLine to match)", format: "image/pwg-raster", data: pwgWith({ 372: 20000, 392: 20000 }), reason: /20000 pixels wide/ },
  { what: "an absurd height (cupsHeight 4,000,000,000)", format: "image/pwg-raster", data: pwgWith({ 376: 4000000000 }), reason: /lines tall/ },
  { what: "16 bits per color (sgray_16, not read)", format: "image/pwg-raster", data: pwgWith({ 384: 16, 388: 16, 392: 1280 }), reason: /16 bits per color/ },
  { what: "a cupsBytesPerLine that lies", format: "image/pwg-raster", data: pwgWith({ 392: 999 }), reason: /cupsBytesPerLine 999/ },
  { what: "a header cut short", format: "image/pwg-raster", data: goodPwg.subarray(0, 1000), reason: /header is cut short|file header/ },
  // Known only at the body's end, when the converter may still hold output for the printer: then the answer has
  // gone (successful-ok) before the job is found bad; either way the job ends aborted.
  { what: "an URF page count that lies (3 announced, 1 sent)", format: "image/urf", data: encodeUrf([{ page: small, dpi: 300, kind: "W8" }], { pageCount: 3 }),
    reason: /announced 3 pages and 1 came/, foundAtEnd: true },
];

export const ippRasterScenarios = [
  {
    name: "IPP raster: PWG (sgray_8 and black_1 pages) and URF (SRGB24) stream through the converter to a slow printer, which gets exactly the converter's PCL 5",
    options: { ...services, bytesPerTurn: 700 },
    run(host) {
      const attributes = ask(host, ippRequest(Op.getPrinterAttributes, [[T.keyword, "requested-attributes",
        ["document-format-supported", "urf-supported", "pwg-raster-document-type-supported", "ipp-features-supported"]]]));
      const formats = valueOf(attributes.ipp, T.printer, "document-format-supported");
      ok(formats.includes("image/pwg-raster") && formats.includes("image/urf"), `the raster formats are listed: ${formats}`);
      equal(valueOf(attributes.ipp, T.printer, "urf-supported").join(","), "V1.4,W8,SRGB24,RS300-600,CP1,PQ4", "urf-supported");
      equal(valueOf(attributes.ipp, T.printer, "pwg-raster-document-type-supported").join(","), "black_1,sgray_8,srgb_8", "the PWG types");
      const urf = encodeUrf([{ page: small, dpi: 300, kind: "SRGB24" }]);
      let index = 0;
      for (const [data, format, chunkBytes] of [[goodPwg, "image/pwg-raster", 4096], [urf, "image/urf", 0]]) {
        // Larger than everything the path holds (input ring 2 KiB, converter output 4 KiB, print ring 4 KiB): streamed.
        ok(data.length > 20000, `${format}: a ${data.length}-byte document`);
        const answer = ask(host, printJob(data, { format, name: `page.${format.slice(6)}` }), { chunkBytes, expect: true, pieceBytes: 1460 });
        expectStatus(answer, 0, `Print-Job ${format}`);
        const id = valueOf(answer.ipp, T.job, "job-id")[0];
        const job = printedJob(host, index++, `the ${format} job to print`);
        equal(job.complete, true, `${format}: ended well at the printer`);
        assertBytes(job.bytes, converted(data, format), `${format}: the printer's bytes are the converter's`);
        equal(jobState(host, id), 9, `${format}: completed`);
        const octets = ask(host, ippRequest(Op.getJobAttributes, [[T.integer, "job-id", id], [T.keyword, "requested-attributes", "job-k-octets"]]));
        equal(valueOf(octets.ipp, T.job, "job-k-octets")[0], Math.ceil(data.length / 1024), `${format}: job-k-octets counts the document, not the printer's bytes`);
        ok(host.logLines(`ipp: job ${id}: `).some((line) => line.includes(`of ${format} as PCL 5, ${data.length} bytes in`)), `${format}: the conversion's log line: ${host.log.join("\n")}`);
      }
    },
  },
  {
    name: "IPP raster: printerLanguage escp2 turns URF W8 into ESC/P 2 (and PCL is no longer offered)",
    options: { ...services, printerLanguage: "escp2" },
    run(host) {
      const attributes = ask(host, ippRequest(Op.getPrinterAttributes, [[T.keyword, "requested-attributes", ["document-format-supported", "media-left-margin-supported"]]]));
      const formats = valueOf(attributes.ipp, T.printer, "document-format-supported");
      ok(!formats.includes("application/vnd.hp-PCL") && formats.includes("image/urf"), `formats for an Epson: ${formats}`);
      equal(valueOf(attributes.ipp, T.printer, "media-left-margin-supported")[0], 300, "ESC/P 2's 3 mm margin");
      const data = encodeUrf([{ page: small, dpi: 300, kind: "W8" }]);
      expectStatus(ask(host, printJob(data, { format: "image/urf", name: "epson.urf" })), 0, "Print-Job image/urf");
      const job = printedJob(host, 0, "the ESC/P 2 job");
      assertBytes(job.bytes, converted(data, "image/urf", "escp2"), "ESC/P 2 bytes");
    },
  },
  {
    name: "IPP raster: bad raster (sync word, magic, absurd sizes, bit depth, lying or cut headers, lying page count) aborts its job with document-format-error; the next job prints",
    options: { ...services, bytesPerTurn: 2048 },
    run(host) {
      let printerJobs = 0;
      for (const bad of badDocuments) {
        const answer = ask(host, printJob(bad.data, { format: bad.format, name: "bad" }), { chunkBytes: 1024 });
        ok(answer.ipp, `${bad.what}: an IPP answer`);
        const id = valueOf(answer.ipp, T.job, "job-id")[0];
        // Found before the answer (the body was read to its end): client-error-document-format-error.
        const statuses = bad.foundAtEnd ? [0, documentFormatError] : [documentFormatError];
        ok(statuses.includes(answer.ipp.status), `${bad.what}: status 0x${answer.ipp.status.toString(16)}`);
        const job = printedJob(host, printerJobs++, `${bad.what}: the job to leave the printer`);
        host.settle(() => jobReport(host, id).state !== 5, `${bad.what}: the job to end`);
        const report = jobReport(host, id);
        equal(report.state, 8, `${bad.what}: aborted`);
        equal(report.reasons.join(","), "document-format-error", `${bad.what}: job-state-reasons`);
        ok(host.logLines(`ipp: job ${id}: bad raster`).some((line) => bad.reason.test(line)), `${bad.what}: the log says why: ${host.log.slice(-6).join("\n")}`);
        ok(host.logLines(`job ${id} "bad" aborted`).length === 1, `${bad.what}: the spool records it aborted`);
        // Whatever reached the printer ends well formed: nothing, or a page ended and the printer reset (ESC E).
        if (job.bytes.length > 0) equal(String.fromCharCode(job.bytes.at(-2), job.bytes.at(-1)), "\x1bE", `${bad.what}: the printer reset at the end`);
      }
      const good = patternBytes(3000, 8);
      expectStatus(ask(host, printJob(good, { name: "after.pcl" })), 0, "a PCL job after the bad ones");
      assertBytes(printedJob(host, printerJobs, "the good job").bytes, good, "the good job's bytes");
    },
  },
  {
    name: "IPP raster: a second page that lies, with 200 KB behind it: page one prints and ends, the rest is drained, a raw job queued behind prints whole",
    options: { ...services, bytesPerTurn: 1024 },
    run(host) {
      const data = concatBytes(encodePwg([{ page: small, dpi: 300, kind: "sgray_8" }, { page: small, dpi: 300, kind: "sgray_8", header: { 392: 7 } }]),
        patternBytes(200000, 2));
      const client = host.connectBytes(ippPort);
      const { head, body } = httpPostOf(printJob(data, { format: "image/pwg-raster", name: "liar" }));
      client.write(concatBytes(head, body.subarray(0, 30000)));
      host.runUntilIdle();
      const raw = host.connectBytes(rawPort);
      const rawData = patternBytes(9000, 3);
      raw.write(rawData);
      raw.finish();
      host.runUntilIdle();
      for (let at = 30000; at < body.length; at += 8192) {
        client.write(body.subarray(at, Math.min(body.length, at + 8192)));
        host.runUntilIdle();
      }
      const answer = answerBytes(host, client);
      equal(answer.ipp.status, documentFormatError, "client-error-document-format-error");
      const first = printedJob(host, 0, "the raster job to leave the printer");
      const pageOne = converted(encodePwg([{ page: small, dpi: 300, kind: "sgray_8" }]), "image/pwg-raster");
      // Page one whole (all but the converter's final reset, which the failed job writes too), then the reset.
      assertBytes(first.bytes, pageOne, "page one printed, then the printer reset");
      const second = printedJob(host, 1, "the raw job");
      equal(second.complete, true, "the raw job ended well");
      assertBytes(second.bytes, rawData, "the raw job's bytes, whole and alone");
      ok(host.logLines("its document is bad after").length === 1, `the exchange dropped the rest: ${host.log.join("\n")}`);
    },
  },
];

function httpPostOf(message) {
  return httpPost(message, { chunkBytes: 0, expect: false });
}

function answerBytes(host, client) {
  const http = httpResponse(client.readAll("the answer"));
  return { ...http, ipp: parse(http.body) };
}
