// Data-connection addresses (modules/ftp/addresses.ts): PORT and EPRT parsing, PASV and EPSV reply text, and the
// RFC 2577 checks on where a data connection may go and where one may come from.

import test from "node:test";
import assert from "node:assert/strict";
import {
  EprtFamily, extendedPassiveReplyText, isAllowedActiveTarget, isAllowedPassivePeer, isIPv4, parseEprtArgument,
  parsePortArgument, passiveReplyText, sameHost,
} from "../../build/modules/ftp/addresses.js";

test("PORT h1,h2,h3,h4,p1,p2 gives the host and p1 * 256 + p2", () => {
  assert.deepEqual(parsePortArgument("192,168,1,20,19,137"), { address: "192.168.1.20", port: 5001 });
  assert.deepEqual(parsePortArgument("127,0,0,1,255,255"), { address: "127.0.0.1", port: 65535 });
  assert.deepEqual(parsePortArgument("0,0,0,0,0,0"), { address: "0.0.0.0", port: 0 });
});

test("PORT numbers with leading zeros are read as decimal and the address is written plainly", () => {
  assert.deepEqual(parsePortArgument("010,000,000,001,004,001"), { address: "10.0.0.1", port: 1025 });
});

test("PORT tolerates spaces around a number but not inside one", () => {
  assert.deepEqual(parsePortArgument("127, 0, 0, 1, 4, 1"), { address: "127.0.0.1", port: 1025 });
  assert.equal(parsePortArgument("12 7,0,0,1,4,1"), undefined);
});

test("PORT with a number above 255 is malformed", () => {
  assert.equal(parsePortArgument("256,0,0,1,4,1"), undefined);
  assert.equal(parsePortArgument("127,0,0,1,256,0"), undefined);
  assert.equal(parsePortArgument("127,0,0,1,4,1000"), undefined);
});

test("PORT with a sign, a fraction, hex or letters is malformed", () => {
  for (const arg of ["+127,0,0,1,4,1", "127,0,0,-1,4,1", "127,0,0,1,4,+1", "127,0,0,1.5,4,1", "127,0,0,0x1,4,1", "a,b,c,d,e,f"])
    assert.equal(parsePortArgument(arg), undefined, arg);
});

test("PORT with other than six fields is malformed", () => {
  for (const arg of ["", "127,0,0,1,4", "127,0,0,1,4,1,7", "127,0,0,1,4,1,", ",127,0,0,1,4,1", "127,0,0,1,,1", "127.0.0.1,4,1"])
    assert.equal(parsePortArgument(arg), undefined, JSON.stringify(arg));
});

test("EPRT |1|address|port| gives an IPv4 host and port (RFC 2428 §2)", () => {
  assert.deepEqual(parseEprtArgument("|1|132.235.1.2|6275|"), { family: EprtFamily.IPv4, address: "132.235.1.2", port: 6275 });
  assert.deepEqual(parseEprtArgument("|1|127.0.0.1|65535|"), { family: 1, address: "127.0.0.1", port: 65535 });
});

test("EPRT may use any delimiter from ! to ~", () => {
  assert.deepEqual(parseEprtArgument("!1!127.0.0.1!5000!"), { family: 1, address: "127.0.0.1", port: 5000 });
  assert.deepEqual(parseEprtArgument("~1~127.0.0.1~5000~"), { family: 1, address: "127.0.0.1", port: 5000 });
});

test("EPRT with a space, a control character or a mismatched last delimiter as delimiter is malformed", () => {
  for (const arg of [" 1 127.0.0.1 5000 ", "\x7f1\x7f127.0.0.1\x7f5000\x7f", "|1|127.0.0.1|5000!", "|1|127.0.0.1|5000"])
    assert.equal(parseEprtArgument(arg), undefined, JSON.stringify(arg));
});

test("EPRT with the IPv6 family gives family 2, for the caller to answer 522", () => {
  assert.deepEqual(parseEprtArgument("|2|::1|5000|"), { family: EprtFamily.IPv6, address: "::1", port: 5000 });
  assert.deepEqual(parseEprtArgument("|2|1080::8:800:200C:417A|5282|"), { family: 2, address: "1080::8:800:200C:417A", port: 5282 });
});

test("EPRT with a family number we do not speak gives that family, for the caller to answer 522", () => {
  assert.deepEqual(parseEprtArgument("|3|127.0.0.1|5000|"), { family: 3, address: "127.0.0.1", port: 5000 });
});

test("EPRT with a family that is not a plain number is malformed", () => {
  for (const arg of ["||127.0.0.1|5000|", "|x|127.0.0.1|5000|", "|0|127.0.0.1|5000|", "|+1|127.0.0.1|5000|",
    "|-1|127.0.0.1|5000|", "| 1|127.0.0.1|5000|", "|1.0|127.0.0.1|5000|", "|0x1|127.0.0.1|5000|", "|1e0|127.0.0.1|5000|"])
    assert.equal(parseEprtArgument(arg), undefined, arg);
});

