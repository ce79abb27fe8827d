import { findFrontmatter } from './frontmatterBlock';
import {
  agentDocs, builtInAgentIds, frontmatterFields, frontmatterKeys, taskPriorityDocs, taskTypeDocs, timeoutExamples,
  type BuiltInAgentId, type FrontmatterKey,
} from './frontmatterFields';
import { LineIndex } from './lineIndex';
import type { TextPosition, TextRange } from './task';
import { taskPriorities, taskTypes } from './taskTypes';
import { knownKey, matchAgent, matchKey, matchPriority, matchTaskType, type EnumMatch } from './valueAliases';

/** A completion proposal, editor-neutral: the VS Code adapter maps it to a `CompletionItem`. */
export interface FrontmatterCompletion {
  readonly label: string;
  /** One line, shown next to the label. */
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
  readonly kind: 'key' | 'value';
  /** What to insert: `type: ` for a key, the value itself for a value. */
  readonly insertText: string;
}

export interface FrontmatterHover {
  /** Markdown. */
  readonly markdown: string;
  /** The key or value the hover is about. */
  readonly range: TextRange;
}

const keyLine = /^([A-Za-z][A-Za-z_-]*)([ \t]*):/;

/** The frontmatter's YAML lines (an unterminated one runs to the end: the user is still typing). */
function frontmatterLines(lines: LineIndex): { first: number; last: number } | undefined {
  const block = findFrontmatter(lines);
  if (block.kind === 'none') return undefined;
  return { first: block.openLine + 1, last: block.kind === 'closed' ? block.closeLine - 1 : lines.lineCount - 1 };
}

function keyMarkdown(key: FrontmatterKey): string {
  const field = frontmatterFields[key];
  const parts = [`**${key}** — ${field.summary}`, field.description];
  if (key === 'type') parts.push(`Values: ${taskTypes.map(type => `\`${type}\``).join(', ')}`);
  if (key === 'priority') parts.push(`Values, lowest first: ${taskPriorities.map(priority => `\`${priority}\``).join(', ')}`);
  if (field.defaultValue !== undefined) parts.push(`Default: ${field.defaultValue}`);
  parts.push(`Example: \`${key}: ${field.example}\``);
  return parts.join('\n\n');
}

interface ValueDoc {
  readonly value: string;
  readonly doc: string;
}

function valueDocs(key: FrontmatterKey, agentIds: readonly string[]): readonly ValueDoc[] {
  switch (key) {
    case 'type':
      return taskTypes.map(value => ({ value, doc: taskTypeDocs[value] }));
    case 'priority':
      return taskPriorities.map(value => ({ value, doc: taskPriorityDocs[value] }));
    case 'agent':
      return [...new Set(['auto', ...agentIds])].map(value => ({ value, doc: agentDoc(value) }));
    case 'timeout':
      return timeoutExamples.map(([value, doc]) => ({ value, doc }));
    case 'id': case 'created': case 'depends_on': case 'cwd': case 'budget_usd':
      return [];
  }
}

function agentDoc(agent: string): string {
  return (builtInAgentIds as readonly string[]).includes(agent) ? agentDocs[agent as BuiltInAgentId] : 'A custom CLI agent declared in the settings.';
}

/**
 * Completion inside the frontmatter: the keys not yet used, on a new key line; the values of `type`,
 * `priority`, `agent` (`auto` and `agentIds`) and examples for `timeout`, after `key:`. Empty elsewhere.
 */
export function completionsAt(text: string, position: TextPosition, agentIds: readonly string[] = []): FrontmatterCompletion[] {
  const lines = new LineIndex(text);
  const region = frontmatterLines(lines);
  if (region === undefined || position.line < region.first || position.line > region.last) return [];
  const before = lines.lineText(position.line).slice(0, Math.max(0, position.character));
  if (/^[A-Za-z_-]*$/.test(before)) {
    const used = new Set<FrontmatterKey>();
    for (let line = region.first; line <= region.last; line++) {
      const written = line === position.line ? undefined : keyLine.exec(lines.lineText(line))?.[1];
      const key = written === undefined ? undefined : knownKey(written);
      if (key !== undefined) used.add(key);
    }
    return frontmatterKeys.filter(key => !used.has(key)).map(key => ({
      label: key, detail: frontmatterFields[key].summary, documentation: keyMarkdown(key), kind: 'key', insertText: `${key}: `,
    }));
  }
  const valueStart = /^([A-Za-z][A-Za-z_-]*)[ \t]*:[ \t]*[^\s#,[\]{}]*$/.exec(before);
  const match = valueStart?.[1] === undefined ? undefined : matchKey(valueStart[1]);
  if (match === undefined || match.kind === 'unknown') return [];
  return valueDocs(match.value, agentIds).map(({ value, doc }) => ({
    label: value, detail: `${match.value}: ${value}`, documentation: doc, kind: 'value', insertText: value,
  }));
}

function enumMatch(key: FrontmatterKey, value: string): EnumMatch<string> | undefined {
  if (key === 'type') return matchTaskType(value);
  if (key === 'priority') return matchPriority(value);
  if (key === 'agent') return matchAgent(value);
  return undefined;
}

function valueMarkdown(key: FrontmatterKey, written: string, match: EnumMatch<string>): string | undefined {
  if (match.kind === 'unknown') return key === 'agent' ? `**${written}** — ${agentDoc(written)}` : undefined;
  const doc = key === 'type' ? taskTypeDocs[match.value as keyof typeof taskTypeDocs]
    : key === 'priority' ? taskPriorityDocs[match.value as keyof typeof taskPriorityDocs]
      : agentDoc(match.value);
  const alias = match.kind === 'alias' ? `\n\n\`${written}\` is read as \`${match.value}\`.` : '';
  return `**${match.value}** — ${doc}${alias}`;
}

/** A YAML value without its trailing ` # comment` (linear: a line may be very long). */
function withoutComment(value: string): string {
  for (let index = value.indexOf('#'); index >= 0; index = value.indexOf('#', index + 1)) {
    if (index === 0 || value[index - 1] === ' ' || value[index - 1] === '\t') return value.slice(0, index);
  }
  return value;
}

/** Hover inside the frontmatter: the documentation of the key, or of the `type`/`priority`/`agent` value, under the cursor. */
export function hoverAt(text: string, position: TextPosition): FrontmatterHover | undefined {
  const lines = new LineIndex(text);
  const region = frontmatterLines(lines);
  if (region === undefined || position.line < region.first || position.line > region.last) return undefined;
  const lineText = lines.lineText(position.line);
  const found = keyLine.exec(lineText);
  const written = found?.[1];
  if (found === null || written === undefined) return undefined;
  const key = matchKey(written);
  if (key.kind === 'unknown') return undefined;
  const at = (from: number, to: number): TextRange => ({ start: { line: position.line, character: from }, end: { line: position.line, character: to } });
  if (position.character <= written.length) return { markdown: keyMarkdown(key.value), range: at(0, written.length) };
  const afterColon = found[0].length;
  const rest = withoutComment(lineText.slice(afterColon));
  const value = rest.trim().replace(/^(["'])(.*)\1$/, '$2');
  const valueFrom = afterColon + (rest.length - rest.trimStart().length);
  const valueTo = afterColon + rest.trimEnd().length;
  if (value === '' || position.character < valueFrom || position.character > valueTo) return undefined;
  const match = enumMatch(key.value, value);
  const markdown = match === undefined ? undefined : valueMarkdown(key.value, value, match);
  return markdown === undefined ? undefined : { markdown, range: at(valueFrom, valueTo) };
}
