/**
 * Hand-written checks for the panel protocol's two long lists, the queue's tasks and the runs: a snapshot
 * carries up to tens of thousands of them, and zod's generic parser, which cannot compile itself under the
 * webview's CSP (no `new Function`), spends most of a frame on them. Each check answers exactly as the
 * schema it stands for (protocol.ts; the unit tests hold the pairs to the same answers on arbitrary input),
 * and `fastArray` runs the schema itself on the first element a check refuses, so a bad message is still
 * refused with the schema's own message and path. Types only from protocol.ts, so no import cycle.
 */
import * as z from 'zod/mini';
import type { PanelRun, PanelTask } from './protocol';

type Fields = Readonly<Record<string, unknown>>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableString = (value: unknown): value is string | null => value === null || typeof value === 'string';
/** What `z.object` accepts as an object: not null, not an array. */
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `z.int().check(z.nonnegative())`. */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Exactly `panelTaskSchema`'s check. */
export function isPanelTask(value: unknown): value is PanelTask {
  if (!isFields(value)) return false;
  const folder = value['folder'];
  return isString(value['id']) && isString(value['title'])
    && (folder === 'pending' || folder === 'processed' || folder === 'complete')
    && typeof value['valid'] === 'boolean'
    && isCount(value['diagnostics'])
    && isNullableString(value['firstError']) && isNullableString(value['priority']) && isNullableString(value['type'])
    && isNullableString(value['agent']) && isNullableString(value['blocked'])
    && isString(value['path']) && isString(value['mtime']);
}

/** The task's own fields, as the object schema would give them (unknown keys dropped). */
export function copyPanelTask(task: PanelTask): PanelTask {
  return {
    id: task.id, title: task.title, folder: task.folder, valid: task.valid, diagnostics: task.diagnostics, firstError: task.firstError,
    priority: task.priority, type: task.type, agent: task.agent, blocked: task.blocked, path: task.path, mtime: task.mtime,
  };
}

const runStates: ReadonlySet<unknown> = new Set<PanelRun['state']>(['queued', 'preparing', 'running', 'needsYou', 'succeeded', 'failed', 'cancelled']);

/** Exactly `panelRunSchema`'s check. */
export function isPanelRun(value: unknown): value is PanelRun {
  if (!isFields(value)) return false;
  const cost = value['costUsd'];
  const turns = value['turns'];
  const failure = value['failure'];
  return isString(value['runId']) && isString(value['taskId']) && isString(value['agentId'])
    && runStates.has(value['state'])
    && isString(value['startedAt']) && isNullableString(value['endedAt'])
    && (cost === null || (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0))
    && (turns === null || isCount(turns))
    && isNullableString(value['branch'])
    && (failure === null || (isFields(failure) && isString(failure['class']) && isString(failure['message'])))
    && isNullableString(value['summary']);
}

/** The run's own fields, as the object schema would give them. */
export function copyPanelRun(run: PanelRun): PanelRun {
  return {
    runId: run.runId, taskId: run.taskId, agentId: run.agentId, state: run.state, startedAt: run.startedAt, endedAt: run.endedAt,
    costUsd: run.costUsd, turns: run.turns, branch: run.branch, failure: run.failure === null ? null : { class: run.failure.class, message: run.failure.message },
    summary: run.summary,
  };
}

/**
 * `z.array(exact)`, fast: one loop of `check` and `copy` over the elements. On the first element `check`
 * refuses, `exact` parses it: its value is taken if it passes after all, else its issues become the
 * array's, at that element's index, so the error is the one `z.array(exact)` gives (its first issue, which
 * is what the protocol reports).
 */
export function fastArray<T>(check: (value: unknown) => value is T, copy: (value: T) => T, exact: z.ZodMiniType<T>): z.ZodMiniType<T[]> {
  return z.pipe(
    z.custom<unknown[]>(Array.isArray, { error: 'Invalid input: expected array' }),
    z.transform((items: unknown[], payload): T[] => {
      const copies = new Array<T>(items.length);
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        if (check(item)) {
          copies[index] = copy(item);
          continue;
        }
        // The schema decides: the check only ever saves work (were they to disagree, the schema's answer stands).
        const parsed = exact.safeParse(item);
        if (parsed.success) {
          copies[index] = parsed.data;
          continue;
        }
        for (const issue of parsed.error.issues) payload.issues.push({ code: 'custom', message: issue.message, input: item, path: [index, ...issue.path] });
        return z.NEVER;
      }
      return copies;
    }),
  );
}
