import { describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import type { EnrollmentDeclaration } from '../../domain/enrollment.ts';
import { participantSchema } from '../../domain/participant.ts';
import { createProgram, SkillsInUseError, updateProgram } from '../../services/programs.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const T0 = Date.UTC(2027, 2, 1);

/** A program whose catalog has `python`, and a store holding it. */
async function programWithPython() {
  const store = new InMemoryStore();
  const base = sampleProgram('skills-in-use', { enrollment: 'P7D' });
  const program = await createProgram(store, {
    ...base,
    skillsCatalog: [...base.skillsCatalog, { id: 'python', labels: { 'pt-BR': 'Python', en: 'Python' }, aliases: [], digital: true }],
  });
  const withoutPython = { ...program, skillsCatalog: program.skillsCatalog.filter((s) => s.id !== 'python') };
  return { store, program, withoutPython };
}

describe('taking a skill out of the catalog', () => {
  it('is refused while one person on the roster offers it, naming them in the singular', async () => {
    const { store, program, withoutPython } = await programWithPython();
    await store.putParticipants(program.programId, [
      participantSchema.parse({
        participantId: 'p01',
        name: 'Ana',
        email: 'ana@example.com',
        department: 'IT',
        birthYear: 1990,
        seniority: 3,
        skillsOffered: [{ skill: 'python', level: 4 }],
        skillsWanted: [{ skill: 'negotiation', priority: 2 }],
        languages: ['en'],
      }),
    ]);
    const refusal = updateProgram(store, withoutPython);
    await expect(refusal).rejects.toThrow(SkillsInUseError);
    await expect(refusal).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ problem: expect.stringContaining('1 person on the roster uses it (p01)') })]),
    });
    expect((await store.getProgram(program.programId))?.skillsCatalog.map((s) => s.id)).toContain('python');
  });

  it('is allowed when only what someone declared on an earlier join page names it', async () => {
    const { store, program, withoutPython } = await programWithPython();
    const cycle = newCycle(program, 'c1', T0);
    await store.createCycle(cycle);
    await store.openPhase('c1', 'enrollment', { openedAt: T0, deadline: T0 + 86_400_000, expected: 1 });
    const declaration: EnrollmentDeclaration = {
      programId: program.programId,
      participantId: 'p99',
      cycleId: 'c1',
      declaredAt: T0,
      name: 'Bea',
      department: 'Sales',
      skillsOffered: [{ skill: 'python', level: 3 }],
      skillsWanted: [],
      proposedSkills: [],
      languages: ['pt'],
      timeZone: 'America/Sao_Paulo',
      availability: [],
    };
    const answer = {
      decision: 'joined',
      consent: true,
      name: 'Bea',
      department: 'Sales',
      teaches: declaration.skillsOffered,
      learns: [],
      proposedSkills: [],
      languages: ['pt'],
      timeZone: 'America/Sao_Paulo',
      availability: [],
    };
    expect(
      await store.recordEnrollmentAnswer(
        { cycleId: 'c1', phaseKey: 'enrollment', participantId: 'p99', answer: answer as never, recordedAt: T0 },
        { declaration },
      ),
    ).toBe('recorded');
    expect(await store.listDeclarations(program.programId)).toHaveLength(1);
    const { program: updated } = await updateProgram(store, withoutPython);
    expect(updated.skillsCatalog.map((s) => s.id)).not.toContain('python');
  });
});
