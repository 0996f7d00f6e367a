import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddressResolver, invalidTrustedProxy } from "./client-address.ts";

test("without trusted proxies the socket address is the client, whatever the headers say", () => {
  const resolve = clientAddressResolver({ trustedProxies: [], header: "x-forwarded-for" });
  assert.equal(resolve("10.0.0.5", { "x-forwarded-for": "1.1.1.1" }), "10.0.0.5");
  assert.equal(resolve("::ffff:192.0.2.1", {}), "192.0.2.1", "IPv4-mapped addresses are normalized");
});

test("behind trusted proxies the first untrusted hop from the right is the client", () => {
  const resolve = clientAddressResolver({ trustedProxies: ["10.0.0.0/8", "loopback"], header: "x-forwarded-for" });
  assert.equal(resolve("10.1.2.3", { "x-forwarded-for": "203.0.113.7" }), "203.0.113.7");
  // The client tried to spoof an address: the trusted proxy appended the real one.
  assert.equal(resolve("127.0.0.1", { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.9.9.9" }), "203.0.113.7");
  assert.equal(resolve("::1", { "x-forwarded-for": ["198.51.100.1", "10.0.0.1"] }), "198.51.100.1");
  assert.equal(resolve("10.1.2.3", {}), "10.1.2.3", "no header: the proxy itself");
  assert.equal(resolve("10.1.2.3", { "x-forwarded-for": "10.0.0.9, 10.0.0.8" }), "10.0.0.9", "all hops trusted: the leftmost");
  assert.equal(resolve("192.0.2.50", { "x-forwarded-for": "1.1.1.1" }), "192.0.2.50", "an untrusted peer's header is ignored");
  assert.equal(resolve("10.1.2.3", { "x-forwarded-for": "203.0.113.7:5555" }), "203.0.113.7", "a port is dropped");
});

test("RFC 7239 Forwarded and single-value headers", () => {
  const fwd = clientAddressResolver({ trustedProxies: ["private"], header: "forwarded" });
  assert.equal(fwd("192.168.1.1", { forwarded: 'for=198.51.100.17;proto=https, for="[2001:db8::1]:4711"' }), "2001:db8::1");
  const real = clientAddressResolver({ trustedProxies: ["172.16.0.0/12"], header: "X-Real-IP" });
  assert.equal(real("172.17.0.2", { "x-real-ip": "198.51.100.9" }), "198.51.100.9");
});

test("trusted proxy entries are validated", () => {
  for (const ok of ["10.0.0.0/8", "192.0.2.1", "::1", "fd00::/8", "loopback", "private"]) assert.equal(invalidTrustedProxy(ok), undefined, ok);
  for (const bad of ["10.0.0.0/33", "fd00::/129", "example.com", "10.0.0.0/8/1", "10.0.0/8", "*"]) assert.ok(invalidTrustedProxy(bad), bad);
});
