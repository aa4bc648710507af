/**
 * zod without its 40-odd error-message locales and JSON-Schema converters, for Lambda bundles.
 *
 * `import { z } from 'zod'` hands out one namespace object holding every export, locales and all,
 * which esbuild cannot shake (about 310 KB minified). The bundles alias `zod` to this file
 * (infra/constructs/bundling.ts), which re-exports the same surface minus `locales`, `core`, the
 * JSON-Schema converters and the schema compiler (ZOD_OMITTED_EXPORTS in infra/constructs/bundling.ts),
 * none of which Tandem's code uses at run time. English
 * messages stay: zod registers its English locale when the first schema is built.
 * test/infra/bundling.test.ts fails if zod gains an export that is missing here.
 */
import * as z from './zod-lean-external.mjs';
export * from './zod-lean-external.mjs';
export { z, z as default };
