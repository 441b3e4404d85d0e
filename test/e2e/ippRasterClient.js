// An IPP client for raster jobs in the e2e tests and the memory bench: Print-Job of an image/pwg-raster document
// made of one synthetic A4 page repeated, streamed over a raw socket with the socket's backpressure (the server
// reads it as the printer takes the converted pages), content-length framed. Resolves with the IPP answer.

import net from "node:net";
import { encodePwg, syntheticPage } from "../raster/rasterFiles.js";
import { Op, T, concat, httpPost, httpResponse, parse, preamble, request } from "../ipp/wire.js";

/** A PWG raster file of `pages` A4 pages at 300 dpi (sgray_8): the first page's bytes, its header included, repeated. */
export function a4Raster(pages, { seed = 5 } = {}) {
  const one = encodePwg([{ page: syntheticPage(2480, 3508, 300, seed), dpi: 300, kind: "sgray_8", widthPoints: 595, heightPoints: 842 }]);
  const page = one.subarray(4);    // after the sync word
  const file = new Uint8Array(4 + page.length * pages);
  file.set(one.subarray(0, 4), 0);
  for (let i = 0; i < pages; i++) file.set(page, 4 + i * page.length);
  return file;
}

/**
 * Sends Print-Job with `document` (image/pwg-raster) to the IPP port; `onSocket` gets the socket (to hold or
 * destroy it). Fails after `timeoutMs` with a message.
 */
export function printRaster(port, document, { name = "raster.pwg", timeoutMs = 300000, onSocket } = {}) {
  const message = request({ operation: Op.printJob, requestId: 3, groups: [[T.operation, [...preamble(), [T.name, "requesting-user-name", "bench"],
    [T.name, "job-name", name], [T.mimeMediaType, "document-format", "image/pwg-raster"]]]], data: document });
  const { head, body } = httpPost(message);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    onSocket?.(socket);
    const received = [];
    socket.setTimeout(timeoutMs, () => { socket.destroy(); reject(new Error(`no IPP answer to the ${document.length}-byte raster job within ${timeoutMs} ms`)); });
    socket.on("data", (data) => received.push(data));
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        const http = httpResponse(new Uint8Array(Buffer.concat(received)));
        resolve(parse(http.body));
      } catch (error) {
        reject(new Error(`the raster job's answer: ${error.message}`));
      }
    });
    socket.write(concat(head, body));    // net buffers it; the kernel's window holds the rest back
  });
}
