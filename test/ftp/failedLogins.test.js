// The failed-login table (modules/ftp/failedLogins.ts): an address that keeps guessing is blocked, the block lifts
// with time or a good login, and the table never grows past its slots. Time is the server's tick, taken by hand here.

import test from "node:test";
import assert from "node:assert/strict";
import { FailedLogins } from "../../build/modules/ftp/failedLogins.js";
import { failingAddressTicks, failuresPerAddress } from "../../build/modules/ftp/limits.js";

function ticks(table, count) {
  for (let i = 0; i < count; i++) table.tick();
}

function fail(table, address, times) {
  for (let i = 0; i < times; i++) table.failed(address);
}

test("an address is blocked once it has failed failuresPerAddress times, and not one failure sooner", () => {
  const table = new FailedLogins();
  fail(table, "10.0.0.5", failuresPerAddress - 1);
  assert.equal(table.blocked("10.0.0.5"), false);
  table.failed("10.0.0.5");
  assert.equal(table.blocked("10.0.0.5"), true);
  assert.equal(table.blocked("10.0.0.6"), false, "another address is not blocked");
});

test("failures each within failingAddressTicks of the last add up; the block lifts once that long passes without one", () => {
  const table = new FailedLogins();
  for (let i = 0; i < failuresPerAddress; i++) {
    table.failed("10.0.0.5");
    ticks(table, failingAddressTicks - 1);
  }
  assert.equal(table.blocked("10.0.0.5"), true, "each failure came just inside the window of the one before");
  table.tick();
  assert.equal(table.blocked("10.0.0.5"), false, "failingAddressTicks after the last failure");
});

test("failures older than failingAddressTicks do not count towards a block", () => {
  const table = new FailedLogins();
  fail(table, "10.0.0.5", failuresPerAddress - 1);
  ticks(table, failingAddressTicks);
  table.failed("10.0.0.5");
  assert.equal(table.blocked("10.0.0.5"), false);
  fail(table, "10.0.0.5", failuresPerAddress - 2);
  assert.equal(table.blocked("10.0.0.5"), false);
  table.failed("10.0.0.5");
  assert.equal(table.blocked("10.0.0.5"), true);
});

test("a good login from the address clears its failures", () => {
  const table = new FailedLogins();
  fail(table, "10.0.0.5", failuresPerAddress);
  table.succeeded("10.0.0.5");
  assert.equal(table.blocked("10.0.0.5"), false);
  fail(table, "10.0.0.5", failuresPerAddress - 1);
  assert.equal(table.blocked("10.0.0.5"), false, "counting starts again from nothing");
});

test("a peer whose address the SDK could not tell is never counted", () => {
  const table = new FailedLogins();
  fail(table, "", failuresPerAddress * 2);
  assert.equal(table.blocked(""), false);
});

test("a full table reuses the entry with the oldest failure and keeps the others", () => {
  const table = new FailedLogins(2);
  fail(table, "10.0.0.1", failuresPerAddress);
  table.tick();
  fail(table, "10.0.0.2", failuresPerAddress);
  table.tick();
  table.failed("10.0.0.3");
  assert.equal(table.blocked("10.0.0.1"), false, "the oldest address was forgotten to make room");
  assert.equal(table.blocked("10.0.0.2"), true, "the newer one is still blocked");
  fail(table, "10.0.0.3", failuresPerAddress - 1);
  assert.equal(table.blocked("10.0.0.3"), true, "the new address counts in the reused entry");
});
