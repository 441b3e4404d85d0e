// What test/print/filePort.test.js bundles: the compiled FilePort with `file` and `timer` mapped to the fakes here.
export { FilePort } from "../../../build/modules/print/filePort.js";
export { PrinterState } from "../../../build/modules/print/port.js";
export { disk } from "file";
export { useTimer } from "timer";
