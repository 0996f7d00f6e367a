import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import type { Finish, Usage } from "../../../src/canonical/response.ts";
import type { StreamEvent } from "../../../src/canonical/stream.ts";
import type { CanonicalError } from "../../../src/canonical/error.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "../../../test/helpers/fixtures.ts";
import { responsesCodec } from "./responses-codec.ts";

const DIR = "openai-responses";
const context = { request: { model: "gpt-5", messages: [], stream: true } as CanonicalRequest, model: "gpt-5" };

/** A fixture's events split into whole streams (the reasoning file holds four). */
function streamsOf(file: string): JsonObject[][] {
  const streams: JsonObject[][] = [];
  for (const data of readFixtureChunks(DIR, file)) {
    if (data.type === "response.created") streams.push([]);
    streams.at(-1)!.push(data);
  }
  return streams;
}

interface Assembled {
  parts: AssistantPart[];
  starts: number;
  finish?: Finish;
  usage?: Usage;
  errors: CanonicalError[];
  completed?: JsonObject;
}

/** What a consumer of the canonical stream sees: parts in index order from part-end, finish, usage. */
function assemble(events: JsonObject[]): Assembled {
  const decoder = responsesCodec.streamDecoder();
  const out: Assembled = { parts: [], starts: 0, errors: [] };
  const all: StreamEvent[] = [];
  for (const data of events) {
    all.push(...decoder.decode({ event: data.type as string, data }).events);
    if (data.type === "response.completed") out.completed = data.response as JsonObject;
  }
  for (const e of all) {
    if (e.type === "part-start") out.starts++;
    else if (e.type === "part-end") out.parts[e.index] = e.part;
    else if (e.type === "finish") {
      out.finish = e.finish;
      out.usage = e.usage;
    } else if (e.type === "error") out.errors.push(e.error);
  }
  return out;
}

/** Parts without extras: the stream and the whole response keep different native leftovers. */
function bare(parts: AssistantPart[]): AssistantPart[] {
  return parts.map((p) => {
    const { extras: _, ...rest } = p;
    return rest as AssistantPart;
  });
}

describe("openai-responses fixtures: round trip", () => {
  for (const file of listFixtures(DIR, ".json")) {
    it(`${file} comes back unchanged`, () => {
      const body = readFixtureJson(DIR, file);
      if ("error" in body && !("output" in body)) {
        const error = responsesCodec.decodeError(400, body);
        assert.deepEqual(responsesCodec.encodeError(error), body);
      } else {
        assert.deepEqual(responsesCodec.encodeResponse(responsesCodec.decodeResponse(body), context), body);
      }
    });
  }

  for (const file of listFixtures(DIR, ".chunks.txt")) {
    it(`${file}: every event comes back unchanged, one event per chunk`, () => {
      for (const stream of streamsOf(file)) {
        const decoder = responsesCodec.streamDecoder();
        const encoder = responsesCodec.streamEncoder(context);
        for (const data of stream) {
          const chunk = decoder.decode({ event: data.type as string, data });
          // As deliverStream does: the frame's bytes come along, so the chunk counts as unchanged.
          chunk.raw = { format: DIR, bytes: JSON.stringify(data) };
          const out = encoder.encode(chunk);
          assert.deepEqual(out, [{ event: data.type, data }], `event ${data.sequence_number} (${data.type})`);
        }
        assert.deepEqual(encoder.end(), []);
        assert.equal(decoder.end(), undefined, "a stream that ended with its terminal event needs nothing more");
      }
    });
  }
});

