// The simulator's printout shelf for the page: the previews the virtual printer leaves in the capture folder after
// each job (printed-N.txt, laid out as the page would print; printed-N.png from Ghostscript for PostScript; a
// printed-N.note when a job could not be rendered). Reads them with the SDK's `file` module; no Node imports.

import { File, Iterator } from "file";
import type { BodySource, Printout, PrintoutShelf } from "web/printouts";
import { isPrintoutName } from "web/printouts";

const noteName = "preview.note";    // simulator/devices/preview.js writes it when Ghostscript is missing

export class CapturedPrintouts implements PrintoutShelf {
  readonly #folder: string;
  readonly #printer: string;

  constructor(folder: string, printer: string) {
    this.#folder = folder.endsWith("/") ? folder : folder + "/";
    this.#printer = printer;
  }

  list(limit: number): Printout[] {
    const found: { number: number; printout: Printout }[] = [];
    for (const entry of new Iterator(this.#folder) as unknown as Iterable<{ name: string; length?: number }>) {
      if (entry.length === undefined || !isPrintoutName(entry.name)) continue;
      found.push({ number: Number(/\d+/.exec(entry.name)?.[0] ?? 0),
        printout: { name: entry.name, kind: entry.name.endsWith(".png") ? "image" : "text", bytes: entry.length } });
    }
    found.sort((a, b) => b.number - a.number || (a.printout.name < b.printout.name ? -1 : 1));
    return found.slice(0, limit).map((item) => item.printout);
  }

  note(): string | undefined {
    // --printer file: the firmware's FilePort writes the raw jobs; there is no virtual printer and so no paper.
    if (this.#printer === "file" || this.#printer === "discard")
      return `The ${this.#printer} printer port has no virtual printer behind it, so there is nothing to preview (start the simulator with --printer parallel or serial).`;
    if (!File.exists(this.#folder + noteName)) return undefined;
    const file = new File(this.#folder + noteName);
    try {
      return String(file.read(String));
    } finally {
      file.close();
    }
  }

  open(name: string): BodySource | undefined {
    if (!isPrintoutName(name) || !File.exists(this.#folder + name)) return undefined;
    const file = new File(this.#folder + name);
    return {
      byteLength: file.length,
      read(at: number, count: number): ArrayBuffer {
        file.position = at;
        return file.read(ArrayBuffer, count) as ArrayBuffer;
      },
      close: () => file.close(),
    };
  }
}
