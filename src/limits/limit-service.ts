import { proxyError } from "../canonical/error.ts";
import type { CanonicalRequest } from "../canonical/request.ts";
import type { Usage } from "../canonical/response.ts";
import type { CostCalculator } from "../observability/cost/cost-calculator.ts";
import type { Claim, ClaimOutcome, CounterState, CounterStore } from "./counter-store.ts";
import { estimateInputTokens, estimateOutputTokens } from "./estimate-tokens.ts";
import { LimitIndex, type ActiveLimit, type AppliedLimit, type SubjectIds } from "./limit-index.ts";
import type { LimitDefinition, LimitMeasure, LimitScope, LimitWindow } from "./types.ts";
import { windowAt, type WindowSpan } from "./windows.ts";

/** What admission needs to know about a request. */
export interface LimitRequest {
  id: string;
  subjects: SubjectIds;
  provider: string;
  model: string;
  request: CanonicalRequest;
  /** The client's body size, for the input estimate. */
  bodyBytes?: number;
  at: Date;
  /**
   * False for endpoints whose use cannot be seen (files, batches, token counting): they count as
   * requests and are refused once a budget is spent, but reserve no cost or tokens.
   */
  metered: boolean;
}

/** A limit's counter as one request saw it. */
export interface LimitStatus {
  limit: ActiveLimit;
  subject: string;
  max: number;
  used: number;
  reserved: number;
  /** What is left after this request's reservation (never below 0). */
  remaining: number;
  window: WindowSpan;
  /** What the request needed of it. */
  amount: number;
}

export interface Estimate {
  inputTokens: number;
  outputTokens: number;
  /** 0 when the model has no known price. */
  costUsd: number;
}

/** An admitted request's reservations, to be settled when it ends. */
export interface Admission {
  request: LimitRequest;
  estimate: Estimate;
  /** Per store, its claims and their limits' positions in `applied`. */
  holds: Hold[];
  applied: AppliedLimit[];
  /** The limit with the least left (its share of the max), for the X-RateLimit headers. */
  tightest?: LimitStatus;
}

interface Hold {
  store: CounterStore;
  claims: Claim[];
  measures: LimitMeasure[];
  /** Whether the store took the claims (a store that failed open holds nothing). */
  held: boolean;
}

export type AdmitResult = { ok: true; admission?: Admission } | { ok: false; refusal: LimitStatus; status: 402 | 429; estimate: Estimate };

/** How an interaction ended, for its settlement. */
export interface LimitOutcome {
  usage?: Usage;
  responseModel?: string;
  /** The upstream accepted the request (2xx): the provider bills it, reported usage or not. */
  billed: boolean;
  /** The answer ended normally (a finish reason came): its usage is final. */
  finished: boolean;
  /** Characters of output delivered, to estimate an unreported or cut-short answer's output. */
  outputChars: number;
}

export interface LimitSource {
  /** The limits in force and, for limits on one virtual key by name, the keys' ids. */
  load(): Promise<{ limits: LimitDefinition[]; virtualKeys: Map<string, string> }>;
  /** Moves when the limits or the keys may have changed (the catalog's generation). */
  generation(): number;
}

export interface LimitServiceOptions {
  source: LimitSource;
  costs: CostCalculator;
  /** Cost and token counters (and request counters without `rateStore`). */
  store: CounterStore;
  /** Request counters (Redis); fails open: an unreachable Redis admits rather than refuses. */
  rateStore?: CounterStore;
  now?: () => number;
}

/** A window of this size or shorter makes a cost or token limit a rate (429), not a budget (402). */
const RATE_WINDOWS: ReadonlySet<LimitWindow> = new Set(["minute"]);
const BYTES_PER_OUTPUT_TOKEN = 3;

/**
 * Enforces the limits: before the upstream call every applicable limit reserves its share of the
 * request (an estimate for cost and tokens, one for requests) or the request is refused; when the
 * interaction ends the reservations are replaced by what it really used. Limits are cached in
 * memory and reloaded when the catalog moves; counters live in the counter stores.
 */
