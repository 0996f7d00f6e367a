import { randomUUID } from "node:crypto";
import type { AssistantPart, ReasoningPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent, StreamDecoder } from "../types.ts";
import { decodeBedrockStreamException } from "./bedrock-error.ts";
import { isExceptionEvent } from "./bedrock-event-stream-framing.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import type { BedrockContentBlockDelta, BedrockStreamPayloads } from "./bedrock-wire-types.ts";
import { decodeBedrockUsage } from "./convert-bedrock-usage.ts";
import { decodeCitation, decodeFinish } from "./decode-bedrock-response.ts";

interface Block {
  index: number;
  part: TextPart | ReasoningPart | ToolCallPart;
  /** Our structured-output tool: its input streams as the answer text. */
  json?: boolean;
}

/** `p` is the padding Bedrock adds to every payload to hide its length: never kept. */
const PADDING = "p";
const known = (...keys: string[]) => new Set([PADDING, ...keys]);
const START_KNOWN = known("role");
const BLOCK_START_KNOWN = known("contentBlockIndex", "start");
const BLOCK_DELTA_KNOWN = known("contentBlockIndex", "delta");
const BLOCK_STOP_KNOWN = known("contentBlockIndex");
const METADATA_KNOWN = known("usage");

/**
 * ConverseStream events as canonical chunks, one per event. Text and reasoning blocks have no
 * contentBlockStart on the wire: their first delta starts the part. Bedrock sends the stop reason
 * (messageStop) before the usage (metadata), while canonical streams report usage before
 * `finish`: messageStop is held (its payload kept in the chunk's extras, so the Bedrock encoder
 * still writes it in place) and `finish` goes out with the usage.
 */
export class BedrockStreamDecoder implements StreamDecoder {
  readonly #blocks = new Map<number, Block>();
  #next = 0;
  #finish: Finish | undefined;
  #usage: Usage | undefined;
  #finished = false;
  #jsonAnswer = false;
  #toolCall = false;
  #started = false;
  #failed = false;

