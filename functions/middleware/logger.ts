import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per container. Link tokens are never logged: handlers log ids, not URLs. */
export const logger = new Logger({ serviceName: 'tandem' });
