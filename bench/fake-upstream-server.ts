import { startOpenAiFake } from "../test/fake-upstreams/openai.ts";

/** The bench's upstream, in its own process so its CPU is not counted as the proxy's. */
const openai = await startOpenAiFake();
// Keep no request log: the bench sends hundreds of thousands.
openai.requests.push = () => 0;
process.send?.({ openai: openai.url });