  decode(event: NativeEvent): StreamChunk {
    const name = event.event ?? "";
    const data = (typeof event.data === "object" && event.data !== null ? event.data : {}) as JsonObject;
    this.#started = true;
    if (isExceptionEvent(name) || name === "error") {
      this.#failed = true;
      return { events: [{ type: "error", error: decodeBedrockStreamException(name, data) }] };
    }
    switch (name) {
      case "messageStart": {
        const rest = restOf(data, START_KNOWN) ?? {};
        if (data.role !== "assistant") rest.role = data.role;
        return this.#chunk([{ type: "start", id: `bedrock-${randomUUID()}` }], rest);
      }
      case "contentBlockStart":
        return this.#start(data as unknown as BedrockStreamPayloads["contentBlockStart"], event);
      case "contentBlockDelta":
        return this.#delta(data as unknown as BedrockStreamPayloads["contentBlockDelta"], event);
      case "contentBlockStop":
        return this.#stop(data as unknown as BedrockStreamPayloads["contentBlockStop"], event);
      case "messageStop": {
        const { [PADDING]: _p, ...stop } = data;
        this.#finish = decodeFinish(stop.stopReason as string | undefined, stop.additionalModelResponseFields as JsonObject | undefined, this.#jsonAnswer && !this.#toolCall);
        // Usage arrived first (it does not, normally): nothing more to wait for.
        const events: StreamEvent[] = this.#usage ? this.#finishEvents() : [];
        return this.#chunk(events, { messageStop: stop });
      }
      case "metadata": {
        const m = data as BedrockStreamPayloads["metadata"];
        const events: StreamEvent[] = [];
        if (m.usage && typeof m.usage === "object") {
          this.#usage = decodeBedrockUsage(m.usage);
          events.push({ type: "usage", usage: this.#usage });
        }
        if (this.#finish && !this.#finished) events.push(...this.#finishEvents());
        return this.#chunk(events, { metadata: restOf(data, METADATA_KNOWN) ?? {} });
      }
      default:
        return { events: [{ type: "native", format: "bedrock", value: { event: name, data } }] };
    }
  }

  end(): StreamChunk | undefined {
    // A stream cut after messageStop: finish without usage rather than not at all.
    if (this.#finish && !this.#finished) return { events: this.#finishEvents() };
    // One cut before it never said how it ended: an error, not a quiet success.
    if (this.#started && !this.#finish && !this.#failed) {
      this.#failed = true;
      return { events: [{ type: "error", error: { status: 502, kind: "upstream", code: "upstream_stream_truncated", message: "The Bedrock stream ended before messageStop" } }] };
    }
    return undefined;
  }

  #finishEvents(): StreamEvent[] {
    this.#finished = true;
    return [{ type: "finish", finish: this.#finish!, ...(this.#usage && { usage: this.#usage }) }];
  }

  #chunk(events: StreamEvent[], extras: JsonObject | undefined): StreamChunk {
    return extras && Object.keys(extras).length > 0 ? { events, extras: { bedrock: extras } } : { events };
  }

  /** Extras of a block event: its unknown fields, and the block index when ours differs. */
  #blockExtras(data: JsonObject, knownKeys: ReadonlySet<string>, block: Block | undefined, wireIndex: number): JsonObject | undefined {
    const rest = restOf(data, knownKeys);
    if (block && block.index === wireIndex) return rest;
    return { ...rest, contentBlockIndex: wireIndex };
  }

  #open(wireIndex: number, part: Block["part"], json?: boolean): Block {
    const block: Block = { index: this.#next++, part, ...(json && { json }) };
    this.#blocks.set(wireIndex, block);
    return block;
  }

  #native(event: NativeEvent): StreamChunk {
    return { events: [{ type: "native", format: "bedrock", value: { event: event.event ?? "", data: event.data } }] };
  }

  #start(data: BedrockStreamPayloads["contentBlockStart"], event: NativeEvent): StreamChunk {
    const t = data.start?.toolUse;
    const wire = data.contentBlockIndex;
    if (!t || typeof t.toolUseId !== "string" || typeof t.name !== "string" || Object.keys(data.start).length !== 1 || this.#blocks.has(wire)) return this.#native(event);
    let block: Block;
    if (t.name === JSON_RESPONSE_TOOL) {
      this.#jsonAnswer = true;
      block = this.#open(wire, { type: "text", text: "", extras: { bedrock: { jsonTool: t.toolUseId } } }, true);
    } else {
      this.#toolCall = true;
      const rest = restOf(t, new Set(["toolUseId", "name"]));
      block = this.#open(wire, { type: "tool-call", id: t.toolUseId, name: t.name, arguments: "", kind: "function", ...(rest && { extras: { bedrock: rest } }) });
    }
    return this.#chunk([{ type: "part-start", index: block.index, part: { ...block.part } }], this.#blockExtras(data as unknown as JsonObject, BLOCK_START_KNOWN, block, wire));
  }

  #delta(data: BedrockStreamPayloads["contentBlockDelta"], event: NativeEvent): StreamChunk {
    const d: BedrockContentBlockDelta = data.delta ?? {};
    const wire = data.contentBlockIndex;
    let block = this.#blocks.get(wire);
    const events: StreamEvent[] = [];
    const keys = Object.keys(d);
    if (keys.length !== 1) return this.#native(event);
    const open = (part: Block["part"]) => {
      block = this.#open(wire, part);
      events.push({ type: "part-start", index: block.index, part: { ...part } });
      return block;
    };
    if (typeof d.text === "string") {
      const b = block ?? open({ type: "text", text: "" });
      if (b.part.type !== "text" || b.json) return this.#native(event);
      b.part.text += d.text;
      events.push({ type: "text-delta", index: b.index, delta: d.text });
    } else if (typeof d.toolUse?.input === "string") {
      if (!block || (block.part.type !== "tool-call" && !block.json)) return this.#native(event);
      if (block.part.type === "tool-call") {
        block.part.arguments += d.toolUse.input;
        events.push({ type: "tool-args-delta", index: block.index, delta: d.toolUse.input });
      } else if (block.part.type === "text") {
        block.part.text += d.toolUse.input;
        events.push({ type: "text-delta", index: block.index, delta: d.toolUse.input });
      }
    } else if (d.reasoningContent && Object.keys(d.reasoningContent).length === 1) {
      const r = d.reasoningContent;
      if (typeof r.redactedContent === "string" && !block) {
        open({ type: "reasoning", encrypted: r.redactedContent, redacted: true, producer: "bedrock" });
      } else {
        const b = block ?? open({ type: "reasoning", text: "", producer: "bedrock" });
        const part = b.part;
        if (part.type !== "reasoning" || part.redacted) return this.#native(event);
        if (typeof r.text === "string") {
          part.text = (part.text ?? "") + r.text;
          events.push({ type: "reasoning-delta", index: b.index, delta: r.text, channel: "text" });
        } else if (typeof r.signature === "string") {
          part.signature = (part.signature ?? "") + r.signature;
          events.push({ type: "reasoning-signature", index: b.index, signature: r.signature });
        } else return this.#native(event);
      }
    } else if (d.citation && typeof d.citation === "object") {
      const b = block ?? open({ type: "text", text: "" });
      if (b.part.type !== "text") return this.#native(event);
      const citation = decodeCitation(d.citation);
      (b.part.citations ??= []).push(citation);
      events.push({ type: "citation", index: b.index, citation });
    } else {
      return this.#native(event);
    }
    return this.#chunk(events, this.#blockExtras(data as unknown as JsonObject, BLOCK_DELTA_KNOWN, block, wire));
  }

  #stop(data: BedrockStreamPayloads["contentBlockStop"], event: NativeEvent): StreamChunk {
    const wire = data.contentBlockIndex;
    const events: StreamEvent[] = [];
    let block = this.#blocks.get(wire);
    if (!block) {
      // An empty text block: no delta started it.
      if (typeof wire !== "number") return this.#native(event);
      block = this.#open(wire, { type: "text", text: "" });
      events.push({ type: "part-start", index: block.index, part: { type: "text", text: "" } });
    }
    this.#blocks.delete(wire);
    events.push({ type: "part-end", index: block.index, part: block.part as AssistantPart });
    return this.#chunk(events, this.#blockExtras(data as unknown as JsonObject, BLOCK_STOP_KNOWN, block, wire));
  }
}
