import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "../../src/canonical/extras.ts";

/** The recorded provider payloads shared with the project (read-only). */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/fixtures");

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES_DIR, ...parts);
}

export function readFixtureJson(...parts: string[]): JsonObject {
  return JSON.parse(readFileSync(fixturePath(...parts), "utf8")) as JsonObject;
}

/** A `.chunks.txt` file: one JSON event payload per line. */
export function readFixtureChunks(...parts: string[]): JsonObject[] {
  return readFileSync(fixturePath(...parts), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as JsonObject);
}

export function listFixtures(folder: string, suffix: string): string[] {
  return readdirSync(fixturePath(folder)).filter((f) => f.endsWith(suffix)).sort();
}
