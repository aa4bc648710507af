import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import { ConfigurationError, TransientError } from '../../domain/errors.ts';

const bytesOf = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the AWS signer asks for. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/**
 * Signs an S3 request with AWS Signature Version 4, using the SDK's own signer
 * (@smithy/signature-v4) with S3's rules: the path is not escaped a second time and the payload
 * hash is sent in x-amz-content-sha256.
 */
export async function signS3Request(
  request: SignableRequest,
  options: { region: string; credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider; signingDate?: Date },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 's3',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query: Object.fromEntries(request.url.searchParams),
      headers: { host: request.url.host, ...request.headers },
      ...(request.body ? { body: request.body } : {}),
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return signed.headers;
}

const TRANSIENT_CODES = new Set(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeTooSkewed']);
const CONFIGURATION_CODES = new Set(['AccessDenied', 'NoSuchBucket', 'InvalidAccessKeyId', 'AllAccessDisabled', 'KMS.DisabledException']);

/**
 * Writes objects to S3 with a single signed PUT: the one S3 call Tandem's Lambda code makes.
 * The full S3 client would add ~165 KB (XML protocol, checksums, S3 middleware) to the review
 * function's bundle for that call (docs/bundle-sizes.md). The endpoint follows the SDK's
 * convention: AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) with path-style addressing, else the
 * bucket's virtual-hosted endpoint in AWS_REGION.
 */
export class S3ObjectWriter {
  private readonly credentials: AwsCredentialIdentityProvider;

  constructor(private readonly options: { region?: string; endpoint?: string; credentials?: AwsCredentialIdentityProvider; timeoutMs?: number } = {}) {
    this.credentials = options.credentials ?? defaultProvider();
  }

  private get region(): string {
    const region = this.options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new ConfigurationError('AWS_REGION is not set; it is needed to write reports to S3');
    return region;
  }

  objectUrl(bucket: string, key: string): URL {
    const path = key.split('/').map(encodeURIComponent).join('/');
    const endpoint = this.options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    if (endpoint) return new URL(`${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/${path}`);
    return new URL(`https://${bucket}.s3.${this.region}.amazonaws.com/${path}`);
  }

  /** Writes the object; `tags` become its object tags (x-amz-tagging, which needs s3:PutObjectTagging too). */
  async put(bucket: string, key: string, content: string, contentType: string, tags: Record<string, string> = {}): Promise<void> {
    const url = this.objectUrl(bucket, key);
    const body = Buffer.from(content, 'utf8');
    const headers = await signS3Request(
      {
        method: 'PUT',
        url,
        headers: {
          'content-type': contentType,
          'content-length': String(body.byteLength),
          'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
          ...(Object.keys(tags).length ? { 'x-amz-tagging': new URLSearchParams(tags).toString() } : {}),
        },
        body,
      },
      { region: this.region, credentials: this.credentials },
    );
    delete headers.host;
    let response: Response;
    try {
      response = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new TransientError(`S3 could not be reached to write s3://${bucket}/${key}`, { cause: error });
    }
    if (response.ok) return;
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? response.statusText;
    const problem = `S3 refused to write s3://${bucket}/${key}: ${code} (${message})`;
    if (TRANSIENT_CODES.has(code) || response.status === 429 || response.status >= 500) throw new TransientError(problem);
    if (CONFIGURATION_CODES.has(code) || response.status === 403) throw new ConfigurationError(problem);
    throw new Error(problem);
  }
}