describe("openai-responses fixtures: decoded content", () => {
  it("openai-pdf-input-file.1.json: one text part, stop, usage", () => {
    const r = responsesCodec.decodeResponse(readFixtureJson(DIR, "openai-pdf-input-file.1.json"));
    assert.equal(r.id, "resp_048edf44633e41ae0069d4fe9fabf48194957da2d8582b1c4a");
    assert.equal(r.model, "gpt-4.1-nano-2025-04-14");
    assert.equal(r.created, 1775566496);
    assert.deepEqual(bare(r.content), [{ type: "text", text: "Dummy PDF file", citations: [], origin: { format: DIR, index: 0 } }]);
    assert.deepEqual(r.finish, { reason: "stop", native: "completed" });
    assert.deepEqual({ ...r.usage, extras: undefined }, { inputTokens: 44, outputTokens: 4, cacheReadTokens: 0, reasoningTokens: 0, totalTokens: 48, extras: undefined });
  });

  it("azure-tool-call.1.json: a function call finishes with tool_calls", () => {
    const r = responsesCodec.decodeResponse(readFixtureJson(DIR, "azure-tool-call.1.json"));
    assert.deepEqual(bare(r.content), [
      {
        type: "tool-call",
        kind: "function",
        id: "call_YunNGbIwdVJ2i0y0Mybva4Pw",
        itemId: "fc_0a2fa1b539ba14ba00698c519ebab0819494302fc0b5c31440",
        name: "weather",
        arguments: '{"location":"San Francisco"}',
        origin: { format: DIR, index: 0 },
      },
    ]);
    assert.deepEqual(r.content[0].extras, { [DIR]: { status: "completed" } });
    assert.deepEqual(r.finish, { reason: "tool_calls", native: "completed" });
    assert.equal(r.usage?.outputTokens, 24);
    assert.ok(Array.isArray(r.extras?.[DIR]?.content_filters), "Azure's content_filters are kept");
  });

  it("openai-reasoning-encrypted-content.1.json: reasoning summary and encrypted content, reasoning tokens", () => {
    const r = responsesCodec.decodeResponse(readFixtureJson(DIR, "openai-reasoning-encrypted-content.1.json"));
    assert.deepEqual(r.content.map((p) => p.type), ["reasoning", "text"]);
    const reasoning = r.content[0];
    assert.equal(reasoning.type, "reasoning");
    assert.equal(reasoning.id, "rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e");
    assert.equal(reasoning.producer, DIR);
    assert.ok(reasoning.encrypted?.startsWith("gAAAAABpPMlcH0HHEv5_"));
    assert.equal(reasoning.summary?.length, 1);
    assert.ok(reasoning.summary?.[0].startsWith("**Reporting final result**"));
    assert.equal(reasoning.text, undefined);
    const text = r.content[1];
    assert.equal(text.type === "text" && text.text, "12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570");
    assert.equal(r.usage?.reasoningTokens, 128);
    assert.equal(r.usage?.outputTokens, 163);
  });

  it("openai-web-search-tool.1.json: hosted web_search_call items are native, citations, cached tokens", () => {
    const r = responsesCodec.decodeResponse(readFixtureJson(DIR, "openai-web-search-tool.1.json"));
    assert.deepEqual(r.content.map((p) => p.type), ["reasoning", "native", "reasoning", "native", "reasoning", "native", "reasoning", "text"]);
    const search = r.content[1];
    assert.ok(search.type === "native" && search.format === DIR);
    assert.equal(search.value.type, "web_search_call");
    assert.deepEqual((search.value.action as JsonObject).query, "tech news today December 5 2025");
    const text = r.content[7];
    assert.ok(text.type === "text");
    assert.equal(text.citations?.length, 10);
    const { native, ...first } = text.citations![0];
    assert.deepEqual(first, {
      type: "url",
      url: "https://www.theverge.com/podcast/838932/openai-chatgpt-code-red-vergecast",
      title: "Why OpenAI declared a code red for ChatGPT | The Verge",
      startIndex: 426,
      endIndex: 517,
    });
    assert.equal(native?.format, DIR);
    assert.equal(text.text.slice(first.startIndex, first.endIndex), "([theverge.com](https://www.theverge.com/podcast/838932/openai-chatgpt-code-red-vergecast))");
    assert.equal(r.usage?.cacheReadTokens, 3712);
    assert.equal(r.usage?.reasoningTokens, 3136);
    assert.equal(r.usage?.inputTokens, 19681);
  });

  it("openai-error.1.json: insufficient_quota keeps its code and native body", () => {
    const body = readFixtureJson(DIR, "openai-error.1.json");
    const e = responsesCodec.decodeError(429, body);
    assert.equal(e.status, 429);
    assert.equal(e.kind, "over_budget");
    assert.equal(e.code, "insufficient_quota");
    assert.deepEqual(e.native, { format: DIR, body });
  });

  it("reasoning-model-temperature-error.json: invalid_request with param", () => {
    const e = responsesCodec.decodeError(400, readFixtureJson(DIR, "reasoning-model-temperature-error.json"));
    assert.equal(e.kind, "invalid_request");
    assert.equal(e.param, "temperature");
    assert.equal(e.message, "Unsupported parameter: 'temperature' is not supported with this model.");
  });
});

