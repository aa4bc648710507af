import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { parsePairReviewForm, renderPairReview } from '../../services/phases/approval/page.ts';
import type { PairReviewView } from '../../services/phases/approval/review.ts';

const person = (participantId: string, name: string) => ({ participantId, name, department: 'IT' });

const hr = { readOnly: false };

const view = (overrides: Partial<PairReviewView> = {}): PairReviewView => ({
  cycleId: 'c1',
  programId: 'prog',
  programName: 'Mentoria & Co',
  status: 'pending',
  cycleStatus: 'running',
  deadline: Date.UTC(2027, 2, 3, 9),
  onDeadline: 'approve',
  stale: false,
  revision: 2,
  pairs: [
    {
      pairId: 'p01~p02',
      mentor: person('p01', '<script>alert(1)</script>'),
      mentee: person('p02', 'Bruno "B" Lima'),
      score: 71.5,
      criteria: [
        { criterion: 'skillsTaughtByMentor', points: 40 },
        { criterion: 'crossDepartment', points: 10 },
      ],
      explanation: '<script>alert(1)</script> teaches Bruno AI tools <fast>; 2 years apart',
      locked: true,
    },
  ],
  unmatched: [{ ...person('p03', 'Carla'), reason: 'no eligible partner' }],
  excluded: [],
  bans: [[person('p04', 'Dora'), person('p05', 'Eva')]],
  ...overrides,
});

