import type { Skill } from './program.ts';
import type { Participant } from './participant.ts';

/**
 * A deterministic, seeded generator of realistic rosters for demos, tests and benchmarks:
 * Portuguese and English names, several departments with manager chains, generations
 * 1960-2004, skills from a catalog (younger people tend to offer digital skills and want
 * business ones, older people the other way round), languages pt-BR/en, capacities mostly 1.
 * The same `{ size, seed, skills }` always gives the same roster.
 */

/** A skills catalog for demos and tests; the digital ones carry the technology-adoption benefit. */
export const SAMPLE_SKILLS: Skill[] = [
  {
    id: 'data-visualisation',
    labels: { 'pt-BR': 'Visualização de dados', en: 'Data visualisation' },
    aliases: ['dataviz', 'data visualization'],
    digital: true,
  },
  { id: 'cloud-tools', labels: { 'pt-BR': 'Ferramentas de nuvem', en: 'Cloud tools' }, aliases: ['cloud'], digital: true },
  { id: 'social-media', labels: { 'pt-BR': 'Redes sociais', en: 'Social media' }, aliases: ['mídias sociais'], digital: true },
  {
    id: 'cybersecurity-basics',
    labels: { 'pt-BR': 'Noções de cibersegurança', en: 'Cybersecurity basics' },
    aliases: ['segurança da informação'],
    digital: true,
  },
  { id: 'ai-assistants', labels: { 'pt-BR': 'Assistentes de IA', en: 'AI assistants' }, aliases: ['IA generativa', 'generative AI'], digital: true },
  {
    id: 'spreadsheet-automation',
    labels: { 'pt-BR': 'Automação de planilhas', en: 'Spreadsheet automation' },
    aliases: ['Excel avançado', 'advanced Excel'],
    digital: true,
  },
  { id: 'collaboration-tools', labels: { 'pt-BR': 'Ferramentas de colaboração', en: 'Collaboration tools' }, aliases: [], digital: true },
  { id: 'video-editing', labels: { 'pt-BR': 'Edição de vídeo', en: 'Video editing' }, aliases: [], digital: true },
  { id: 'mobile-apps', labels: { 'pt-BR': 'Aplicativos móveis', en: 'Mobile apps' }, aliases: ['apps'], digital: true },
  { id: 'data-privacy', labels: { 'pt-BR': 'Privacidade de dados', en: 'Data privacy' }, aliases: ['LGPD'], digital: true },
  { id: 'negotiation', labels: { 'pt-BR': 'Negociação', en: 'Negotiation' }, aliases: [], digital: false },
  { id: 'public-speaking', labels: { 'pt-BR': 'Falar em público', en: 'Public speaking' }, aliases: ['oratória'], digital: false },
  {
    id: 'stakeholder-management',
    labels: { 'pt-BR': 'Gestão de stakeholders', en: 'Stakeholder management' },
    aliases: ['gestão de partes interessadas'],
    digital: false,
  },
  { id: 'customer-insight', labels: { 'pt-BR': 'Conhecimento do cliente', en: 'Customer insight' }, aliases: [], digital: false },
  { id: 'people-management', labels: { 'pt-BR': 'Gestão de pessoas', en: 'People management' }, aliases: ['liderança'], digital: false },
  { id: 'strategic-planning', labels: { 'pt-BR': 'Planejamento estratégico', en: 'Strategic planning' }, aliases: [], digital: false },
  { id: 'budgeting', labels: { 'pt-BR': 'Orçamento', en: 'Budgeting' }, aliases: [], digital: false },
  { id: 'storytelling', labels: { 'pt-BR': 'Storytelling', en: 'Storytelling' }, aliases: ['narrativa'], digital: false },
  { id: 'conflict-resolution', labels: { 'pt-BR': 'Resolução de conflitos', en: 'Conflict resolution' }, aliases: [], digital: false },
  { id: 'industry-knowledge', labels: { 'pt-BR': 'Conhecimento do setor', en: 'Industry knowledge' }, aliases: [], digital: false },
];

