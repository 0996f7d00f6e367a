import { readFileSync } from "node:fs";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { CanonicalError } from "../../../src/canonical/error.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import type { Finish, Usage } from "../../../src/canonical/response.ts";
import type { StreamChunk } from "../../../src/canonical/stream.ts";
import { sseFraming } from "../../shared/stream-framing.ts";
import { fixturePath, listFixtures, readFixtureChunks } from "../../../test/helpers/fixtures.ts";
import type { EncodeContext, NativeEvent } from "../../types.ts";
import { chatCodec } from "./chat-codec.ts";

/** Test helpers shared by this folder's tests (not a test file itself). */

export const CHAT_FIXTURE_FOLDERS = ["openai-chat", "deepseek", "groq", "xai", "mistral"] as const;

export function chatFixtures(suffix: string): Array<[folder: string, file: string]> {
  return CHAT_FIXTURE_FOLDERS.flatMap((folder) => listFixtures(folder, suffix).map((f): [string, string] => [folder, f]));
}

/** The gateway trace: raw SSE with framing, parsed by the proxy's own SSE reader. */
export function readSseFixture(...parts: string[]): NativeEvent[] {
  const reader = sseFraming.reader();
  const frames = [...reader.push(readFileSync(fixturePath(...parts))), ...reader.end()];
  return frames.map((f) => f.event);
}

export interface Assembled {
  parts: AssistantPart[];
  finish?: Finish;
  usage?: Usage;
  errors: CanonicalError[];
  chunks: StreamChunk[];
}

/** Runs native events through a fresh decoder and gathers what its events say, as a client would. */
export function decodeStream(events: readonly NativeEvent[]): Assembled {
  const decoder = chatCodec.streamDecoder();
  const out: Assembled = { parts: [], errors: [], chunks: [] };
  const chunks = events.map((e) => decoder.decode(e));
  const tail = decoder.end();
  if (tail) chunks.push(tail);
  for (const chunk of chunks) {
    out.chunks.push(chunk);
    for (const e of chunk.events) {
      if (e.type === "part-end") out.parts[e.index] = e.part;
      else if (e.type === "finish") {
        out.finish = e.finish;
        if (e.usage) out.usage = e.usage;
      } else if (e.type === "usage") out.usage = e.usage;
      else if (e.type === "error") out.errors.push(e.error);
    }
  }
  return out;
}

/** A `.chunks.txt` fixture as the native events its lines were. */
export function chunkEvents(...parts: string[]): NativeEvent[] {
  return readFixtureChunks(...parts).map((data) => ({ data }));
}

export function context(request: Partial<CanonicalRequest> = {}, model = "anthropic:claude-sonnet-4-5"): EncodeContext {
  return { request: { model, messages: [], stream: true, ...request }, model };
}

/** A JSON round trip, as the wire does: undefined fields vanish. */
export function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
