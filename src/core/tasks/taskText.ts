/** Task files are UTF-8 text; anything else is refused with one of these. */
export interface TaskTextProblem { readonly code: 'binary-file'; readonly message: string }

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a task file's bytes, refusing binary content (NUL bytes) and invalid UTF-8. */
export function decodeTaskText(bytes: Uint8Array): { readonly text: string } | { readonly problem: TaskTextProblem } {
  if (bytes.includes(0)) return { problem: { code: 'binary-file', message: 'This is a binary file (it contains NUL bytes), not a task file.' } };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { problem: { code: 'binary-file', message: 'This file is not valid UTF-8 text; save it as UTF-8.' } };
  }
}
