import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import { z } from 'zod';

/**
 * Where a run goes on after a restart or a redrive: the top-level state it entered last, with the
 * input it entered with. The handlers are idempotent, so a Task that was running is run again.
 */
export interface ResumePoint {
  readonly stateName: string;
  readonly input: unknown;
  readonly enteredAt: number;
  /** For a Wait state: when the wait ends (epoch ms), so that a resumed wait only waits what is left. */
  readonly waitUntil?: number | undefined;
}

/** What is saved of one execution besides its history. */
export interface ExecutionSnapshot {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly startDate: number;
  readonly sequence: number;
  readonly status: ExecutionStatus;
  readonly stopDate?: number | undefined;
  readonly output?: string | undefined;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
  readonly redriveCount: number;
  readonly redriveDate?: number | undefined;
  readonly resumePoint?: ResumePoint | undefined;
}

const snapshotSchema = z.object({
  arn: z.string().min(1),
  name: z.string().min(1),
  stateMachineArn: z.string().min(1),
  input: z.string(),
  startDate: z.number(),
  sequence: z.number().int(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
  stopDate: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  redriveCount: z.number().int().min(0),
  redriveDate: z.number().optional(),
  resumePoint: z.object({ stateName: z.string().min(1), input: z.unknown(), enteredAt: z.number(), waitUntil: z.number().optional() }).optional(),
});

/** A saved execution as read back: its snapshot and every history event that reached the disk. */
export interface SavedExecution {
  readonly snapshot: ExecutionSnapshot;
  readonly events: HistoryEvent[];
}

const SNAPSHOT_FILE = 'execution.json';
const HISTORY_FILE = 'history.jsonl';

/**
 * The local Step Functions engine's executions on disk, one folder per execution:
 * `execution.json`, a snapshot replaced whole (written to a temporary file, fsynced, renamed over
 * the old one, the folder fsynced) so that a reader finds either the old or the new one; and
 * `history.jsonl`, the history events appended one JSON line each. A process killed in the middle
 * of an append leaves at most one partial last line, which reading drops and the next append
 * cuts off.
 */
export class ExecutionJournal {
  private readonly historyFiles = new Map<string, number>();

  constructor(readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  /** Replaces the execution's snapshot atomically; the history appended so far is flushed first. */
  saveSnapshot(snapshot: ExecutionSnapshot): void {
    const folder = this.folderOf(snapshot.arn);
    mkdirSync(folder, { recursive: true });
    const history = this.historyFiles.get(snapshot.arn);
    if (history !== undefined) fsyncSync(history);
    const temporary = join(folder, `${SNAPSHOT_FILE}.${process.pid}.tmp`);
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(snapshot)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(folder, SNAPSHOT_FILE));
    syncDirectory(folder);
  }

  /** Appends one history event (flushed to disk with the next snapshot). */
  appendEvent(executionArn: string, event: HistoryEvent): void {
    writeSync(this.historyFile(executionArn), `${JSON.stringify({ ...event, timestamp: event.timestamp?.getTime() })}\n`);
  }

  /** Flushes and closes the execution's history file (it is opened again by the next append). */
  closeHistory(executionArn: string): void {
    const fd = this.historyFiles.get(executionArn);
    if (fd === undefined) return;
    this.historyFiles.delete(executionArn);
    fsyncSync(fd);
    closeSync(fd);
  }

  close(): void {
    for (const arn of [...this.historyFiles.keys()]) this.closeHistory(arn);
  }

  /** Every execution saved in the folder; a folder without a readable snapshot is reported through `onUnreadable` and skipped. */
  loadAll(onUnreadable: (folder: string, reason: string) => void = () => {}): SavedExecution[] {
    const saved: SavedExecution[] = [];
    for (const entry of readdirSync(this.directory, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const folder = join(this.directory, entry.name);
      const snapshotPath = join(folder, SNAPSHOT_FILE);
      if (!existsSync(snapshotPath)) continue;
      let snapshot: ExecutionSnapshot;
      try {
        const parsed = snapshotSchema.safeParse(JSON.parse(readFileSync(snapshotPath, 'utf8')));
        if (!parsed.success) {
          onUnreadable(folder, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
          continue;
        }
        snapshot = parsed.data;
      } catch (error) {
        onUnreadable(folder, (error as Error).message);
        continue;
      }
      saved.push({ snapshot, events: readHistory(join(folder, HISTORY_FILE)) });
    }
    return saved;
  }

  private historyFile(executionArn: string): number {
    const open = this.historyFiles.get(executionArn);
    if (open !== undefined) return open;
    const folder = this.folderOf(executionArn);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, HISTORY_FILE);
    const fd = openSync(path, 'a+', 0o600);
    cutPartialLastLine(fd, path);
    this.historyFiles.set(executionArn, fd);
    return fd;
  }

  /** The files of one execution. */
  filesOf(executionArn: string): { snapshot: string; history: string } {
    const folder = this.folderOf(executionArn);
    return { snapshot: join(folder, SNAPSHOT_FILE), history: join(folder, HISTORY_FILE) };
  }

  /** Execution names may hold characters a file name should not (and may be long): the folder is named by a digest of the ARN. */
  private folderOf(executionArn: string): string {
    return join(this.directory, createHash('sha256').update(executionArn).digest('hex').slice(0, 32));
  }
}

function readHistory(path: string): HistoryEvent[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: HistoryEvent[] = [];
  for (const line of lines) {
    if (line === '') continue;
    let event: HistoryEvent & { timestamp?: unknown };
    try {
      event = JSON.parse(line) as HistoryEvent & { timestamp?: unknown };
    } catch {
      // Only the last line can be partial (the process died while appending it): it is dropped.
      break;
    }
    events.push({ ...event, timestamp: typeof event.timestamp === 'number' ? new Date(event.timestamp) : undefined });
  }
  return events;
}

function cutPartialLastLine(fd: number, path: string): void {
  const text = readFileSync(path);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  ftruncateSync(fd, text.lastIndexOf(0x0a) + 1);
}

/** Makes a rename durable: on Linux the new directory entry survives a power loss only once the directory is fsynced. */
function syncDirectory(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
