import { sql } from "kysely";
import type { DbHandle, Store } from "./db.ts";
import { applyFilter, type InteractionsQuery as Query } from "./interactions-filter.ts";
import type { InteractionsTable } from "./schema.ts";
import type { SqliteOffload } from "./sqlite-offload.ts";

/** Which interactions a query is about. Times are ISO-8601 UTC: `from` inclusive, `to` exclusive. */
export interface InteractionFilter {
  proxyId?: string;
  provider?: string;
  model?: string;
  agentId?: string;
  userId?: string;
  sessionId?: string;
  executionId?: string;
  /** An exact status, or a range (`4xx` is 400–499). */
  status?: number | { min: number; max: number };
  blocked?: boolean;
  from?: string;
  to?: string;
}

/** A position in the (created_at, id) order: the last row of the previous page. */
export interface Cursor {
  createdAt: string;
  id: string;
}

export interface ListQuery {
  filter: InteractionFilter;
  limit: number;
  order: "asc" | "desc";
  after?: Cursor;
}

/** An interaction as the logs API shows it (bodies only in the detail). */
export interface InteractionView {
  id: string;
  createdAt: string;
  proxyId: string;
  route: string;
  clientFormat: string;
  upstreamFormat: string | null;
  provider: string | null;
  model: string | null;
  requestedModel: string | null;
  responseModel: string | null;
  caller: {
    authMethod: string | null;
    virtualKeyId: string | null;
    oauthClientId: string | null;
    identityProviderId: string | null;
    agentId: string | null;
    userId: string | null;
    sessionId: string | null;
    executionId: string | null;
  };
  status: number;
  error: string | null;
  stream: boolean;
  finishReason: string | null;
  blocked: boolean;
  /** False for a passthrough endpoint forwarded without inspection. */
  inspected: boolean;
  decisions: unknown[];
  taint: unknown;
  usage: {
    inputTokens: number | null;
    outputTokens: number | null;
    cacheReadTokens: number | null;
    cacheWriteTokens: number | null;
    reasoningTokens: number | null;
  };
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  requestBytes: number | null;
  responseBytes: number | null;
}

export interface InteractionDetail extends InteractionView {
  /** As stored: possibly cut at the configured size (then `…Truncated`), with redactions applied. */
  requestBody: string | null;
  responseBody: string | null;
  requestBodyTruncated: boolean;
  responseBodyTruncated: boolean;
}


/** The queries pick their plan per database; on SQLite, aggregates run on the offload worker when there is one. */
export type QueryStore = Pick<Store, "db" | "dialect"> & { offload?: SqliteOffload };

/** One page in (created_at, id) order, newest first or oldest first; `next` when more remain. */
export async function listInteractions(store: QueryStore, q: ListQuery): Promise<{ data: InteractionView[]; next?: Cursor }> {
  let query = applyFilter(store.db.selectFrom("interactions").selectAll() as Query, q.filter, store.dialect);
  const after = q.after;
  if (after) {
    // Written as a range on created_at plus a tie-break, so the index bounds the scan.
    const cmp = q.order === "desc" ? "<" : ">";
    const bound = q.order === "desc" ? "<=" : ">=";
    query = query
      .where("created_at", bound, after.createdAt)
      .where((eb) => eb.or([eb("created_at", cmp, after.createdAt), eb("id", cmp, after.id)]));
  }
  const rows = (await query
    .orderBy("created_at", q.order)
    .orderBy("id", q.order)
    .limit(q.limit + 1)
    .execute()) as InteractionsTable[];
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return { data: page.map(toView), ...(more && last ? { next: { createdAt: last.created_at, id: last.id } } : {}) };
}

