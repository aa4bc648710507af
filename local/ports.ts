import { createServer } from 'node:net';
import { MissingPrerequisiteError } from './prerequisites.ts';

/** The local stack's services, each on a port of its own. */
export type LocalService = 'dynamodb' | 'ses' | 'stepfunctions' | 'survey' | 'oidc';

/** The `tandem local up` option that moves each service to another port. */
export const PORT_OPTIONS: Readonly<Record<LocalService, string>> = {
  dynamodb: '--dynamodb-port',
  ses: '--ses-port',
  stepfunctions: '--stepfunctions-port',
  survey: '--survey-port',
  oidc: '--oidc-port',
};

const SERVICE_NAMES: Readonly<Record<LocalService, string>> = {
  dynamodb: 'DynamoDB',
  ses: 'SES',
  stepfunctions: 'Step Functions endpoint',
  survey: 'survey API',
  oidc: 'OpenID Connect provider',
};

/** A port asked for a local service is taken (or not allowed); the message names the option that moves the service. */
export class PortInUseError extends MissingPrerequisiteError {
  override name = 'PortInUseError';
  constructor(
    readonly service: LocalService,
    readonly port: number,
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    const code = (options?.cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      `port ${port} on ${host} is ${code === 'EACCES' ? 'not allowed to this user' : 'in use'}, so the local ${SERVICE_NAMES[service]} cannot start there: ` +
        `stop what uses it, or move the ${SERVICE_NAMES[service]} with ${PORT_OPTIONS[service]} <port> (0 picks a free one)`,
      options,
    );
  }
}

/** Why a TCP port cannot be listened on (EADDRINUSE, EACCES, ...), or undefined when it is free. */
export function portProblem(port: number, host = '127.0.0.1'): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}

/** Whether a TCP port is free on the host. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await portProblem(port, host)) === undefined;
}

/** A port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
