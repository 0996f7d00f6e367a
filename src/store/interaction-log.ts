import type { Store } from "./db.ts";
import type { InteractionBodiesTable, InteractionsTable } from "./schema.ts";
import { serializeBody } from "./serialize-body.ts";
import type { OffloadStatement, SqliteOffload } from "./sqlite-offload.ts";

/** One proxied request, as the pipeline reports it when the interaction ends. */
export interface InteractionRow {
  /** uuidv7 (the request id). */
  id: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  proxyId: string;
  route: "router" | "passthrough";
  /** The wire format the client spoke. */
  clientFormat: string;
  /** The wire format spoken upstream. */
  upstreamFormat?: string;
  provider?: string;
  /** The model asked of the upstream (the router's prefix removed). */
  model?: string;
  /** The model string as the client sent it (`openai:gpt-4o-mini`). */
  requestedModel?: string;
  /** The model that answered, as the upstream named it (often a dated variant). */
  responseModel?: string;
  /** `virtual-key`, `oauth-client`, `idp-user`, `provider-key` or `none`. */
  authMethod?: string;
  virtualKeyId?: string;
  oauthClientId?: string;
  identityProviderId?: string;
  agentId?: string;
  userId?: string;
  sessionId?: string;
  executionId?: string;
  /** HTTP status returned to the client. */
  status: number;
  error?: string;
  stream: boolean;
  /** The canonical finish reason (`stop`, `length`, `tool_calls`, …). */
  finishReason?: string;
  /** A policy or guardrail refused or replaced something. */
  blocked?: boolean;
  /** False for a passthrough endpoint forwarded without inspection (files, batches, …). */
  inspected?: boolean;
  /** Policy and guardrail decisions (stored as JSON). */
  decisions?: readonly object[];
  /** Where the context became untrusted (stored as JSON). */
  taint?: object;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** USD; null when the model has no known price. */
  costUsd?: number | null;
  ttftMs?: number;
  durationMs?: number;
  /**
   * Bodies, held by reference and serialized by the writer (off the request path): bytes or text
   * as they are, anything else as JSON; cut at `maxBodyBytes`, `redact` applied first.
   */
  requestBody?: Uint8Array | string;
  responseBody?: unknown;
  redact?: (text: string) => string;
}

export interface InteractionLogOptions {
  /** How long a row may wait before it is written. */
  intervalMs?: number;
  /** Rows per multi-row insert; a full batch is written at once. */
  batchSize?: number;
  /** Rows kept while the database is unreachable; beyond it the oldest are dropped (and reported). */
  maxBuffered?: number;
  /** Where failures are reported; stderr by default. */
  report?: (message: string) => void;
  /** Per body: longer bodies are stored cut (their full size is kept in request_bytes/response_bytes). */
  maxBodyBytes?: number;
  /** SQLite: run the inserts on this worker thread rather than blocking the event loop. */
  offload?: SqliteOffload;
}

const MAX_BACKOFF_MS = 10_000;
/**
 * Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535. A batch larger than
 * this budget allows is split into several inserts (in the same transaction).
 */
const MAX_PARAMETERS = 30_000;
/** Batches per transaction when a backlog built up (bounded: SQLite writes block the event loop). */
const BATCHES_PER_TRANSACTION = 4;

/**
 * The interaction log: `record` only appends to memory, so the request path never waits on the
 * database. Rows are written every `intervalMs`, or as soon as a batch is full, as multi-row
 * inserts in one transaction. A failed write keeps its rows and is retried with backoff; the
 * failure is reported, never thrown. `close()` writes everything that is left.
 */
export class InteractionLog {
  readonly #store: Store;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #maxBuffered: number;
  readonly #report: (message: string) => void;
  readonly #maxBodyBytes: number;
  readonly #offload: SqliteOffload | undefined;
  #buffer: InteractionRow[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerDue = 0;
  #writing: Promise<boolean> | undefined;
  #failures = 0;
  #dropped = 0;
  #closed = false;

