import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

export interface SesLocal {
  endpoint: string;
  stop: () => Promise<void>;
}

/** Starts aws-ses-v2-local in this process, bound to the given host only. Its inbox is the endpoint's `/`, its JSON store `/store`. */
export async function startSesLocal(options: { host: string; port: number }): Promise<SesLocal> {
  const start = (sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal;
  const server: Server = await start({ host: options.host, port: options.port });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A file the local inbox kept with an email, its content base64-encoded as aws-ses-v2-local stores it. */
export interface CapturedAttachment {
  filename?: string;
  contentType: string;
  content: string;
  size: number;
}

export interface CapturedEmail {
  messageId: string;
  from: string;
  /** aws-ses-v2-local keeps SendEmail's ReplyToAddresses and Attachments (simple and templated content) as they are. */
  replyTo: string[];
  attachments: CapturedAttachment[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

/** Reads the emails aws-ses-v2-local captured, optionally only those since an epoch second. */
export async function capturedEmails(endpoint: string, sinceEpochSeconds?: number): Promise<CapturedEmail[]> {
  const response = await fetch(`${endpoint}/store${sinceEpochSeconds === undefined ? '' : `?since=${sinceEpochSeconds}`}`);
  if (!response.ok) throw new Error(`the local SES inbox answered ${response.status}`);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

/** The text of a captured attachment (calendar files are text). */
export function attachmentText(attachment: CapturedAttachment): string {
  return Buffer.from(attachment.content, 'base64').toString('utf8');
}
