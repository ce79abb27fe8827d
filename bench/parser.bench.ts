import { parseTaskFile } from '../src/core/tasks/parseTaskFile';
import { taskPriorities, taskTypes } from '../src/core/tasks/taskTypes';
import { medianMs, type Measurement } from './measure';

interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same files. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = 'the form login session cookie agent queue task test flaky parser module refactor update docs error retry cache index page route api'.split(' ');

function sentence(next: () => number, count: number): string {
  return Array.from({ length: count }, () => words[Math.floor(next() * words.length)] ?? 'x').join(' ');
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** Small: the PRODUCT example's shape. Medium: many targets, criteria and a long prompt with a code block. */
function taskFile(next: () => number, index: number, size: 'small' | 'medium'): string {
  const lines = size === 'small' ? 3 : 40;
  const frontmatter = [
    `id: task-${index}`,
    `type: ${pick(next, taskTypes)}`,
    `priority: ${pick(next, taskPriorities)}`,
    'agent: auto',
    'created: 2026-11-21T10:00:00Z',
    index > 0 ? `depends_on: [task-${index - 1}]` : 'depends_on: []',
    ...(size === 'medium' ? ['cwd: packages/web', 'timeout: 1h30m'] : []),
  ];
  const targets = Array.from({ length: size === 'small' ? 1 : 12 }, (_, i) => `- src/${pick(next, words)}/${pick(next, words)}${i}.ts`);
  const criteria = Array.from({ length: size === 'small' ? 2 : 10 }, () => `- [ ] ${sentence(next, 8)}`);
  const prompt = Array.from({ length: lines }, () => sentence(next, 12));
  if (size === 'medium') prompt.splice(10, 0, '```ts', 'const x = await load();', '**Context:** not a section', '```');
  return [
    '---', ...frontmatter, '---', `# ${sentence(next, 6)}`, '',
    '**Target Files:**', ...targets, '',
    '**Prompt:**', ...prompt, '',
    '**Success Criteria:**', ...criteria, '',
    '**Context:**', sentence(next, 30), '',
  ].join('\n');
}

function plainFile(next: () => number): string {
  return [`# ${sentence(next, 6)}`, '', ...Array.from({ length: 8 }, () => sentence(next, 14)), ''].join('\n');
}

/** 1,000 files: 60% small, 25% medium, 15% plain Markdown. */
export function generateTaskFiles(count = 1000): GeneratedFile[] {
  const next = random(42);
  return Array.from({ length: count }, (_, index) => {
    const roll = next();
    if (roll < 0.15) return { name: `${pick(next, ['gap-', 'review-', ''])}plain-${index}.md`, text: plainFile(next) };
    return { name: `task-${index}.task.md`, text: taskFile(next, index, roll < 0.75 ? 'small' : 'medium') };
  });
}

/** Parser throughput over a realistic mix of task files. */
export async function parserBench(): Promise<Measurement[]> {
  const files = generateTaskFiles();
  const bytes = files.reduce((total, file) => total + Buffer.byteLength(file.text), 0);
  let invalid = 0;
  for (const file of files) if (parseTaskFile(file.text, file.name).task === undefined) invalid++;
  if (invalid > 0) throw new Error(`parser bench: ${invalid} generated files did not parse`);
  const ms = await medianMs(() => {
    for (const file of files) parseTaskFile(file.text, file.name);
  }, { warmup: 3, budgetMs: 2000, minRuns: 5 });
  return [
    { name: `parseTaskFile (${files.length} files: small, medium, plain)`, value: files.length / ms * 1000, unit: 'files/s' },
    { name: 'parseTaskFile throughput', value: bytes / 1024 / 1024 / ms * 1000, unit: 'MiB/s' },
    { name: 'parse 10,000 queued task files (estimate)', value: ms * 10, unit: 'ms', goal: '< 1,000 ms' },
  ];
}