  constructor(store: Store, options: InteractionLogOptions = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 200;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
    this.#report = options.report ?? ((m) => console.error(m));
    this.#maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.#offload = options.offload;
  }

  /** Rows recorded but not yet written. */
  get pending(): number {
    return this.#buffer.length;
  }

  record(row: InteractionRow): void {
    if (this.#closed) {
      this.#report(`portcullis: interaction ${row.id} recorded after the log was closed; not written`);
      return;
    }
    this.#buffer.push(row);
    if (this.#buffer.length > this.#maxBuffered) {
      this.#buffer.shift();
      if (this.#dropped++ % 1000 === 0) this.#report(`portcullis: interaction log backlog full; ${this.#dropped} oldest row(s) dropped`);
    }
    if (this.#failures > 0 || this.#writing) return; // the writer in progress or its retry picks the row up
    this.#schedule(this.#buffer.length >= this.#batchSize ? 0 : this.#intervalMs);
  }

  /** Writes every row recorded so far; resolves when done or when the write failed (rows kept for retry). */
  async flush(): Promise<void> {
    if (this.#writing) await this.#writing;
    if (this.#buffer.length > 0) await this.#write();
  }

  /** Stops the timers and writes what is left, retrying a little; reports rows it could not write. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    // The first flush also waits for a write in flight, whose rows are out of the buffer.
    await this.flush();
    for (let attempt = 1; this.#buffer.length > 0 && attempt < 5; attempt++) {
      await new Promise((r) => setTimeout(r, 100 * attempt));
      await this.flush();
    }
    if (this.#buffer.length > 0) {
      this.#report(`portcullis: interaction log closed with ${this.#buffer.length} row(s) it could not write`);
    }
  }

  #schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.#timer) {
      if (this.#timerDue <= due) return;
      clearTimeout(this.#timer);
    }
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, delayMs);
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One writer at a time; after it, whatever arrived meanwhile is scheduled. */
  #write(): Promise<boolean> {
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
      if (this.#closed || this.#buffer.length === 0) return;
      if (this.#failures > 0) this.#schedule(Math.min(this.#intervalMs * 2 ** this.#failures, MAX_BACKOFF_MS));
      else this.#schedule(this.#buffer.length >= this.#batchSize ? 0 : this.#intervalMs);
    });
    return this.#writing;
  }

  async #drain(): Promise<boolean> {
    while (this.#buffer.length > 0) {
      const rows = this.#buffer.splice(0, this.#batchSize * BATCHES_PER_TRANSACTION);
      try {
        await this.#insert(rows);
        if (this.#failures > 0) this.#report(`portcullis: interaction log writes again after ${this.#failures} failure(s)`);
        this.#failures = 0;
      } catch (err) {
        this.#buffer = rows.concat(this.#buffer);
        this.#failures++;
        this.#report(
          `portcullis: writing ${rows.length} interaction(s) failed (attempt ${this.#failures}, ${this.#buffer.length} waiting): ${(err as Error).message}`,
        );
        return false;
      }
    }
    return true;
  }

  async #insert(rows: InteractionRow[]): Promise<void> {
    const max = this.#maxBodyBytes;
    const columns: InteractionsTable[] = [];
    const bodies: InteractionBodiesTable[] = [];
    for (const row of rows) {
      const request = serializeBody(row.requestBody, row.redact, max);
      const response = serializeBody(row.responseBody, row.redact, max);
      columns.push(toColumns(row, request.bytes, response.bytes));
      if (request.text !== null || response.text !== null) bodies.push({ interaction_id: row.id, request: request.text, response: response.text });
    }
    const perInsert = Math.min(this.#batchSize, Math.floor(MAX_PARAMETERS / Object.keys(columns[0]).length));
    if (this.#offload) {
      const statements: OffloadStatement[] = [];
      for (let i = 0; i < columns.length; i += perInsert) statements.push(sqliteInsert("interactions", "id", columns.slice(i, i + perInsert)));
      for (let i = 0; i < bodies.length; i += perInsert) statements.push(sqliteInsert("interaction_bodies", "interaction_id", bodies.slice(i, i + perInsert)));
      await this.#offload.write(statements);
      return;
    }
    await this.#store.db.transaction().execute(async (trx) => {
      // A retry after a commit whose answer was lost must not fail on its own rows.
      for (let i = 0; i < columns.length; i += perInsert) {
        await trx.insertInto("interactions").values(columns.slice(i, i + perInsert)).onConflict((oc) => oc.column("id").doNothing()).execute();
      }
      for (let i = 0; i < bodies.length; i += perInsert) {
        await trx.insertInto("interaction_bodies").values(bodies.slice(i, i + perInsert)).onConflict((oc) => oc.column("interaction_id").doNothing()).execute();
      }
    });
  }
}

