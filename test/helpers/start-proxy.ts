import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.ts";
import { startPortcullis, type Portcullis } from "../../src/portcullis.ts";

export interface TestProxy extends Portcullis {
  dir: string;
  adminToken: string;
  stop(): Promise<void>;
}

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/**
 * Starts Portcullis in-process on a free port with a fresh SQLite database in a temp dir and
 * the given YAML config (server/database sections are filled in).
 */
export async function startTestProxy(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-test-"));
  const file = join(dir, "portcullis.yaml");
  writeFileSync(file, `database: { url: "sqlite:${join(dir, "test.db")}" }\n${yaml}`);
  const fullEnv = { PORTCULLIS_SECRET: "test-secret", PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN, ...env };
  const config = await loadConfig({ argv: ["--config", file], env: fullEnv });
  const app = await startPortcullis({ config, env: fullEnv, port: 0, keyFile: join(dir, "secret.key") });
  return {
    ...app,
    dir,
    adminToken: ADMIN_TOKEN,
    async stop() {
      await app.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
