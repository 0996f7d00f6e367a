import { parentPort, workerData } from "node:worker_threads";
import { openNodeSqlite } from "./sqlite-dialect.ts";
import type { OffloadReply, OffloadRequest } from "./sqlite-offload.ts";

/**
 * The worker side of SqliteOffload: its own connection to the database file (WAL: readers and
 * the main thread's connection go on meanwhile), one request at a time. A write is one
 * transaction (BEGIN IMMEDIATE, like the main thread's driver); a read returns its rows.
 */
const db = openNodeSqlite(workerData.path as string);
const port = parentPort!;

port.on("message", (req: OffloadRequest) => {
  let reply: OffloadReply;
  try {
    if (req.kind === "read") {
      const s = req.statements[0];
      reply = { id: req.id, rows: db.prepare(s.sql).all(s.parameters) as unknown[] };
    } else {
      db.prepare("begin immediate").run([]);
      try {
        for (const s of req.statements) db.prepare(s.sql).run(s.parameters);
        db.prepare("commit").run([]);
      } catch (err) {
        db.prepare("rollback").run([]);
        throw err;
      }
      reply = { id: req.id, rows: [] };
    }
  } catch (err) {
    reply = { id: req.id, error: (err as Error).message };
  }
  port.postMessage(reply);
});
