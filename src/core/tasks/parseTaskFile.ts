import { findFrontmatter } from './frontmatterBlock';
import { readFrontmatterEntries, type FrontmatterEntry } from './frontmatterYaml';
import { interpretFrontmatter, type FrontmatterValues, type LocatedId } from './frontmatterValues';
import { LineIndex } from './lineIndex';
import { linesExcept, parseTaskBody, type LocatedText } from './markdownBody';
import type { Task, TaskDiagnostic, TaskParseResult, TextRange } from './task';
import { fileStartRange, hasError, quoted, taskDiagnostic } from './taskDiagnostics';
import { pathTextDiagnostic } from './taskPathText';
import { defaultTaskId, suggestTaskId, typeFromFileName } from './taskFileName';
import { isSlugLike, taskIdProblem } from './taskIdRules';
import { autoAgent } from './taskTypes';

/** Where the parts of a task file are, for diagnostics that other checks (paths, dependencies) attach. */
export interface TaskFileLocations {
  /** Each frontmatter key that is set, with its key's and its value's range. */
  readonly keys: ReadonlyMap<string, { readonly keyRange: TextRange; readonly valueRange: TextRange }>;
  /** Each `depends_on` id, in order. */
  readonly dependsOn: readonly LocatedId[];
  /** Each Target Files item, in order (the same order as `task.targetFiles`). */
  readonly targetFiles: readonly LocatedText[];
}

export interface TaskFileParse extends TaskParseResult {
  readonly locations: TaskFileLocations;
}

/** Frontmatter is a handful of keys; a huge one is a mistake, and YAML parsing it would cost seconds. */
export const maxFrontmatterChars = 64 * 1024;

const noLocations: TaskFileLocations = { keys: new Map(), dependsOn: [], targetFiles: [] };

/**
 * Parses a task file (PRODUCT §3.1): optional YAML frontmatter between `---` lines, then Markdown with a
 * `# Title` and Target Files / Prompt / Success Criteria / Context sections; or plain Markdown. Pure, and
 * never throws: every problem is a diagnostic, and there is a task exactly when no diagnostic is an error.
 */
export function parseTaskFile(text: string, fileName: string): TaskParseResult {
  const { task, diagnostics } = parseTaskFileWithLocations(text, fileName);
  return { task, diagnostics };
}

