import { startAnthropicFake } from "../test/fake-upstreams/anthropic.ts";
import { startOpenAiFake } from "../test/fake-upstreams/openai.ts";

/** The bench's upstreams, in their own process so their CPU is not counted as the proxy's. */
const [openai, anthropic] = await Promise.all([startOpenAiFake(), startAnthropicFake()]);
// Keep no request log: the bench sends hundreds of thousands.
openai.requests.push = () => 0;
anthropic.requests.push = () => 0;
process.send?.({ openai: openai.url, anthropic: anthropic.url });
