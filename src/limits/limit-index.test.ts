import assert from "node:assert/strict";
import { test } from "node:test";
import { LimitIndex } from "./limit-index.ts";
import type { LimitDefinition } from "./types.ts";

const limit = (id: string, fields: Partial<LimitDefinition>): LimitDefinition => ({ id, scope: "proxy", subject: "*", measure: "requests", window: "minute", max: 10, ...fields });

test("a request finds the limits on its subjects and the '*' limits of its scopes, and no others", () => {
  const index = new LimitIndex([
    limit("p-default", { scope: "proxy", subject: "default" }),
    limit("p-other", { scope: "proxy", subject: "other" }),
    limit("each-agent", { scope: "externalAgent", subject: "*" }),
    limit("user-alice", { scope: "user", subject: "alice" }),
    limit("client", { scope: "oauthClient", subject: "bot" }),
  ]);
  const found = index.applicable({ proxy: "default", externalAgent: "a-1", user: "bob" }, "openai", "gpt-4o");
  assert.deepEqual(
    found.map((a) => [a.limit.id, a.subject]),
    [
      ["p-default", "default"],
      ["each-agent", "a-1"],
    ],
  );
  assert.deepEqual(index.applicable({ proxy: "x" }, "openai", "gpt-4o"), [], "no agent id: the '*' agent limit has no subject");
});

test("virtual keys named in limits are found by the id requests carry", () => {
  const index = new LimitIndex([limit("k", { scope: "virtualKey", subject: "my-app" })], (scope, s) => (scope === "virtualKey" && s === "my-app" ? "vk_123" : s));
  assert.equal(index.applicable({ virtualKey: "vk_123" }, "openai", "m").length, 1);
  assert.equal(index.applicable({ virtualKey: "my-app" }, "openai", "m").length, 0);
});

test("model filters and counter keys: a change of measure or window is a new counter", () => {
  const index = new LimitIndex([limit("f", { subject: "default", model: "anthropic:*" }), limit("g", { subject: "default", measure: "tokens", window: "day" })]);
  assert.deepEqual(
    index.applicable({ proxy: "default" }, "anthropic", "claude-opus-4-6").map((a) => a.limit.counterKey),
    ["f|requests|minute", "g|tokens|day"],
  );
  assert.deepEqual(
    index.applicable({ proxy: "default" }, "openai", "gpt-4o").map((a) => a.limit.id),
    ["g"],
  );
});