export class LimitService {
  readonly #source: LimitSource;
  readonly #costs: CostCalculator;
  readonly #store: CounterStore;
  readonly #rateStore: CounterStore | undefined;
  readonly now: () => number;
  #index = new LimitIndex([]);
  #virtualKeys = new Map<string, string>();
  #generation = -1;
  #loading: Promise<void> | undefined;
  readonly #spans = new Map<LimitWindow, WindowSpan>();
  readonly #settling = new Set<Promise<void>>();
  #lastOpenReport = 0;

  private constructor(options: LimitServiceOptions) {
    this.#source = options.source;
    this.#costs = options.costs;
    this.#store = options.store;
    this.#rateStore = options.rateStore;
    this.now = options.now ?? Date.now;
  }

  static async open(options: LimitServiceOptions): Promise<LimitService> {
    const service = new LimitService(options);
    await service.reload();
    return service;
  }

  get stores(): { store: CounterStore; rateStore?: CounterStore } {
    return { store: this.#store, rateStore: this.#rateStore };
  }

  /** Re-reads the limits (after a change made here; other instances' changes arrive with the catalog). */
  reload(): Promise<void> {
    const generation = this.#source.generation();
    const next = (async () => {
      const { limits, virtualKeys } = await this.#source.load();
      this.#virtualKeys = virtualKeys;
      this.#index = new LimitIndex(limits, (scope, subject) => this.resolveSubject(scope, subject));
      this.#generation = generation;
    })();
    this.#loading = next;
    const done = () => {
      if (this.#loading === next) this.#loading = undefined;
    };
    next.then(done, done);
    return next;
  }

  /** The id a request carries for a configured subject (virtual keys may be named). */
  resolveSubject(scope: LimitScope, subject: string): string {
    return scope === "virtualKey" ? (this.#virtualKeys.get(subject) ?? subject) : subject;
  }

  /** Virtual key id -> name, for the usage view. */
  virtualKeyName(id: string): string | undefined {
    for (const [name, keyId] of this.#virtualKeys) if (keyId === id && name !== id) return name;
    return undefined;
  }

  /**
   * Reserves the request's share of every limit that applies, or says which refuses it.
   * Synchronous with the in-memory store and no reload pending: no promise on the hot path.
   */
  admit(req: LimitRequest): AdmitResult | Promise<AdmitResult> {
    if (this.#source.generation() !== this.#generation && !this.#loading) void this.reload().catch((err) => report("reloading limits", err));
    if (this.#loading) return this.#loading.then(() => this.#admit(req));
    return this.#admit(req);
  }

  #admit(req: LimitRequest): AdmitResult | Promise<AdmitResult> {
    if (this.#index.size === 0) return OK;
    const applied = this.#index.applicable(req.subjects, req.provider, req.model);
    if (applied.length === 0) return OK;
    const now = this.now();
    const estimate = this.#estimate(req, applied);
    const main: Hold = { store: this.#store, claims: [], measures: [], held: false };
    const rate: Hold | undefined = this.#rateStore && { store: this.#rateStore, claims: [], measures: [], held: false };
    const where: Array<[Hold, number]> = [];
    for (const { limit, subject } of applied) {
      const span = this.#span(limit.window, now);
      const amount = limit.measure === "requests" ? 1 : limit.measure === "tokens" ? estimate.inputTokens + estimate.outputTokens : estimate.costUsd;
      const hold = limit.measure === "requests" && rate ? rate : main;
      where.push([hold, hold.claims.length]);
      hold.claims.push({ key: limit.counterKey, subject, windowStart: span.start, windowEnd: span.end, cap: limit.max, amount });
      hold.measures.push(limit.measure);
    }
    const holds = [main, rate].filter((h): h is Hold => h !== undefined && h.claims.length > 0);
    const outcomes = holds.map((h) => this.#claim(req.id, h, now));
    const finish = (results: Array<ClaimOutcome | undefined>): AdmitResult | Promise<AdmitResult> => {
      const states = new Map<Hold, ClaimOutcome | undefined>(holds.map((h, i) => [h, results[i]]));
      const statuses = applied.map(({ limit, subject }, i): LimitStatus | undefined => {
        const [hold, j] = where[i];
        const state = stateAt(states.get(hold), j);
        return state && status(limit, subject, state, hold.claims[j]);
      });
      const refusedAt = applied.findIndex((_, i) => {
        const [hold, j] = where[i];
        const out = states.get(hold);
        return out !== undefined && !out.ok && out.failed.includes(j);
      });
      if (refusedAt === -1) {
        const admission: Admission = { request: req, estimate, holds, applied };
        const tightest = tightestOf(statuses);
        if (tightest) admission.tightest = tightest;
        return { ok: true, admission };
      }
      const refusal = worstRefusal(applied, where, states, statuses);
      // Stores that took their claims give them back: the request does not go upstream.
      const undo = holds.filter((h) => h.held).map((h) => h.store.settle(req.id, h.claims, h.claims.map(() => 0), now));
      const result: AdmitResult = { ok: false, refusal, status: refusalStatus(refusal.limit), estimate };
      const pending = undo.filter((u): u is Promise<void> => u instanceof Promise);
      return pending.length > 0 ? Promise.all(pending).then(() => result) : result;
    };
    if (!outcomes.some((o) => o instanceof Promise)) return finish(outcomes as Array<ClaimOutcome | undefined>);
    return Promise.allSettled(outcomes).then(async (results) => {
      const failure = results.find((r) => r.status === "rejected");
      if (!failure) return finish(results.map((r) => (r as PromiseFulfilledResult<ClaimOutcome | undefined>).value));
      // One store failed closed: what the other took goes back before the 503.
      await Promise.all(holds.filter((h) => h.held).map((h) => h.store.settle(req.id, h.claims, h.claims.map(() => 0), now))).catch(() => {});
      throw failure.reason;
    });
  }

  /** One store's claim; a failing rate store admits (undefined: nothing held), the main store refuses with 503. */
  #claim(requestId: string, hold: Hold, now: number): ClaimOutcome | undefined | Promise<ClaimOutcome | undefined> {
    const failOpen = hold.store === this.#rateStore;
    const took = (out: ClaimOutcome) => {
      hold.held = out.ok;
      return out;
    };
    const failed = (err: unknown): undefined => {
      if (!failOpen) throw proxyError(503, "Usage limits cannot be checked right now (the limit counters are unavailable); try again shortly", { code: "limits_unavailable", kind: "overloaded", retryAfter: 5 });
      if (Date.now() - this.#lastOpenReport > 10_000) {
        this.#lastOpenReport = Date.now();
        report(`the ${hold.store.kind} rate counters (requests are admitted without their rate limits meanwhile)`, err);
      }
      return undefined;
    };
    try {
      const out = hold.store.claim(requestId, hold.claims, now);
      return out instanceof Promise ? out.then(took, failed) : took(out);
    } catch (err) {
      return failed(err);
    }
  }

  #estimate(req: LimitRequest, applied: readonly AppliedLimit[]): Estimate {
    if (!req.metered) return { inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const inputTokens = estimateInputTokens(req.request, req.bodyBytes);
    const outputTokens = estimateOutputTokens(req.request);
    let costUsd = 0;
    if (applied.some((a) => a.limit.measure === "costUsd")) {
      costUsd = this.#costs.cost({ provider: req.provider, model: req.model, responseModel: undefined, usage: { inputTokens, outputTokens }, at: req.at }) ?? 0;
    }
    return { inputTokens, outputTokens, costUsd };
  }

  /**
   * Replaces the reservations by what the interaction used: its reported usage and the cost of it;
   * a request the upstream refused used nothing; one the provider accepted but that reported no
   * usage, or was cut short, is charged its input estimate and the output it delivered.
   */
  settle(admission: Admission, outcome: LimitOutcome): void {
    const used = this.used(admission, outcome);
    const now = this.now();
    for (const hold of admission.holds) {
      if (!hold.held) continue;
      const actual = hold.measures.map((m, i) => (m === "requests" ? hold.claims[i].amount : m === "tokens" ? used.tokens : used.costUsd));
      try {
        const done = hold.store.settle(admission.request.id, hold.claims, actual, now);
        if (done instanceof Promise) this.#track(done);
      } catch (err) {
        report("settling limit counters", err);
      }
    }
  }

  /** What an interaction used, in tokens and USD. */
  used(admission: Admission, outcome: LimitOutcome): { tokens: number; costUsd: number } {
    if (!outcome.billed) return { tokens: 0, costUsd: 0 };
    const { request, estimate } = admission;
    let usage = outcome.usage;
    const delivered = Math.ceil(outcome.outputChars / BYTES_PER_OUTPUT_TOKEN);
    if (!usage || !outcome.finished) {
      usage = {
        inputTokens: usage && usage.inputTokens > 0 ? usage.inputTokens : estimate.inputTokens,
        outputTokens: Math.max(usage?.outputTokens ?? 0, delivered),
      };
    }
    const tokens = usage.inputTokens + usage.outputTokens;
    const wantsCost = admission.applied.some((a) => a.limit.measure === "costUsd");
    const costUsd = wantsCost
      ? (this.#costs.cost({ provider: request.provider, model: request.model, responseModel: outcome.responseModel, usage, at: request.at }) ?? 0)
      : 0;
    return { tokens, costUsd };
  }

  #track(work: Promise<void>): void {
    const p = work.catch((err) => report("settling limit counters", err));
    this.#settling.add(p);
    void p.then(() => this.#settling.delete(p));
  }

  #span(window: LimitWindow, now: number): WindowSpan {
    const cached = this.#spans.get(window);
    if (cached && now >= cached.start && now < cached.end) return cached;
    const span = windowAt(window, now);
    this.#spans.set(window, span);
    return span;
  }

  /** Settlements still being written. */
  async drain(): Promise<void> {
    while (this.#settling.size > 0) await Promise.allSettled([...this.#settling]);
  }

  async close(): Promise<void> {
    await this.#loading?.catch(() => {});
    await this.drain();
    await this.#store.close();
    await this.#rateStore?.close();
  }
}

const OK: AdmitResult = { ok: true };

function stateAt(outcome: ClaimOutcome | undefined, i: number): CounterState | undefined {
  return outcome?.states[i];
}

function status(limit: ActiveLimit, subject: string, state: CounterState, claim: Claim): LimitStatus {
  return {
    limit,
    subject,
    max: limit.max,
    used: state.used,
    reserved: state.reserved,
    remaining: Math.max(0, limit.max - state.used - state.reserved),
    window: { start: claim.windowStart, end: claim.windowEnd },
    amount: claim.amount,
  };
}

/** The limit with the smallest share left; on a tie, the one that resets last. */
export function tightestOf(statuses: ReadonlyArray<LimitStatus | undefined>): LimitStatus | undefined {
  let best: LimitStatus | undefined;
  let bestShare = Number.POSITIVE_INFINITY;
  for (const s of statuses) {
    if (!s) continue;
    const share = s.max > 0 ? s.remaining / s.max : 0;
    if (share < bestShare || (share === bestShare && best && s.window.end > best.window.end)) {
      best = s;
      bestShare = share;
    }
  }
  return best;
}

/**
 * Of several limits refusing, the one to name: a budget before a rate (waiting for a rate window
 * does not help when the budget is spent), then the one that resets last.
 */
function worstRefusal(applied: readonly AppliedLimit[], where: ReadonlyArray<[Hold, number]>, states: Map<Hold, ClaimOutcome | undefined>, statuses: ReadonlyArray<LimitStatus | undefined>): LimitStatus {
  let worst: LimitStatus | undefined;
  applied.forEach(({ limit, subject }, i) => {
    const [hold, j] = where[i];
    const out = states.get(hold);
    if (!out || out.ok || !out.failed.includes(j)) return;
    const s = statuses[i] ?? status(limit, subject, { used: limit.max, reserved: 0 }, hold.claims[j]);
    if (!worst) worst = s;
    else {
      const budget = refusalStatus(s.limit) === 402;
      const worstBudget = refusalStatus(worst.limit) === 402;
      if ((budget && !worstBudget) || (budget === worstBudget && s.window.end > worst.window.end)) worst = s;
    }
  });
  return worst!;
}

/** Requests, and anything per minute, are rates (429: retry later); cost and tokens over longer windows are budgets (402). */
export function refusalStatus(limit: Pick<LimitDefinition, "measure" | "window">): 402 | 429 {
  return limit.measure === "requests" || RATE_WINDOWS.has(limit.window) ? 429 : 402;
}

function report(what: string, err: unknown): void {
  console.error(`portcullis: ${what} failed: ${(err as Error)?.message ?? String(err)}`);
}
