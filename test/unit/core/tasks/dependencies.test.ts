import assert from 'node:assert/strict';
import { dependencyCycleDiagnostics, unknownDependencyDiagnostics } from '../../../../src/core/tasks/dependencyDiagnostics';
import { cyclePath, findDependencyCycles } from '../../../../src/core/tasks/dependencyCycles';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';

function graphOf(edges: Record<string, readonly string[]>): Map<string, readonly string[]> {
  return new Map(Object.entries(edges));
}

/** A task file for `id` whose depends_on is a block list (items from line 3) or a flow list (line 2). */
function taskFile(id: string, dependsOn: readonly string[], style: 'block' | 'flow' = 'block'): string {
  const list = style === 'block' ? `depends_on:\n${dependsOn.map(dep => `  - ${dep}`).join('\n')}` : `depends_on: [${dependsOn.join(', ')}]`;
  return `---\nid: ${id}\n${list}\n---\n# ${id}\n\nDo ${id}.\n`;
}

describe('findDependencyCycles', () => {
  it('finds none in an acyclic graph, including diamonds and edges to unknown tasks', () => {
    assert.deepEqual(findDependencyCycles(graphOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: ['gone'] })), []);
    assert.deepEqual(findDependencyCycles(new Map()), []);
  });

  it('finds a task that depends on itself', () => {
    assert.deepEqual(findDependencyCycles(graphOf({ a: ['a'], b: [] })), [['a']]);
  });

  it('finds a two-task cycle and a longer one, leaving tasks that merely lead into them out', () => {
    const graph = graphOf({ entry: ['x'], x: ['y'], y: ['z'], z: ['x'], p: ['q'], q: ['p'] });
    assert.deepEqual(findDependencyCycles(graph), [['p', 'q'], ['x', 'y', 'z']]);
  });

  it('merges interlocking cycles into one component', () => {
    assert.deepEqual(findDependencyCycles(graphOf({ a: ['b'], b: ['a', 'c'], c: ['b'] })), [['a', 'b', 'c']]);
  });

  it('gives the same answer whatever the insertion order (deterministic)', () => {
    const edges: [string, string[]][] = [['m', ['n']], ['n', ['o', 'm']], ['o', ['m']], ['k', ['k']], ['b', ['a']], ['a', ['b']]];
    const expected = findDependencyCycles(new Map(edges));
    assert.deepEqual(expected, [['a', 'b'], ['k'], ['m', 'n', 'o']]);
    assert.deepEqual(findDependencyCycles(new Map([...edges].reverse().map(([id, deps]) => [id, [...deps].reverse()]))), expected);
  });

  it('handles a chain of 50,000 tasks ending in a cycle without overflowing the stack', () => {
    const graph = new Map<string, string[]>();
    for (let i = 0; i < 50_000; i++) graph.set(`t${i}`, [`t${i + 1}`]);
    graph.set('t50000', ['t49999']);
    assert.deepEqual(findDependencyCycles(graph), [['t49999', 't50000']]);
  });

  it('cyclePath gives the shortest loop from a task back to itself', () => {
    const graph = graphOf({ a: ['b', 'c'], b: ['c'], c: ['a'] });
    assert.deepEqual(cyclePath(graph, ['a', 'b', 'c'], 'a'), ['a', 'c', 'a']);
    assert.deepEqual(cyclePath(graph, ['a', 'b', 'c'], 'b'), ['b', 'c', 'a', 'b']);
    assert.deepEqual(cyclePath(graphOf({ a: ['a'] }), ['a'], 'a'), ['a', 'a']);
  });
});

describe('dependencyCycleDiagnostics', () => {
  it('puts an error on every task file in a cycle, at the depends_on item leading into it', () => {
    const texts = new Map([
      ['a', taskFile('a', ['ok', 'b'])],
      ['b', taskFile('b', ['c'], 'flow')],
      ['c', taskFile('c', ['a'])],
      ['ok', taskFile('ok', [])],
    ]);
    const graph = new Map([...texts].map(([id, text]) => [id, parseTaskFile(text, `${id}.task.md`).task?.dependsOn ?? []]));
    const diagnostics = dependencyCycleDiagnostics(findDependencyCycles(graph), graph, texts);
    assert.deepEqual([...diagnostics.keys()].sort(), ['a', 'b', 'c']);
    const summary = (id: string): unknown => diagnostics.get(id)?.map(d => [d.code, d.severity, d.range.start.line, d.range.start.character]);
    assert.deepEqual(summary('a'), [['dependency-cycle', 'error', 4, 4]]);
    assert.deepEqual(summary('b'), [['dependency-cycle', 'error', 2, 13]]);
    assert.deepEqual(summary('c'), [['dependency-cycle', 'error', 3, 4]]);
    assert.match(diagnostics.get('a')?.[0]?.message ?? '', /a → b → c → a/);
    assert.match(diagnostics.get('b')?.[0]?.message ?? '', /b → c → a → b/);
  });

  it('says a task depends on itself, and falls back to 0:0 when a file text is missing', () => {
    const graph = graphOf({ self: ['self'], lost: ['lost'] });
    const diagnostics = dependencyCycleDiagnostics(findDependencyCycles(graph), graph, new Map([['self', taskFile('self', ['self'], 'flow')]]));
    assert.match(diagnostics.get('self')?.[0]?.message ?? '', /"self" depends on itself/);
    assert.equal(diagnostics.get('self')?.[0]?.range.start.line, 2);
    assert.deepEqual(diagnostics.get('lost')?.[0]?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('returns nothing for an acyclic graph', () => {
    const graph = graphOf({ a: ['b'], b: [] });
    assert.equal(dependencyCycleDiagnostics(findDependencyCycles(graph), graph, new Map()).size, 0);
  });
});

describe('unknownDependencyDiagnostics', () => {
  it('warns at each depends_on item that names no known task, suggesting a close id', () => {
    const text = taskFile('mine', ['add-login-form', 'add-logn-form', 'nothing-like-it']);
    const task = parseTaskFile(text, 'mine.task.md').task;
    assert.ok(task !== undefined);
    const diagnostics = unknownDependencyDiagnostics(task, new Set(['mine', 'add-login-form', 'other']), text);
    assert.deepEqual(diagnostics.map(d => [d.code, d.severity, d.range.start.line]), [['unknown-dependency', 'warning', 4], ['unknown-dependency', 'warning', 5]]);
    assert.match(diagnostics[0]?.message ?? '', /"add-logn-form"\. Did you mean "add-login-form"\?/);
    assert.doesNotMatch(diagnostics[1]?.message ?? '', /Did you mean/);
  });

  it('is silent when every dependency is known', () => {
    const text = taskFile('mine', ['a', 'b'], 'flow');
    const task = parseTaskFile(text, 'mine.task.md').task;
    assert.ok(task !== undefined);
    assert.deepEqual(unknownDependencyDiagnostics(task, new Set(['a', 'b']), text), []);
  });

  it('points at the depends_on line for a single-string value', () => {
    const text = '---\ntype: fix\ndepends_on: a, missing\n---\n# T\nx\n';
    const task = parseTaskFile(text, 'x.md').task;
    assert.ok(task !== undefined);
    assert.deepEqual(unknownDependencyDiagnostics(task, new Set(['a']), text).map(d => d.range.start.line), [2]);
  });
});