export const SAMPLE_DEPARTMENTS = [
  'Sales',
  'Marketing',
  'Product Marketing',
  'Customer Relations',
  'Engineering',
  'IT',
  'Finance',
  'People',
  'Operations',
  'Legal',
] as const;

export interface RosterOptions {
  /** Number of participants. */
  size: number;
  /** Any integer; the same seed gives the same roster. */
  seed?: number;
  /** The catalog skills are drawn from (default SAMPLE_SKILLS). */
  skills?: readonly Skill[];
  /** The year ages and seniority are measured in (default 2025, fixed so that rosters stay reproducible). */
  referenceYear?: number;
}

const PT_FIRST = [
  'Ana',
  'Carlos',
  'João',
  'Maria',
  'Beatriz',
  'Pedro',
  'Mariana',
  'Rafael',
  'Camila',
  'Lucas',
  'Fernanda',
  'Gabriel',
  'Juliana',
  'Tiago',
  'Larissa',
  'Rodrigo',
  'Patrícia',
  'Bruno',
  'Letícia',
  'Felipe',
  'Luíza',
  'Gustavo',
  'Isabela',
  'Mateus',
  'Vitória',
  'André',
  'Renata',
  'Diego',
  'Sofia',
  'Eduardo',
];
const PT_LAST = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Rodrigues',
  'Ferreira',
  'Alves',
  'Pereira',
  'Lima',
  'Gomes',
  'Costa',
  'Ribeiro',
  'Martins',
  'Carvalho',
  'Almeida',
  'Araújo',
  'Barbosa',
  'Cardoso',
  'Rocha',
  'Nascimento',
];
const EN_FIRST = [
  'James',
  'Emily',
  'Oliver',
  'Sophie',
  'Daniel',
  'Grace',
  'Michael',
  'Hannah',
  'Thomas',
  'Olivia',
  'George',
  'Charlotte',
  'Harry',
  'Amelia',
  'Jack',
  'Lucy',
  'William',
  'Chloe',
  'Samuel',
  'Ella',
];
const EN_LAST = [
  'Smith',
  'Johnson',
  'Brown',
  'Taylor',
  'Wilson',
  'Davies',
  'Evans',
  'Clarke',
  'Walker',
  'Wright',
  'Hughes',
  'Green',
  'Hall',
  'Wood',
  'Turner',
  'Baker',
];

