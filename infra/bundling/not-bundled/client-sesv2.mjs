/**
 * Stands in for @aws-sdk/client-sesv2 in the bundle of a function whose catalog entry does not grant
 * SES access (functions/catalog.ts: sendsEmail is false). adapters/container.ts imports every adapter,
 * so without this every function would carry every client; this one refuses to call SES,
 * as the function's IAM role would. See infra/constructs/bundling.ts.
 */
const refuse = () => {
  throw new Error('SES is not bundled into this function: its entry in functions/catalog.ts does not grant SES access (sendsEmail is false)');
};

export class SESv2Client {
  constructor(config = {}) {
    this.config = config;
  }
  async send() {
    refuse();
  }
  destroy() {}
}

export class SendEmailCommand {
  constructor(input) {
    this.input = input;
  }
}
