import type { Participant } from '../participant.ts';
import type { MatchContext } from './matcher.ts';

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The rules HR sets that no pairing may ever break. Built once per cohort so that
 * `allows` answers in constant time inside a solver's inner loop.
 */
export class HardRules {
  private readonly managerChains = new Map<string, Set<string>>();
  private readonly forbidden = new Set<string>();

  constructor(cohort: readonly Participant[], context: MatchContext, everyone: readonly Participant[] = cohort) {
    const managerOf = new Map(everyone.map((p) => [p.participantId, p.managerId]));
    for (const p of cohort) {
      const chain = new Set<string>();
      let manager = p.managerId;
      while (manager !== undefined && !chain.has(manager)) {
        chain.add(manager);
        manager = managerOf.get(manager);
      }
      this.managerChains.set(p.participantId, chain);
    }
    for (const [a, b] of context.recentPairs) this.forbidden.add(pairKey(a, b));
    for (const [a, b] of context.settings.doNotPair) this.forbidden.add(pairKey(a, b));
  }

  /** Whether the person can take part at all. */
  static eligible(p: Participant): boolean {
    return p.status === 'active';
  }

  /** Why two people may not be paired, or undefined when they may. */
  violation(a: Participant, b: Participant): string | undefined {
    if (a.participantId === b.participantId) return 'the same person';
    if (this.managerChains.get(a.participantId)?.has(b.participantId) || this.managerChains.get(b.participantId)?.has(a.participantId)) {
      return 'same reporting line';
    }
    if (this.forbidden.has(pairKey(a.participantId, b.participantId))) return 'paired recently or marked do-not-pair';
    if (!a.languages.some((language) => b.languages.includes(language))) return 'no shared language';
    return undefined;
  }

  allows(a: Participant, b: Participant): boolean {
    return this.violation(a, b) === undefined;
  }
}
