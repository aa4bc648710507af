import { container } from '../adapters/container.ts';
import { closePhase } from '../services/phases/engine.ts';
import { phaseEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

export const handler = workflowTask(phaseEvent, async ({ cycleId, phase }) => {
  const { store, mailer, clock } = container();
  return closePhase({ store, emailLog: store, mailer, clock }, cycleId, phase);
});
