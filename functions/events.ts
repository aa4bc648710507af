import { idSchema } from '../domain/program.ts';
import { ANSWERED_PHASE_NAMES } from '../services/phases/registry.ts';
import * as z from '../domain/validation.ts';

/** The inputs the workflow passes to each Task (see workflows/program-cycle.asl.json). */
export const cycleEvent = z.object({ cycleId: idSchema });
export const phaseEvent = z.object({ cycleId: idSchema, phase: z.enum(ANSWERED_PHASE_NAMES) });
/**
 * EventBridge's "Step Functions Execution Status Change" event for the program-cycle workflow, with
 * the fields Tandem reads (the rule in infra/ delivers it; locally the stack does). Executions are
 * named after their cycle.
 */
export const executionStatusChangeEvent = z.object({
  detail: z.object({
    name: idSchema,
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
    redriveCount: z.optional(z.number()),
  }),
});
