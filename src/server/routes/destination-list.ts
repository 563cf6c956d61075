import type { ListCursor } from '../store/destination-list-sql.ts';

/**
 * The list's cursors: the order they belong to, the key of the last row given and its id, as base64url JSON. A cursor
 * of another order, or one this server did not make, is refused (422), never read as something else.
 */
export class InvalidListCursorError extends Error {
  constructor() {
    super('This cursor is not one this server gave out for this order; start again without it');
  }
}

export const encodeListCursor = (sort: string, cursor: ListCursor) =>
  Buffer.from(JSON.stringify([sort, cursor.key, cursor.id])).toString('base64url');

export function decodeListCursor(cursor: string, sort: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value[0] === sort &&
      (typeof value[1] === 'string' || value[1] === null) &&
      typeof value[2] === 'string' &&
      value[2].length <= 64 &&
      (value[1] === null || value[1].length <= 1_024)
    ) {
      return { key: value[1] as string | null, id: value[2] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidListCursorError();
}
