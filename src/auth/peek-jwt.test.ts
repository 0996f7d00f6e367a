import assert from "node:assert/strict";
import { test } from "node:test";
import { peekJwt } from "./peek-jwt.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

test("reads header and payload of a compact JWS without verifying", () => {
  const token = `${b64({ alg: "ES256", kid: "k1", typ: "at+jwt" })}.${b64({ iss: "https://issuer", sub: "x" })}.c2ln`;
  assert.deepEqual(peekJwt(token), { header: { alg: "ES256", kid: "k1", typ: "at+jwt" }, payload: { iss: "https://issuer", sub: "x" } });
  // An unsecured JWT (alg none, empty signature) is still a JWT: its verification refuses it.
  assert.ok(peekJwt(`${b64({ alg: "none" })}.${b64({ iss: "x" })}.`));
});

test("anything else is not a JWT", () => {
  for (const key of [
    "sk-proj-abc.def.ghi",
    "pk-0123456789abcdef",
    "AIzaSyA-1234567890",
    `${b64({ alg: "ES256" })}.${b64({ iss: "x" })}`, // two segments
    `${b64({ alg: "ES256" })}.${b64({ iss: "x" })}.s.extra`, // a JWE has five
    `${b64({ alg: "ES256" })}.bm90IGpzb24.sig`, // payload not JSON
    `${b64({ alg: "ES256" })}.${b64([1, 2])}.sig`, // payload not an object
    `${b64({ alg: "ES256" })}.${b64({ iss: "x" })}!.sig`, // not base64url
    `${b64({ alg: "ES256" })}.${"e".repeat(20_000)}.sig`, // too long
    "",
  ]) {
    assert.equal(peekJwt(key), undefined, key.slice(0, 40));
  }
});
