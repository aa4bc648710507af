/**
 * Stands in for @aws-sdk/client-s3 in the bundle of a function whose catalog entry does not grant
 * S3 access (functions/catalog.ts: writesReports is false). adapters/container.ts imports every adapter,
 * so without this every function would carry every client; this one refuses to call S3,
 * as the function's IAM role would. See infra/constructs/bundling.ts.
 */
const refuse = () => {
  throw new Error('S3 is not bundled into this function: its entry in functions/catalog.ts does not grant S3 access (writesReports is false)');
};

export class S3Client {
  constructor(config = {}) {
    this.config = config;
  }
  async send() {
    refuse();
  }
  destroy() {}
}

export class PutObjectCommand {
  constructor(input) {
    this.input = input;
  }
}