describe("openai-responses fixtures: stream decoding assembles the response", () => {
  for (const file of listFixtures(DIR, ".chunks.txt").filter((f) => !f.includes("error"))) {
    it(`${file}: parts, finish and usage equal the decoded response.completed`, () => {
      for (const stream of streamsOf(file)) {
        const a = assemble(stream);
        const whole = responsesCodec.decodeResponse(a.completed!);
        assert.equal(a.starts, whole.content.length, "one part-start per part");
        // OpenAI encrypts reasoning afresh for each event that carries it: the item in
        // output_item.done and in response.completed hold different (equally valid) ciphertexts.
        const sealed = (parts: AssistantPart[]) =>
          bare(parts).map((p) => (p.type === "reasoning" && p.encrypted ? { ...p, encrypted: p.encrypted.slice(0, 6) } : p));
        assert.deepEqual(sealed(a.parts), sealed(whole.content));
        assert.deepEqual(a.finish, whole.finish);
        assert.deepEqual(a.usage, whole.usage);
        assert.deepEqual(a.errors, []);
      }
    });
  }

  it("the streams say what the matching .json says", () => {
    const pdf = assemble(streamsOf("openai-pdf-input-file.1.chunks.txt")[0]);
    const pdfJson = responsesCodec.decodeResponse(readFixtureJson(DIR, "openai-pdf-input-file.1.json"));
    assert.deepEqual(bare(pdf.parts).map(({ origin: _, ...p }) => p), bare(pdfJson.content).map(({ origin: _, ...p }) => p));

    const call = assemble(streamsOf("azure-tool-call.1.chunks.txt")[0]).parts[0];
    const callJson = responsesCodec.decodeResponse(readFixtureJson(DIR, "azure-tool-call.1.json")).content[0];
    assert.ok(call.type === "tool-call" && callJson.type === "tool-call");
    assert.deepEqual([call.name, call.arguments, call.kind], [callJson.name, callJson.arguments, callJson.kind]);

    const search = assemble(streamsOf("openai-web-search-tool.1.chunks.txt")[0]);
    const searchJson = responsesCodec.decodeResponse(readFixtureJson(DIR, "openai-web-search-tool.1.json"));
    const shape = (parts: AssistantPart[]) => [...new Set(parts.map((p) => (p.type === "native" ? String(p.value.type) : p.type)))];
    assert.deepEqual(shape(search.parts), shape(searchJson.content));
    const text = search.parts.at(-1)!;
    assert.ok(text.type === "text" && text.citations!.length === 12 && text.citations!.every((c) => c.type === "url" && c.url));
    assert.equal(search.usage?.cacheReadTokens, 3712);

    const [first, , , last] = streamsOf("openai-reasoning-encrypted-content.1.chunks.txt").map(assemble);
    const reasoning = first.parts[0];
    assert.ok(reasoning.type === "reasoning");
    assert.equal(reasoning.producer, DIR);
    assert.ok(reasoning.encrypted?.startsWith("gAAAAA"));
    assert.deepEqual(reasoning.summary, [
      "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
    ]);
    assert.deepEqual(first.finish, { reason: "tool_calls", native: "completed" });
    assert.deepEqual(last.finish, { reason: "stop", native: "completed" });
    assert.equal(last.parts[0].type === "text" && last.parts[0].text, "The final result is **570**.");
  });

  it("openai-error.1.chunks.txt: the error event is a canonical error; response.failed after it says nothing more", () => {
    const decoder = responsesCodec.streamDecoder();
    const chunks = readFixtureChunks(DIR, "openai-error.1.chunks.txt").map((data) => decoder.decode({ event: data.type as string, data }));
    assert.deepEqual(chunks[1].events, [{ type: "native", format: DIR, value: readFixtureChunks(DIR, "openai-error.1.chunks.txt")[1] }]);
    const [error] = chunks[2].events;
    assert.ok(error.type === "error");
    assert.equal(error.error.status, 429);
    assert.equal(error.error.code, "insufficient_quota");
    assert.match(error.error.message, /exceeded your current quota/);
    assert.deepEqual(chunks[3].events, []);
  });
});
