import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * SchemaStore's github-workflow.json — the published JSON schema for GitHub Actions workflows — as the npm
 * package @action-validator/core ships it: compiled into its WebAssembly module as the schema's text (the
 * Rust validator embeds the file verbatim), from which it is cut out here for ajv. The package's own
 * `validateWorkflow` checks against the same schema (plus its glob checks); the tests use both.
 */
export function githubWorkflowSchema(): Record<string, unknown> {
  const packageDirectory = dirname(require.resolve('@action-validator/core/package.json'));
  const wasm = readFileSync(join(packageDirectory, 'action_validator_bg.wasm')).toString('latin1');
  const id = wasm.indexOf('"$id": "https://json.schemastore.org/github-workflow.json"');
  if (id === -1) throw new Error('@action-validator/core no longer carries github-workflow.json');
  const start = wasm.lastIndexOf('\n{\n', id) + 1;
  const end = endOfJsonObject(wasm, start);
  const text = Buffer.from(wasm.slice(start, end), 'latin1').toString('utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

/** The index after the `}` that closes the object opening at `start` (strings and escapes respected). */
function endOfJsonObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  throw new Error('github-workflow.json: its end was not found');
}
