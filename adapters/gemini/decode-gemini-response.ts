import type { AssistantPart } from "../../src/canonical/content.ts";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse, Finish } from "../../src/canonical/response.ts";
import { decodeGeminiUsage, hasTokenCounts } from "./convert-gemini-usage.ts";
import { decodeModelPart } from "./decode-gemini-parts.ts";
import { randomCallSeed, syntheticCallId } from "./gemini-call-ids.ts";
import type { Candidate, GeminiResponseBody, WirePart } from "./gemini-wire.ts";
import { mapGeminiBlockReason, mapGeminiStopReason } from "./map-gemini-stop-reason.ts";

const ENVELOPE = new Set(["candidates", "usageMetadata", "modelVersion", "responseId"]);
const CANDIDATE = new Set(["content", "finishReason"]);
const CONTENT = new Set(["parts"]);

/**
 * A GenerateContentResponse -> canonical response, from its first candidate (others are kept
 * native). The candidate's other fields (index, safetyRatings, citationMetadata,
 * groundingMetadata, finishMessage, …) are kept in extras under `candidate`, which is present
 * whenever the response had a candidate: it also tells the encoder the response is Gemini's own.
 */
export function decodeGeminiResponse(body: JsonObject): CanonicalResponse {
  const b = body as GeminiResponseBody;
  const [candidate, others] = splitCandidates(b.candidates);
  const seed = b.responseId ?? randomCallSeed();
  const content: AssistantPart[] = [];
  let n = 0;
  const origin = { format: "gemini" as const, index: 0 };
  for (const part of (candidate?.content?.parts ?? []) as WirePart[]) decodeModelPart(part, origin, content, () => syntheticCallId(seed, n++));
  const response: CanonicalResponse = {
    id: b.responseId ?? "",
    model: b.modelVersion ?? "",
    content,
    finish: geminiFinish(candidate, b, content.some((p) => p.type === "tool-call")),
  };
  const meta = b.usageMetadata;
  if (meta && hasTokenCounts(meta)) response.usage = decodeGeminiUsage(meta);
  const extras: JsonObject = { ...restOf(body, ENVELOPE) };
  if (meta && !response.usage) extras.usageMetadata = meta;
  if (candidate) extras.candidate = candidateRest(candidate);
  if (others) extras.otherCandidates = others;
  if (Object.keys(extras).length > 0) response.extras = { gemini: extras };
  return response;
}

/**
 * The candidate the canonical response is about (index 0) and the others, kept native. With
 * candidateCount > 1 a stream chunk may carry another candidate only.
 */
export function splitCandidates(candidates: Candidate[] | undefined): [Candidate | undefined, Candidate[] | undefined] {
  if (!candidates || candidates.length === 0) return [undefined, undefined];
  const first = candidates[0];
  if ((first.index ?? 0) === 0) return [first, candidates.length > 1 ? candidates.slice(1) : undefined];
  const i = candidates.findIndex((c) => (c.index ?? 0) === 0);
  if (i === -1) return [undefined, candidates];
  return [candidates[i], candidates.filter((_, j) => j !== i)];
}

export function geminiFinish(candidate: Candidate | undefined, body: GeminiResponseBody, hasToolCalls: boolean): Finish {
  const reason = candidate?.finishReason as string | undefined;
  if (reason) return mapGeminiStopReason(reason, hasToolCalls);
  const block = body.promptFeedback?.blockReason as string | undefined;
  if (block) return mapGeminiBlockReason(block);
  return { reason: hasToolCalls ? "tool_calls" : "stop" };
}

/** The candidate minus what the canonical response expresses (finish reason, the parts). */
export function candidateRest(candidate: Candidate): JsonObject {
  const rest: JsonObject = restOf(candidate as JsonObject, CANDIDATE) ?? {};
  if (candidate.content) rest.content = restOf(candidate.content as JsonObject, CONTENT) ?? {};
  return rest;
}
