import { NotFoundError, ValidationError } from '../../../domain/errors.ts';
import { countBounces } from '../../cycles.ts';
import { EXECUTION_STATUSES, ExecutionsQuery } from '../../executions.ts';
import { opsExecutionBody, opsListBody } from '../../ops-pages.ts';
import type { ConsolePage } from '../page.ts';

const TITLE = { en: 'Executions', 'pt-BR': 'Execuções' } as const;
/** The executions' pages are ops' view of Step Functions, in English (states, errors and causes are AWS's): said so and marked for screen readers. */
const IN_ENGLISH = 'As execuções são mostradas em inglês, como no AWS Step Functions.';
const inReaderLanguage = (lang: 'en' | 'pt-BR', body: string) => (lang === 'en' ? body : `<p>${IN_ENGLISH}</p><div lang="en">${body}</div>`);
const EXECUTION = /^executions\/([A-Za-z0-9._-]{1,80})$/;

/** What /ops shows, inside the console for both roles (the same renderer, under /console/ops). */
export const opsPage: ConsolePage = {
  segment: 'ops',
  title: TITLE,
  roles: ['hr', 'ops'],
  async get(request) {
    const { lang, deps } = request;
    const query = new ExecutionsQuery(deps.executions());
    if (!request.subpath) {
      const status = request.query.get('status')?.toUpperCase();
      const filter = status && (EXECUTION_STATUSES as readonly string[]).includes(status) ? status : undefined;
      const executions = await query.list({ limit: 200, ...(filter ? { status: filter } : {}) });
      return { title: TITLE[lang], main: inReaderLanguage(lang, opsListBody({ executions, ...(filter ? { status: filter } : {}) }, '/console/ops')) };
    }
    const name = EXECUTION.exec(request.subpath)?.[1];
    if (!name) throw new NotFoundError('there is no such page');
    try {
      const [description, history] = await Promise.all([query.describe(name), query.history(name)]);
      const cycle = await deps.store.getCycle(name);
      const bounces = cycle ? await countBounces(deps.store, cycle) : undefined;
      return {
        title: name,
        main: inReaderLanguage(
          lang,
          opsExecutionBody({ description, history, ...(cycle ? { cycle } : {}), ...(bounces !== undefined ? { bounces } : {}) }, '/console/ops'),
        ),
      };
    } catch (error) {
      if (error instanceof ValidationError) throw new NotFoundError(`there is no execution named ${name}`);
      throw error;
    }
  },
};
