/**
 * Every Lambda function Tandem deploys, in one place. The CDK app builds one function per
 * entry and the local stack maps the same ARNs to the same handlers, so the workflow
 * definition in workflows/ runs unchanged in both.
 */
export interface FunctionSpec {
  /** Short name; the deployed function is called `tandem-<name>` locally. */
  readonly name: string;
  /** Module (relative to the repository root) whose `handler` export is the Lambda handler. */
  readonly entry: string;
  /** The `${...}` placeholder for this function's ARN in the workflow definition, if the workflow calls it. */
  readonly definitionSubstitution?: string;
  readonly description: string;
  /** What the handler touches; infra/ grants exactly this. */
  readonly access: {
    readonly table: 'read' | 'read-write';
    readonly sendsEmail: boolean;
    readonly writesReports: boolean;
    readonly readsLinkKey: boolean;
    /**
     * Reads the program-cycle executions through the Step Functions API: infra/ grants
     * states:ListExecutions on the state machine and states:DescribeExecution and
     * states:GetExecutionHistory on its executions, and passes TANDEM_STATE_MACHINE_ARN.
     */
    readonly readsExecutions?: boolean;
    /** Paces its sending to the SES account's maximum send rate: infra/ grants ses:GetAccount (and passes TANDEM_SES_MAX_SEND_RATE when configured). */
    readonly pacesSending?: boolean;
    /** Starts and stops program-cycle executions (HR's console): states:StartExecution on the machine, states:StopExecution on its executions. */
    readonly controlsExecutions?: boolean;
  };
  /**
   * An HTTP route on the API (locally routed by local/survey-server.ts): `iam` means IAM
   * authorization on AWS; `session` means the handler signs people in itself (the console, through Cognito).
   */
  readonly route?: { readonly path: string; readonly authorization: 'iam' | 'session' };
}

export const FUNCTIONS = [
  {
    name: 'identify',
    entry: 'functions/identify.ts',
    definitionSubstitution: 'IdentifyFunctionArn',
    description: 'Identify phase: snapshots the cohort and stores the pairs the matcher proposes.',
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'approval-step',
    entry: 'functions/approval-step.ts',
    definitionSubstitution: 'ApprovalStepFunctionArn',
    description: "Approval phase: opens HR's review of the pairs, reminds HR, and says whether HR approved, the deadline decided, or how long to wait.",
    access: { table: 'read-write', sendsEmail: true, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'open-phase',
    entry: 'functions/open-phase.ts',
    definitionSubstitution: 'OpenPhaseFunctionArn',
    description: 'Opens a phase: sets its deadline and reminder schedule on the cycle.',
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'phase-tick',
    entry: 'functions/phase-tick.ts',
    definitionSubstitution: 'PhaseTickFunctionArn',
    description: 'Advances an open phase: sends what is due (invitations, check-ins, reminders) and says how long to wait.',
    access: { table: 'read-write', sendsEmail: true, writesReports: false, readsLinkKey: true, pacesSending: true },
  },
  {
    name: 'close-phase',
    entry: 'functions/close-phase.ts',
    definitionSubstitution: 'ClosePhaseFunctionArn',
    description: 'Closes a phase: links stop accepting answers and the counts are frozen.',
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'review',
    entry: 'functions/review.ts',
    definitionSubstitution: 'ReviewFunctionArn',
    description: "Review phase: computes the cycle's metrics, stores the report and emails HR a summary.",
    access: { table: 'read-write', sendsEmail: true, writesReports: true, readsLinkKey: false },
  },
  {
    name: 'mark-cycle-failed',
    entry: 'functions/mark-cycle-failed.ts',
    description: "Follows the workflow's status changes (EventBridge): marks a cycle failed and emails ops, or running again when redriven.",
    access: { table: 'read-write', sendsEmail: true, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'survey-api',
    entry: 'functions/survey-api.ts',
    description: 'The HTTP endpoint behind every emailed link: GET renders a page, POST records an answer.',
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: true },
  },
  {
    name: 'session-api',
    entry: 'functions/session-api.ts',
    description:
      'The informational session page behind a session link: GET renders it, POST registers or declines (a freed seat goes to the first in line, who is emailed).',
    // A function of its own: only it sends email from a participant's request, so survey-api stays without the SES client.
    access: { table: 'read-write', sendsEmail: true, writesReports: false, readsLinkKey: true },
  },
  {
    name: 'ses-events',
    entry: 'functions/ses-events.ts',
    description: 'Handles SES bounce and complaint events: marks those participants unreachable in every program, so later phases skip them.',
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: false },
  },
  {
    name: 'ops-api',
    entry: 'functions/ops-api.ts',
    description:
      "The ops page: lists the program-cycle executions and shows one as a timeline of phases with participants' progress (counts only) and failures with their causes.",
    access: { table: 'read', sendsEmail: false, writesReports: false, readsLinkKey: false, readsExecutions: true },
    route: { path: '/ops', authorization: 'iam' },
  },
  {
    name: 'console',
    entry: 'functions/console-api.ts',
    description: "HR's and ops' console: signed in through OpenID Connect (Cognito on AWS), programs, rosters, cycles, reports, executions and the audit log.",
    access: { table: 'read-write', sendsEmail: false, writesReports: false, readsLinkKey: true, readsExecutions: true, controlsExecutions: true },
    route: { path: '/console', authorization: 'session' },
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof FUNCTIONS)[number]['name'];
export const WORKFLOW_FILE = 'workflows/program-cycle.asl.json';
