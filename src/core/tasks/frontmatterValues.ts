import { isScalar, isSeq, Scalar } from 'yaml';
import { builtInAgentIds, maxTaskBudgetUsd } from './frontmatterFields';
import type { FrontmatterEntry } from './frontmatterYaml';
import { maxTimeoutMs, parseDurationMs } from './duration';
import { isIsoTimestamp } from './isoTimestamp';
import type { TaskDiagnostic, TextRange } from './task';
import { quoted, taskDiagnostic } from './taskDiagnostics';
import { pathTextDiagnostic } from './taskPathText';
import { isTaskId, suggestTaskId } from './taskFileName';
import { taskIdProblem } from './taskIdRules';
import { taskPriorities, taskTypes, type TaskPriority, type TaskType } from './taskTypes';
import { matchAgent, matchPriority, matchTaskType } from './valueAliases';

/** What the frontmatter sets; a missing key (or an invalid value, reported) is absent. */
export interface FrontmatterValues {
  id?: string;
  type?: TaskType;
  priority?: TaskPriority;
  agent?: string;
  created?: string;
  dependsOn?: readonly string[];
  cwd?: string;
  timeoutMs?: number;
  budgetUsd?: number;
}

/** A `depends_on` id and where it is written. */
export interface LocatedId {
  readonly id: string;
  readonly range: TextRange;
}

type ScalarValue = { readonly kind: 'empty' } | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'collection' };

function scalarValue(node: unknown): ScalarValue {
  if (node === undefined || node === null) return { kind: 'empty' };
  if (!isScalar(node)) return { kind: 'collection' };
  const text = typeof node.value === 'string' ? node.value.trim() : '';
  // failsafe keeps `~` and `null` as text; unquoted they still mean "no value".
  if (text === '' || (node.type === Scalar.PLAIN && /^(?:~|null)$/i.test(text))) return { kind: 'empty' };
  return { kind: 'text', text };
}

const emptyDefaults: Partial<Record<FrontmatterEntry['key'], string>> = {
  id: 'the file name', type: 'the type from the file name', priority: '"medium"', agent: '"auto"',
};

/**
 * Reads each frontmatter entry into a value, reporting every invalid one at the value's range. Leniency
 * (aliases, case) is reported as hints; values that cannot be used are errors (or a warning for `created`).
 */
export function interpretFrontmatter(entries: readonly FrontmatterEntry[], diagnostics: TaskDiagnostic[]): { values: FrontmatterValues; dependsOn: LocatedId[] } {
  const values: FrontmatterValues = {};
  const dependsOn: LocatedId[] = [];
  const report = (severity: TaskDiagnostic['severity'], code: string, message: string, range: TextRange): void => {
    diagnostics.push(taskDiagnostic(severity, code, message, range));
  };
  for (const entry of entries) {
    const { key, valueRange } = entry;
    if (key === 'depends_on') {
      readDependsOn(entry, dependsOn, report);
      values.dependsOn = dependsOn.map(item => item.id);
      continue;
    }
    const value = scalarValue(entry.value);
    if (value.kind === 'collection') {
      report('error', 'invalid-value', `"${key}" takes a single value, not a list or mapping.`, valueRange);
      continue;
    }
    if (value.kind === 'empty') {
      const fallback = emptyDefaults[key];
      if (fallback !== undefined) report('warning', 'empty-value', `"${key}" is empty; ${fallback} is used.`, entry.keyRange);
      continue;
    }
    const text = value.text;
    switch (key) {
      case 'id':
      {
        const problem = taskIdProblem(text);
        if (problem === undefined) values.id = text;
        else report('error', 'invalid-id', `Invalid id ${quoted(text)}: it ${problem}. Use letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. "${suggestTaskId(text)}").`, valueRange);
        break;
      }
      case 'type': {
        const match = matchTaskType(text);
        if (match.kind === 'unknown') report('error', 'unknown-type', `Unknown type ${quoted(text)} — did you mean "${match.nearest}"? Valid types: ${taskTypes.join(', ')}.`, valueRange);
        else values.type = match.value;
        if (match.kind === 'alias') report('hint', 'type-alias', `${quoted(text)} is read as type "${match.value}"; write "type: ${match.value}".`, valueRange);
        break;
      }
      case 'priority': {
        const match = matchPriority(text);
        if (match.kind === 'unknown') report('error', 'unknown-priority', `Unknown priority ${quoted(text)} — did you mean "${match.nearest}"? Valid priorities: ${taskPriorities.join(', ')}.`, valueRange);
        else values.priority = match.value;
        if (match.kind === 'alias') report('hint', 'priority-alias', `${quoted(text)} is read as priority "${match.value}"; write "priority: ${match.value}".`, valueRange);
        break;
      }
      case 'agent':
        readAgent(text, valueRange, values, report);
        break;
      case 'created':
        if (isIsoTimestamp(text)) values.created = text;
        else report('warning', 'invalid-created', `"created" should be an ISO 8601 date or date-time, e.g. "2026-11-21T10:00:00Z"; ${quoted(text)} is ignored.`, valueRange);
        break;
      case 'cwd': {
        const problem = pathTextDiagnostic('cwd', text, valueRange);
        if (problem === undefined) values.cwd = text;
        else diagnostics.push(problem);
        break;
      }
      case 'timeout': {
        const ms = parseDurationMs(text);
        if (ms === undefined || ms <= 0) report('error', 'invalid-timeout', `Invalid timeout ${quoted(text)}: use a duration such as "30m", "1h30m", "90s" or "2h" (a bare number is minutes).`, valueRange);
        else if (ms > maxTimeoutMs) report('error', 'timeout-too-long', `Timeout ${quoted(text)} is longer than the maximum of 24h.`, valueRange);
        else values.timeoutMs = ms;
        break;
      }
      case 'budget_usd': {
        const usd = /^\$?\d+(?:\.\d+)?$/.test(text) ? Number(text.replace(/^\$/, '')) : Number.NaN;
        if (!Number.isFinite(usd)) report('error', 'invalid-budget', `Invalid budget_usd ${quoted(text)}: use a number of US dollars such as "2.5" (0 means no cap).`, valueRange);
        else if (usd > maxTaskBudgetUsd) report('error', 'budget-too-high', `budget_usd ${quoted(text)} is more than the maximum of ${String(maxTaskBudgetUsd)}.`, valueRange);
        else values.budgetUsd = usd;
        break;
      }
    }
  }
  return { values, dependsOn };
}