export async function getInteraction(store: DbHandle, id: string): Promise<InteractionDetail | undefined> {
  const row = await store.db.selectFrom("interactions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const bodies = await store.db.selectFrom("interaction_bodies").select(["request", "response"]).where("interaction_id", "=", id).executeTakeFirst();
  const request = bodies?.request ?? null;
  const response = bodies?.response ?? null;
  return {
    ...toView(row),
    requestBody: request,
    responseBody: response,
    requestBodyTruncated: truncated(request, row.request_bytes),
    responseBodyTruncated: truncated(response, row.response_bytes),
  };
}

export const USAGE_GROUPS = ["proxy", "agent", "user", "model", "provider", "virtualKey"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** Columns per grouping; grouping by model also names the provider (one model id, several providers). */
const GROUP_COLUMNS: Record<UsageGroup, ReadonlyArray<keyof InteractionsTable>> = {
  proxy: ["proxy_id"],
  agent: ["agent_id"],
  user: ["user_id"],
  model: ["provider", "model"],
  provider: ["provider"],
  virtualKey: ["virtual_key_id"],
};

const VIEW_KEYS: Partial<Record<keyof InteractionsTable, string>> = {
  proxy_id: "proxyId",
  agent_id: "agentId",
  user_id: "userId",
  provider: "provider",
  model: "model",
  virtual_key_id: "virtualKeyId",
};

export interface UsageQuery {
  filter: InteractionFilter;
  groupBy: readonly UsageGroup[];
  /** Groups returned at most (the biggest by cost, then by requests). */
  limit: number;
}

export interface UsageTotals {
  requests: number;
  /** Answers with status 400 or above. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Sum over priced interactions. */
  costUsd: number;
  /** Interactions with token usage but no known price: their cost is missing from `costUsd`. */
  unpricedRequests: number;
}

export type UsageRow = Record<string, string | null> & UsageTotals;

/** Tokens and cost summed per group over the filtered interactions (one aggregate query). */
export async function aggregateUsage(store: QueryStore, q: UsageQuery): Promise<{ data: UsageRow[]; truncated: boolean }> {
  const columns = [...new Set(q.groupBy.flatMap((g) => GROUP_COLUMNS[g]))];
  let query = applyFilter(store.db.selectFrom("interactions") as Query, q.filter, store.dialect)
    .select((eb) => [
      eb.fn.countAll<number | string>().as("requests"),
      eb.fn.sum<number | string | null>(eb.case().when("status", ">=", 400).then(1).else(0).end()).as("errors"),
      eb.fn.sum<number | string | null>("input_tokens").as("input_tokens"),
      eb.fn.sum<number | string | null>("output_tokens").as("output_tokens"),
      eb.fn.sum<number | string | null>("cache_read_tokens").as("cache_read_tokens"),
      eb.fn.sum<number | string | null>("cache_write_tokens").as("cache_write_tokens"),
      eb.fn.sum<number | string | null>("reasoning_tokens").as("reasoning_tokens"),
      eb.fn.sum<number | string | null>("cost_usd").as("cost_usd"),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(eb.and([eb("cost_usd", "is", null), eb.or([eb("input_tokens", ">", 0), eb("output_tokens", ">", 0)])]))
            .then(1)
            .else(0)
            .end(),
        )
        .as("unpriced"),
    ]);
  for (const c of columns) query = query.select(c).groupBy(c);
  const final = query
    // coalesce: PostgreSQL sorts NULLs first when descending, SQLite last.
    .orderBy(sql`coalesce(sum(cost_usd), 0)`, "desc")
    .orderBy(sql`count(*)`, "desc")
    .limit(q.limit + 1);
  // An aggregate may read every row: on SQLite that would stall the event loop for its duration.
  const rows = (store.offload ? await store.offload.read(final.compile()) : await final.execute()) as Array<Record<string, unknown>>;
  const truncatedResult = rows.length > q.limit;
  const data = rows.slice(0, q.limit).map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) out[VIEW_KEYS[c]!] = r[c] ?? null;
    out.requests = num(r.requests);
    out.errors = num(r.errors);
    out.inputTokens = num(r.input_tokens);
    out.outputTokens = num(r.output_tokens);
    out.cacheReadTokens = num(r.cache_read_tokens);
    out.cacheWriteTokens = num(r.cache_write_tokens);
    out.reasoningTokens = num(r.reasoning_tokens);
    out.costUsd = num(r.cost_usd);
    out.unpricedRequests = num(r.unpriced);
    return out as UsageRow;
  });
  return { data, truncated: truncatedResult };
}

function toView(r: InteractionsTable): InteractionView {
  return {
    id: r.id,
    createdAt: r.created_at,
    proxyId: r.proxy_id,
    route: r.route,
    clientFormat: r.client_format,
    upstreamFormat: r.upstream_format,
    provider: r.provider,
    model: r.model,
    requestedModel: r.requested_model,
    responseModel: r.response_model,
    caller: {
      authMethod: r.auth_method,
      virtualKeyId: r.virtual_key_id,
      oauthClientId: r.oauth_client_id,
      identityProviderId: r.identity_provider_id,
      agentId: r.agent_id,
      userId: r.user_id,
      sessionId: r.session_id,
      executionId: r.execution_id,
    },
    status: r.status,
    error: r.error,
    stream: Number(r.stream) === 1,
    finishReason: r.finish_reason,
    blocked: Number(r.blocked) === 1,
    inspected: Number(r.inspected) === 1,
    decisions: parseJson(r.decisions, []) as unknown[],
    taint: parseJson(r.taint, null),
    usage: {
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cacheReadTokens: r.cache_read_tokens,
      cacheWriteTokens: r.cache_write_tokens,
      reasoningTokens: r.reasoning_tokens,
    },
    costUsd: r.cost_usd,
    ttftMs: r.ttft_ms,
    durationMs: r.duration_ms,
    requestBytes: r.request_bytes,
    responseBytes: r.response_bytes,
  };
}

function truncated(text: string | null, bytes: number | null): boolean {
  return text !== null && bytes !== null && Buffer.byteLength(text) < bytes;
}

function parseJson(text: string | null, fallback: unknown): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** PostgreSQL returns bigint sums and counts as strings. */
function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

