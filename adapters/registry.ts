import type { WireFormat } from "../src/canonical/extras.ts";
import { anthropicCodec } from "./anthropic/anthropic-codec.ts";
import { anthropicProvider } from "./anthropic/anthropic-provider.ts";
import { bedrockCodec } from "./bedrock/bedrock-codec.ts";
import { bedrockProvider } from "./bedrock/bedrock-provider.ts";
import { cohereCodec } from "./cohere/cohere-codec.ts";
import { cohereProvider } from "./cohere/cohere-provider.ts";
import { OPENAI_WIRE_PROVIDERS } from "./compatible.ts";
import { geminiCodec } from "./gemini/gemini-codec.ts";
import { geminiProvider } from "./gemini/gemini-provider.ts";
import { geminiJsonArrayFraming } from "./gemini/parse-gemini-json-array-stream.ts";
import { vertexProvider } from "./gemini/vertex-provider.ts";
import { chatCodec } from "./openai/chat/chat-codec.ts";
import { responsesCodec } from "./openai/responses/responses-codec.ts";
import { awsEventStreamFraming } from "./bedrock/bedrock-event-stream-framing.ts";
import type { ProviderDefinition, StreamFraming } from "./provider.ts";
import { sseFraming, type FramingCodec } from "./shared/stream-framing.ts";
import type { WireCodec } from "./types.ts";

/** Every provider the router knows, by its model prefix. */
export const PROVIDERS: readonly ProviderDefinition[] = [
  ...OPENAI_WIRE_PROVIDERS,
  anthropicProvider,
  geminiProvider,
  vertexProvider,
  bedrockProvider,
  cohereProvider,
];

const CODECS: Record<WireFormat, WireCodec> = {
  "openai-chat": chatCodec,
  "openai-responses": responsesCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
  bedrock: bedrockCodec,
  cohere: cohereCodec,
};

const FRAMINGS: Record<StreamFraming, FramingCodec> = {
  sse: sseFraming,
  "aws-eventstream": awsEventStreamFraming,
  "json-array": geminiJsonArrayFraming,
};

const byId = new Map(PROVIDERS.map((p) => [p.id, p]));
const ids = PROVIDERS.map((p) => p.id);

export const providerRegistry = {
  provider: (id: string): ProviderDefinition | undefined => byId.get(id),
  providerIds: (): string[] => ids,
  codec: (format: WireFormat): WireCodec => CODECS[format],
  framing: (name: StreamFraming): FramingCodec => FRAMINGS[name],
};
