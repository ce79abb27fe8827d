import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isTaskFileName } from '../core/planning/planningLayout';
import type { QueueSnapshot } from '../core/queue/queueEntries';
import { unknownDependencyDiagnostics } from '../core/tasks/dependencyDiagnostics';
import { completionsAt, hoverAt } from '../core/tasks/frontmatterAssist';
import { parseTaskFile } from '../core/tasks/parseTaskFile';
import type { TaskDiagnostic, TextRange } from '../core/tasks/task';
import { checkTaskPaths } from '../core/tasks/taskPaths';
import type { FolderRegistry } from './folderRegistry';

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
 * listed even when nobody has it open. Each file is checked against its own folder (multi-root): its root,
 * its agents, its queue's ids.
 */
export function registerTaskFileLanguage(folders: FolderRegistry): vscode.Disposable {
  const sources = {
    forFile: (file: string) => folders.forPath(file),
    queues: () => folders.folders.map(folder => folder.services.store.state.queue),
    onDidChange: folders.onDidChange,
  };
  const collection = vscode.languages.createDiagnosticCollection('ato');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let indexed = new Map<string, readonly TaskDiagnostic[]>();

  // ATO's reports beside task files (`<name>.report.md`) match the selector's glob but are not tasks.
  const isTaskFile = (document: vscode.TextDocument): boolean => vscode.languages.match(taskFileSelector, document) > 0 && isTaskFileName(basename(document.fileName));

  const checkOpen = async (document: vscode.TextDocument): Promise<void> => {
    const text = document.getText();
    const result = parseTaskFile(text, basename(document.uri.fsPath));
    const diagnostics = [...result.diagnostics];
    const folder = sources.forFile(document.uri.fsPath);
    if (result.task !== undefined && folder !== undefined) {
      diagnostics.push(...(await checkTaskPaths(result.task, { workspaceRoot: folder.path, taskFileText: text })));
      const known = folder.queue.knownIds();
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

  const showIndexed = (queues: readonly (QueueSnapshot | undefined)[]): void => {
    const next = new Map<string, readonly TaskDiagnostic[]>();
    for (const queue of queues) for (const entry of queue?.invalid ?? []) next.set(entry.file, entry.result.diagnostics);
    const open = new Set(vscode.workspace.textDocuments.filter(isTaskFile).map(d => d.uri.fsPath));
    for (const file of indexed.keys()) if (!next.has(file) && !open.has(file)) collection.delete(vscode.Uri.file(file));
    for (const [file, diagnostics] of next) if (!open.has(file)) collection.set(vscode.Uri.file(file), diagnostics.map(toDiagnostic));
    indexed = next;
  };

  let lastQueues: readonly (QueueSnapshot | undefined)[] = [];
  const subscription = sources.onDidChange(() => {
    const queues = sources.queues();
    if (queues.length === lastQueues.length && queues.every((queue, i) => queue === lastQueues[i])) return;
    lastQueues = queues;
    showIndexed(queues);
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
        const agentIds = sources.forFile(document.uri.fsPath)?.runs.agentIds() ?? [];
        return completionsAt(document.getText(), { line: position.line, character: position.character }, agentIds).map(completion => {
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
