import type { Language } from '../../../domain/program.ts';

/** The feedback phase's questions (also the forum's category headings) and the forum's texts. */
export const feedbackTexts = {
  en: {
    title: 'Feedback forum',
    questions: {
      worked: 'What worked?',
      keep: 'What should we keep?',
      more: 'What would you like more of?',
      explore: 'Which areas would you like to explore?',
      missingSkills: 'Skills the organization lacks (comma-separated)',
      improve: 'What should we improve?',
      satisfaction: 'How likely are you to recommend the program to a colleague? (0-10)',
    },
    missingSkillsHint: (most: number, length: number) => `Up to ${most} skills, each at most ${length} characters.`,
    forumHeading: 'What other participants suggest',
    forumHidden: (n: number) => `Suggestions appear here, without names, once at least five people have answered (${n} so far).`,
    forumEmpty: 'No suggestions yet.',
    vote: 'Add my vote',
    voted: 'You voted',
    votes: (n: number) => `${n} vote${n === 1 ? '' : 's'}`,
  },
  'pt-BR': {
    title: 'Fórum de feedback',
    questions: {
      worked: 'O que funcionou?',
      keep: 'O que devemos manter?',
      more: 'Do que você gostaria mais?',
      explore: 'Que áreas você gostaria de explorar?',
      missingSkills: 'Habilidades que faltam na organização (separadas por vírgula)',
      improve: 'O que devemos melhorar?',
      satisfaction: 'Qual a probabilidade de você recomendar o programa a um colega? (0-10)',
    },
    missingSkillsHint: (most: number, length: number) => `Até ${most} habilidades, cada uma com no máximo ${length} caracteres.`,
    forumHeading: 'O que os outros participantes sugerem',
    forumHidden: (n: number) => `As sugestões aparecem aqui, sem nomes, quando pelo menos cinco pessoas tiverem respondido (${n} até agora).`,
    forumEmpty: 'Nenhuma sugestão ainda.',
    vote: 'Adicionar meu voto',
    voted: 'Você votou',
    votes: (n: number) => `${n} voto${n === 1 ? '' : 's'}`,
  },
} satisfies Record<Language, unknown>;
