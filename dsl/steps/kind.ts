/**
 * What a step kind is: its schema, its validation, the edges it draws in the step graph, and its
 * shape and label in a diagram. Each `steps/<kind>.ts` defines one; `steps/index.ts` lists them.
 * @example export const refresh = defineStepKind({ schema: RefreshStep, leadsOn: true, diagram: { … } });
 */
import type { z } from 'zod';
import type { Text } from '../primitives.js';

/** Where in a definition something is written, e.g. `['steps', 'review', 'due']`. */
export type Path = (string | number)[];

/** One edge: from a step to another, with the label a diagram shows on it. */
export interface Edge {
  from: string;
  to: string;
  /** Where in the step the reference is written, for error locations. */
  path: Path;
  /** `otherwise`: a condition not met (a rule failed, no case held, a change refused); `late`: time ran out. */
  kind: 'next' | 'otherwise' | 'late' | 'outcome' | 'case' | 'branch';
  label?: Text;
}

/** Adds an edge to `to` (nothing when absent), written at `path` within the step. */
export type AddEdge = (to: string | undefined, path: Path, kind: Edge['kind'], label?: Text) => void;

/** What a kind's validation may see and say about one step. */
export interface StepCheck {
  id: string;
  /** The path of a field of this step. */
  at(...rest: Path): Path;
  report(path: Path, code: string, message: string, key?: boolean): void;
  /** Reports an expression that does not parse or names unknown facts. */
  expression(expr: string, path: Path): void;
  /** The process the step belongs to: its kind and declared licences. */
  process: { kind: string; licences: Readonly<Record<string, unknown>> };
  /** Ids of the processes a `subprocess` may start; unchecked when absent. */
  knownProcesses?: ReadonlySet<string>;
}

/** Mermaid node shapes, by what they stand for. */
export const SHAPES = {
  decision: ['{', '}'],
  exchange: ['[/', '/]'],
  pause: ['([', '])'],
  register: ['[[', ']]'],
  ending: ['((', '))'],
  cohort: ['{{', '}}'],
  box: ['[', ']'],
} as const;

/** What a kind may ask of the definition when it draws beside its edges. */
export interface Drawing {
  /** The steps reachable from `branch` that end it (no `next`, not an `end`). */
  branchEnds(branch: string): string[];
}

/** A node's second line: codes and ids as written, words in both languages, in order. */
export type Detail = string | Text | (string | Text)[];

/** A node a kind draws that is not a step (a parallel's join); `kind` names what it is. */
export interface DrawnNode { id: string; kind: string; shape: keyof typeof SHAPES; title: Text }
/** An edge as a diagram draws it: `join` leads a parallel branch's end to where the branches meet. */
export interface DrawnEdge { from: string; to: string; kind: Edge['kind'] | 'join'; label?: Text }

export interface StepBehaviour<S> {
  /** Goes on by `next`: a step of this kind without one must be the end of a parallel branch. */
  leadsOn: boolean;
  /** Works on the licence of a lifecycle or standing process (for this step, when a function). */
  needsLicence?: boolean | ((step: S) => boolean);
  /** Waits for time or a person: a loop through it is not a busy loop. */
  waits?: boolean;
  /** Facts it saves besides `saveAs`. */
  facts?(step: S): string[];
  /** Its deadlines, by path within the step, checked as calendar specs. */
  deadlines?(step: S): [Path, unknown][];
  validate?(step: S, check: StepCheck): void;
  /** Its edges besides `next`. */
  edges?(step: S, add: AddEdge): void;
  diagram: {
    label: Text;
    shape: keyof typeof SHAPES;
    /** A second line under the label. */
    detail?(step: S): Detail | undefined;
    /** The Mermaid class its nodes get. */
    className?: 'finish' | 'task';
    /** Nodes and edges drawn after the step's own edges. */
    extra?(id: string, step: S, draw: Drawing): { nodes: DrawnNode[]; edges: DrawnEdge[] };
  };
}

/** One shape of a step: a strict object discriminated by its `type`. */
export type StepObject = z.ZodObject<{ type: z.ZodLiteral<string> } & z.core.$ZodShape, z.core.$strict>;
/** A step's schema: one shape, or several told apart by a field of their own (`amend`'s `action`). */
export type StepSchema = StepObject | z.ZodDiscriminatedUnion<readonly StepObject[]>;

export type StepKind<S extends StepSchema = StepSchema> = StepBehaviour<z.infer<S>> & { schema: S; type: z.infer<S>['type'] };

/** Defines a step kind; its `type` is read from the schema. */
export function defineStepKind<S extends StepSchema>(kind: { schema: S } & StepBehaviour<z.infer<S>>): StepKind<S> {
  const object: StepObject = 'shape' in kind.schema ? kind.schema : kind.schema.options[0]!;
  return { ...kind, type: object.shape.type.value as z.infer<S>['type'] };
}
