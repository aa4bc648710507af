/**
 * zod/mini, with English error messages: the one zod every schema in code bundled into a Lambda
 * function uses (`import * as z from './validation.ts'`). Its functional API lets esbuild drop
 * what a function does not use; classic zod's schema classes carry every method, JSON-Schema
 * processors included, in every bundle.
 */
// A path rather than 'zod/mini': the bundles alias 'zod' to infra/bundling/zod-lean.mjs, and esbuild
// applies that alias to every 'zod/…' subpath too. Once the alias is gone, these become 'zod/mini'
// and 'zod/locales'.
import { config } from '../node_modules/zod/v4/mini/external.js';
import en from '../node_modules/zod/v4/locales/en.js';

export * from '../node_modules/zod/v4/mini/external.js';

// zod/mini loads no locale (every message would read "Invalid input"); classic zod loads English.
config(en());
