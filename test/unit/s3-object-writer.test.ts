import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportStore } from '../../adapters/reports/report-stores.ts';
import { S3ObjectWriter, signS3Request } from '../../adapters/reports/s3-object-writer.ts';
import { ConfigurationError, TransientError } from '../../domain/errors.ts';

// The credentials of AWS's documented Signature Version 4 examples for S3.
const EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Signature Version 4 as AWS's documentation spells it out, written here independently of the signer under test. */
function expectedSignature(
  request: { method: string; path: string; headers: Record<string, string>; signedHeaders: string[] },
  secret: string,
  region: string,
): string {
  const amzDate = request.headers['x-amz-date'] as string;
  const day = amzDate.slice(0, 8);
  const canonical = [
    request.method,
    request.path,
    '',
    ...request.signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim()}`),
    '',
    request.signedHeaders.join(';'),
    request.headers['x-amz-content-sha256'],
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${region}/s3/aws4_request`, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('S3 request signing', () => {
  it('gives AWS’s documented signature for its GET Object example', async () => {
    const headers = await signS3Request(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256 } },
      { region: 'us-east-1', credentials: EXAMPLE, signingDate: new Date('2013-05-24T00:00:00Z') },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('is checked below by a verifier that gives AWS’s documented signature for its PUT Object example', () => {
    const headers = {
      date: 'Fri, 24 May 2013 00:00:00 GMT',
      host: 'examplebucket.s3.amazonaws.com',
      'x-amz-content-sha256': sha256('Welcome to Amazon S3.'),
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    };
    const signedHeaders = ['date', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-storage-class'];
    expect(expectedSignature({ method: 'PUT', path: '/test%24file.text', headers, signedHeaders }, EXAMPLE.secretAccessKey, 'us-east-1')).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });
});

describe('S3ReportStore', () => {
  type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer };
  const received: Received[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '' };
  let server: Server;
  let endpoint: string;
  const credentials = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret', sessionToken: 'local-session' });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { 'content-type': 'application/xml' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes the report with one PUT that S3 would accept, and says where it is', async () => {
    answer = { status: 200, body: '' };
    const html = '<!doctype html><h1>Relatório — ciclo 1</h1>';
    const store = new S3ReportStore('tandem-reports', new S3ObjectWriter({ region: 'sa-east-1', endpoint, credentials }));
    expect(await store.save('cycle-1', 'report.html', html, 'text/html; charset=utf-8')).toBe('s3://tandem-reports/cycles/cycle-1/report.html');

    const request = received.at(-1) as Received;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('/tandem-reports/cycles/cycle-1/report.html');
    expect(request.body.toString('utf8')).toBe(html);
    expect(request.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(request.headers['x-amz-content-sha256']).toBe(sha256(Buffer.from(html, 'utf8')));
    expect(request.headers['x-amz-security-token']).toBe('local-session');
    const authorization = request.headers.authorization as string;
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']));
    expect(authorization).toContain(`Credential=AKIDLOCAL/${(request.headers['x-amz-date'] as string).slice(0, 8)}/sa-east-1/s3/aws4_request`);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    expect(/Signature=([0-9a-f]{64})/.exec(authorization)?.[1]).toBe(
      expectedSignature({ method: 'PUT', path: request.url, headers, signedHeaders }, 'local-secret', 'sa-east-1'),
    );
  });

  it('tags a report with its program’s retention class, as a signed header, so the bucket’s lifecycle rule for that class expires it', async () => {
    answer = { status: 200, body: '' };
    const store = new S3ReportStore('tandem-reports', new S3ObjectWriter({ region: 'sa-east-1', endpoint, credentials }));
    await store.save('cycle-2', 'report.html', '<p>r</p>', 'text/html', { retentionDays: 400 });
    const request = received.at(-1) as Received;
    expect(request.headers['x-amz-tagging']).toBe('tandem-retention-days=365');
    expect(/SignedHeaders=([^,]+)/.exec(request.headers.authorization as string)?.[1]?.split(';')).toContain('x-amz-tagging');
  });

  it('addresses the bucket’s own endpoint in its region when no endpoint is configured', () => {
    const writer = new S3ObjectWriter({ region: 'eu-west-1', endpoint: undefined });
    const saved = { s3: process.env.AWS_ENDPOINT_URL_S3, all: process.env.AWS_ENDPOINT_URL };
    delete process.env.AWS_ENDPOINT_URL_S3;
    delete process.env.AWS_ENDPOINT_URL;
    try {
      expect(writer.objectUrl('tandem-reports', 'cycles/c 1/report.html').href).toBe(
        'https://tandem-reports.s3.eu-west-1.amazonaws.com/cycles/c%201/report.html',
      );
    } finally {
      if (saved.s3 !== undefined) process.env.AWS_ENDPOINT_URL_S3 = saved.s3;
      if (saved.all !== undefined) process.env.AWS_ENDPOINT_URL = saved.all;
    }
  });

  it('reports throttling as a TransientError (the workflow retries), and a refused grant as a ConfigurationError naming the object', async () => {
    const writer = new S3ObjectWriter({ region: 'sa-east-1', endpoint, credentials });
    answer = { status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' };
    await expect(writer.put('tandem-reports', 'cycles/c/report.html', 'x', 'text/html')).rejects.toBeInstanceOf(TransientError);
    answer = { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' };
    const error = await writer.put('tandem-reports', 'cycles/c/report.html', 'x', 'text/html').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe('S3 refused to write s3://tandem-reports/cycles/c/report.html: AccessDenied (Access Denied)');
  });

  it('reports an unreachable S3 as a TransientError', async () => {
    const writer = new S3ObjectWriter({ region: 'sa-east-1', endpoint: 'http://127.0.0.1:9', credentials, timeoutMs: 2000 });
    await expect(writer.put('tandem-reports', 'cycles/c/report.html', 'x', 'text/html')).rejects.toBeInstanceOf(TransientError);
  });
});
