import { mkdtempSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderReportStore } from '../../adapters/reports/report-stores.ts';

describe('the local report folder', () => {
  it('writes a report only its owner can read, even over a world-readable file left by an earlier run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tandem-reports-'));
    mkdirSync(join(root, 'cycle-1'), { mode: 0o755 });
    chmodSync(join(root, 'cycle-1'), 0o755);
    writeFileSync(join(root, 'cycle-1', 'review.html'), 'old', { mode: 0o644 });
    chmodSync(join(root, 'cycle-1', 'review.html'), 0o644);
    const path = await new FolderReportStore(root).save('cycle-1', 'review.html', '<p>names</p>');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'cycle-1')).mode & 0o777).toBe(0o700);
    const fresh = await new FolderReportStore(root).save('cycle-2', 'review.html', '<p>names</p>');
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'cycle-2')).mode & 0o777).toBe(0o700);
  });
});