test("EPRT with a bad IPv4 address is malformed", () => {
  for (const arg of ["|1|127.0.0|5000|", "|1|127.0.0.1.1|5000|", "|1|127.0.0.256|5000|", "|1|127.0.0.-1|5000|",
    "|1|127.0.0.+1|5000|", "|1|localhost|5000|", "|1|::1|5000|", "|1||5000|", "|1| 127.0.0.1|5000|"])
    assert.equal(parseEprtArgument(arg), undefined, arg);
});

test("EPRT with a port of 0, above 65535, signed, spaced or empty is malformed", () => {
  for (const arg of ["|1|127.0.0.1|0|", "|1|127.0.0.1|65536|", "|1|127.0.0.1|99999|", "|1|127.0.0.1|+5000|",
    "|1|127.0.0.1|-5000|", "|1|127.0.0.1| 5000|", "|1|127.0.0.1||", "|1|127.0.0.1|123456|"])
    assert.equal(parseEprtArgument(arg), undefined, arg);
});

test("EPRT with other than three fields, or too short, is malformed", () => {
  for (const arg of ["", "|", "||||", "|1|127.0.0.1|", "|1|127.0.0.1|5000|x|", "||1|127.0.0.1|5000|", "|1|1|1"])
    assert.equal(parseEprtArgument(arg), undefined, JSON.stringify(arg));
});

test("isIPv4 accepts four decimal bytes and nothing else", () => {
  assert.equal(isIPv4("192.168.1.20"), true);
  assert.equal(isIPv4("0.0.0.0"), true);
  for (const text of ["", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.x", "::ffff:1.2.3.4", "1..3.4", " 1.2.3.4"])
    assert.equal(isIPv4(text), false, text);
});

test("the PASV reply text splits the address by commas and the port into its two bytes", () => {
  assert.equal(passiveReplyText("192.168.1.20", 50000), "Entering Passive Mode (192,168,1,20,195,80).");
  assert.equal(passiveReplyText("10.0.0.1", 1024), "Entering Passive Mode (10,0,0,1,4,0).");
  assert.equal(passiveReplyText("10.0.0.1", 65535), "Entering Passive Mode (10,0,0,1,255,255).");
});

test("the EPSV reply text gives only the port between three and one | (RFC 2428 §3)", () => {
  assert.equal(extendedPassiveReplyText(50000), "Entering Extended Passive Mode (|||50000|)");
});

test("an active data connection back to the control peer on port 1024 or above is allowed", () => {
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 1024 }, "192.168.1.20"), true);
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 65535 }, "192.168.1.20"), true);
});

test("SECURITY: an active data connection to another host is refused (RFC 2577 bounce)", () => {
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.21", port: 5000 }, "192.168.1.20"), false);
  assert.equal(isAllowedActiveTarget({ address: "127.0.0.1", port: 5000 }, "192.168.1.20"), false);
  assert.equal(isAllowedActiveTarget({ address: "0.0.0.0", port: 5000 }, "192.168.1.20"), false);
});

test("SECURITY: an active data connection to a privileged port of the peer itself is refused", () => {
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 1023 }, "192.168.1.20"), false);
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 25 }, "192.168.1.20"), false);
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 0 }, "192.168.1.20"), false);
});

test("PORT and EPRT parsed to the peer's own address pass the bounce check", () => {
  assert.equal(isAllowedActiveTarget(parsePortArgument("010,000,000,001,019,137"), "10.0.0.1"), true);
  assert.equal(isAllowedActiveTarget(parseEprtArgument("|1|10.0.0.1|5001|"), "::ffff:10.0.0.1"), true);
});

test("an IPv4-mapped IPv6 peer equals its IPv4 address, in either order and either case", () => {
  assert.equal(sameHost("::ffff:192.168.1.20", "192.168.1.20"), true);
  assert.equal(sameHost("192.168.1.20", "::ffff:192.168.1.20"), true);
  assert.equal(sameHost("::FFFF:192.168.1.20", "::ffff:192.168.1.20"), true);
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.20", port: 5000 }, "::ffff:192.168.1.20"), true);
  assert.equal(isAllowedActiveTarget({ address: "192.168.1.21", port: 5000 }, "::ffff:192.168.1.20"), false);
});

test("an IPv6 address that is not IPv4-mapped is not an IPv4 address", () => {
  assert.equal(sameHost("::1", "127.0.0.1"), false);
  assert.equal(sameHost("::ffff:7f00:1", "127.0.0.1"), false);
  assert.equal(sameHost("64:ff9b::192.168.1.20", "192.168.1.20"), false);
});

test("SECURITY: a passive data connection is accepted only from the control peer (RFC 2577 port theft)", () => {
  assert.equal(isAllowedPassivePeer("192.168.1.20", "192.168.1.20"), true);
  assert.equal(isAllowedPassivePeer("::ffff:192.168.1.20", "192.168.1.20"), true);
  assert.equal(isAllowedPassivePeer("192.168.1.99", "192.168.1.20"), false);
  assert.equal(isAllowedPassivePeer(undefined, "192.168.1.20"), false);
});
