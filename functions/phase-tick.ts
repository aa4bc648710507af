import { container } from '../adapters/container.ts';
import { advancePhase } from '../services/phases/engine.ts';
import { phaseStepWork } from '../services/phases/step-work.ts';
import { phaseEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

/** Stop sending this long before the Lambda times out, and let the workflow call again at once. */
const SAFETY_MARGIN_MS = 30_000;

export const handler = workflowTask(phaseEvent, async ({ cycleId, phase }, context) => {
  const { store, mailer, clock, links } = container();
  return advancePhase({ store, emailLog: store, mailer, clock, links: await links(), stepWork: phaseStepWork }, cycleId, phase, {
    remainingMs: () => context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
  });
});
