/**
 * Hand-written checks for the panel protocol's two long lists, the queue's tasks and the runs: a snapshot
 * carries up to tens of thousands of them, and zod's generic parser, which cannot compile itself under the
 * webview's CSP (no `new Function`), spends most of a frame on them. Each check answers exactly as the
 * schema it stands for (protocol.ts; the unit tests hold the pairs to the same answers on arbitrary input),
 * and `fastArray` runs the schema itself on the first element a check refuses, so a bad message is still
 * refused with the schema's own message and path. Types only from protocol.ts, so no import cycle.
 */
import * as z from 'zod/mini';
import { isExternalUrl } from './loopSnapshot';
import type { PanelRun, PanelTask } from './protocol';

type Fields = Readonly<Partial<Record<string, unknown>>>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableString = (value: unknown): value is string | null => value === null || typeof value === 'string';
/** What `z.object` accepts as an object: not null, not an array. */
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `z.int().check(z.nonnegative())`. */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The task as `panelTaskSchema` parses it (its own fields, unknown keys dropped), or undefined exactly where
 * the schema refuses it. Each field is read once: the check and the copy are one pass.
 */
export function readPanelTask(value: unknown): PanelTask | undefined {
  if (!isFields(value)) return undefined;
  const { id, title, folder, valid, diagnostics, firstError, priority, type, agent, blocked, path, mtime } = value;
  if (!isString(id) || !isString(title) || (folder !== 'pending' && folder !== 'processed' && folder !== 'complete') || typeof valid !== 'boolean' || !isCount(diagnostics)) return undefined;
  if (!isNullableString(firstError) || !isNullableString(priority) || !isNullableString(type) || !isNullableString(agent) || !isNullableString(blocked)) return undefined;
  if (!isString(path) || !isString(mtime)) return undefined;
  const { inCheckout, url } = value;
  if ((inCheckout !== undefined && typeof inCheckout !== 'boolean') || (url !== undefined && !(isString(url) && isExternalUrl(url)))) return undefined;
  const task: PanelTask = { id, title, folder, valid, diagnostics, firstError, priority, type, agent, blocked, path, mtime };
  // Optional fields are in the copy when they are in the task (even as undefined), as the object schema gives them.
  if ('inCheckout' in value) task.inCheckout = inCheckout;
  if ('url' in value) task.url = url;
  return task;
}

/** Exactly `panelTaskSchema`'s check. */
export function isPanelTask(value: unknown): value is PanelTask {
  return readPanelTask(value) !== undefined;
}

const runStates: ReadonlySet<unknown> = new Set<PanelRun['state']>(['queued', 'preparing', 'running', 'needsYou', 'succeeded', 'failed', 'cancelled']);

/** The run as `panelRunSchema` parses it, or undefined exactly where the schema refuses it (one pass, as for tasks). */
export function readPanelRun(value: unknown): PanelRun | undefined {
  if (!isFields(value)) return undefined;
  const { runId, taskId, agentId, state, startedAt, endedAt, costUsd, turns, branch, failure, summary, landable, landing } = value;
  if (!isString(runId) || !isString(taskId) || !isString(agentId) || !runStates.has(state) || !isString(startedAt) || !isNullableString(endedAt)) return undefined;
  if (costUsd !== null && !(typeof costUsd === 'number' && Number.isFinite(costUsd) && costUsd >= 0)) return undefined;
  if ((turns !== null && !isCount(turns)) || !isNullableString(branch) || !isNullableString(summary)) return undefined;
  let failureCopy: PanelRun['failure'] = null;
  if (failure !== null) {
    if (!isFields(failure) || !isString(failure['class']) || !isString(failure['message'])) return undefined;
    failureCopy = { class: failure['class'], message: failure['message'] };
  }
  if ((landable !== undefined && typeof landable !== 'boolean') || (landing !== undefined && !isString(landing))) return undefined;
  const run: PanelRun = { runId, taskId, agentId, state: state as PanelRun['state'], startedAt, endedAt, costUsd, turns, branch, failure: failureCopy, summary };
  // Optional fields are in the copy when they are in the run (even as undefined), as the object schema gives them.
  if ('landable' in value) run.landable = landable;
  if ('landing' in value) run.landing = landing;
  return run;
}

/** Exactly `panelRunSchema`'s check. */
export function isPanelRun(value: unknown): value is PanelRun {
  return readPanelRun(value) !== undefined;
}

/** A string as `z.string()` parses it. */
export function readString(value: unknown): string | undefined {
  return isString(value) ? value : undefined;
}

/**
 * `z.array(exact)`, fast: one loop of `read` over the elements. On the first element `read` refuses,
 * `exact` parses it: its value is taken if it passes after all, else its issues become the array's, at
 * that element's index, so the error is the one `z.array(exact)` gives (its first issue, which is what the
 * protocol reports).
 */
export function fastArray<T>(read: (value: unknown) => T | undefined, exact: z.ZodMiniType<T>): z.ZodMiniType<T[]> {
  return z.pipe(
    z.custom<unknown[]>(Array.isArray, { error: 'Invalid input: expected array' }),
    z.transform((items: unknown[], payload): T[] => {
      const copies = new Array<T>(items.length);
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        const copy = read(item);
        if (copy !== undefined) {
          copies[index] = copy;
          continue;
        }
        // The schema decides: the reader only ever saves work (were they to disagree, the schema's answer stands).
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
