import assert from "node:assert/strict";
import { test } from "node:test";
import type { Claim } from "./counter-store.ts";
import { MemoryCounterStore, type CounterDelta } from "./memory-counter-store.ts";

const claim = (key: string, cap: number, amount: number, subject = "s"): Claim => ({ key, subject, windowStart: 0, windowEnd: 60_000, cap, amount });

test("claims are all or nothing; a claim fits while something is left and its amount fits in it", async () => {
  const store = await MemoryCounterStore.open();
  assert.deepEqual(store.claim("r1", [claim("a", 10, 6), claim("b", 100, 6)]), { ok: true, states: [{ used: 0, reserved: 6 }, { used: 0, reserved: 6 }] });
  const refused = store.claim("r2", [claim("a", 10, 5), claim("b", 100, 5)]);
  assert.deepEqual(refused, { ok: false, failed: [0], states: [{ used: 0, reserved: 6 }, { used: 0, reserved: 6 }] });
  assert.equal((await store.read("b", 0, "s", 10))[0].reserved, 6, "b gave nothing to the refused request");
  store.settle("r1", [claim("a", 10, 6), claim("b", 100, 6)], [4, 4]);
  assert.deepEqual(await store.read("a", 0, "s", 10), [{ subject: "s", used: 4, reserved: 0 }]);
  assert.equal(store.claim("r3", [claim("a", 10, 6)]).ok, true, "4 used + 6 = 10 fits exactly");
  store.settle("r3", [claim("a", 10, 6)], [6]);
  assert.equal(store.claim("r4", [claim("a", 10, 0)]).ok, false, "nothing left: even a free request is refused");
  assert.equal(store.claim("r5", [claim("z", 0, 0)]).ok, false, "a max of 0 refuses everything");
});

test("settled use is saved in batches (reservations never); a new store loads it; a failed save is retried", async () => {
  const saved: CounterDelta[][] = [];
  let fail = true;
  const persistence = {
    load: async () => saved.flat().map((d) => ({ ...d })),
    save: async (deltas: readonly CounterDelta[]) => {
      if (fail) {
        fail = false;
        throw new Error("disk full");
      }
      saved.push([...deltas]);
    },
  };
  const store = await MemoryCounterStore.open({ persistence, flushMs: 60_000, now: () => 1000 });
  store.claim("r1", [claim("a", 100, 50)]);
  store.settle("r1", [claim("a", 100, 50)], [30]);
  store.claim("r2", [claim("a", 100, 50)]);
  const errors: string[] = [];
  const original = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    await store.flush();
  } finally {
    console.error = original;
  }
  assert.equal(saved.length, 0);
  assert.match(errors[0], /disk full/);
  await store.flush();
  assert.deepEqual(saved, [[{ key: "a", subject: "s", windowStart: 0, windowEnd: 60_000, used: 30 }]]);
  await store.flush();
  assert.equal(saved.length, 1, "nothing new: nothing written");
  const reopened = await MemoryCounterStore.open({ persistence, now: () => 1000 });
  assert.deepEqual(await reopened.read("a", 0, "s", 10), [{ subject: "s", used: 30, reserved: 0 }], "the reservation in flight was not kept");
  await store.close();
  await reopened.close();
});

test("the usage view lists a window's subjects, largest first, at most as many as asked", async () => {
  const store = await MemoryCounterStore.open();
  for (const [s, n] of [["x", 1], ["y", 3], ["z", 2]] as const) {
    store.claim(s, [claim("k", 10, n, s)]);
    store.settle(s, [claim("k", 10, n, s)], [n]);
  }
  assert.deepEqual(
    (await store.read("k", 0, undefined, 2)).map((r) => r.subject),
    ["y", "z"],
  );
});
