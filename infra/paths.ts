import { fileURLToPath } from 'node:url';

/** The repository root: handler entries in functions/catalog.ts are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
