// The benchmarks' command line, read the way every tool of the project reads its own (test/cli/arguments.test.js):
// strict flags, a mistake named on the first line of stderr with the usage after it and exit 2, --help printing the
// usage and exit 0 before anything starts.

import { parseArgs } from "node:util";

/**
 * process.argv's flags by `options` (node:util parseArgs' form; a `help` flag is expected among them).
 * Returns { values, usageError }: usageError(message) reports a bad value the same way and exits 2.
 */
export function readCommandLine(program, usage, options) {
  const usageError = (message) => {
    process.stderr.write(`${program}: ${message}\n${usage}\n`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
  } catch (error) {
    usageError(String(error.message).replace(/\. To specify a positional argument.*$/s, ""));    // parseArgs' hint misleads here
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { values, usageError };
}
