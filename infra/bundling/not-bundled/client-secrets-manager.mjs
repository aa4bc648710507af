/**
 * Stands in for @aws-sdk/client-secrets-manager in the bundle of a function whose catalog entry does not grant
 * Secrets Manager access (functions/catalog.ts: readsLinkKey is false). adapters/container.ts imports every adapter,
 * so without this every function would carry every client; this one refuses to call Secrets Manager,
 * as the function's IAM role would. See infra/constructs/bundling.ts.
 */
const refuse = () => {
  throw new Error('Secrets Manager is not bundled into this function: its entry in functions/catalog.ts does not grant Secrets Manager access (readsLinkKey is false)');
};

export class SecretsManagerClient {
  constructor(config = {}) {
    this.config = config;
  }
  async send() {
    refuse();
  }
  destroy() {}
}

export class GetSecretValueCommand {
  constructor(input) {
    this.input = input;
  }
}
