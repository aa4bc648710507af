/**
 * The AWS SDK's default credential chain, as it resolves inside Lambda: from the environment.
 *
 * Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first link of the SDK's chain. The other links
 * (SSO, profiles, processes, web identity, container and instance metadata) pull in the STS, SSO
 * and sign-in clients, about 90 KB of every bundle, and never run there. The Lambda bundles
 * alias `@aws-sdk/credential-provider-node` to this file (infra/constructs/bundling.ts); tests and
 * the local stack run the real chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
// The chain's two helpers, as @aws-sdk/credential-provider-node defines them.
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300000;
