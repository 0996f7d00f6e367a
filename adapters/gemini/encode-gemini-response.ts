import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { EncodeContext } from "../types.ts";
import { encodeGeminiUsage } from "./convert-gemini-usage.ts";
import { ModelPartsWriter } from "./encode-gemini-parts.ts";
import type { WirePart } from "./gemini-wire.ts";
import { toGeminiFinishReason } from "./map-gemini-stop-reason.ts";

/**
 * Canonical response -> GenerateContentResponse. A response decoded from Gemini is rebuilt from
 * its extras exactly; one from another provider becomes a standard single-candidate response.
 */
export function encodeGeminiResponse(response: CanonicalResponse, context: EncodeContext): JsonObject {
  const own = response.extras?.gemini !== undefined;
  const { candidate: candidateRest, otherCandidates, usageMetadata, ...rest } = extrasOf(response, "gemini") as {
    candidate?: JsonObject;
    otherCandidates?: JsonObject[];
    usageMetadata?: JsonObject;
  };
  const writer = new ModelPartsWriter(false);
  for (const p of response.content) writer.add(p);
  const body: JsonObject = { ...rest };
  if (!own || candidateRest) {
    const candidate = buildCandidate(writer.parts, candidateRest, own);
    if (!own || response.finish.native !== undefined) candidate.finishReason = toGeminiFinishReason(response.finish);
    body.candidates = otherCandidates ? [candidate, ...otherCandidates] : [candidate];
  } else if (otherCandidates) {
    body.candidates = otherCandidates;
  }
  if (response.usage) body.usageMetadata = encodeGeminiUsage(response.usage);
  else if (usageMetadata) body.usageMetadata = usageMetadata;
  const model = response.model || (own ? "" : context.model);
  if (model) body.modelVersion = model;
  if (response.id) body.responseId = response.id;
  return body;
}

/** A candidate around `parts`: from its kept fields when Gemini's own, else the Gemini API's usual shape. */
export function buildCandidate(parts: WirePart[], rest: JsonObject | undefined, own: boolean): JsonObject {
  if (!own) return { content: parts.length > 0 ? { role: "model", parts } : { role: "model" }, index: 0 };
  const { content, ...candidate } = rest ?? {};
  if (content !== undefined || parts.length > 0) candidate.content = parts.length > 0 ? { ...(content as JsonObject), parts } : content;
  return candidate;
}
