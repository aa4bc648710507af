import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FunctionBinding } from './tandem-function.ts';

export interface LinkSigningKeyProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The HMAC key that signs the links in emails. Secrets Manager generates it at deploy time
 * (CloudFormation cannot create SSM SecureString parameters), so it is never in code, in the
 * template or in a plain environment variable: handlers get the secret's ARN and read the
 * value at cold start (adapters/container.ts, TANDEM_LINK_SIGNING_KEY_SECRET).
 */
export class LinkSigningKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: LinkSigningKeyProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Tandem: HMAC key that signs participant survey links (generated; 64 characters).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate every link already emailed for open phases (links live until a phase deadline, weeks away). Rotation is a manual, planned step between cycles, described in docs/deploy.md.',
    });
  }

  /** Binding: TANDEM_LINK_SIGNING_KEY_SECRET and GetSecretValue on this secret only. */
  reading(): FunctionBinding {
    return {
      description: 'link-key:read',
      bind: (target) => {
        target.setEnvironment('TANDEM_LINK_SIGNING_KEY_SECRET', this.secret.secretArn);
        target.grant(new iam.PolicyStatement({ sid: 'ReadLinkSigningKey', actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
      },
    };
  }
}
