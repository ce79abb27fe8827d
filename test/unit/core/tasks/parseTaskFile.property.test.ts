import assert from 'node:assert/strict';
import fc from 'fast-check';
import { frontmatterKeys } from '../../../../src/core/tasks/frontmatterFields';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import type { TaskParseResult, TextPosition } from '../../../../src/core/tasks/task';
import { headingStyleExample, plainExample, productExample, seedExample } from './taskFixtures';

/** Lines as VS Code counts them. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map(line => line.length);
}

function inBounds(position: TextPosition, lengths: readonly number[]): boolean {
  const length = lengths[position.line];
  return Number.isInteger(position.line) && Number.isInteger(position.character) && position.character >= 0 && length !== undefined && position.character <= length;
}

function before(a: TextPosition, b: TextPosition): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The parser's contract: no throw, a task exactly when there is no error, every range inside the text. */
function checkContract(text: string, fileName: string): void {
  let result: TaskParseResult;
  try {
    result = parseTaskFile(text, fileName);
  } catch (error) {
    assert.fail(`parseTaskFile threw on ${JSON.stringify(text)}: ${String(error)}`);
  }
  const errors = result.diagnostics.filter(diagnostic => diagnostic.severity === 'error');
  assert.equal(result.task === undefined, errors.length > 0, `task XOR error for ${JSON.stringify(text)}: ${JSON.stringify(result.diagnostics)}`);
  const lengths = lineLengths(text);
  for (const { range, message, code } of result.diagnostics) {
    assert.ok(inBounds(range.start, lengths) && inBounds(range.end, lengths) && before(range.start, range.end), `range of ${code} (${message}) out of bounds: ${JSON.stringify(range)} in ${JSON.stringify(text)}`);
    assert.ok(message.length > 0 && code.length > 0);
  }
  if (result.task !== undefined) {
    assert.match(result.task.id, /^[a-z0-9][a-z0-9._-]*$/i);
    assert.notEqual(result.task.title.trim(), '');
    assert.notEqual(result.task.prompt.trim(), '');
  }
}

/** Characters that matter to the parser, plus lone surrogates and any code point. */
const nastyUnit = fc.oneof(
  fc.constantFrom('\n', '\r', '\r\n', '-', '---', '#', '# ', '*', '**', ':', ' ', '\t', '`', '```', '[', ']', '{', '}', '&', '!', '|', '>', '"', "'", '\0', '\uFEFF', '\u2028', '~', '.', '...'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map(code => String.fromCharCode(code)),
);

const fileNames = fc.oneof(
  fc.constantFrom('task.task.md', 'gap-x.md', 'review-2026.md', 'Not A Slug.md', '', '.md', 'a/b\\c.task.md'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const yamlValue = fc.oneof(
  fc.constantFrom('feature', 'bug', 'feture', 'urgent', 'p0', '30m', '1h30m', '99999999999999999999h', '[a, b]', '[a, [b]]', '{a: b}', '"x', "'y'",
    '&a x', '*a', '*missing', '!!binary abc', '|', '>-', '~', 'null', '', '- a', '2026-11-21T10:00:00Z', '/etc', '../x', 'a: b', '#c'),
  fc.string({ unit: nastyUnit, maxLength: 12 }),
);

const yamlLine = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom(...frontmatterKeys, 'Type', 'DEPENDS-ON', 'dependencies', 'foo', '? [a]', '- x', ''), fc.string({ maxLength: 8 })), yamlValue, fc.constantFrom('', ' ', '  ', '\t'))
    .map(([key, value, indent]) => `${indent}${key}: ${value}`),
  fc.string({ unit: nastyUnit, maxLength: 20 }),
);

const bodyText = fc.oneof(
  fc.constantFrom('', '# T\nDo it', '**Prompt:**\n', '# T\n**Prompt:**\n**Target Files:**\n- ../x\n', 'Title\n===\n', '```\n# x\n'),
  fc.string({ unit: nastyUnit, maxLength: 80 }),
);

const withFrontmatter = fc.tuple(fc.array(yamlLine, { maxLength: 12 }), bodyText, fc.constantFrom('---', '...', '', '--- '), fc.constantFrom('\n', '\r\n'))
  .map(([lines, body, close, eol]) => `---${eol}${lines.join(eol)}${eol}${close}${close === '' ? '' : eol}${body}`);

type Mutation =
  | { readonly kind: 'delete' | 'duplicate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

function mutate(text: string, mutations: readonly Mutation[]): string {
  let lines = text.split('\n');
  for (const mutation of mutations) {
    const at = mutation.at % Math.max(1, lines.length);
    switch (mutation.kind) {
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'duplicate':
        lines.splice(at, 0, lines[at] ?? '');
        break;
      case 'swap': {
        const other = mutation.with % Math.max(1, lines.length);
        const a = lines[at] ?? '';
        lines[at] = lines[other] ?? '';
        lines[other] = a;
        break;
      }
      case 'insert': {
        const joined = lines.join('\n');
        const offset = mutation.at % (joined.length + 1);
        lines = `${joined.slice(0, offset)}${mutation.text}${joined.slice(offset)}`.split('\n');
        break;
      }
    }
  }
  return lines.join('\n');
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: nastyUnit, minLength: 1, maxLength: 6 }) }),
);

const mutatedFile = fc.tuple(fc.constantFrom(productExample, seedExample, plainExample, headingStyleExample), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([file, mutations]) => mutate(file, mutations));

describe('parseTaskFile (property-based)', function () {
  this.timeout(60_000);
  // 3,000 + 3,000 + 4,000 = 10,000 generated files.
  it('keeps its contract on arbitrary Unicode text (3,000 cases)', () => {
    fc.assert(fc.property(fc.string({ unit: nastyUnit, maxLength: 300 }), fileNames, checkContract), { numRuns: 3000 });
  });

  it('keeps its contract on arbitrary text inside --- frontmatter (3,000 cases)', () => {
    fc.assert(fc.property(withFrontmatter, fileNames, checkContract), { numRuns: 3000 });
  });

  it('keeps its contract on valid files with lines deleted, duplicated, swapped and characters inserted (4,000 cases)', () => {
    fc.assert(fc.property(mutatedFile, fc.constantFrom('task.task.md', 'gap-x.md'), checkContract), { numRuns: 4000 });
  });

  it('the checker itself rejects an out-of-bounds range (so the properties above can fail)', () => {
    assert.equal(inBounds({ line: 1, character: 0 }, lineLengths('one line')), false);
    assert.equal(inBounds({ line: 0, character: 9 }, lineLengths('one line')), false);
    assert.equal(inBounds({ line: 1, character: 0 }, lineLengths('a\r\nb')), true);
    assert.equal(before({ line: 1, character: 0 }, { line: 0, character: 5 }), false);
  });
});
