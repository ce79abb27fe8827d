import type { DiagnosticSeverity, TaskDiagnostic, TextRange } from './task';

/** The start of a file, where problems with the file as a whole are shown. */
export const fileStartRange: TextRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function taskDiagnostic(severity: DiagnosticSeverity, code: string, message: string, range: TextRange): TaskDiagnostic {
  return { severity, code, message, range };
}

export function hasError(diagnostics: readonly TaskDiagnostic[]): boolean {
  return diagnostics.some(diagnostic => diagnostic.severity === 'error');
}

/** `"text"`, shortened for a message when a user pasted something long. */
export function quoted(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(shown);
}