/** {@link parseTaskFile}, plus where each part is in the text. */
export function parseTaskFileWithLocations(text: string, fileName: string): TaskFileParse {
  try {
    const parsed = parse(text, fileName);
    return { ...parsed, diagnostics: capped(parsed.diagnostics).sort(byPosition) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { task: undefined, diagnostics: [taskDiagnostic('error', 'internal-error', `ATO could not read this task file: ${reason}`, fileStartRange)], locations: noLocations };
  }
}

function parse(text: string, fileName: string): TaskFileParse {
  const lines = new LineIndex(text);
  const diagnostics: TaskDiagnostic[] = [];
  const block = findFrontmatter(lines);
  if (block.kind === 'unterminated') {
    diagnostics.push(taskDiagnostic('error', 'frontmatter-unterminated', 'The frontmatter starts with "---" but has no closing "---" line.', lines.trimmedLineRange(block.openLine)));
    return { task: undefined, diagnostics, locations: noLocations };
  }
  let entries: FrontmatterEntry[] = [];
  let values: FrontmatterValues = {};
  let dependsOn: LocatedId[] = [];
  let bodyStart = 0;
  let bodyLine = 0;
  let fenceLine = 0;
  if (block.kind === 'closed') {
    if (block.yamlEnd - block.yamlStart > maxFrontmatterChars) {
      diagnostics.push(taskDiagnostic('error', 'frontmatter-too-large', `The frontmatter is longer than ${maxFrontmatterChars / 1024} KiB; ATO does not read it. Keep long text in the Markdown sections.`, lines.trimmedLineRange(block.openLine)));
    } else {
      entries = readFrontmatterEntries(lines, block.yamlStart, block.yamlEnd, diagnostics);
      ({ values, dependsOn } = interpretFrontmatter(entries, diagnostics));
    }
    bodyStart = block.bodyStart;
    bodyLine = block.closeLine + 1;
    fenceLine = block.closeLine;
  }
  const body = text.slice(bodyStart);
  const sections = parseTaskBody(lines, block.kind === 'closed' ? block.closeLine + 1 : 0, block.kind === 'none');
  // Problems with the body go on its first non-blank line, or on the closing fence when it is blank.
  const bodyRange = lines.trimmedLineRange(firstNonBlankLine(lines, bodyLine) ?? fenceLine);

  // A file dropped in as "Fix login.md" still works: its id becomes the slug, with a hint saying so.
  const fromName = defaultTaskId(fileName);
  const id = values.id ?? (isSlugLike(fromName) ? fromName : suggestTaskId(fromName));
  if (values.id === undefined && id !== fromName) {
    diagnostics.push(taskDiagnostic('hint', 'id-from-file-name', `The file name ${quoted(fromName)} is not slug-like, so the task's id is ${quoted(id)}; rename the file or add "id: ${id}" to the frontmatter to choose another.`, fileStartRange));
  }
  // A slug-like name git refuses as a branch (`foo.lock`, `a..b`) is an error now, not a failed run later.
  const idProblem = values.id === undefined && !hasErrorCode(diagnostics, 'invalid-id') ? taskIdProblem(id) : undefined;
  if (idProblem !== undefined) {
    diagnostics.push(taskDiagnostic('error', 'invalid-id', `The file name gives the id ${quoted(id)}, which cannot be used: it ${idProblem}. Rename the file or add "id: ${suggestTaskId(id)}" to the frontmatter.`, fileStartRange));
  }
  if (sections.title === undefined) {
    diagnostics.push(taskDiagnostic('error', 'missing-title', block.kind === 'none' ? 'The task has no title: its first non-empty line is the title.' : 'The task has no title: add a "# Title" heading after the frontmatter.', bodyRange));
  }
  if (sections.titleFromSubheading !== undefined) {
    diagnostics.push(taskDiagnostic('hint', 'title-from-heading', `There is no "# Title" heading, so the title is ${quoted(sections.titleFromSubheading.text)}, the first heading; make it a "# " heading to say so.`, sections.titleFromSubheading.range));
  }
  // Without a Prompt section the text is the prompt — less the sections meant for people (`## Notes`).
  const prompt = sections.prompt ?? (sections.humanOnlyLines.size === 0 ? body.trim() : linesExcept(lines, bodyLine, sections.humanOnlyLines));
  if (prompt === '') {
    diagnostics.push(taskDiagnostic('error', 'empty-prompt', sections.prompt === undefined ? 'The task is empty: write what the agent must do (a "**Prompt:**" section or the text of the file).' : 'The Prompt section is empty: write what the agent must do.', sections.promptLabel ?? bodyRange));
  }
  for (const target of sections.targetFiles) {
    const problem = pathTextDiagnostic('target', target.text, target.range);
    if (problem !== undefined) diagnostics.push(problem);
  }
  for (const repeated of sections.repeatedSections) {
    diagnostics.push(taskDiagnostic('warning', 'repeated-section', `${quoted(repeated.text)} appears more than once; the sections are joined.`, repeated.range));
  }
  const locations: TaskFileLocations = {
    keys: new Map(entries.map(entry => [entry.key, { keyRange: entry.keyRange, valueRange: entry.valueRange }])),
    dependsOn,
    targetFiles: sections.targetFiles,
  };
  if (hasError(diagnostics) || sections.title === undefined) return { task: undefined, diagnostics, locations };
  const task: Task = {
    id,
    title: sections.title.text,
    type: values.type ?? typeFromFileName(fileName),
    priority: values.priority ?? 'medium',
    agent: values.agent ?? autoAgent,
    created: values.created,
    dependsOn: values.dependsOn ?? [],
    cwd: values.cwd,
    timeoutMs: values.timeoutMs,
    ...(values.budgetUsd === undefined ? {} : { budgetUsd: values.budgetUsd }),
    targetFiles: sections.targetFiles.map(target => target.text),
    prompt,
    successCriteria: sections.successCriteria,
    context: sections.context,
    body,
  };
  return { task, diagnostics, locations };
}

/** A file with thousands of problems shows the first few hundred (errors first) and says so. */
const maxDiagnostics = 200;
const severityOrder = ['error', 'warning', 'info', 'hint'] as const;

function capped(diagnostics: readonly TaskDiagnostic[]): TaskDiagnostic[] {
  if (diagnostics.length <= maxDiagnostics) return [...diagnostics];
  const kept = [...diagnostics]
    .sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) || byPosition(a, b))
    .slice(0, maxDiagnostics - 1);
  const note = `${diagnostics.length - kept.length} more problems in this file are not shown.`;
  return [...kept, taskDiagnostic('info', 'too-many-problems', note, fileStartRange)];
}

function byPosition(a: TaskDiagnostic, b: TaskDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function hasErrorCode(diagnostics: readonly TaskDiagnostic[], code: string): boolean {
  return diagnostics.some(diagnostic => diagnostic.severity === 'error' && diagnostic.code === code);
}

function firstNonBlankLine(lines: LineIndex, from: number): number | undefined {
  for (let line = from; line < lines.lineCount; line++) if (lines.lineText(line).trim() !== '') return line;
  return undefined;
}
