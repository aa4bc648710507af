import { describe, expect, it } from 'vitest';
import type { ForumSuggestion, InvitationDecision, PairFlag, RematchRecord } from '../../services/participant-records.ts';
import { participationEvents } from '../../services/review.ts';

const decision = (participantId: string, d: 'accepted' | 'declined', reason?: string): InvitationDecision => ({
  cycleId: 'c',
  participantId,
  decision: d,
  partnerIds: [],
  decidedAt: 0,
  ...(reason ? { reason } : {}),
});

describe('participationEvents: the participant pages’ records as review input', () => {
  it('counts declined pairs, successful rematches, flags and suggestions', async () => {
    const store = {
      listInvitationDecisions: async () => [
        decision('a', 'accepted'),
        decision('b', 'declined', 'No time'),
        decision('c', 'declined', 'No time'),
        decision('d', 'declined'),
      ],
      listRematches: async () => [{ rematchId: 'x~y', newPairId: 'y~z' }, { rematchId: 'u~v' }] as RematchRecord[],
      listPairFlags: async () =>
        [
          {
            cycleId: 'c',
            pairId: 'x~y',
            firstFlaggedAt: 0,
            reasons: [
              { participantId: 'x', kind: 'need-help', round: 1, at: 0 },
              { participantId: 'y', kind: 'need-help', round: 2, at: 0 },
            ],
          },
        ] as PairFlag[],
      listSuggestions: async () => [{ cycleId: 'c', suggestionId: 's1', category: 'more', text: 'More practice', votes: 3, createdAt: 0 }] as ForumSuggestion[],
    };
    const events = await participationEvents(store, 'c', [{ pairId: 'x~y', status: 'declined' }, { pairId: 'u~v', status: 'declined' }, { pairId: 'y~z' }]);
    expect(events).toEqual({
      invitations: {
        accepted: 1,
        declined: 2,
        declineReasons: [
          { reason: 'No time', count: 2 },
          { reason: 'no reason given', count: 1 },
        ],
      },
      rematches: 1,
      atRiskPairs: [{ pairId: 'x~y', reasons: ['asked for help at a check-in'] }],
      suggestions: [{ text: 'More practice', votes: 3, category: 'more' }],
    });
  });
});
