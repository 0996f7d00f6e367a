import { randomBytes } from "node:crypto";

/**
 * The Gemini API gives function calls no ids (Vertex sometimes does), and matches results to
 * calls by name and order. Canonical calls need ids, so the decoders make them up with this
 * prefix; the encoders recognise it and never send a made-up id upstream.
 */
const PREFIX = "call_gm_";

/** OpenAI rejects tool call ids over 40 characters: keep the seed short. */
const MAX_SEED = 24;

export function isSyntheticCallId(id: string): boolean {
  return id.startsWith(PREFIX);
}

/** A stable id for the n-th call of a response (seeded by its responseId) or a request position. */
export function syntheticCallId(seed: string, n: number): string {
  return `${PREFIX}${seed.length > MAX_SEED ? seed.slice(0, MAX_SEED) : seed}_${n}`;
}

/** A seed for responses that carry no responseId (ids must still differ between turns). */
export function randomCallSeed(): string {
  return randomBytes(9).toString("base64url");
}
