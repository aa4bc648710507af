import { distance } from 'fastest-levenshtein';
import type { Skill } from './program.ts';
import { foldSkillLabel, namesOf } from './skills.ts';

/**
 * The catalog skills closest to an unknown text, closest first: edit distance between the folded
 * text and each skill's folded id, labels and aliases, keeping those within a third of the text's length (at least 2).
 * Apart from domain/skills.ts so that functions which only resolve skills (the review) do not bundle the distance.
 */
export function suggestSkills(catalog: readonly Skill[], text: string, max = 3): Skill[] {
  const folded = foldSkillLabel(text);
  const within = Math.max(2, Math.ceil(folded.length / 3));
  return catalog
    .map((skill, order) => ({ skill, order, distance: Math.min(...namesOf(skill).map((name) => distance(folded, foldSkillLabel(name)))) }))
    .filter((candidate) => candidate.distance <= within)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, max)
    .map((candidate) => candidate.skill);
}
