/** The guardrail tests' fixture: one fake per native format, proxies with each guardrail setting (not a test file). */

import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { NATIVE_MAPPING, startNativeFakes } from "./helpers/native-fakes.ts";
import { PT_KEY } from "./helpers/passthrough-fixture.ts";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";

export { PT_KEY };

/** Values the tests plant in requests and answers. */
export const OPENAI_KEY = "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcdT3BlbkFJ";
export const GITHUB_TOKEN = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";
export const EMAIL = "jane.doe@example.com";
export const CARD = "4111 1111 1111 1111";

/**
 * Proxies by setting: `default` has none (guardrails off); `redact` replaces secrets and PII;
 * `restore` also puts the values back in the answer; `block` refuses secrets and logs PII;
 * `logonly` only records. The `lookup` tool is trusted on `restore`, so its results do not taint
 * the context and the model's next tool call is not refused by the default policy.
 */
export const GUARDRAILS_YAML = `
policies:
  - { proxy: redact, guardrails: { secrets: redact, pii: redact } }
  - { proxy: restore, guardrails: { secrets: redact, pii: redact, restore: true }, trustedData: [{ tool: lookup, action: mark_as_trusted }] }
  - { proxy: block, guardrails: { secrets: block, pii: log } }
  - { proxy: logonly, guardrails: { secrets: log, pii: log } }
`;

export interface GuardrailFixture {
  proxy: TestProxy;
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  gemini: FakeUpstream;
  bedrock: FakeUpstream;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startGuardrailFixture(): Promise<GuardrailFixture> {
  const fakes = await startNativeFakes();
  const { openai, anthropic, gemini, bedrock } = fakes;
  const mapping = NATIVE_MAPPING;
  const proxies = ["default", "redact", "restore", "block", "logonly"];
  const proxy = await startTestProxy(`
credentials:
${fakes.credentialsYaml}
proxies:
${proxies.map((id) => `  - { id: ${id}, name: ${id}, credentials: ${mapping} }`).join("\n")}
virtualKeys:
  - { name: pt, key: "${PT_KEY}", proxies: [${proxies.join(", ")}], credentials: ${mapping} }
${GUARDRAILS_YAML}`);
  return {
    proxy,
    openai,
    anthropic,
    gemini,
    bedrock,
    url: (path) => `${proxy.url}${path}`,
    async close() {
      await proxy.stop();
      await fakes.close();
    },
  };
}

/** The interaction row for a request id (after flushing the log), with its decisions parsed. */
export async function rowOf(proxy: TestProxy, requestId: string | null | undefined) {
  await proxy.interactions.flush();
  const row = await proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", requestId ?? "").executeTakeFirstOrThrow();
  return { ...row, decisions: JSON.parse(row.decisions ?? "[]") as Array<{ kind: string; action: string; blocked: boolean; detector: string; side: string; count: number; reason: string }> };
}

/** The newest interaction row (ids are time-ordered). */
export async function latestRow(proxy: TestProxy) {
  await proxy.interactions.flush();
  const row = await proxy.store.db.selectFrom("interactions").select("id").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
  return rowOf(proxy, row.id);
}

/** Whether any of the values appear in `text`. */
export const leaks = (text: string, ...values: string[]) => values.filter((v) => text.includes(v));

/** The stored request and response bodies of an interaction (after flushing the log). */
export async function bodiesOf(proxy: TestProxy, requestId: string | null | undefined) {
  await proxy.interactions.flush();
  const b = await proxy.store.db.selectFrom("interaction_bodies").selectAll().where("interaction_id", "=", requestId ?? "").executeTakeFirstOrThrow();
  return { request: b.request ?? "", response: b.response ?? "" };
}
