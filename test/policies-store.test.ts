import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { toConfigPolicySets } from "../src/policies/config-policies.ts";
import { policiesSection } from "../src/policies/policy-schema.ts";
import { Catalog } from "../src/store/catalog.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { bumpCatalogVersion } from "../src/store/meta.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { getPolicySettings, insertPolicy, loadAllPolicies, pagePolicies, syncConfigPolicies, upsertPolicy, upsertPolicySettings } from "../src/store/policies.ts";
import { deleteProxy, insertProxy } from "../src/store/proxies.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { backends } from "./observability-support.ts";

const sets = (yaml: unknown) => toConfigPolicySets(policiesSection.parse(yaml));

const CONFIG = [
  {
    proxy: "default",
    contextUntrusted: true,
    guardrails: { secrets: "redact" },
    trustedData: [
      { tool: "fetch_url", when: [{ path: "url", op: "startsWith", value: "https://intranet/" }], action: "mark_as_trusted" },
      { tool: "read_inbox", action: "mark_as_untrusted", reason: "mail comes from anyone" },
    ],
    toolInvocation: [
      { id: "mail", tool: "send_email", action: "block_when_context_is_untrusted" },
      { tool: "delete_repo", action: "block_always" },
    ],
  },
];

for (const backend of backends()) {
  describe(`policy storage on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      await backend.setup();
      if (backend.skip) return;
      store = await openStore(backend.url!);
      await migrate(store);
      await insertProxy(store, { id: "default", name: "Default" });
      await insertProxy(store, { id: "other", name: "Other" });
    });
    after(async () => {
      await store?.close();
      await backend.teardown();
    });

    test("the config's policies are stored in order, and applying them again changes nothing", { skip: backend.skip }, async () => {
      assert.equal(await syncConfigPolicies(store, sets(CONFIG)), true);
      assert.equal(await syncConfigPolicies(store, sets(CONFIG)), false);
      const all = await loadAllPolicies(store);
      const p = all.get("default")!;
      assert.equal(p.contextUntrusted, true);
      assert.deepEqual(p.guardrails, { secrets: "redact", pii: "off", restore: false });
      assert.deepEqual(
        p.trustedData.map((r) => [r.id, r.action, r.reason ?? null]),
        [
          ["default.trustedData.fetch_url", "mark_as_trusted", null],
          ["default.trustedData.read_inbox", "mark_as_untrusted", "mail comes from anyone"],
        ],
      );
      assert.deepEqual(p.trustedData[0].when, [{ path: "url", op: "startsWith", value: "https://intranet/" }]);
      assert.deepEqual(p.toolInvocation.map((r) => r.id), ["mail", "default.toolInvocation.delete_repo"]);
      assert.equal("when" in p.toolInvocation[0], false, "an unconditional rule has no `when`");
    });

    test("a rule or setting the config no longer names is removed; rules made through the API stay", { skip: backend.skip }, async () => {
      await insertPolicy(store, "default", { kind: "toolInvocation", id: "api-rule", tool: "get_weather", action: "allow_when_context_is_untrusted" }, 10, "api");
      const smaller = [{ proxy: "default", toolInvocation: [{ id: "mail", tool: "send_email", action: "block_always" }] }];
      assert.equal(await syncConfigPolicies(store, sets(smaller)), true);
      const p = (await loadAllPolicies(store)).get("default")!;
      assert.deepEqual(p.toolInvocation.map((r) => [r.id, r.action]), [
        ["mail", "block_always"],
        ["api-rule", "allow_when_context_is_untrusted"],
      ]);
      assert.deepEqual(p.trustedData, []);
      assert.deepEqual(await getPolicySettings(store, "default"), { contextUntrusted: false, guardrails: { secrets: "off", pii: "off", restore: false } }, "config-made settings are gone");
      assert.equal(await syncConfigPolicies(store, []), true);
      assert.deepEqual((await loadAllPolicies(store)).get("default")!.toolInvocation.map((r) => r.id), ["api-rule"]);
    });

    test("pages follow the order rules are tried in: position, then id", { skip: backend.skip }, async () => {
      for (const [id, position] of [["c", 1], ["a", 2], ["b", 1], ["d", 0]] as const) {
        await insertPolicy(store, "other", { kind: "trustedData", id: `other-${id}`, tool: "t", action: "mark_as_trusted" }, position, "api");
      }
      const first = await pagePolicies(store, "other", "trustedData", { limit: 3 });
      assert.deepEqual(first.data.map((r) => r.id), ["other-d", "other-b", "other-c"]);
      const second = await pagePolicies(store, "other", "trustedData", { limit: 3, after: first.next });
      assert.deepEqual(second.data.map((r) => r.id), ["other-a"]);
      assert.equal(second.next, undefined);
      assert.deepEqual((await pagePolicies(store, "other", "toolInvocation", { limit: 3 })).data, []);
      assert.equal(await upsertPolicy(store, "other", { kind: "trustedData", id: "other-a", tool: "t", action: "mark_as_trusted" }, 2, "api"), "unchanged");
      assert.equal(await upsertPolicy(store, "other", { kind: "trustedData", id: "other-a", tool: "t", action: "block_always" }, 2, "api"), "updated");
    });

    test("the catalog serves compiled policies from memory and picks up a change on reload", { skip: backend.skip }, async () => {
      const catalog = await Catalog.load(store, createSecretBox("test-secret"));
      try {
        const p = catalog.policiesFor("other");
        assert.equal(catalog.policiesFor("other"), p, "the same object until something changes");
        assert.equal(p.trustedDataRules.get("t")?.blockAlways.length, 1);
        assert.equal(catalog.policiesFor("nobody").trustedData.length, 0);
        await insertPolicy(store, "other", { kind: "toolInvocation", id: "other-new", tool: "x", action: "block_always" }, 0, "api");
        await bumpCatalogVersion(store);
        assert.equal(await catalog.refresh(), true);
        assert.notEqual(catalog.policiesFor("other"), p);
        assert.equal(catalog.policiesFor("other").toolInvocationRules.get("x")?.blockAlways[0].policy.id, "other-new");
      } finally {
        await catalog.close();
      }
    });

    test("deleting a proxy deletes its policies: a proxy re-created with its id starts clean", { skip: backend.skip }, async () => {
      await insertProxy(store, { id: "temp", name: "Temp" });
      await insertPolicy(store, "temp", { kind: "toolInvocation", id: "temp-rule", tool: "x", action: "block_always" }, 0, "api");
      await upsertPolicySettings(store, "temp", { contextUntrusted: true, guardrails: { secrets: "block", pii: "off", restore: false } }, "api");
      assert.ok((await loadAllPolicies(store)).get("temp"));
      assert.equal(await deleteProxy(store, "temp"), true);
      await insertProxy(store, { id: "temp", name: "Temp again" });
      const again = (await loadAllPolicies(store)).get("temp");
      assert.equal(again?.toolInvocation.length ?? 0, 0);
      assert.equal(again?.contextUntrusted ?? false, false);
    });
  });
}
