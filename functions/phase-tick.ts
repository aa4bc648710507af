import { container } from '../adapters/container.ts';
import { advancePhase } from '../services/phases/engine.ts';
import { phaseStepWork } from '../services/phases/step-work.ts';
import { SendingPace } from '../services/phases/pacing.ts';
import { phaseEvent } from './events.ts';
import { workBudget, workflowTask } from './middleware/workflow-task.ts';

/**
 * One pace per container, shared by every step it runs (kept here rather than in the container so
 * that only this function's bundle carries the pacing libraries); a new one if the rate changes
 * (the local stack resets the container).
 */
let pace: SendingPace | undefined;

export const handler = workflowTask(phaseEvent, async ({ cycleId, phase }, context) => {
  const { store, pacedMailer, clock, links, sendRate } = container();
  const rate = await sendRate();
  if (pace?.maxPerSecond !== rate) pace = new SendingPace(rate);
  return advancePhase(
    { store, emailLog: store, mailer: pacedMailer(), clock, links: await links(), pace, stepWork: phaseStepWork },
    cycleId,
    phase,
    workBudget(context),
  );
});
