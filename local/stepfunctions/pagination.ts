import { InvalidToken } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 100;

export interface PageRequest {
  /** 0 or absent means the default page size, as in AWS. */
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

interface Cursor {
  /** What the token was issued for; a token is only valid for the same listing. */
  readonly listing: string;
  /** Position of the first item of the next page. */
  readonly next: number;
}

/**
 * One page of `items`, which are already in the order to return and carry a position that
 * grows (`ascending`) or shrinks (`descending`) along that order. Tokens hold a position,
 * not an index, so pages stay consistent while items are added or forgotten.
 */
export function paginate<T>(
  items: readonly T[],
  positionOf: (item: T) => number,
  order: 'ascending' | 'descending',
  listing: string,
  request: PageRequest,
): Page<T> {
  const start = request.nextToken === undefined ? 0 : firstIndexAtOrAfter(items, positionOf, order, decode(request.nextToken, listing));
  const size = request.maxResults || DEFAULT_PAGE_SIZE;
  const pageItems = items.slice(start, start + size);
  const following = items[start + size];
  if (following === undefined) return { items: pageItems };
  return { items: pageItems, nextToken: encode({ listing, next: positionOf(following) }) };
}

function firstIndexAtOrAfter<T>(items: readonly T[], positionOf: (item: T) => number, order: 'ascending' | 'descending', next: number): number {
  const index = items.findIndex((item) => (order === 'ascending' ? positionOf(item) >= next : positionOf(item) <= next));
  return index === -1 ? items.length : index;
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decode(token: string, listing: string): number {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    cursor = undefined;
  }
  if (cursor?.listing !== listing || typeof cursor.next !== 'number') throw new InvalidToken(`Invalid Token: '${token}'`);
  return cursor.next;
}
