import type { Cycle, Member, PhaseState } from '../../domain/cycle.ts';
import type { EmailTemplateKind } from '../../domain/email-templates.ts';
import type { LinkSigner } from '../../domain/links.ts';
import type { AnsweredPhase, Phase, Program } from '../../domain/program.ts';
import type { AuditLog, Clock, CycleStore, EmailLog, Mailer, ParticipantActionStore, PersonalDataStore, ProgramStore } from '../ports.ts';

/** What a phase's use cases reach: the store, the email log and mailer, the clock. */
export interface PhaseDeps {
  // setCycleExpiry: a step that resumes a redriven cycle takes its retention expiry off (services/retention.ts).
  // AuditLog: a step that moves a deadline records it for HR.
  store: CycleStore & ProgramStore & ParticipantActionStore & AuditLog & Pick<PersonalDataStore, 'setCycleExpiry'>;
  emailLog: EmailLog;
  mailer: Mailer;
  clock: Clock;
}

/** One line of a phase's progress on the ops page ("Answers: 3 of 10 answered", with a bar when `done`/`of` are set). */
export interface StatusLine {
  label: string;
  done?: number;
  of?: number;
  text: string;
}

/** What every phase of the cycle says about itself, answered or not. */
export interface PhaseModule {
  readonly name: Phase;
  /** The prefixes of its state names in workflows/program-cycle.asl.json ("GoalSetting" for "GoalSetting: wait"). */
  readonly statePrefixes: readonly string[];
  /** Its lines on the ops page of an execution (services/ops-pages.ts). */
  opsLines(cycle: Cycle, facts: { bounces?: number | undefined }): StatusLine[];
}

/** A phase's answers as `tandem cycle status` and the ops page count them. */
export interface AnswerCount {
  /** All answers recorded in the phase (for a phase with rounds: the sum over its rounds). */
  responses: number;
  /** Answers per round key ("run#2"), for a phase that has rounds. */
  rounds?: Record<string, number>;
  /** What else the phase counts (enrollment: invited, joined, declined, no answer). */
  detail?: Record<string, number>;
}

/** One batch of email a phase owes: every reachable member (or the ones named) gets one email under `key#<participantId>`. */
export interface DueBatch {
  /** The idempotency key of the batch; each email's key is `<key>#<participantId>`. */
  key: string;
  /** The email's `kind` tag (invitation, reminder, check-in, rematch). */
  tag: string;
  /** The phase key the email's link opens (and whose answers `onlyUnanswered` looks at). */
  phaseKey: string;
  /** Reminders go only to those who have not answered `phaseKey` yet. */
  onlyUnanswered: boolean;
  /** Only these participants (by id), when set; otherwise every reachable member. */
  recipients?: readonly string[];
  /** What the email says. */
  email: {
    template: EmailTemplateKind;
    includeGoals: boolean;
    round?: number;
    reminder: boolean;
    rematch: boolean;
    /** Of the recipients of a rematch, those who had accepted their first partner and are asked again (goals kept). */
    askedAgain?: readonly string[];
    /** Of the recipients of a rematch, the person joining the freed one: told of their new pair, not of a first partner they never had. */
    newPartners?: readonly string[];
    nudge?: boolean;
  };
  /** What the phase state records once the whole batch went out (given what earlier batches of this step recorded). */
  done(recorded: Partial<PhaseState>): Partial<PhaseState>;
}

/** What a phase step knows when it asks a module what is due. */
export interface PhaseStep {
  deps: PhaseDeps;
  cycle: Cycle;
  /** The phase state as the step read it (before anything this step records). */
  state: PhaseState;
  now: number;
}

/**
 * A phase in which participants answer through an emailed link. The engine (engine.ts) does
 * what all of them share: open, send what is due within the time budget, complete?, wait,
 * close. The module says what makes the phase different.
 */
export interface AnsweredPhaseModule extends PhaseModule {
  readonly name: AnsweredPhase;
  readonly answered: true;
  /** Its window in the program (`phaseWindows.<key>`): how long the phase stays open. */
  readonly window: keyof Program['phaseWindows'];
  /**
   * How the phase ends: 'everyone-or-deadline' expects an answer from every reachable member
   * (counted when it opens) and ends early once all answered (the engine polls for it);
   * 'deadline' expects none up front and ends at its deadline only (the run's check-ins).
   */
  readonly completion: 'everyone-or-deadline' | 'deadline';
  /** The phase key of an answer ("measure", or "run#2" for round 2). */
  phaseKey(round?: number): string;
  /** The round a phase key names (undefined for a phase without rounds), or null when the key is not this phase's. */
  parsePhaseKey(key: string): { round?: number } | null;
  /**
   * Who the phase writes to and, ending on 'everyone-or-deadline', expects answers from; the
   * cycle's reachable members when absent (a phase before identify would name the roster's invitees).
   */
  recipients?(deps: PhaseDeps, cycle: Cycle): Promise<Recipient[]>;
  /** The email batches due now (invitation, reminders, check-in rounds, rematch invitations). */
  dueBatches(step: PhaseStep): DueBatch[] | Promise<DueBatch[]>;
  /** When the next batch falls due (epoch ms; the engine also wakes for the deadline and, for early completion, to poll). */
  nextDueTimes(program: Program, state: PhaseState): number[];
  /** Work after this step's emails went out, given what the step recorded (the run judges missed check-ins). */
  afterSending?(step: PhaseStep, recorded: Partial<PhaseState>): Promise<void>;
  /** Its answers, from the cycle's counters per phase key. */
  countAnswers(responses: Record<string, number>): AnswerCount;
  /** Its Responses cell in `tandem cycle status`. */
  statusCell(count: AnswerCount): string | number;
  /** For an optional phase: whether the program runs it (absent: every cycle does). */
  runsIn?(program: Program): boolean;
  /** Counts the phase keeps on the cycle besides its answers (AnswerCount.detail). */
  statusDetail?(cycle: Cycle): Record<string, number>;
  // Its participant page (what the link shows, the form, what an answer does) is the PhaseSurvey in
  // services/phases/<phase>/survey.ts, looked up by services/phases/survey-registry.ts rather than
  // carried here: every function reads phase keys through this registry (the store adapter does),
  // and the survey pages would add ~30 KB to each bundle that never renders a page.
}

/** Work a phase does on every step after its emails (goal-setting's introductions): see step-work.ts. */
export type StepWork = (step: PhaseStep, links: { signer: LinkSigner; baseUrl: string }, budget: { remainingMs: () => number }) => Promise<unknown>;

/** Is this module one whose participants answer? */
export function isAnswered(module: PhaseModule): module is AnsweredPhaseModule {
  return 'answered' in module && module.answered === true;
}

/** Whom a phase email goes to: what the email and its link need of a person. */
export type Recipient = Pick<Member, 'participantId' | 'name' | 'email' | 'language' | 'partners'>;
