import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let offset = pool.length;

/**
 * An id shaped like OpenAI's (`resp_…`, `msg_…`, `rs_…`, `fc_…`, `ctc_…`: prefix and 48 hex
 * digits), for responses and output items made from another provider's answer. Strict clients
 * check the prefix and that ids are unique within a response. Random bytes come from a pool.
 */
export function responsesId(prefix: "resp" | "msg" | "rs" | "fc" | "ctc"): string {
  if (offset + 24 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = `${prefix}_${pool.toString("hex", offset, offset + 24)}`;
  offset += 24;
  return id;
}
