import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { FramingCodec } from "../shared/stream-framing.ts";
import type { NativeEvent } from "../types.ts";

/** One element of the array with the text it arrived as. */
export interface JsonArrayFrame {
  event: NativeEvent;
  raw: string;
}

/**
 * streamGenerateContent without `alt=sse` answers one JSON array that grows as the model writes:
 * `[{…}\n,\r\n{…}\n]`, each element a whole GenerateContentResponse (pretty-printed by Google).
 * This parser hands out each element as soon as its closing brace arrives; bytes may be split
 * anywhere, inside strings and multi-byte characters included. Native passthrough clients that
 * ask for this framing get it back through the writer below.
 */
export class GeminiJsonArrayParser {
  readonly #decoder = new TextDecoder("utf-8");
  #text = "";
  #pos = 0;
  #start = 0;
  #depth = 0;
  #inString = false;
  #escape = false;
  #opened = false;
  #closed = false;

  push(bytes: Uint8Array | string): JsonArrayFrame[] {
    this.#text += typeof bytes === "string" ? bytes : this.#decoder.decode(bytes, { stream: true });
    const out: JsonArrayFrame[] = [];
    const s = this.#text;
    let i = this.#pos;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.#depth === 0) {
        if (c === 123 /* { */) {
          this.#depth = 1;
          this.#start = i;
        } else if (c === 91 /* [ */ && !this.#opened) this.#opened = true;
        else if (c === 93 /* ] */ && this.#opened) this.#closed = true;
        else if (c !== 44 /* , */ && c !== 32 && c !== 10 && c !== 13 && c !== 9) throw notJson(s.slice(i, i + 100));
        continue;
      }
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === 92 /* \ */) this.#escape = true;
        else if (c === 34 /* " */) this.#inString = false;
      } else if (c === 34) this.#inString = true;
      else if (c === 123 || c === 91) this.#depth++;
      else if ((c === 125 /* } */ || c === 93) && --this.#depth === 0) {
        const raw = s.slice(this.#start, i + 1);
        out.push({ event: { data: parse(raw) }, raw });
      }
    }
    // Keep only the element still arriving.
    if (this.#depth === 0) {
      this.#text = "";
      this.#pos = 0;
    } else {
      this.#text = s.slice(this.#start);
      this.#pos = i - this.#start;
      this.#start = 0;
    }
    return out;
  }

  /** The body ended: a half-sent element or a missing `]` means the stream was cut. */
  end(): JsonArrayFrame[] {
    this.push(this.#decoder.decode());
    if (this.#depth !== 0 || (this.#opened && !this.#closed)) {
      throw proxyError(502, "The Gemini stream ended in the middle of its JSON array", { code: "incomplete_stream", kind: "upstream" });
    }
    return [];
  }
}

function parse(raw: string): JsonObject {
  try {
    return JSON.parse(raw) as JsonObject;
  } catch {
    throw notJson(raw.slice(0, 100));
  }
}

function notJson(sample: string) {
  return proxyError(502, `The upstream sent a stream that is not a JSON array of responses: ${sample}`, { code: "bad_upstream_stream", kind: "upstream" });
}

/** Writes events as Google does without `alt=sse`: `[` first element `\n,\r\n` next … `\n]`. */
export class GeminiJsonArrayWriter {
  static readonly contentType = "application/json; charset=UTF-8";
  #first = true;
  readonly #space: number | undefined;

  /** `space`: indent elements like Google (2) or not at all (the default, smaller). */
  constructor(space?: number) {
    this.#space = space;
  }

  write(event: NativeEvent): string {
    const json = typeof event.data === "string" ? event.data : JSON.stringify(event.data, null, this.#space);
    const prefix = this.#first ? "[" : "\n,\r\n";
    this.#first = false;
    return prefix + json;
  }

  end(): string {
    return this.#first ? "[]" : "\n]";
  }
}

/** streamGenerateContent without `alt=sse`, as a stream framing for the proxy's reader and writer. */
export const geminiJsonArrayFraming: FramingCodec = {
  contentType: GeminiJsonArrayWriter.contentType,
  reader() {
    const parser = new GeminiJsonArrayParser();
    return { push: (bytes) => parser.push(bytes), end: () => parser.end() };
  },
  writer: () => new GeminiJsonArrayWriter(),
  rawFrames: false,
};
