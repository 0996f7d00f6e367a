import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bedrockErrorHeaders, bedrockErrorType, decodeBedrockError, decodeBedrockStreamException, encodeBedrockError } from "./bedrock-error.ts";

describe("bedrock errors", () => {
  it("reads the exception type from x-amzn-errortype and keeps status and body", () => {
    const body = { message: "The content field in the Message object at messages.1 is empty." };
    const e = decodeBedrockError(400, body, { "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" });
    assert.deepEqual(e, { status: 400, kind: "invalid_request", message: body.message, code: "ValidationException", native: { format: "bedrock", body } });
  });

  it("maps each status Bedrock uses when no type is given", () => {
    const kinds = [400, 403, 404, 408, 424, 429, 500, 503].map((s) => [s, decodeBedrockError(s, { message: "m" }).kind, decodeBedrockError(s, { message: "m" }).code]);
    assert.deepEqual(kinds, [
      [400, "invalid_request", "ValidationException"],
      [403, "permission", "AccessDeniedException"],
      [404, "not_found", "ResourceNotFoundException"],
      [408, "timeout", "ModelTimeoutException"],
      [424, "upstream", "ModelErrorException"],
      [429, "rate_limit", "ThrottlingException"],
      [500, "upstream", "InternalServerException"],
      [503, "overloaded", "ServiceUnavailableException"],
    ]);
  });

  it("knows auth failures from their type, reads `Message`, `__type`, and non-JSON bodies", () => {
    assert.equal(decodeBedrockError(403, { message: "bad" }, { "x-amzn-errortype": ["UnrecognizedClientException:x"] }).kind, "authentication");
    assert.equal(decodeBedrockError(403, { Message: "Signature expired" }, { "x-amzn-errortype": "InvalidSignatureException" }).message, "Signature expired");
    assert.equal(decodeBedrockError(400, { __type: "com.amazon.coral.validate#ValidationException", message: "m" }).code, "ValidationException");
    const html = decodeBedrockError(502, "<html>Bad Gateway</html>");
    assert.equal(html.message, "<html>Bad Gateway</html>");
    assert.equal(html.native, undefined);
    assert.equal(decodeBedrockError(500, undefined).message, "Amazon Bedrock answered HTTP 500");
  });

  it("stream exceptions: camelCase event names to types and statuses", () => {
    const e = decodeBedrockStreamException("serviceUnavailableException", { message: "busy" });
    assert.equal(e.code, "ServiceUnavailableException");
    assert.equal(e.status, 503);
    assert.equal(decodeBedrockStreamException("validationException", { message: "bad" }).status, 400);
    assert.equal(decodeBedrockStreamException("internalServerException", {}).kind, "upstream");
    assert.equal(decodeBedrockStreamException("error", { code: "InternalFailure", message: "x" }).code, "InternalFailure");
  });

  it("encodes errors as Bedrock does: {message}, the type for x-amzn-errortype", () => {
    const rate = { status: 429, kind: "rate_limit" as const, message: "Too many requests" };
    assert.deepEqual(encodeBedrockError(rate), { message: "Too many requests" });
    assert.equal(bedrockErrorType(rate), "ThrottlingException");
    assert.equal(bedrockErrorType({ status: 402, kind: "over_budget", message: "x" }), "ServiceQuotaExceededException");
    assert.equal(bedrockErrorType({ status: 403, kind: "permission", message: "x", code: "AccessDeniedException", native: { format: "bedrock", body: {} } }), "AccessDeniedException");
    assert.deepEqual(bedrockErrorHeaders({ status: 400, kind: "invalid_request", message: "x" }), { "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" });
  });
});
