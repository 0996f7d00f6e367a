import assert from "node:assert/strict";
import { test } from "node:test";
import { ProxyError } from "../canonical/error.ts";
import { CostCalculator } from "../observability/cost/cost-calculator.ts";
import type { Claim, ClaimOutcome, CounterStore } from "./counter-store.ts";
import { LimitService, refusalStatus, type LimitRequest } from "./limit-service.ts";
import { MemoryCounterStore } from "./memory-counter-store.ts";
import type { LimitDefinition } from "./types.ts";

const costs = new CostCalculator({ "openai:m": { input: 1_000_000, output: 1_000_000 } });
const at = new Date("2026-03-10T12:00:00Z");

function request(id: string, extra: Partial<LimitRequest> = {}): LimitRequest {
  return {
    id,
    subjects: { proxy: "default", virtualKey: "vk1" },
    provider: "openai",
    model: "m",
    request: { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], stream: false, maxOutputTokens: 10 },
    bodyBytes: 30,
    at,
    metered: true,
    ...extra,
  };
}

async function service(limits: LimitDefinition[], stores: { store?: CounterStore; rateStore?: CounterStore } = {}) {
  let generation = 0;
  const svc = await LimitService.open({
    costs,
    store: stores.store ?? (await MemoryCounterStore.open()),
    rateStore: stores.rateStore,
    now: () => at.getTime(),
    source: { generation: () => generation, load: async () => ({ limits, virtualKeys: new Map([["app", "vk1"]]) }) },
  });
  return { svc, bump: () => generation++ };
}

const def = (id: string, f: Partial<LimitDefinition>): LimitDefinition => ({ id, scope: "proxy", subject: "default", measure: "requests", window: "minute", max: 5, ...f });

/** A store whose claims fail, or are recorded. */
class ScriptedStore implements CounterStore {
  readonly kind = "redis" as const;
  claims: Claim[][] = [];
  settled: number[][] = [];
  readonly fail: boolean;
  constructor(fail: boolean) {
    this.fail = fail;
  }
  async claim(_id: string, claims: readonly Claim[]): Promise<ClaimOutcome> {
    if (this.fail) throw new Error("connection refused");
    this.claims.push([...claims]);
    return { ok: true, states: claims.map(() => ({ used: 1, reserved: 0 })) };
  }
  async settle(_id: string, _claims: readonly Claim[], actual: readonly number[]): Promise<void> {
    this.settled.push([...actual]);
  }
  async read() {
    return [];
  }
  async close() {}
}

test("with the in-memory store, admission is synchronous: no promise on the hot path", async () => {
  const { svc } = await service([def("a", {})]);
  const result = svc.admit(request("r1"));
  assert.ok(!(result instanceof Promise));
  assert.equal(result.ok, true);
});

test("a request's estimate: input from the body, output from max_tokens, cost priced by the calculator", async () => {
  const { svc } = await service([def("usd", { measure: "costUsd", window: "day", max: 1000 })]);
  const result = svc.admit(request("r1"));
  assert.ok(!(result instanceof Promise) && result.ok && result.admission);
  assert.deepEqual(result.admission.estimate, { inputTokens: 10, outputTokens: 10, costUsd: 20 });
  assert.equal(result.admission.tightest?.reserved, 20);
  const used = svc.used(result.admission, { billed: true, finished: true, outputChars: 0, usage: { inputTokens: 7, outputTokens: 3 } });
  assert.deepEqual(used, { tokens: 10, costUsd: 10 });
  assert.deepEqual(svc.used(result.admission, { billed: false, finished: false, outputChars: 0 }), { tokens: 0, costUsd: 0 }, "not billed: nothing used");
});

test("request counts go to the rate store; an unreachable rate store admits (fails open), its claims left out", async () => {
  const down = new ScriptedStore(true);
  const { svc } = await service([def("rpm", {}), def("tokens", { measure: "tokens", window: "day", max: 1000 })], { rateStore: down });
  const original = console.error;
  const logged: string[] = [];
  console.error = (m: string) => logged.push(m);
  try {
    const result = await svc.admit(request("r1"));
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.admission);
    assert.equal(result.admission.tightest?.limit.id, "tokens", "only the counters that answered set the headers");
    svc.settle(result.admission, { billed: true, finished: true, outputChars: 0, usage: { inputTokens: 1, outputTokens: 1 } });
    await svc.drain();
    assert.equal(down.settled.length, 0, "nothing held there, nothing settled there");
  } finally {
    console.error = original;
  }
  assert.match(logged[0], /rate counters .* admitted without their rate limits/);
});

test("an unreachable cost/token store refuses with 503 (fails closed) and gives back what the rate store took", async () => {
  const rate = new ScriptedStore(false);
  const broken: CounterStore = { kind: "postgres", claim: async () => Promise.reject(new Error("db down")), settle: async () => {}, read: async () => [], close: async () => {} };
  const { svc } = await service([def("rpm", {}), def("tokens", { measure: "tokens", window: "day", max: 1000 })], { store: broken, rateStore: rate });
  await assert.rejects(Promise.resolve(svc.admit(request("r1"))), (e: unknown) => e instanceof ProxyError && e.error.status === 503 && e.error.code === "limits_unavailable");
  assert.deepEqual(rate.settled, [[0]], "the request count was given back");
});

test("a refusal by one store undoes the other's claims; a budget is named before a rate", async () => {
  const rate = await MemoryCounterStore.open();
  const main = await MemoryCounterStore.open();
  const { svc } = await service(
    [def("rpm", { max: 1 }), def("tokens", { measure: "tokens", window: "day", max: 25 })],
    { store: main, rateStore: rate },
  );
  const first = await svc.admit(request("r1"));
  assert.equal(first.ok, true);
  const both = await svc.admit(request("r2"));
  assert.ok(!both.ok);
  assert.equal(both.refusal.limit.id, "tokens", "both refuse: the budget is the one to name");
  assert.equal(both.status, 402);
  const onlyTokens = await svc.admit(request("r3", { subjects: { proxy: "default" } }));
  assert.ok(!onlyTokens.ok);
  const [counter] = await rate.read("rpm|requests|minute", Date.parse("2026-03-10T12:00:00Z"), "default", 1);
  assert.equal(counter.used + counter.reserved, 1, "refused requests do not count");
});

test("limits reload when the catalog moves; virtual keys named in limits match their ids", async () => {
  const limits = [def("k", { scope: "virtualKey", subject: "app" })];
  const { svc, bump } = await service(limits);
  const admitted = await svc.admit(request("r1"));
  assert.ok(admitted.ok && admitted.admission, "the key named 'app' is vk1");
  limits.push(def("p", { max: 0 }));
  assert.equal((await svc.admit(request("r2"))).ok, true, "not reloaded yet");
  bump();
  assert.equal((await svc.admit(request("r3"))).ok, false, "the first request after a change waits for the reload");
});

test("what refuses with 402 and what with 429", () => {
  assert.equal(refusalStatus({ measure: "requests", window: "month" }), 429);
  assert.equal(refusalStatus({ measure: "tokens", window: "minute" }), 429);
  assert.equal(refusalStatus({ measure: "tokens", window: "hour" }), 402);
  assert.equal(refusalStatus({ measure: "costUsd", window: "lifetime" }), 402);
});
