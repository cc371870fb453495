/**
 * What an application costs Temporal, read from its recorded history: events by kind, and the
 * bytes the server stores (the protobuf encoding, as on the wire and on disk; JSON would inflate
 * the encrypted payloads' bytes into base64 and repeat every field name).
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { History, HistoryEvent: HistoryEventMessage } = proto.temporal.api.history.v1;
const { EventType } = proto.temporal.api.enums.v1;

/** The kinds events are counted by, in the order they are printed. */
export const EVENT_KINDS = [
  'workflow tasks', 'local activities', 'activity tasks', 'timers', 'signals in', 'signals out', 'children', 'patch markers', 'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

type HistoryEvent = NonNullable<proto.temporal.api.history.v1.IHistory['events']>[number];

/** The kind of one event: by its type, markers by their name (a local activity or a `patched`). */
export function kindOf(event: HistoryEvent): EventKind {
  const type = typeof event.eventType === 'number' ? EventType[event.eventType] ?? '' : String(event.eventType ?? '');
  if (type.startsWith('EVENT_TYPE_WORKFLOW_TASK_')) return 'workflow tasks';
  if (type === 'EVENT_TYPE_MARKER_RECORDED') return event.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? 'local activities' : 'patch markers';
  if (type.startsWith('EVENT_TYPE_ACTIVITY_TASK_')) return 'activity tasks';
  if (type.startsWith('EVENT_TYPE_TIMER_')) return 'timers';
  if (type === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED') return 'signals in';
  if (type.includes('SIGNAL_EXTERNAL') || type === 'EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED') return 'signals out';
  if (type.includes('CHILD_WORKFLOW')) return 'children';
  return 'other';
}

/** What one workflow run did: the work a trivial workflow must match (see scripts/bench-process/trivial-workflow.ts). */
export interface WorkCount {
  activities: number;
  localActivities: number;
  timers: number;
  signals: number;
}

export interface HistoryMeasure {
  /** Workflows sampled. */
  sampled: number;
  /** Mean events, mean protobuf bytes, mean events and mean bytes of each kind. */
  events: number;
  bytes: number;
  byKind: Record<EventKind, number>;
  bytesByKind: Record<EventKind, number>;
  /** Mean work (scheduled activities, local activity markers, timers started, signals received). */
  work: WorkCount;
  /** Workflow task completions: how many tasks × how many workflows. */
  taskSpread: string;
}

const typeName = (event: HistoryEvent) => (typeof event.eventType === 'number' ? EventType[event.eventType] : String(event.eventType));

/** Reads the histories of (at most `limit` of) `workflowIds` and averages them. */
export async function measureHistories(client: Client, workflowIds: string[], limit = 20): Promise<HistoryMeasure> {
  const sample = workflowIds.slice(0, limit);
  const byKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
  const bytesByKind = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
  const work: WorkCount = { activities: 0, localActivities: 0, timers: 0, signals: 0 };
  const tasks = new Map<number, number>();
  let events = 0, bytes = 0;
  for (const id of sample) {
    const history = History.fromObject(await client.workflow.getHandle(id).fetchHistory());
    bytes += History.encode(history).finish().length;
    const all = history.events ?? [];
    events += all.length;
    let completed = 0;
    for (const event of all) {
      byKind[kindOf(event)] += 1;
      bytesByKind[kindOf(event)] += HistoryEventMessage.encode(event).finish().length;
      const type = typeName(event);
      if (type === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') work.activities += 1;
      else if (type === 'EVENT_TYPE_TIMER_STARTED') work.timers += 1;
      else if (type === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED') work.signals += 1;
      else if (type === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') completed += 1;
      else if (kindOf(event) === 'local activities') work.localActivities += 1;
    }
    tasks.set(completed, (tasks.get(completed) ?? 0) + 1);
  }
  const n = Math.max(1, sample.length);
  for (const k of EVENT_KINDS) {
    byKind[k] /= n;
    bytesByKind[k] /= n;
  }
  for (const k of Object.keys(work) as (keyof WorkCount)[]) work[k] /= n;
  const taskSpread = [...tasks].sort(([a], [b]) => a - b).map(([count, runs]) => `${count}×${runs}`).join(' ');
  return { sampled: sample.length, events: events / n, bytes: bytes / n, byKind, bytesByKind, work, taskSpread };
}

/** Milliseconds of an event's time. */
const eventMs = (event: proto.temporal.api.history.v1.IHistoryEvent): number => {
  const t = event.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN;
};

/** The `count` longest waits between consecutive events of a workflow's history, as `after → next: ms`. */
export async function longestGaps(client: Client, workflowId: string, count: number): Promise<string[]> {
  const events = History.fromObject(await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const gaps = events.slice(1).map((event, i) => ({
    ms: eventMs(event) - eventMs(events[i]!),
    what: `${typeName(events[i]!).replace('EVENT_TYPE_', '')} → ${typeName(event).replace('EVENT_TYPE_', '')} (#${String(event.eventId)})`,
  }));
  return gaps.sort((a, b) => b.ms - a.ms).slice(0, count).map((g) => `${g.what}: ${Math.round(g.ms)} ms`);
}
