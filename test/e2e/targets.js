// One client suite, two simulators: which end-to-end test files run against which simulator. "node" is ours
// (`npm start`, simulator/main.js); "mcsim" is the firmware built by the real Moddable SDK and run in the SDK's own
// simulator (test/e2e/mcsim.js). `npm test` runs every file on node (node --test) and then the mcsim column
// (test/e2e/run-sdk.js). A file stays off mcsim only for what the SDK's simulator does not have, said in `why`.

export const targets = Object.freeze([
  { file: "clients.test.js", on: ["node", "mcsim"] },
  { file: "commands.test.js", on: ["node", "mcsim"] },
  { file: "server.test.js", on: ["node", "mcsim"] },
  { file: "lifecycle.test.js", on: ["node", "mcsim"] },
  { file: "resets.test.js", on: ["node", "mcsim"] },
  { file: "timeouts.test.js", on: ["node"], why: "simulated time runs faster (--time-scale) only on our simulator" },
  { file: "raw.test.js", on: ["node", "mcsim"] },
  { file: "lpd.test.js", on: ["node", "mcsim"] },
  { file: "mixed.test.js", on: ["node", "mcsim"] },
  { file: "http.test.js", on: ["node", "mcsim"] },
  { file: "setupPage.test.js", on: ["node", "mcsim"] },
  { file: "ipp.test.js", on: ["node", "mcsim"] },
  { file: "driverless.test.js", on: ["node", "mcsim"] },
  { file: "ippStreaming.test.js", on: ["node", "mcsim"] },
  { file: "webPage.test.js", on: ["node"],
    why: "the printouts come from the virtual printer, and its other tests need a page port the test holds or the lin socket profile" },
  { file: "printouts.test.js", on: ["node"], why: "printouts named by job id come from the virtual printer's shelf (simulator/devices/shelf.js)" },
  { file: "printer.test.js", on: ["node"],
    why: "the virtual IEEE 1284 and serial printers sit behind our simulator's GPIO and UART; mcsim has neither" },
  { file: "readme.test.js", on: ["node", "mcsim"] },
  { file: "filePrinter.test.js", on: ["node", "mcsim"] },
  { file: "startup.test.js", on: ["node"],
    why: "what it checks is simulator/main.js: its start-up messages and exit status for taken ports and unusable folders" },
  { file: "listen.test.js", on: ["node"],
    why: "--listen is our simulator's option; the SDK's listeners bind every IPv4 interface ($(MODDABLE)/modules/io/socket/lin/tcp.c, xs_listener_constructor binds a zeroed address: every interface)" },
  { file: "mdns.test.js", on: ["node"],
    why: "the SDK's mdns cannot open its socket on lin (modules/network/socket/lin/modSocket.c, see hosts/sim/host.ts)" },
].map(Object.freeze));
