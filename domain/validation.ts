/**
 * zod/mini, with English error messages: the one zod every schema in code bundled into a Lambda
 * function uses (`import * as z from './validation.ts'`). Its functional API lets esbuild drop
 * what a function does not use; classic zod's schema classes carry every method, JSON-Schema
 * processors included, in every bundle.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

export * from 'zod/mini';

// zod/mini loads no locale (every message would read "Invalid input"); classic zod loads English.
config(en());
