import { Worker } from "node:worker_threads";

export interface OffloadStatement {
  sql: string;
  parameters: readonly unknown[];
}

export interface OffloadRequest {
  id: number;
  kind: "read" | "write";
  statements: OffloadStatement[];
}

export type OffloadReply = { id: number; rows: unknown[] } | { id: number; error: string };

/**
 * Runs SQLite statements on a worker thread. node:sqlite is synchronous: a batch insert into the
 * interaction log (~25 µs a row with its indexes) or a usage aggregate over a million rows
 * (~0.5 s) would otherwise stop every request the event loop serves meanwhile. Statements are
 * compiled by Kysely on the main thread and executed by the worker on its own connection.
 * The worker starts on first use and restarts after a crash (its requests in flight fail, and
 * the interaction log retries them).
 */
export class SqliteOffload {
  readonly #path: string;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, { resolve(rows: unknown[]): void; reject(err: Error): void }>();
  readonly #inflight = new Set<Promise<unknown[]>>();
  #next = 1;
  #closed = false;

  constructor(path: string) {
    this.#path = path;
  }

  /** Writes in one transaction (all or nothing). */
  async write(statements: OffloadStatement[]): Promise<void> {
    await this.#send("write", statements);
  }

  read<T>(statement: OffloadStatement): Promise<T[]> {
    return this.#send("read", [statement]) as Promise<T[]>;
  }

  /** Lets what was sent finish, then stops the worker. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#inflight);
    await this.#worker?.terminate();
    this.#worker = undefined;
  }

  #send(kind: OffloadRequest["kind"], statements: OffloadStatement[]): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new Error("the SQLite worker is closed"));
    const worker = this.#start();
    const id = this.#next++;
    const done = new Promise<unknown[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Only while something is pending does the worker keep the process alive.
      worker.ref();
      worker.postMessage({ id, kind, statements } satisfies OffloadRequest);
    });
    this.#inflight.add(done);
    const forget = () => void this.#inflight.delete(done);
    done.then(forget, forget);
    return done;
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./sqlite-offload-worker.ts", import.meta.url), { workerData: { path: this.#path } });
    worker.unref();
    worker.on("message", (reply: OffloadReply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if ("error" in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.rows);
    });
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the SQLite worker exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
