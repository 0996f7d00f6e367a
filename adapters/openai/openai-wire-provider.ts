import type { WireFormat } from "../../src/canonical/extras.ts";
import type { ChatRequestOptions } from "./chat/encode-chat-request.ts";
import { joinUrl, passthroughRequest, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";

export interface OpenAiWireRow {
  id: string;
  /** Default base URL, ending in the API version segment (`…/v1`). Absent: must be configured. */
  baseUrl?: string;
  /** `bearer`: Authorization: Bearer; `api-key`: Azure's api-key header; `optional`: Bearer when a key is set. */
  auth: "bearer" | "api-key" | "optional";
  /** Speaks the Responses API natively. */
  responses?: boolean;
  embeddings?: boolean;
  /** Accepts `stream_options.include_usage` (see ProviderDefinition.streamUsageOption). */
  streamUsageOption?: boolean;
  /** How requests translated from another format are written for this server. */
  chat?: ChatRequestOptions;
  /** Rejects fields it does not know on assistant messages (see ProviderDefinition.strictMessages). */
  strictMessages?: boolean;
}

const PATHS: Partial<Record<WireFormat, string>> = {
  "openai-chat": "/chat/completions",
  "openai-responses": "/responses",
};

/** A provider definition for one row of the OpenAI-wire table. */
export function openAiWireProvider(row: OpenAiWireRow): ProviderDefinition {
  const formats: WireFormat[] = row.responses ? ["openai-chat", "openai-responses"] : ["openai-chat"];
  return {
    id: row.id,
    formats,
    defaultBaseUrl: row.baseUrl,
    envPrefix: row.id.toUpperCase(),
    requiresKey: row.auth !== "optional",
    framing: () => "sse",
    streamUsageOption: row.streamUsageOption,
    requestOptions: row.chat ? { ...row.chat } : undefined,
    strictMessages: row.strictMessages,
    prepare(call: PrepareCall): UpstreamRequest {
      const base = call.credential.baseUrl ?? row.baseUrl;
      if (!base) throw new Error(`provider ${row.id} has no base URL: set ${row.id.toUpperCase()}_BASE_URL or the credential's baseUrl`);
      const headers: Record<string, string> = { accept: call.operation === "stream" ? "text/event-stream" : "application/json" };
      const key = call.credential.apiKey;
      if (key) {
        if (row.auth === "api-key") headers["api-key"] = key;
        else headers.authorization = `Bearer ${key}`;
      }
      if (call.operation === "passthrough") return passthroughRequest(base, call, key ? (row.auth === "api-key" ? { "api-key": key } : { authorization: `Bearer ${key}` }) : {});
      if (call.operation === "models") return { url: joinUrl(base, "/models"), method: "GET", headers };
      const path = PATHS[call.format];
      if (!path) throw new Error(`provider ${row.id} does not speak ${call.format}`);
      headers["content-type"] = "application/json";
      return { url: joinUrl(base, path), method: "POST", headers, body: call.body };
    },
    parseModels(body: unknown): string[] {
      const data = (body as { data?: Array<{ id?: unknown }> } | undefined)?.data;
      return Array.isArray(data) ? data.flatMap((m) => (typeof m?.id === "string" ? [m.id] : [])) : [];
    },
  };
}
