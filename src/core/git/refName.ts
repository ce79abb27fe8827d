/**
 * Why git refuses `name` as a branch name (`refs/heads/<name>`), by the rules of `git check-ref-format
 * --branch`; undefined when git accepts it. The reasons are short phrases: "contains a space".
 */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name === '@') return 'is "@"';
  if (name.startsWith('-')) return 'starts with "-"';
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
    if (char === ' ') return 'contains a space';
    if ('~^:?*[\\'.includes(char)) return `contains "${char}"`;
  }
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  if (name.startsWith('/') || name.endsWith('/')) return 'starts or ends with "/"';
  if (name.includes('//')) return 'contains "//"';
  if (name.endsWith('.')) return 'ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `has a part that starts with "." ("${part}")`;
    if (part.endsWith('.lock')) return `has a part that ends with ".lock" ("${part}")`;
  }
  return undefined;
}
