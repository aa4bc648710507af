import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReportStore } from '../../services/ports.ts';
import { S3ObjectWriter } from './s3-object-writer.ts';

/** Reports as files in a folder (the local stack). */
export class FolderReportStore implements ReportStore {
  constructor(private readonly root: string) {}

  async save(cycleId: string, fileName: string, content: string): Promise<string> {
    const folder = resolve(this.root, cycleId);
    await mkdir(folder, { recursive: true });
    const path = join(folder, fileName);
    await writeFile(path, content, 'utf8');
    return path;
  }
}

/** Reports as objects in an S3 bucket (on AWS). */
export class S3ReportStore implements ReportStore {
  constructor(
    private readonly bucket: string,
    private readonly writer = new S3ObjectWriter(),
  ) {}

  async save(cycleId: string, fileName: string, content: string, contentType: string): Promise<string> {
    const key = `cycles/${cycleId}/${fileName}`;
    await this.writer.put(this.bucket, key, content, contentType);
    return `s3://${this.bucket}/${key}`;
  }
}