/** mulberry32: a small, fast, seedable PRNG with good enough statistics for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.');

export function generateRoster(options: RosterOptions): Participant[] {
  const { size, seed = 1, skills = SAMPLE_SKILLS, referenceYear = 2025 } = options;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  if (skills.length === 0) throw new RangeError('the skills catalog must not be empty');
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const digital = skills.filter((s) => s.digital);
  const business = skills.filter((s) => !s.digital);
  // Department sizes are uneven, as in real organisations.
  const departmentWeights = [14, 10, 6, 9, 16, 8, 8, 6, 15, 4];
  const totalWeight = departmentWeights.reduce((a, b) => a + b, 0);
  const pickDepartment = (): string => {
    let r = random() * totalWeight;
    for (let i = 0; i < SAMPLE_DEPARTMENTS.length; i++) {
      r -= departmentWeights[i] as number;
      if (r < 0) return SAMPLE_DEPARTMENTS[i] as string;
    }
    return SAMPLE_DEPARTMENTS[0];
  };

  const drawSkills = (pool: readonly Skill[], other: readonly Skill[], preferPool: number, count: number, exclude: Set<string>): Skill[] => {
    const chosen: Skill[] = [];
    for (let attempt = 0; chosen.length < count && attempt < count * 8; attempt++) {
      const source = (chance(preferPool) && pool.length > 0) || other.length === 0 ? pool : other;
      const skill = pick(source);
      if (!exclude.has(skill.id)) {
        exclude.add(skill.id);
        chosen.push(skill);
      }
    }
    return chosen;
  };

  const people: Participant[] = [];
  for (let i = 0; i < size; i++) {
    const portuguese = chance(0.65);
    const first = portuguese ? pick(PT_FIRST) : pick(EN_FIRST);
    const last = portuguese ? `${pick(PT_LAST)} ${pick(PT_LAST)}` : pick(EN_LAST);
    const name = `${first} ${last}`;
    const participantId = `p${String(i + 1).padStart(5, '0')}`;
    const birthYear = int(1960, 2004);
    const careerStartYear = Math.min(referenceYear, birthYear + int(19, 26));
    const experience = Math.max(0, referenceYear - careerStartYear);
    const seniority = Math.max(1, Math.min(10, 1 + Math.floor(experience / 4) + int(-1, 1)));
    const department = pickDepartment();
    // Generations lean towards what they know: the younger offer digital skills, the older business ones.
    const youth = (birthYear - 1960) / 44; // 0 for 1960, 1 for 2004
    const taken = new Set<string>();
    const offered = drawSkills(digital, business, 0.15 + 0.75 * youth, int(1, 4), taken).map((s) => ({
      skill: s.id,
      level: Math.max(1, Math.min(5, (s.digital ? 2 + Math.round(2.5 * youth) : 2 + Math.round(2.5 * (1 - youth))) + int(-1, 1))),
    }));
    const wanted = drawSkills(digital, business, 0.9 - 0.75 * youth, int(1, 4), taken).map((s) => ({ skill: s.id, priority: int(1, 5) }));
    const language = portuguese ? 'pt-BR' : 'en';
    const languages = portuguese ? (chance(0.6) ? ['pt-BR', 'en'] : ['pt-BR']) : chance(0.15) ? ['en', 'pt-BR'] : ['en'];
    const timeZone = portuguese ? (chance(0.8) ? 'America/Sao_Paulo' : 'Europe/Lisbon') : chance(0.5) ? 'Europe/London' : 'America/New_York';
    const capacityDraw = random();
    const statusDraw = random();
    const keepsBirthYear = chance(0.9);
    people.push({
      participantId,
      name,
      email: `${fold(first)}.${fold(last)}.${i + 1}@example.com`,
      department,
      ...(keepsBirthYear ? { birthYear } : {}),
      careerStartYear,
      seniority,
      skillsOffered: offered,
      skillsWanted: wanted,
      languages,
      preferredLanguage: language,
      timeZone,
      capacity: capacityDraw < 0.88 ? 1 : capacityDraw < 0.98 ? 2 : 3,
      status: statusDraw < 0.95 ? 'active' : statusDraw < 0.98 ? 'opted-out' : 'unreachable',
    });
  }

  // Manager chains: each person reports to someone of the same department with a strictly
  // higher seniority (so chains never loop); the most senior people report to no one.
  const byDepartment = new Map<string, Participant[]>();
  for (const p of people) {
    const list = byDepartment.get(p.department) ?? [];
    list.push(p);
    byDepartment.set(p.department, list);
  }
  for (const members of byDepartment.values()) {
    const bySeniority = new Map<number, Participant[]>();
    // Generated people always have a seniority; 0 only satisfies the type.
    const seniorityOf = (p: Participant) => p.seniority ?? 0;
    for (const p of members) {
      const list = bySeniority.get(seniorityOf(p)) ?? [];
      list.push(p);
      bySeniority.set(seniorityOf(p), list);
    }
    for (const p of members) {
      for (let step = 1; step <= 9; step++) {
        const candidates = bySeniority.get(seniorityOf(p) + step);
        if (candidates && candidates.length > 0) {
          p.managerId = pick(candidates).participantId;
          break;
        }
      }
    }
  }
  return people;
}
