import { sql, type RawBuilder, type SqlBool } from "kysely";

/**
 * Keyset pagination over (created_at, id): stable under inserts, no OFFSET scans. The cursor is
 * opaque to clients (base64url JSON) and names the last row of the previous page.
 */

export interface PageRequest {
  limit: number;
  /** The last row of the previous page. */
  after?: PagePosition;
}

export interface PagePosition {
  createdAt: string;
  id: string;
}

export interface Page<T> {
  data: T[];
  /** Where the next page starts; absent on the last page. */
  next?: PagePosition;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString("base64url");
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): PagePosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // not base64url JSON: fall through
  }
  return undefined;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says that more follow. */
export function toPage<R, T>(rows: readonly R[], limit: number, position: (row: R) => PagePosition, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const page: Page<T> = { data: kept.map(map) };
  if (more && kept.length > 0) page.next = position(kept[kept.length - 1]);
  return page;
}

/** `where` condition for the rows after a position (ordered by created_at, then the id column). */
export function afterPosition(idColumn: string, position: PagePosition): RawBuilder<SqlBool> {
  const id = sql.ref(idColumn);
  return sql<SqlBool>`(created_at > ${position.createdAt} or (created_at = ${position.createdAt} and ${id} > ${position.id}))`;
}
