// What xsnap runs for test/raster/xs.test.js: the corpus through the converter with "raster/kernel" as the XS
// bundle maps it (the TypeScript kernel), one line per conversion, then "done". Engine-neutral.
import * as kernel from "raster/kernel";
import { runXsCorpus } from "./xsCorpus.js";

runXsCorpus(kernel, (line) => print(line));
print(`kernel ${kernel.kernelName}`);
print("done");
