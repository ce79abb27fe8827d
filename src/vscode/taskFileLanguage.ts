import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isTaskFileName } from '../core/planning/planningLayout';
import type { QueueSnapshot } from '../core/queue/queueEntries';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import { unknownDependencyDiagnostics } from '../core/tasks/dependencyDiagnostics';
import { completionsAt, hoverAt } from '../core/tasks/frontmatterAssist';
import { parseTaskFile } from '../core/tasks/parseTaskFile';
import type { TaskDiagnostic, TextRange } from '../core/tasks/task';
import { checkTaskPaths } from '../core/tasks/taskPaths';

/** Task files are the Markdown files in a queue folder, or in a sub-folder of one. */
export const taskFileSelector: vscode.DocumentFilter = { scheme: 'file', pattern: '**/issue_queue/{pending,processed,complete}/**/*.md' };

const severities: Readonly<Record<TaskDiagnostic['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function toRange(range: TextRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toDiagnostic(diagnostic: TaskDiagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toRange(diagnostic.range), diagnostic.message, severities[diagnostic.severity]);
  result.source = 'ATO';
  result.code = diagnostic.code;
  return result;
}

/**
 * Problems panel diagnostics, completion and hover for task files. Open files are checked as they are
 * typed (parse, paths, dependencies); closed ones show what the queue index found, so an invalid file is
 * listed even when nobody has it open.
 */
export interface TaskFileLanguageSources {
  readonly workspaceRoot: () => string | undefined;
  /** Agent ids for `agent:` completion. */
  readonly agentIds: () => readonly string[];
  /** Every task id in the queue, or undefined before the index has read it. */
  readonly knownIds: () => ReadonlySet<string> | undefined;
}

export function registerTaskFileLanguage(store: Store<AtoState>, sources: TaskFileLanguageSources): vscode.Disposable {
  const { workspaceRoot, agentIds, knownIds } = sources;
  const collection = vscode.languages.createDiagnosticCollection('ato');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let indexed = new Map<string, readonly TaskDiagnostic[]>();

  // ATO's reports beside task files (`<name>.report.md`) match the selector's glob but are not tasks.
  const isTaskFile = (document: vscode.TextDocument): boolean => vscode.languages.match(taskFileSelector, document) > 0 && isTaskFileName(basename(document.fileName));

  const checkOpen = async (document: vscode.TextDocument): Promise<void> => {
    const text = document.getText();
    const result = parseTaskFile(text, basename(document.uri.fsPath));
    const diagnostics = [...result.diagnostics];
    const root = workspaceRoot();
    if (result.task !== undefined && root !== undefined) {
      diagnostics.push(...(await checkTaskPaths(result.task, { workspaceRoot: root, taskFileText: text })));
      const known = knownIds();
      if (known !== undefined) diagnostics.push(...unknownDependencyDiagnostics(result.task, known, text));
    }
    if (document.version === vscode.workspace.textDocuments.find(d => d.uri.toString() === document.uri.toString())?.version) {
      collection.set(document.uri, diagnostics.map(toDiagnostic));
    }
  };

  const schedule = (document: vscode.TextDocument): void => {
    if (!isTaskFile(document)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void checkOpen(document);
    }, 150));
  };

  const showIndexed = (queue: QueueSnapshot | undefined): void => {
    const next = new Map<string, readonly TaskDiagnostic[]>();
    for (const entry of queue?.invalid ?? []) next.set(entry.file, entry.result.diagnostics);
    const open = new Set(vscode.workspace.textDocuments.filter(isTaskFile).map(d => d.uri.fsPath));
    for (const file of indexed.keys()) if (!next.has(file) && !open.has(file)) collection.delete(vscode.Uri.file(file));
    for (const [file, diagnostics] of next) if (!open.has(file)) collection.set(vscode.Uri.file(file), diagnostics.map(toDiagnostic));
    indexed = next;
  };

  let lastQueue: QueueSnapshot | undefined;
  const subscription = store.onDidChange(state => {
    if (state.queue === lastQueue) return;
    lastQueue = state.queue;
    showIndexed(state.queue);
  });

  for (const document of vscode.workspace.textDocuments) schedule(document);
  return vscode.Disposable.from(
    collection,
    { dispose: () => { subscription.dispose(); for (const timer of timers.values()) clearTimeout(timer); } },
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument(event => { schedule(event.document); }),
    vscode.workspace.onDidCloseTextDocument(document => {
      if (!isTaskFile(document)) return;
      const diagnostics = indexed.get(document.uri.fsPath);
      if (diagnostics === undefined) collection.delete(document.uri);
      else collection.set(document.uri, diagnostics.map(toDiagnostic));
    }),
    vscode.languages.registerCompletionItemProvider(taskFileSelector, {
      provideCompletionItems(document, position) {
        return completionsAt(document.getText(), { line: position.line, character: position.character }, agentIds()).map(completion => {
          const item = new vscode.CompletionItem(completion.label, completion.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.EnumMember);
          item.detail = completion.detail;
          item.documentation = new vscode.MarkdownString(completion.documentation);
          item.insertText = completion.insertText;
          return item;
        });
      },
    }, ':', ' '),
    vscode.languages.registerHoverProvider(taskFileSelector, {
      provideHover(document, position) {
        const hover = hoverAt(document.getText(), { line: position.line, character: position.character });
        return hover === undefined ? undefined : new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(hover.range));
      },
    }),
  );
}
