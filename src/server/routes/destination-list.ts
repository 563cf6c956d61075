import type { ListCursor } from '../store/destination-list-sql.ts';

/**
 * The list's cursors: the order they belong to, the key of a row given and its id, as base64url JSON — the last row
 * of a page for the next one, or (with a fourth element, "before") the first row for the previous one. A cursor of
 * another order, or one this server did not make, is refused (422), never read as something else.
 */
export class InvalidListCursorError extends Error {
  constructor() {
    super('This cursor is not one this server gave out for this order; start again without it');
  }
}

export const encodeListCursor = (sort: string, cursor: ListCursor) =>
  Buffer.from(JSON.stringify(cursor.before ? [sort, cursor.key, cursor.id, 'before'] : [sort, cursor.key, cursor.id])).toString('base64url');

export function decodeListCursor(cursor: string, sort: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      (value.length === 3 || (value.length === 4 && value[3] === 'before')) &&
      value[0] === sort &&
      (typeof value[1] === 'string' || value[1] === null) &&
      typeof value[2] === 'string' &&
      value[2].length <= 64 &&
      (value[1] === null || value[1].length <= 1_024)
    ) {
      return value.length === 4 ? { key: value[1] as string | null, id: value[2], before: true } : { key: value[1] as string | null, id: value[2] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidListCursorError();
}
