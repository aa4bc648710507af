import { Duration, Validations } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../../functions/catalog.ts';
import { TandemFunction, type FunctionBinding } from './tandem-function.ts';
import type { DataStore } from './data-store.ts';
import type { LinkSigningKey } from './link-signing-key.ts';
import type { Mailer } from './mailer.ts';
import type { ReportArchive } from './report-archive.ts';
import type { SurveyApi } from './survey-api.ts';

/**
 * Memory and timeout per function. Keyed by catalog name, so a new catalog entry does not
 * compile until it is sized here. Workflow steps stay under the TimeoutSeconds of their Task
 * state (a test checks it); the survey API under API Gateway's 30 s integration limit.
 * identify solves the whole cohort's matching: 3,008 MB gives it a whole vCPU (Lambda's CPU grows
 * with memory; 1,769 MB is one vCPU) and room for 10,000 people (about 1 GB at the worst roster
 * benchmarked), and 15 minutes, of which the matcher takes all but the last minute (functions/identify.ts).
 * 3,008 MB is also the most a new account may configure before a quota increase.
 */
export const SIZING: Record<FunctionName, { memorySize: number; timeout: Duration }> = {
  identify: { memorySize: 3008, timeout: Duration.seconds(900) },
  // Reads the roster to say why each unmatched person has no partner (one pass per unmatched person).
  'approval-step': { memorySize: 1024, timeout: Duration.seconds(300) },
  'open-phase': { memorySize: 512, timeout: Duration.seconds(60) },
  'phase-tick': { memorySize: 1024, timeout: Duration.seconds(300) },
  'close-phase': { memorySize: 512, timeout: Duration.seconds(60) },
  review: { memorySize: 1024, timeout: Duration.seconds(300) },
  // Sets every item of an ended cycle to expire (over 100,000 at 10,000 people), going on when delivered again if it runs out.
  'mark-cycle-failed': { memorySize: 512, timeout: Duration.seconds(300) },
  'survey-api': { memorySize: 512, timeout: Duration.seconds(10) },
  'session-api': { memorySize: 512, timeout: Duration.seconds(10) },
  'ses-events': { memorySize: 256, timeout: Duration.seconds(60) },
  'ops-api': { memorySize: 512, timeout: Duration.seconds(15) },
  console: { memorySize: 1024, timeout: Duration.seconds(20) },
};

export interface HandlersProps {
  readonly dataStore: DataStore;
  readonly mailer: Mailer;
  readonly reports: ReportArchive;
  readonly linkKey: LinkSigningKey;
  readonly surveyApi: SurveyApi;
  readonly logRetention: logs.RetentionDays;
  /** Dead-letter queues for functions invoked asynchronously. */
  readonly asyncDeadLetterQueues?: Partial<Record<FunctionName, IQueue>>;
}

/** Every function in functions/catalog.ts, each bound to exactly the access its entry names. */
export class Handlers extends Construct {
  readonly byName = new Map<FunctionName, TandemFunction>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: HandlersProps,
  ) {
    super(scope, id);
    for (const spec of FUNCTIONS) {
      const deadLetterQueue = props.asyncDeadLetterQueues?.[spec.name];
      const fn = new TandemFunction(this, pascal(spec.name), {
        spec,
        ...SIZING[spec.name],
        logRetention: props.logRetention,
        ...(deadLetterQueue ? { deadLetterQueue } : {}),
      });
      fn.bind(...this.bindingsFor(spec));
      const defaultPolicy = fn.role.node.tryFindChild('DefaultPolicy');
      if (defaultPolicy) {
        Validations.of(defaultPolicy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            "Added by CDK for active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (AWS Service Authorization Reference). The function's own access is in its separate Access policy, on exact ARNs.",
        });
      }
      this.byName.set(spec.name, fn);
    }
  }

  /**
   * Binds the functions whose catalog entry matches to what exists only after them (the state
   * machine invokes the workflow functions, so it is built after them and bound here).
   */
  bindWhere(matches: (spec: FunctionSpec) => boolean, ...bindings: FunctionBinding[]): void {
    for (const fn of this.byName.values()) if (matches(fn.spec)) fn.bind(...bindings);
  }

  get all(): TandemFunction[] {
    return [...this.byName.values()];
  }

  get(name: FunctionName): TandemFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`no function ${name} in the catalog`);
    return fn;
  }

  private bindingsFor(spec: FunctionSpec): FunctionBinding[] {
    const { dataStore, mailer, reports, linkKey, surveyApi } = this.props;
    const { access } = spec;
    return [
      dataStore.access(access.table),
      ...(access.sendsEmail ? [mailer.sending()] : []),
      ...(access.pacesSending ? [mailer.readingSendQuota()] : []),
      ...(access.writesReports ? [reports.writing()] : []),
      ...(access.readsLinkKey ? [linkKey.reading(), surveyApi.links()] : []),
    ];
  }
}

export const pascal = (name: string): string => name.replace(/(^|-)([a-z])/g, (_: string, __: string, c: string) => c.toUpperCase());
