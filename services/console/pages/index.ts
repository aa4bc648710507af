import type { ConsolePage } from '../page.ts';
import { auditPage } from './audit.ts';
import { cyclesPage } from './cycles.ts';
import { opsPage } from './ops.ts';
import { pairsPage } from './pairs.ts';
import { programsPage } from './programs.ts';
import { reportPage } from './report.ts';
import { rosterPage } from './roster.ts';

/**
 * The console's pages, in navigation order. A new page is one module exporting a ConsolePage
 * (services/console/page.ts) and one line here; the router, the navigation, sign-in, CSRF and
 * the roles apply to it with nothing else to change (docs/console.md).
 */
export const CONSOLE_PAGES: readonly ConsolePage[] = [programsPage, rosterPage, pairsPage, cyclesPage, reportPage, opsPage, auditPage];
