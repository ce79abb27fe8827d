import { isAlias, isMap, isNode, isScalar, parseDocument, type Node } from 'yaml';
import { frontmatterKeys, type FrontmatterKey } from './frontmatterFields';
import type { LineIndex } from './lineIndex';
import type { TaskDiagnostic, TextRange } from './task';
import { quoted, taskDiagnostic } from './taskDiagnostics';
import { matchKey } from './valueAliases';

/** One known key of the frontmatter, with its value node and where both are in the file. */
export interface FrontmatterEntry {
  readonly key: FrontmatterKey;
  readonly keyRange: TextRange;
  /** The value's range; an empty range right after the key when the value is missing. */
  readonly valueRange: TextRange;
  /** The value, with a YAML alias (`*anchor`) resolved; undefined when missing. */
  readonly value: Node | undefined;
  /** Where a node inside the value (a list item) is in the file. */
  readonly rangeOf: (node: unknown) => TextRange | undefined;
  /** A node inside the value with a YAML alias resolved. */
  readonly resolve: (node: unknown) => unknown;
}

/** The user sees the first problems of a badly broken frontmatter, not thousands. */
const maxYamlProblems = 20;

function nodeOffsets(node: unknown): readonly [number, number] | undefined {
  if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
  return [node.range[0], node.range[1]];
}

/**
 * Parses the YAML between the fences (offsets `start`..`end` of the whole text). Reports YAML errors
 * and warnings, a frontmatter that is not a mapping, keys that are not text, duplicate keys (case and
 * `-`/`_` aside), aliases of keys (with a hint) and unknown keys (with a warning naming the nearest).
 */
export function readFrontmatterEntries(lines: LineIndex, start: number, end: number, diagnostics: TaskDiagnostic[]): FrontmatterEntry[] {
  const source = lines.text.slice(start, end);
  // failsafe: every scalar stays text, so `id: 007` keeps its zeros and `created:` is not a Date.
  const document = parseDocument(source, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false, strict: false });
  // Problems "at the end" (a missing closing quote) belong on the last YAML line, not on the closing fence.
  const last = source.replace(/(?:\r\n|\r|\n)$/, '').length;
  const rangeOf = (offsets: readonly [number, number]): TextRange => lines.rangeOf(start + Math.min(offsets[0], last), start + Math.min(offsets[1], last));
  const rangeOfNode = (node: unknown): TextRange | undefined => {
    const offsets = nodeOffsets(node);
    return offsets === undefined ? undefined : rangeOf(offsets);
  };
  for (const problem of document.errors.slice(0, maxYamlProblems)) {
    diagnostics.push(taskDiagnostic('error', 'yaml-syntax', `YAML: ${problem.message}`, rangeOf(problem.pos)));
  }
  for (const problem of document.warnings.slice(0, maxYamlProblems)) {
    diagnostics.push(taskDiagnostic('warning', 'yaml-warning', `YAML: ${problem.message}`, rangeOf(problem.pos)));
  }
  const contents = document.contents;
  if (contents === null) return [];
  if (!isMap(contents)) {
    diagnostics.push(taskDiagnostic('error', 'frontmatter-not-mapping', 'The frontmatter must be a mapping of `key: value` lines (e.g. `type: feature`).', rangeOf(nodeOffsets(contents) ?? [0, 0])));
    return [];
  }
  const entries: FrontmatterEntry[] = [];
  const seen = new Map<FrontmatterKey, string>();
  for (const pair of contents.items) {
    const keyNode = pair.key;
    const keyOffsets = nodeOffsets(keyNode) ?? nodeOffsets(pair.value) ?? [0, 0];
    const keyRange = rangeOf(keyOffsets);
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
      diagnostics.push(taskDiagnostic('error', 'invalid-key', 'A frontmatter key must be plain text, such as `type`.', keyRange));
      continue;
    }
    const raw = keyNode.value;
    const match = matchKey(raw);
    if (match.kind === 'unknown') {
      const suggestion = match.distance <= Math.max(2, Math.floor(raw.length / 3)) ? ` — did you mean "${match.nearest}"?` : '.';
      diagnostics.push(taskDiagnostic('warning', 'unknown-key', `Unknown frontmatter key ${quoted(raw)}, ignored${suggestion} Known keys: ${frontmatterKeys.join(', ')}.`, keyRange));
      continue;
    }
    const previous = seen.get(match.value);
    if (previous !== undefined) {
      diagnostics.push(taskDiagnostic('error', 'duplicate-key', `Duplicate key ${quoted(raw)}: "${match.value}" is already set (as ${quoted(previous)}).`, keyRange));
      continue;
    }
    seen.set(match.value, raw);
    if (match.kind === 'alias') {
      diagnostics.push(taskDiagnostic('hint', 'key-alias', `${quoted(raw)} is read as "${match.value}"; write "${match.value}:".`, keyRange));
    }
    const valueOffsets = nodeOffsets(pair.value);
    const valueRange = rangeOf(valueOffsets ?? [keyOffsets[1], keyOffsets[1]]);
    const value = isAlias(pair.value) ? pair.value.resolve(document) : isNode(pair.value) ? pair.value : undefined;
    entries.push({ key: match.value, keyRange, valueRange, value, rangeOf: rangeOfNode, resolve: node => (isAlias(node) ? node.resolve(document) : node) });
  }
  return entries;
}
