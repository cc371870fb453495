/** `parallel`: runs branches at the same time; goes on when all have ended. */
import { z } from 'zod';
import { StepId, stepBase } from '../primitives.js';
import { defineStepKind, type DrawnEdge } from './kind.js';

export const ParallelStep = z.object({
  type: z.literal('parallel'), ...stepBase,
  /** Each branch starts at a step and runs until a step without `next`. */
  branches: z.array(StepId).min(2),
  next: StepId.optional(),
}).strict();

export const parallel = defineStepKind({
  schema: ParallelStep,
  leadsOn: true,
  edges(step, add) {
    step.branches.forEach((b, i) => add(b, ['branches', i], 'branch'));
  },
  diagram: {
    label: { fa: 'هم‌زمان', en: 'in parallel' },
    shape: 'box',
    // The branches meet at a join node, which leads on.
    extra(id, step, draw) {
      const join = `${id}_join`;
      const edges: DrawnEdge[] = [];
      for (const branch of step.branches) {
        edges.push({ from: id, to: branch, kind: 'branch' });
        for (const member of draw.branchEnds(branch)) edges.push({ from: member, to: join, kind: 'join' });
      }
      if (step.next) edges.push({ from: join, to: step.next, kind: 'next' });
      return { nodes: [{ id: join, kind: 'join', shape: 'cohort', title: { fa: 'پایان همه شاخه‌ها', en: 'all branches done' } }], edges };
    },
  },
});
