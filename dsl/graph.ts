/**
 * The step graph of a definition: which steps each step can lead to. Used by the validator
 * (references, reachability, cycles) and the diagram.
 */
import type { ProcessDefinition, Step } from './schema.js';
import { kindOf } from './steps/index.js';
import type { AddEdge, Edge } from './steps/kind.js';

export type { Edge } from './steps/kind.js';

/** Every reference a step makes to another step: its `next`, then its kind's own. */
export function edgesOf(id: string, step: Step): Edge[] {
  const edges: Edge[] = [];
  const add: AddEdge = (to, path, kind, label) => {
    if (to) edges.push({ from: id, to, path: ['steps', id, ...path], kind, label });
  };
  if ('next' in step) add(step.next, ['next'], 'next');
  kindOf(step).edges?.(step, add);
  return edges;
}

/** All edges of a definition, in document order. */
export function edgesOfDefinition(definition: ProcessDefinition): Edge[] {
  return Object.entries(definition.steps).flatMap(([id, step]) => edgesOf(id, step));
}

/** Steps reachable from `from` following every edge. */
export function reachable(definition: ProcessDefinition, from: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const step = definition.steps[id];
    if (seen.has(id) || !step) continue;
    seen.add(id);
    for (const edge of edgesOf(id, step)) stack.push(edge.to);
  }
  return seen;
}

/** Strongly connected components with a cycle (Tarjan), each in document order. */
export function cycles(definition: ProcessDefinition): string[][] {
  const ids = Object.keys(definition.steps);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const successors = (id: string) => edgesOf(id, definition.steps[id]!).map((e) => e.to).filter((to) => Object.hasOwn(definition.steps, to));

  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const to of successors(id)) {
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id)!, index.get(to)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = component.length === 1 && successors(id).includes(id);
      if (component.length > 1 || selfLoop) found.push(ids.filter((x) => component.includes(x)));
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return found;
}
