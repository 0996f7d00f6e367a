import { loadConfig } from "./config/load-config.ts";
import { redact } from "./store/db.ts";
import { startPortcullis } from "./portcullis.ts";

/** `npm start`: the proxy on :9000 with an embedded SQLite database, no config needed. */
let config;
try {
  config = await loadConfig({ argv: process.argv.slice(2), env: process.env });
} catch (err) {
  console.error(`portcullis: ${(err as Error).message}`);
  process.exit(1);
}

let app;
try {
  app = await startPortcullis({ config, env: process.env });
} catch (err) {
  console.error(`portcullis: could not start: ${(err as Error).message}`);
  process.exit(1);
}

console.log(`portcullis listening on ${app.url} (database ${redact(config.database.url)}${config.file ? `, config ${config.file}` : ""})`);
console.log(`  model router: ${app.url}/v1/model-router/default  (OpenAI base URL; model ids like openai:gpt-4o-mini)`);
for (const line of app.printOnce) console.log(`  ${line}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`portcullis: ${signal}, finishing requests in flight and flushing the log`);
    app.close().then(
      () => process.exit(0),
      (err) => {
        console.error(`portcullis: shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  });
}
