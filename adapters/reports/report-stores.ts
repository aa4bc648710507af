import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReportStore } from '../../services/ports.ts';
import { S3ObjectWriter } from './s3-object-writer.ts';
import { REPORT_RETENTION_TAG, reportRetentionClass } from '../../domain/retention.ts';
import { required, type TandemEnvironment } from '../config.ts';

/**
 * Reports as files in a folder (the local stack). A report names participants: only the user who
 * runs Tandem may read it (folder 0700, file 0600), whatever the umask.
 */
export class FolderReportStore implements ReportStore {
  constructor(private readonly root: string) {}

  async save(cycleId: string, fileName: string, content: string): Promise<string> {
    const folder = resolve(this.root, cycleId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
    const path = join(folder, fileName);
    await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
    // writeFile's mode applies only to a new file: a report written again keeps tight permissions too.
    await chmod(path, 0o600);
    return path;
  }
}

/** Reports as objects in an S3 bucket (on AWS). */
export class S3ReportStore implements ReportStore {
  constructor(
    private readonly bucket: string,
    private readonly writer = new S3ObjectWriter(),
  ) {}

  async save(cycleId: string, fileName: string, content: string, contentType: string, options: { retentionDays?: number } = {}): Promise<string> {
    const key = `cycles/${cycleId}/${fileName}`;
    await this.writer.put(this.bucket, key, content, contentType, { [REPORT_RETENTION_TAG]: String(reportRetentionClass(options.retentionDays)) });
    return `s3://${this.bucket}/${key}`;
  }
}

/** The report store the configuration names: the bucket on AWS, else the local stack's folder. */
export function configuredReportStore(env: TandemEnvironment): ReportStore {
  return env.TANDEM_REPORT_BUCKET
    ? new S3ReportStore(env.TANDEM_REPORT_BUCKET)
    : new FolderReportStore(required(env, 'TANDEM_REPORT_DIR', 'to store review reports (or set TANDEM_REPORT_BUCKET)'));
}
