import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logicalIdOf } from './logical-id.ts';
import { REPORT_RETENTION_CLASSES, REPORT_RETENTION_TAG } from '../../domain/retention.ts';
import type { FunctionBinding } from './tandem-function.ts';

/** The review function writes `cycles/<cycleId>/report.html` (adapters/reports/report-stores.ts). */
export const REPORT_PREFIX = 'cycles/';

export interface ReportArchiveProps {
  readonly reportRetention: Duration;
  readonly accessLogRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The private bucket of cycle reports: no public access, SSE-S3, TLS only, versioned,
 * server access logs to a second bucket, reports expire after the retention period.
 */
export class ReportArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReportArchiveProps) {
    super(scope, id);
    const common = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
    } as const;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogRetention }],
    });

    this.bucket = new s3.Bucket(this, 'Reports', {
      ...common,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [
        // The deployment's ceiling: every report, tagged or written before tags (S3 applies the earliest expiration that matches).
        { id: 'expire-reports', prefix: REPORT_PREFIX, expiration: props.reportRetention, noncurrentVersionExpiration: Duration.days(30) },
        // The program's retention (domain/retention.ts): the review tags each report with its class.
        ...REPORT_RETENTION_CLASSES.map((days) => ({
          id: `expire-reports-${days}d`,
          prefix: REPORT_PREFIX,
          tagFilters: { [REPORT_RETENTION_TAG]: String(days) },
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(30),
        })),
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /** Object ARNs under the reports prefix: object keys hold cycle ids chosen at run time, so a prefix is as narrow as S3 allows. */
  get reportObjectsArn(): string {
    return this.bucket.arnForObjects(`${REPORT_PREFIX}*`);
  }

  /** Binding: TANDEM_REPORT_BUCKET and PutObject under cycles/ only. */
  writing(): FunctionBinding {
    return {
      description: 'reports:write',
      bind: (target) => {
        target.setEnvironment('TANDEM_REPORT_BUCKET', this.bucket.bucketName);
        // PutObjectTagging: the review tags each report with its program's retention class.
        target.grant(new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject', 's3:PutObjectTagging'], resources: [this.reportObjectsArn] }));
        Validations.of(target.accessPolicy).acknowledge(this.prefixAcknowledgement());
      },
    };
  }

  /** cdk-nag names `<bucket>/cycles/*` as a wildcard: the acknowledgement every holder of a report grant carries. */
  prefixAcknowledgement(): { id: string; reason: string } {
    return {
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.bucket)}.Arn>/${REPORT_PREFIX}*]`,
      reason: 'Reports are stored as cycles/<cycleId>/report.html, with cycle ids chosen at run time: the cycles/ prefix is the narrowest resource S3 allows.',
    };
  }

  /** Statements for a person who reads reports (the HR operator policy). */
  readStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ sid: 'ReadReports', actions: ['s3:GetObject'], resources: [this.reportObjectsArn] }),
      new iam.PolicyStatement({
        sid: 'ListReports',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${REPORT_PREFIX}*`] } },
      }),
    ];
  }
}
