import { startAnthropicFake } from "../test/fake-upstreams/anthropic.ts";
import { startBedrockFake } from "../test/fake-upstreams/bedrock.ts";
import { startGeminiFake } from "../test/fake-upstreams/gemini.ts";
import { startOpenAiFake } from "../test/fake-upstreams/openai.ts";

/** The bench's upstreams, in their own process so their CPU is not counted as the proxy's. */
const fakes = { openai: await startOpenAiFake(), anthropic: await startAnthropicFake(), gemini: await startGeminiFake(), bedrock: await startBedrockFake() };
// Keep no request log: the bench sends hundreds of thousands.
for (const f of Object.values(fakes)) f.requests.push = () => 0;
process.send?.(Object.fromEntries(Object.entries(fakes).map(([name, f]) => [name, f.url])));
