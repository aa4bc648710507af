/**
 * The pure rules that turn a stored record into its erased form (docs/privacy.md). Every store
 * adapter applies them, so this module stays free of schemas: it is bundled into every function.
 */
import { redactNames } from './text.ts';

/** An entry of a cycle's email log, as the store lists it: what was sent to whom and when (SES renders the contents; they are not kept). */
export interface EmailLogEntry {
  idempotencyKey: string;
  /** Absent once the recipient was erased. */
  to?: string;
  status: 'sending' | 'sent' | 'failed';
  claimedAt: number;
  messageId?: string;
  sentAt?: number;
  failureReason?: string;
}

/** Who is erased, as the store rewrites their records: the id to replace, by what, and the address to drop. */
export interface ErasureSubject {
  participantId: string;
  /** A random id (never derived from the person): answers stay counted under it and cannot be traced back. */
  tombstoneId: string;
  email: string;
  /** The names the person went by (roster, enrollment): redacted from what others wrote. */
  names: readonly string[];
}

/** Fields that describe a person, removed from every record that belongs to the erased person. */
const PERSONAL_FIELDS = new Set(['name', 'email', 'department', 'reason', 'note', 'timeZone', 'availability', 'languages', 'preferredLanguage']);
/** Fields whose value names the person a record belongs to. */
const OWNER_FIELDS = ['participantId', 'declinedBy', 'loggedBy', 'voterId'];
/** Answer fields that aggregates read as they are: the enumerations counted (`decision`, a check-in's `status`) and catalog skill ids. */
const COUNTED_ANSWER_FIELDS = new Set(['decision', 'status', 'skill']);
/** Fields that hold what someone wrote (besides answers): the erased person's name is redacted from them. */
const FREE_TEXT_FIELDS = new Set(['answer', 'note', 'reason', 'text']);

/**
 * Replaces the person's id where it stands as a whole id inside a composite one: ids never hold
 * `#` or `~` (domain/program.ts idSchema), and every composite id and key joins ids with them
 * (`mentor~mentee`, `goal-setting#invitation#<id>`).
 */
export function replaceIdSegments(value: string, subject: Pick<ErasureSubject, 'participantId' | 'tombstoneId'>): string {
  if (!value.includes(subject.participantId)) return value;
  return value
    .split(/([#~])/)
    .map((segment) => (segment === subject.participantId ? subject.tombstoneId : segment))
    .join('');
}

/**
 * An answer reduced to what aggregates read: numbers, yes/no, the counted enumerations and skill
 * ids stay; every text becomes empty and every list of texts empty, so the answer keeps the shape
 * the report reads.
 */
export function anonymousAnswer(answer: unknown, key = ''): unknown {
  if (typeof answer === 'string') return COUNTED_ANSWER_FIELDS.has(key) ? answer : '';
  if (Array.isArray(answer)) return answer.filter((item) => typeof item !== 'string').map((item) => anonymousAnswer(item));
  if (answer !== null && typeof answer === 'object')
    return Object.fromEntries(Object.entries(answer).map(([field, value]) => [field, anonymousAnswer(value, field)]));
  return answer;
}

function belongsToSubject(record: Record<string, unknown>, subject: ErasureSubject): boolean {
  return OWNER_FIELDS.some((field) => record[field] === subject.participantId);
}

/**
 * A stored record (or key) as it stands once the person is erased: their id replaced by the
 * tombstone everywhere, their address dropped wherever it appears, and in the parts that are theirs
 * (their member entry, their answers, the partner entry that names them) the personal fields removed
 * and answers reduced to numbers. Records of other people keep everything else. Applying it twice
 * gives the same record, so a re-run after a crash changes nothing already erased.
 */
export function erasedRecord<T>(record: T, subject: ErasureSubject): T {
  return erase(record, subject, false) as T;
}

function erase(value: unknown, subject: ErasureSubject, freeText: boolean): unknown {
  if (typeof value === 'string') {
    if (value === subject.email) return undefined;
    return freeText && subject.names.length ? redactNames(value, subject.names) : replaceIdSegments(value, subject);
  }
  if (Array.isArray(value)) return value.map((item) => erase(item, subject, freeText)).filter((item) => item !== undefined);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const theirs = belongsToSubject(record, subject);
  const entries: Array<[string, unknown]> = [];
  for (const [key, field] of Object.entries(record)) {
    if (theirs && PERSONAL_FIELDS.has(key)) {
      // A partner entry keeps an empty name (the pair page then shows none); a member keeps an empty address (nothing is sent to it).
      if ((key === 'name' || key === 'email') && typeof field === 'string') entries.push([key, '']);
      continue;
    }
    if (theirs && key === 'answer') {
      entries.push([key, anonymousAnswer(field)]);
      continue;
    }
    const erased = erase(field, subject, freeText || FREE_TEXT_FIELDS.has(key));
    if (erased !== undefined) entries.push([key, erased]);
  }
  // Their member entry: `declined` already means "receives nothing more in this cycle" to every sender.
  if (theirs && typeof record.email === 'string') entries.push(['declined', true]);
  return Object.fromEntries(entries);
}

/** Does this record still hold the person's id or address anywhere (a check the erasure runs on what it leaves)? */
export function mentionsSubject(record: unknown, subject: Pick<ErasureSubject, 'participantId' | 'email'>): boolean {
  if (typeof record === 'string') return record === subject.email || record.split(/[#~]/).includes(subject.participantId);
  if (Array.isArray(record)) return record.some((item) => mentionsSubject(item, subject));
  if (record !== null && typeof record === 'object') return Object.values(record).some((item) => mentionsSubject(item, subject));
  return false;
}
