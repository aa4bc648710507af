import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, synthesize, TEST_CONFIG, type Synthesized } from './support.ts';

// CloudFormation JSON is untyped: the tests read it loosely and assert on what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Resource = { Type: string; Properties: Record<string, Loose>; DeletionPolicy?: string };

/** The options a deployment can turn on or off, synthesized without bundling (the code is the main synth's). */
describe('a deployment with a customer-managed key, data that goes with the stack and an identity verified elsewhere', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(
      {
        ...TEST_CONFIG,
        customerManagedKey: true,
        retainData: false,
        tableDeletionProtection: false,
        createSenderIdentity: false,
        senderIdentity: 'tandem@acme.test',
        sandboxRecipients: ['pilot-1@acme.test', 'pilot-2@acme.test'],
        sesMaxSendRate: 7,
      },
      { bundle: false },
    );
  }, 120_000);

  const resources = (type: string) => s.template.findResources(type) as Record<string, Resource>;

  it('is still clean under cdk-nag', () => {
    expect(s.unacknowledged).toEqual([]);
  });

  it('encrypts the table and both topics with one rotating customer-managed key', () => {
    const keyRef = { 'Fn::GetAtt': [logicalId(s.stack.encryptionKey!), 'Arn'] };
    s.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    s.template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyRef } });
    for (const topic of Object.values(resources('AWS::SNS::Topic'))) expect(topic.Properties.KmsMasterKeyId).toEqual(keyRef);
  });

  it('lets alarms and EventBridge publish to the encrypted topics, and handlers use the key only through DynamoDB', () => {
    const [key] = Object.values(resources('AWS::KMS::Key'));
    const services = JSON.stringify(key?.Properties.KeyPolicy);
    expect(services).toContain('cloudwatch.amazonaws.com');
    expect(services).toContain('events.amazonaws.com');
    const policy = resources('AWS::IAM::Policy')[logicalId(s.stack.handlers.get('identify').accessPolicy)];
    const keyStatement = (policy?.Properties.PolicyDocument.Statement as Array<Record<string, Loose>>).find((st) => st.Sid === 'UseTableKeyThroughDynamoDB');
    expect(keyStatement?.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(keyStatement?.Condition)).toContain('kms:ViaService');
  });

  it('hands the configured send rate to the function that paces sending, and to no other', () => {
    const functions = resources('AWS::Lambda::Function');
    const rateOf = (name: 'phase-tick' | 'review') =>
      functions[logicalId(s.stack.handlers.get(name).function)]?.Properties.Environment?.Variables?.TANDEM_SES_MAX_SEND_RATE;
    expect(rateOf('phase-tick')).toBe('7');
    expect(rateOf('review')).toBeUndefined();
  });

  it('deletes the table, bucket and signing key with the stack, and leaves deletion protection off', () => {
    const [table] = Object.values(resources('AWS::DynamoDB::Table'));
    expect(table?.DeletionPolicy).toBe('Delete');
    expect(table?.Properties.DeletionProtectionEnabled).toBe(false);
    expect(Object.values(resources('AWS::S3::Bucket')).map((b) => b.DeletionPolicy)).toEqual(['Delete', 'Delete']);
    expect(Object.values(resources('AWS::SecretsManager::Secret'))[0]?.DeletionPolicy).toBe('Delete');
  });

  it('creates no SES identity, and lets the mailers send from the address to the sandbox recipients', () => {
    s.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const policy = resources('AWS::IAM::Policy')[logicalId(s.stack.handlers.get('phase-tick').accessPolicy)];
    const send = JSON.stringify(
      (policy?.Properties.PolicyDocument.Statement as Array<Record<string, Loose>>).find((st) => st.Sid === 'SendEmailFromSenderIdentity'),
    );
    for (const identity of ['tandem@acme.test', 'pilot-1@acme.test', 'pilot-2@acme.test']) expect(send).toContain(`:identity/${identity}`);
  });
});
