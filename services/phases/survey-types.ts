import type { Cycle, Member, StoredResponse } from '../../domain/cycle.ts';
import type { ValidationIssue } from '../../domain/errors.ts';
import type { LinkSigner } from '../../domain/links.ts';
import type { Matcher } from '../../domain/matching/matcher.ts';
import type { AnsweredPhase, Language } from '../../domain/program.ts';
import type { Answer, FormFields, SurveyContext } from '../../domain/surveys.ts';
import type { Participant } from '../../domain/participant.ts';
import type { Clock, CycleStore, ParticipantActionStore, ProgramStore, RecordResponseOutcome, SessionStore } from '../ports.ts';
import type { FormPageInput } from '../survey-pages.ts';

export interface SurveyDeps {
  // The sessions' part: a person who leaves the program gives their seats back (services/leave-program.ts).
  store: CycleStore &
    ProgramStore &
    ParticipantActionStore &
    Pick<SessionStore, 'listSessions' | 'listSessionRegistrations' | 'declineSession' | 'promoteFromWaitingList'>;
  clock: Clock;
  signer: LinkSigner;
  /** Used to pair a partner again after a decline. */
  matcher: Matcher;
}

export interface PageResult {
  status: number;
  html: string;
}

/** Where a page's forms post to and the binding that ties them to the link (services/form-binding.ts). */
export interface SurveyLink {
  token: string;
  action: string;
  binding: string;
}

/** A valid link to a phase that is open, and who opened it. */
export interface SurveyVisit {
  cycle: Cycle;
  member: Member;
  phase: AnsweredPhase;
  /** The key answers are stored under (`run#<round>` for a check-in). */
  phaseKey: string;
  /** The check-in round, for the run phase. */
  round?: number;
  language: Language;
  link: SurveyLink;
  /** When the request is handled: the time every record it writes carries. */
  now: number;
  /** The person's roster entry, read when the link was resolved (whether they left the program). */
  rosterEntry?: Participant | undefined;
  /**
   * The person's answers the phase named in `answersRead`, read with the cycle and the member when
   * the request began (`answers` holds those given; a key not in `phaseKeys` was not read). A page
   * that only reads may use them; a request that writes reads again what its write depends on.
   */
  prefetched?: { phaseKeys: readonly string[]; answers: ReadonlyMap<string, StoredResponse> };
  /** An answer the email's link pre-selects (`?answer=`, as typed; the phase validates it). The form must still be sent. */
  preselect?: string;
}

/** What a link was opened for: a page view (GET, HEAD) or a form post. */
export type SurveyRequest = 'page' | 'post';

/** A form action besides answering (goal-setting's accept and decline, feedback's vote); it handles the POST whole. */
export type SurveyAction = (deps: SurveyDeps, visit: SurveyVisit, fields: FormFields) => Promise<PageResult>;

/** How storing an answer went: the store's outcome, or a page that refuses the answer (goal-setting: the person declined). */
export type StoreAnswerOutcome = RecordResponseOutcome | { refused: PageResult };

/**
 * What a phase's participant page does. services/surveys.ts resolves the link and then asks the
 * phase's survey: GET → `show`; POST `_action=answer` → `context`, `parseAnswer` (→ `rejected` on
 * a ValidationError), `store`, `afterAnswer` when newly recorded, `answered`; any other
 * `_action` → `actions[_action]`, else the form is refused.
 */
export interface PhaseSurvey<A extends Answer = Answer> {
  /** What the questions need besides the person (their skills; at measure, the goals they set). */
  context(deps: SurveyDeps, visit: SurveyVisit): Promise<SurveyContext>;
  /** The page behind the link (GET). Never changes anything: mail scanners open links too. */
  show(deps: SurveyDeps, visit: SurveyVisit): Promise<PageResult>;
  /** The form actions the phase's pages post besides `answer`, by `_action`. */
  readonly actions: Readonly<Record<string, SurveyAction>>;
  /** Reads and validates the answer form; throws ValidationError naming every bad field. */
  parseAnswer(body: string, context: SurveyContext): A;
  /** The page for an answer that did not validate, what the person typed kept. */
  rejected(deps: SurveyDeps, visit: SurveyVisit, context: SurveyContext, fields: FormFields, errors: ValidationIssue[]): Promise<PageResult>;
  /** Stores the answer once, with whatever the phase writes alongside it (read from the submitted fields: run's meeting). */
  store(deps: SurveyDeps, visit: SurveyVisit, response: StoredResponse<A>, fields: FormFields): Promise<StoreAnswerOutcome>;
  /** What a newly recorded answer sets off (run: flags a pair at risk). */
  afterAnswer(deps: SurveyDeps, visit: SurveyVisit, answer: A): Promise<void>;
  /** The page after the answer was recorded, or found recorded already. */
  answered(deps: SurveyDeps, visit: SurveyVisit, outcome: 'recorded' | 'already-answered'): Promise<PageResult>;
  /** The phase's form page (its questions in the shared page). */
  renderForm(input: FormPageInput): string;
  /**
   * The person's answers (by phase key) this phase reads for a page view (GET) or a form post,
   * fetched with the cycle and the member in the store's one call (`visit.prefetched`). Absent:
   * none; the phase reads what it needs. Each key costs a read unit on AWS, found or not.
   */
  answersRead?(phaseKey: string, request: SurveyRequest): readonly string[];
  /**
   * Who opened a link of this phase when they are not a member of the cycle (yet): a phase
   * before identify finds its invitees on the roster. Absent: only members may answer.
   */
  visitor?(deps: SurveyDeps, cycle: Cycle, participantId: string, entry: Participant | undefined): Promise<Member | undefined>;
  /**
   * A member left the program (the opt-out link) while this phase is open, still paired in
   * `leaver.partners`: what the phase does for those partners, true when it saw to them
   * (goal-setting pairs them again). Absent or false: their pairs are flagged for HR, who tells
   * the partners (services/leave-program.ts).
   */
  memberLeft?(deps: SurveyDeps, cycle: Cycle, leaver: Member): Promise<boolean>;
  /**
   * A member who declined posts a form of this phase again (the decline sent again after its request
   * failed; they are then shown that they declined): what the decline should have set off and did
   * not is finished here (goal-setting: the partners' rematch). Never on a GET.
   */
  declinedAgain?(deps: SurveyDeps, cycle: Cycle, decliner: Member): Promise<void>;
}
