import type { TaskDraft } from './taskFileWriter';
import type { TaskType } from './taskTypes';

/** Something a person right-clicked: a file or folder, optionally with the lines they selected. */
export interface DelegationTarget {
  /** Relative to the workspace root, with `/` separators. */
  readonly path: string;
  readonly kind: 'file' | 'folder';
  readonly selection?: { readonly startLine: number; readonly endLine: number; readonly text: string };
}

const maxSelectionLines = 200;

// First match wins; the instruction's own words are the best guess of the task type.
const typeHints: readonly (readonly [RegExp, TaskType])[] = [
  [/\b(fix|bug|broken|crash|error|fails?|failing)\b/i, 'fix'],
  [/\breview\b/i, 'code_review'],
  [/\b(explain|analy[sz]e|analysis|investigate|why)\b/i, 'analyze'],
  [/\bsummar/i, 'summarize'],
  [/\b(document|docs?|readme|jsdoc|tsdoc|comment)\b/i, 'documentation'],
];

export function guessTaskType(instruction: string): TaskType {
  return typeHints.find(([pattern]) => pattern.test(instruction))?.[1] ?? 'feature';
}

/** The task a "Delegate to AI" turns into. Pure. */
export function draftFromDelegation(targets: readonly DelegationTarget[], instruction: string, now: Date): TaskDraft {
  const trimmed = instruction.trim();
  const firstLine = trimmed.split('\n')[0] ?? trimmed;
  const title = firstLine.length > 72 ? `${firstLine.slice(0, 71).trimEnd()}…` : firstLine;
  const context = targets
    .filter(target => target.selection !== undefined)
    .map(target => describeSelection(target))
    .join('\n\n');
  return {
    title,
    prompt: trimmed,
    type: guessTaskType(trimmed),
    priority: 'medium',
    agent: 'auto',
    targetFiles: targets.map(target => (target.kind === 'folder' ? `${target.path.replace(/\/+$/, '')}/` : target.path)),
    successCriteria: [],
    context,
    created: now,
  };
}

function describeSelection(target: DelegationTarget): string {
  const selection = target.selection;
  if (selection === undefined) return '';
  const lines = selection.text.split('\n');
  const shown = lines.slice(0, maxSelectionLines).join('\n');
  const more = lines.length > maxSelectionLines ? `\n… (${lines.length - maxSelectionLines} more lines)` : '';
  const fence = shown.includes('```') ? '````' : '```';
  return `Selected lines ${selection.startLine}–${selection.endLine} of \`${target.path}\`:\n${fence}\n${shown}${more}\n${fence}`;
}