type Report = (severity: TaskDiagnostic['severity'], code: string, message: string, range: TextRange) => void;

function readAgent(text: string, range: TextRange, values: FrontmatterValues, report: Report): void {
  const match = matchAgent(text);
  if (match.kind !== 'unknown') {
    values.agent = match.value;
    if (match.kind === 'alias') report('hint', 'agent-alias', `${quoted(text)} is read as agent "${match.value}"; write "agent: ${match.value}".`, range);
    return;
  }
  if (!isTaskId(text)) {
    report('error', 'invalid-agent', `Invalid agent ${quoted(text)}: use "auto", a built-in agent (${builtInAgentIds.slice(1).join(', ')}) or a custom agent id (letters, digits, ".", "_", "-").`, range);
    return;
  }
  values.agent = text;
  if (text.length >= 4 && match.distance <= 2) {
    report('hint', 'unknown-agent', `${quoted(text)} is not a built-in agent — did you mean "${match.nearest}"? (Fine if it is a custom agent id.)`, range);
  }
}

function readDependsOn(entry: FrontmatterEntry, out: LocatedId[], report: Report): void {
  const listed = new Set<string>();
  const add = (id: string, range: TextRange): void => {
    if (!isTaskId(id)) {
      report('error', 'invalid-depends-on', `${quoted(id)} is not a task id (letters, digits, ".", "_", "-").`, range);
    } else if (listed.has(id)) {
      report('warning', 'duplicate-dependency', `${quoted(id)} is listed twice in "depends_on".`, range);
    } else {
      listed.add(id);
      out.push({ id, range });
    }
  };
  const node = entry.value;
  if (isSeq(node)) {
    for (const item of node.items) {
      const resolvedRange = entry.rangeOf(item) ?? entry.valueRange;
      const value = scalarValue(entry.resolve(item));
      if (value.kind === 'text') add(value.text, resolvedRange);
      else report('error', 'invalid-depends-on', '"depends_on" items must be task ids.', resolvedRange);
    }
    return;
  }
  const value = scalarValue(node);
  if (value.kind === 'collection') {
    report('error', 'invalid-depends-on', '"depends_on" takes a list of task ids or a single id.', entry.valueRange);
  } else if (value.kind === 'text') {
    for (const id of value.text.split(/[\s,]+/).filter(part => part !== '')) add(id, entry.valueRange);
  }
}
