import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { emailTemplatesToCreate } from '../../domain/email-template-content.ts';
import { SES_EVENT_DETAIL_TYPES } from '../../functions/ses-events.ts';
import type { FunctionBinding, TandemFunction } from './tandem-function.ts';

export interface MailerProps {
  /** A domain (example.org) or one address; programs send from addresses of this identity. */
  readonly senderIdentity: string;
  readonly createSenderIdentity: boolean;
  /** Verified recipient identities, needed only while the account is in the SES sandbox. */
  readonly sandboxRecipients: readonly string[];
  /** Emails per second these functions may send (TANDEM_SES_MAX_SEND_RATE); unset: the account's rate, read with ses:GetAccount. */
  readonly maxSendRate?: number;
}

/**
 * SES for Tandem: the configuration set every email is sent through (reputation metrics on,
 * TLS required, account suppression of bounces and complaints), its EventBridge event
 * destination for bounces and complaints, the sender identity, the participant email templates,
 * and the rule that hands bounce and complaint events to the ses-events handler (with a
 * dead-letter queue for events it could not handle).
 */
export class Mailer extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly senderIdentity: string;
  readonly identity?: ses.EmailIdentity;
  /** Bounce/complaint events that could not be delivered to, or handled by, the ses-events function. */
  readonly eventDeadLetterQueue: sqs.Queue;
  /** The participant email templates, `tandem-<kind>-<language>-<content hash>` (domain/generated/email-template-names.generated.ts). */
  readonly templateNames: readonly string[];
  readonly templates: readonly ses.CfnTemplate[];
  private readonly sandboxRecipients: readonly string[];
  private readonly maxSendRate: number | undefined;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.senderIdentity = props.senderIdentity;
    this.sandboxRecipients = props.sandboxRecipients;
    this.maxSendRate = props.maxSendRate;

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

    // Named by a hash of their content: a changed template is a new resource, created before the
    // functions that name it are updated, and the old one is deleted after them.
    const templates = emailTemplatesToCreate();
    this.templateNames = templates.map((template) => template.name);
    this.templates = templates.map(
      (template) =>
        new ses.CfnTemplate(this, `Template-${template.name.replace(/-[0-9a-f]+$/, '')}`, {
          template: { templateName: template.name, subjectPart: template.subject, htmlPart: template.html, textPart: template.text },
        }),
    );

    this.eventDeadLetterQueue = new sqs.Queue(this, 'EventDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  identityArn(identity: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: identity, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  templateArn(name: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'template', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /**
   * Binding: TANDEM_SES_CONFIGURATION_SET; ses:SendEmail from the sender identity, through this
   * configuration set, with Tandem's templates (each named: they are known at synth).
   */
  sending(): FunctionBinding {
    return {
      description: 'email:send',
      bind: (target) => {
        target.setEnvironment('TANDEM_SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
        // The function's code names these templates, so they must exist before it is updated.
        for (const template of this.templates) target.function.node.addDependency(template);
        target.grant(this.sendStatement('SendEmailFromSenderIdentity'));
      },
    };
  }

  /** ses:SendEmail from the sender identity, through this configuration set, with Tandem's templates: for a function, or a person's policy. */
  sendStatement(sid: string): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid,
      actions: ['ses:SendEmail'],
      resources: [
        this.identityArn(this.senderIdentity),
        ...this.sandboxRecipients.map((r) => this.identityArn(r)),
        this.configurationSetArn,
        ...this.templateNames.map((name) => this.templateArn(name)),
      ],
    });
  }

  /**
   * Binding for a function that paces its sending (docs/deploy.md, "Sending pace"): the
   * configured rate as TANDEM_SES_MAX_SEND_RATE, or else ses:GetAccount to read the account's.
   */
  readingSendQuota(): FunctionBinding {
    return {
      description: 'email:read-send-quota',
      bind: (target) => {
        if (this.maxSendRate !== undefined) target.setEnvironment('TANDEM_SES_MAX_SEND_RATE', String(this.maxSendRate));
        target.grant(new iam.PolicyStatement({ sid: 'ReadSendQuota', actions: ['ses:GetAccount'], resources: ['*'] }));
        Validations.of(target.accessPolicy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'ses:GetAccount reads the account-wide sending quota and supports no resource-level permissions (AWS Service Authorization Reference).',
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