const insertSql = new Map<string, string>();

/**
 * A multi-row `insert … on conflict do nothing` for the SQLite worker, written directly: the
 * rows all have the same columns, and Kysely's compiler would spend ~4 µs a row on the main
 * thread re-deriving that.
 */
function sqliteInsert(table: string, key: string, rows: ReadonlyArray<object>): OffloadStatement {
  const names = Object.keys(rows[0]);
  const cacheKey = `${table}\u0000${rows.length}\u0000${names.join(",")}`;
  let text = insertSql.get(cacheKey);
  if (!text) {
    const tuple = `(${names.map(() => "?").join(", ")})`;
    text = `insert into "${table}" (${names.map((n) => `"${n}"`).join(", ")}) values ${new Array(rows.length).fill(tuple).join(", ")} on conflict ("${key}") do nothing`;
    if (insertSql.size > 64) insertSql.clear();
    insertSql.set(cacheKey, text);
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const name of names) parameters.push((row as Record<string, unknown>)[name]);
  return { sql: text, parameters };
}

/** Every column explicitly (a multi-row insert needs the same columns in each row). */
function toColumns(r: InteractionRow, requestBytes: number | null, responseBytes: number | null): InteractionsTable {
  return {
    id: r.id,
    created_at: r.createdAt,
    proxy_id: r.proxyId,
    route: r.route,
    client_format: r.clientFormat,
    upstream_format: r.upstreamFormat ?? null,
    provider: r.provider ?? null,
    model: r.model ?? null,
    requested_model: r.requestedModel ?? null,
    response_model: r.responseModel ?? null,
    auth_method: r.authMethod ?? null,
    virtual_key_id: r.virtualKeyId ?? null,
    oauth_client_id: r.oauthClientId ?? null,
    identity_provider_id: r.identityProviderId ?? null,
    agent_id: r.agentId ?? null,
    user_id: r.userId ?? null,
    session_id: r.sessionId ?? null,
    execution_id: r.executionId ?? null,
    status: r.status,
    error: r.error ?? null,
    stream: r.stream ? 1 : 0,
    finish_reason: r.finishReason ?? null,
    blocked: r.blocked ? 1 : 0,
    inspected: r.inspected === false ? 0 : 1,
    decisions: r.decisions && r.decisions.length > 0 ? JSON.stringify(r.decisions) : null,
    taint: r.taint ? JSON.stringify(r.taint) : null,
    input_tokens: r.inputTokens ?? null,
    output_tokens: r.outputTokens ?? null,
    cache_read_tokens: r.cacheReadTokens ?? null,
    cache_write_tokens: r.cacheWriteTokens ?? null,
    reasoning_tokens: r.reasoningTokens ?? null,
    cost_usd: r.costUsd ?? null,
    ttft_ms: r.ttftMs ?? null,
    duration_ms: r.durationMs ?? null,
    request_bytes: requestBytes,
    response_bytes: responseBytes,
  };
}
