import type { DiagnosticSeverity, TaskDiagnostic, TextRange } from './task';
import { clipText } from '../util/clipText';

/** The start of a file, where problems with the file as a whole are shown. */
export const fileStartRange: TextRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The longest diagnostic message: each is shown per file, so none may grow with the size of the queue. */
export const maxDiagnosticMessageLength = 1000;

export function taskDiagnostic(severity: DiagnosticSeverity, code: string, message: string, range: TextRange): TaskDiagnostic {
  return { severity, code, message: clipText(message, maxDiagnosticMessageLength), range };
}

export function hasError(diagnostics: readonly TaskDiagnostic[]): boolean {
  return diagnostics.some(diagnostic => diagnostic.severity === 'error');
}

/** `"text"`, shortened for a message when a user pasted something long. */
export function quoted(text: string, max = 60): string {
  return JSON.stringify(clipText(text, max));
}
