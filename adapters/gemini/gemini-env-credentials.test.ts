import { test } from "node:test";
import assert from "node:assert/strict";
import { geminiCredentialFromEnv, vertexCredentialFromEnv } from "./gemini-env-credentials.ts";

test("Gemini reads GEMINI_API_KEY, else GOOGLE_API_KEY", () => {
  assert.deepEqual(geminiCredentialFromEnv({ GEMINI_API_KEY: "a", GOOGLE_API_KEY: "b", GEMINI_BASE_URL: "http://x" }), { apiKey: "a", baseUrl: "http://x" });
  assert.deepEqual(geminiCredentialFromEnv({ GOOGLE_API_KEY: "b" }), { apiKey: "b" });
  assert.equal(geminiCredentialFromEnv({}), undefined);
});

test("Vertex reads a key or the service account file, project and location", () => {
  assert.deepEqual(vertexCredentialFromEnv({ VERTEX_API_KEY: "AQ.x" }), { apiKey: "AQ.x" });
  const files: Record<string, string> = { "/sa.json": '{"client_email":"a@b","private_key":"k"}' };
  assert.deepEqual(
    vertexCredentialFromEnv({ GOOGLE_APPLICATION_CREDENTIALS: "/sa.json", GOOGLE_CLOUD_PROJECT: "p", VERTEX_LOCATION: "us-central1" }, (p) => files[p]),
    { apiKey: files["/sa.json"], options: { project: "p", location: "us-central1" } },
  );
  assert.equal(vertexCredentialFromEnv({ GOOGLE_CLOUD_PROJECT: "p" }), undefined);
});