describe('the Pairs page', () => {
  it('escapes every name and text it shows', () => {
    const html = renderPairReview(view(), 'en', 'token"<', hr);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Bruno &quot;B&quot; Lima');
    expect(html).toContain('AI tools &lt;fast&gt;');
    expect(html).toContain('Mentoria &amp; Co');
    expect(html).toContain('value="token&quot;&lt;"');
  });

  it('shows each pair in a captioned table with its score, criteria and explanation, and a form per action carrying the csrf token', () => {
    const html = renderPairReview(view(), 'en', 'tok', hr);
    expect(html).toMatch(/<table><caption id="pairs-caption">1 proposed pairs of cycle c1/);
    expect(html).toContain('<th scope="col">Score</th>');
    expect(html).toContain('71.50');
    expect(html).toContain('skills the mentor teaches: 40.00');
    expect(html).toContain('Waiting for approval until 2027-03-03 09:00 UTC');
    const actions = [...html.matchAll(/name="action" value="([a-z]+)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['forbid', 'unlock', 'exclude', 'exclude', 'resolve', 'approve']);
    expect(html.match(/<form method="post"/g)).toHaveLength(6);
    expect(html.match(/name="csrf" value="tok"/g)).toHaveLength(6);
    expect(html).toContain('aria-label="Forbid pairing');
    expect(html).toContain('<bdi>Carla</bdi> (p03): no eligible partner');
  });

  it('isolates every participant name, so a right-to-left override in one cannot reorder the ids and text after it', () => {
    const evil = 'Eve\u202Egnp.exe';
    const html = renderPairReview(
      view({
        pairs: [{ ...view().pairs[0]!, mentor: person('p01', evil), locked: false }],
        unmatched: [{ ...person('p06', evil), reason: 'no eligible partner' }],
        excluded: [person('p07', evil)],
        bans: [[person('p08', evil), person('p05', 'Eva')]],
      }),
      'en',
      'tok',
      hr,
    );
    const bare = html.replaceAll(`<bdi>${evil}</bdi>`, '').replaceAll(`\u2068${evil}\u2069`, '');
    expect(bare).not.toContain('\u202E');
    // In the table, the lists, the exclude button's text, and the buttons' aria-labels.
    expect(html.split(`<bdi>${evil}</bdi>`).length - 1).toBe(5);
    expect(html).toContain(`aria-label="Forbid pairing \u2068${evil}\u2069 (p01) with \u2068Bruno &quot;B&quot; Lima\u2069 (p02)"`);
    expect(html).toContain(`>Exclude <bdi>${evil}</bdi></button>`);
  });

  it('isolates every label and name in a pair’s explanation, so a label beginning with a right-to-left override cannot reverse the rest of it', () => {
    const override = '\u202Egnp.exe';
    const pair = {
      ...view().pairs[0]!,
      mentor: person('p01', 'Ana Souza'),
      mentee: person('p02', 'Bruno Lima'),
      // As describePair writes it, from a catalog stored before labels were checked for direction controls.
      explanation: `Ana teaches Bruno ${override} and cloud tools; Bruno teaches Ana \u2069\u202Enegotiation; 28 years apart; Sales and Marketing`,
    };
    const html = renderPairReview(view({ pairs: [pair] }), 'en', 'tok', hr);
    // The Why cell follows the criteria's list.
    const cell = /<\/ul><\/td><td>(.*?)<\/td>/.exec(html)?.[1] ?? '';
    expect(cell).toBe(
      '<bdi>Ana</bdi> teaches <bdi>Bruno</bdi> <bdi>\u202Egnp.exe</bdi> and <bdi>cloud tools</bdi>; ' +
        '<bdi>Bruno</bdi> teaches <bdi>Ana</bdi> <bdi>\u202Enegotiation</bdi>; <bdi>28 years apart</bdi>; <bdi>Sales</bdi> and <bdi>Marketing</bdi>',
    );
    // Each override ends with the label that holds it: none is left outside an isolate, and no stray pop (U+2069) closes one early.
    expect(cell.replace(/<bdi>[^<]*<\/bdi>/g, '')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('isolates a direction control in an unmatched person’s reason, and drops from a name the pop of an isolate that would end its isolate early', () => {
    const html = renderPairReview(view({ unmatched: [{ ...person('p03', 'Carla\u2069\u202E'), reason: 'no eligible partner: \u202Ex y' }] }), 'en', 'tok', {
      readOnly: true,
    });
    expect(html).toContain('<li><bdi>Carla\u202E</bdi> (p03): no eligible partner: <bdi>\u202Ex</bdi> y</li>');
  });

  it('shows the read-only ops role the review without a single form, saying who may act', () => {
    for (const lang of ['en', 'pt-BR'] as const) {
      const html = renderPairReview(view({ stale: true }), lang, 'tok', { readOnly: true });
      expect(html).not.toContain('<form');
      expect(html).not.toContain('name="csrf"');
      expect(html).toContain(lang === 'en' ? 'Your role can read the pairs but not change them' : 'Seu papel permite ler os pares');
      expect(html).toContain('p01');
    }
  });

  it('speaks Portuguese, warns when a re-solve is due, and offers no forms once the pairs are decided', () => {
    expect(renderPairReview(view({ stale: true }), 'pt-BR', 't', hr)).toContain('refaça os pares antes de aprovar');
    const decided = renderPairReview(view({ status: 'approved', decidedBy: 'ana@laptop' }), 'pt-BR', 't', hr);
    expect(decided).toContain('Os pares foram aprovados por ana@laptop.');
    expect(decided).not.toContain('<form');
  });
});

describe('the Pairs page’s form posts', () => {
  it('become review commands', () => {
    expect(parsePairReviewForm({ action: 'forbid', cycleId: 'c1', revision: '3', first: 'p01', second: 'p02', csrf: 't', programWide: 'true' })).toEqual({
      action: 'forbid',
      cycleId: 'c1',
      revision: 3,
      first: 'p01',
      second: 'p02',
      csrf: 't',
      programWide: true,
    });
    expect(parsePairReviewForm({ action: 'forbid', cycleId: 'c1', revision: '0', first: 'p01', second: 'p02', csrf: 't' })).toMatchObject({
      programWide: false,
    });
    expect(parsePairReviewForm({ action: 'exclude', cycleId: 'c1', revision: '0', participantId: 'p03', csrf: 't' })).toEqual({
      action: 'exclude',
      cycleId: 'c1',
      revision: 0,
      participantId: 'p03',
      csrf: 't',
    });
    expect(parsePairReviewForm({ action: 'approve', cycleId: 'c1', revision: '12', csrf: 't' })).toEqual({
      action: 'approve',
      cycleId: 'c1',
      revision: 12,
      csrf: 't',
    });
  });

  it('carry the revision of the pairs the page showed, and are refused without it', () => {
    const html = renderPairReview(view({ revision: 7 }), 'en', 'tok', hr);
    expect(html.match(/<form method="post"/g)).toHaveLength(6);
    expect(html.match(/name="revision" value="7"/g)).toHaveLength(6);
    expect(() => parsePairReviewForm({ action: 'approve', cycleId: 'c1', csrf: 't' })).toThrow(/revision/);
    expect(() => parsePairReviewForm({ action: 'approve', cycleId: 'c1', revision: '-1', csrf: 't' })).toThrow(/revision/);
  });

  it('refuse unknown actions, malformed ids and a missing csrf field, naming the field', () => {
    expect(() => parsePairReviewForm({ action: 'delete', cycleId: 'c1', csrf: 't' })).toThrow(ValidationError);
    expect(() => parsePairReviewForm({ action: 'lock', cycleId: 'c1', first: 'p01', second: '../x', csrf: 't' })).toThrow(/second/);
    expect(() => parsePairReviewForm({ action: 'lock', cycleId: 'c1', first: 'p01', csrf: 't' })).toThrow(/second/);
    expect(() => parsePairReviewForm({ action: 'approve', cycleId: 'c1' })).toThrow(/csrf/);
    expect(() => parsePairReviewForm({ action: 'forbid', cycleId: 'c1', first: 'p01', second: 'p02', csrf: 't', programWide: 'yes' })).toThrow(/programWide/);
  });
});
