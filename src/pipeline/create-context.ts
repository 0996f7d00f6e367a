import type { IncomingHttpHeaders } from "node:http";
import type { WireCodec } from "../../adapters/types.ts";
import { uuidv7 } from "../util/uuidv7.ts";
import type { StreamFraming } from "../../adapters/provider.ts";
import type { PassthroughInfo, RequestContext } from "./context.ts";

export interface NewContext {
  route: RequestContext["route"];
  clientCodec: WireCodec;
  proxyId: string;
  headers: IncomingHttpHeaders;
  peer?: string;
  readBody: () => Promise<Buffer>;
  clientFraming?: StreamFraming;
  passthrough?: PassthroughInfo;
}

export function createContext(init: NewContext): RequestContext {
  const receivedAt = new Date();
  return {
    id: uuidv7(receivedAt.getTime()),
    receivedAt,
    startedAt: performance.now(),
    route: init.route,
    headers: init.headers,
    ...(init.peer !== undefined && { peer: init.peer }),
    clientFormat: init.clientCodec.format,
    clientCodec: init.clientCodec,
    clientFraming: init.clientFraming ?? "sse",
    ...(init.passthrough && { passthrough: init.passthrough }),
    proxyId: init.proxyId,
    caller: { authMethod: "none" },
    readBody: init.readBody,
    body: {},
    request: { model: "", messages: [], stream: false },
    requestChanged: false,
    abort: new AbortController(),
  };
}
