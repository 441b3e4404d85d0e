// Directory listings of the virtual tree (modules/ftp/listing.ts): LIST, NLST and MLSD lines, byte for byte.

import test from "node:test";
import assert from "node:assert/strict";
import "../firmwareLoader.js";    // compiled modules import across folders by bare specifier ("print/port")
const { ListingStyle, facts, listing } = await import("../../build/modules/ftp/listing.js");
const { PathKind } = await import("../../build/modules/ftp/paths.js");

const now = new Date(Date.UTC(2024, 2, 5, 7, 8, 9));      // 2024-03-05 07:08:09 UTC

test("LIST of the root shows PORT1 as a directory and status.txt with its size, ls -l style", () => {
  assert.equal(listing(PathKind.RootDirectory, ListingStyle.Long, 345, now),
    "d-wx-wx-wx   1 printer  printer          0 Mar  5  2024 PORT1\r\n" +
    "-r--r--r--   1 printer  printer        345 Mar  5  2024 status.txt\r\n");
});

test("LIST of the status file shows that one line", () => {
  assert.equal(listing(PathKind.StatusFile, ListingStyle.Long, 7, now),
    "-r--r--r--   1 printer  printer          7 Mar  5  2024 status.txt\r\n");
});

test("LIST pads a two-digit day and a ten-digit size without shifting the columns", () => {
  const december = new Date(Date.UTC(2023, 11, 31, 23, 59, 59));
  assert.equal(listing(PathKind.StatusFile, ListingStyle.Long, 1234567890, december),
    "-r--r--r--   1 printer  printer 1234567890 Dec 31  2023 status.txt\r\n");
});

test("LIST dates are UTC, whatever the local time zone", () => {
  const lateUtc = new Date(Date.UTC(2024, 0, 31, 23, 30, 0));
  assert.equal(listing(PathKind.StatusFile, ListingStyle.Long, 1, lateUtc).slice(43, 55), "Jan 31  2024");
});

test("NLST of the root gives the two names", () => {
  assert.equal(listing(PathKind.RootDirectory, ListingStyle.Names, 345, now), "PORT1\r\nstatus.txt\r\n");
});

test("MLSD of the root gives RFC 3659 facts with a UTC modify time", () => {
  assert.equal(listing(PathKind.RootDirectory, ListingStyle.Facts, 345, now),
    "type=dir;perm=elc;modify=20240305070809; PORT1\r\n" +
    "type=file;size=345;perm=r;modify=20240305070809; status.txt\r\n");
});

test("the printer directory always lists empty, in every style", () => {
  for (const style of [ListingStyle.Long, ListingStyle.Names, ListingStyle.Facts])
    assert.equal(listing(PathKind.PrinterDirectory, style, 345, now), "");
});

test("a print target or a missing path lists nothing", () => {
  assert.equal(listing(PathKind.PrintTarget, ListingStyle.Long, 345, now), "");
  assert.equal(listing(PathKind.Missing, ListingStyle.Names, 345, now), "");
});

test("MLST facts name the path they were asked for", () => {
  assert.equal(facts("/PORT1", true, 0, now), "type=dir;perm=elc;modify=20240305070809; /PORT1");
  assert.equal(facts("/status.txt", false, 12, now), "type=file;size=12;perm=r;modify=20240305070809; /status.txt");
});
