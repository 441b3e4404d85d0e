// Lets a unit test load compiled firmware modules that import across folders by bare specifier ("print/job"), as
// the manifest maps them on the device: registers the simulator's loader hook (simulator/loader.js) with an empty
// mc/config. Import it first, then the firmware with `await import()` (static imports resolve before any code runs).

import { register } from "node:module";

const buildRoot = new URL("../build/", import.meta.url).pathname;
register("../simulator/loader.js", { parentURL: import.meta.url, data: { config: {}, buildRoot } });
