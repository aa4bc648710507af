import type { Language, Skill } from './program.ts';

/**
 * A catalog skill as it may be read back from the store: programs and cycles stored before skills
 * had labels hold `{ id, name }`, and stores hand records back without parsing them again.
 */
type SkillRecord = Pick<Skill, 'id'> & Partial<Pick<Skill, 'labels' | 'aliases'>> & { name?: string };

/** How a skill is shown to a reader: its label in the reader's language, never its id. */
export function skillLabel(skill: SkillRecord, language: Language): string {
  return skill.labels?.[language] ?? skill.name ?? skill.id;
}

/**
 * The form of a skill's name that comparisons use: no case, no accents, and spaces, "-" and "_"
 * alike, so "Excel Avançado", "excel avancado" and the id "excel-avancado" are one key.
 * `String.normalize('NFD')` rather than a transliteration library: labels are Portuguese and
 * English (Latin letters with combining accents), and domain/program.ts runs in every Lambda bundle.
 */
export function foldSkillLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/**
 * The id a skill gets when HR gives none, from its pt-BR label: accents folded, lower case, every run
 * of other characters a "-" (`Excel avançado` → `excel-avancado`). Empty when the label has no letter or digit.
 */
export function skillIdFromLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
}

/** Every way a skill may be written, as written: its id, its labels, its aliases. */
export function namesOf(skill: SkillRecord): string[] {
  return [skill.id, ...(skill.labels ? [skill.labels['pt-BR'], skill.labels.en] : skill.name ? [skill.name] : []), ...(skill.aliases ?? [])];
}

/**
 * Ids, labels and aliases of different skills that fold to the same key (a roster cell could not
 * tell them apart), each as a sentence naming both entries. Empty when the catalog is consistent.
 */
export function catalogClashes(catalog: readonly SkillRecord[]): string[] {
  const owners = new Map<string, { index: number; written: string }>();
  const clashes: string[] = [];
  const reported = new Set<string>();
  catalog.forEach((skill, index) => {
    for (const written of namesOf(skill)) {
      const key = foldSkillLabel(written);
      const owner = owners.get(key);
      if (!owner) owners.set(key, { index, written });
      else if (owner.index !== index && !reported.has(`${owner.index} ${index}`)) {
        reported.add(`${owner.index} ${index}`);
        const first = catalog[owner.index] as SkillRecord;
        clashes.push(
          `skill ${owner.index + 1} (${first.id}) "${owner.written}" and skill ${index + 1} (${skill.id}) "${written}" are the same once case, accents and spaces are ignored`,
        );
      }
    }
  });
  return clashes;
}

/** Finds catalog skills from what people write: labels or aliases in either language, or ids, any case, with or without accents. */
export class SkillResolver {
  private readonly byKey = new Map<string, Skill>();
  private readonly skills: Skill[] = [];

  /** The catalog as it stands, with the skills added since. */
  get catalog(): readonly Skill[] {
    return this.skills;
  }

  constructor(catalog: readonly Skill[]) {
    for (const skill of catalog) this.add(skill);
  }

  /** Adds a skill (one HR lets an import add to the catalog), so later cells find it. */
  add(skill: Skill): void {
    this.skills.push(skill);
    for (const written of namesOf(skill)) {
      const key = foldSkillLabel(written);
      if (!this.byKey.has(key)) this.byKey.set(key, skill);
    }
  }

  /** The skill a text names, or undefined. "Excel/avançado" also finds the skill whose id is excel-avancado. */
  resolve(text: string): Skill | undefined {
    const exact = this.byKey.get(foldSkillLabel(text));
    if (exact) return exact;
    const asId = skillIdFromLabel(text);
    return asId ? this.byKey.get(foldSkillLabel(asId)) : undefined;
  }
}
