import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_EVENT_DETAIL_TYPES } from '../../functions/ses-events.ts';
import type { FunctionBinding, TandemFunction } from './tandem-function.ts';

/** Participant emails go as SES templates named `tandem-<kind>-<language>-<content hash>` (domain/email-templates.ts), created on first use. */
export const TEMPLATE_NAME_PREFIX = 'tandem-';

export interface MailerProps {
  /** A domain (example.org) or one address; programs send from addresses of this identity. */
  readonly senderIdentity: string;
  readonly createSenderIdentity: boolean;
  /** Verified recipient identities, needed only while the account is in the SES sandbox. */
  readonly sandboxRecipients: readonly string[];
}

/**
 * SES for Tandem: the configuration set every email is sent through (reputation metrics on,
 * TLS required, account suppression of bounces and complaints), its EventBridge event
 * destination for bounces and complaints, the sender identity, and the rule that hands those
 * events to the ses-events handler (with a dead-letter queue for events it could not handle).
 */
export class Mailer extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly senderIdentity: string;
  readonly identity?: ses.EmailIdentity;
  /** Bounce/complaint events that could not be delivered to, or handled by, the ses-events function. */
  readonly eventDeadLetterQueue: sqs.Queue;
  private readonly sandboxRecipients: readonly string[];

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.senderIdentity = props.senderIdentity;
    this.sandboxRecipients = props.sandboxRecipients;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Only bounces and complaints: no open or click tracking, so SES never rewrites the survey links.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    if (props.createSenderIdentity) {
      this.identity = new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: props.senderIdentity.includes('@') ? ses.Identity.email(props.senderIdentity) : ses.Identity.domain(props.senderIdentity),
        configurationSet: this.configurationSet,
      });
    }

    this.eventDeadLetterQueue = new sqs.Queue(this, 'EventDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  identityArn(identity: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: identity, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Tandem's SES templates (names are content hashes chosen at run time, so a prefix is as narrow as it gets). */
  get templatesArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'template', resourceName: `${TEMPLATE_NAME_PREFIX}*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /**
   * Binding: TANDEM_SES_CONFIGURATION_SET; ses:SendEmail from the sender identity, through this
   * configuration set, with Tandem's templates; and creating/updating those templates on first use.
   */
  sending(): FunctionBinding {
    return {
      description: 'email:send',
      bind: (target) => {
        target.setEnvironment('TANDEM_SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
        target.grant(
          new iam.PolicyStatement({
            sid: 'SendEmailFromSenderIdentity',
            actions: ['ses:SendEmail'],
            resources: [this.identityArn(this.senderIdentity), ...this.sandboxRecipients.map((r) => this.identityArn(r)), this.configurationSetArn, this.templatesArn],
          }),
          new iam.PolicyStatement({
            sid: 'ManageEmailTemplates',
            actions: ['ses:GetEmailTemplate', 'ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'],
            resources: [this.templatesArn],
          }),
        );
        Validations.of(target.accessPolicy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${TEMPLATE_NAME_PREFIX}*]`,
          reason:
            "SES templates are named tandem-<kind>-<language>-<content hash> and created on first use, so their names are not known at deploy time; the tandem- prefix limits the grant to Tandem's own templates.",
        });
      },
    };
  }

  /** Routes this configuration set's bounce and complaint events to a handler. */
  deliverEventsTo(handler: TandemFunction): events.Rule {
    const rule = new events.Rule(this, 'BouncesAndComplaintsRule', {
      description: 'Tandem: SES bounces and complaints of this configuration set go to the ses-events handler.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...SES_EVENT_DETAIL_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
    });
    rule.addTarget(
      new targets.LambdaFunction(handler.function, {
        deadLetterQueue: this.eventDeadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );
    return rule;
  }
}
