import assert from "node:assert/strict";
import { test } from "node:test";
import { derivedLimitId, limitEntry, toLimitDefinition } from "./limit-schema.ts";

test("limits without an id get a readable, stable one; odd subjects or models a digest", () => {
  assert.equal(derivedLimitId({ scope: "virtualKey", subject: "my-app", measure: "costUsd", window: "month", max: 100 }), "virtualKey.my-app.costUsd.month");
  assert.equal(derivedLimitId({ scope: "externalAgent", subject: "*", measure: "tokens", window: "day", max: 1 }), "externalAgent.each.tokens.day");
  const withModel = derivedLimitId({ scope: "proxy", subject: "default", measure: "requests", window: "minute", max: 1, model: "openai:gpt-4o*" });
  assert.match(withModel, /^proxy\.default\.requests\.minute\.[0-9a-f]{8}$/);
  const email = derivedLimitId({ scope: "user", subject: "alice@example.com", measure: "tokens", window: "day", max: 1 });
  assert.match(email, /^limit-[0-9a-f]{16}$/);
  assert.equal(email, derivedLimitId({ scope: "user", subject: "alice@example.com", measure: "tokens", window: "day", max: 999 }), "max is not part of the id: raising it keeps the count");
  assert.equal(toLimitDefinition(limitEntry.parse({ id: "mine", scope: "proxy", subject: "default", measure: "requests", window: "hour", max: "60" })).max, 60);
});

test("bad entries are refused with the field named", () => {
  const issues = (v: unknown) => limitEntry.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
  assert.match(issues({ scope: "team", subject: "x", measure: "tokens", window: "day", max: 1 })[0], /^scope: /);
  assert.match(issues({ scope: "proxy", subject: "x", measure: "tokens", window: "week", max: 1 })[0], /^window: /);
  assert.match(issues({ scope: "proxy", subject: "x", measure: "tokens", window: "day", max: 1.5 })[0], /^max: a tokens limit's max is a whole number/);
  assert.match(issues({ scope: "proxy", subject: "x", measure: "tokens", window: "day", max: -1 })[0], /^max: /);
  assert.match(issues({ scope: "proxy", subject: "x", measure: "tokens", window: "day", max: 1, extra: true })[0], /extra|Unrecognized/);
  assert.deepEqual(issues({ scope: "proxy", subject: "x", measure: "costUsd", window: "day", max: 1.5 }), [], "cost comes in cents and less");
});
