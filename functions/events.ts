import { idSchema } from '../domain/program.ts';
import { ANSWERED_PHASE_NAMES } from '../services/phases/registry.ts';
import * as z from '../domain/validation.ts';

/** The inputs the workflow passes to each Task (see workflows/program-cycle.asl.json). */
export const cycleEvent = z.object({ cycleId: idSchema });
export const phaseEvent = z.object({ cycleId: idSchema, phase: z.enum(ANSWERED_PHASE_NAMES) });
export const failureEvent = z.object({
  cycleId: idSchema,
  failure: z.object({ Error: z._default(z.string(), 'Unknown'), Cause: z._default(z.string(), '') }),
});
