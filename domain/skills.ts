import type { Language, Skill } from './program.ts';

/** How a skill is shown to a reader: its label in the reader's language, never its id. */
export function skillLabel(skill: Skill, language: Language): string {
  // The catalog holds one name per skill for now; labels per language replace it (issue #12).
  void language;
  return skill.name;
}
