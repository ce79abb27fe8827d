/**
 * Protected-path globs of the merge policy (`ato.merge.protectedPaths`, default `.github/workflows/**`). The
 * syntax is the familiar one: `*` and `?` within a path segment, `**` across segments, `[abc]`/`[!abc]`
 * classes, `{a,b}` alternatives, `\` escapes. A pattern without a `/` matches a file name at any depth
 * (as in `.gitignore` and CODEOWNERS); a pattern ending in `/` means everything under that folder; a leading
 * `/` or `./` anchors at the root, which is where patterns are anchored anyway. Matching ignores case, so a
 * protection never fails open on a case-insensitive checkout. Negation (`!pattern`) is not supported.
 */

/** One changed file that a protected-path pattern matches. */
export interface ProtectedPathHit {
  readonly file: string;
  readonly pattern: string;
}

/** The changed files that touch a protected path, each with the first pattern that matches it. */
export function protectedPathHits(files: readonly string[], patterns: readonly string[]): ProtectedPathHit[] {
  const compiled = patterns.filter(pattern => pattern.trim() !== '').map(pattern => ({ pattern, regex: globToRegExp(pattern) }));
  const hits: ProtectedPathHit[] = [];
  for (const file of files) {
    const path = normalizePath(file);
    const match = compiled.find(({ regex }) => regex.test(path));
    if (match !== undefined) hits.push({ file, pattern: match.pattern });
  }
  return hits;
}

/** Whether one repository-relative path matches one glob. */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(normalizePath(path));
}

/** Compiles a glob to an anchored, case-insensitive regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.trim().replace(/^(?:\.\/)+/, '');
  const anchored = pattern.startsWith('/');
  pattern = pattern.replace(/^\/+/, '');
  if (pattern.endsWith('/')) pattern += '**';
  if (!anchored && !pattern.includes('/')) pattern = `**/${pattern}`;
  return new RegExp(`^${compile(pattern)}$`, 'i');
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
}

/** Regex source for a glob (or one `{…}` alternative of it). */
function compile(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const char = glob.charAt(i);
    if (char === '*') {
      let end = i;
      while (glob.charAt(end) === '*') end++;
      const segmentStart = i === 0 || glob.charAt(i - 1) === '/';
      const segmentEnd = end === glob.length || glob.charAt(end) === '/';
      if (end - i >= 2 && segmentStart && segmentEnd) {
        // `**/` is zero or more whole segments; a trailing `**` is everything below.
        if (end === glob.length) {
          out += '.*';
          i = end;
        } else {
          out += '(?:[^/]*/)*';
          i = end + 1;
        }
      } else {
        out += '[^/]*';
        i = end;
      }
    } else if (char === '?') {
      out += '[^/]';
      i++;
    } else if (char === '[') {
      const close = classEnd(glob, i);
      if (close === -1) {
        out += '\\[';
        i++;
      } else {
        out += characterClass(glob.slice(i + 1, close));
        i = close + 1;
      }
    } else if (char === '{') {
      const close = braceEnd(glob, i);
      if (close === -1) {
        out += '\\{';
        i++;
      } else {
        out += `(?:${splitAlternatives(glob.slice(i + 1, close)).map(compile).join('|')})`;
        i = close + 1;
      }
    } else if (char === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob.charAt(i + 1));
      i += 2;
    } else {
      out += escapeRegExp(char);
      i++;
    }
  }
  return out;
}

function classEnd(glob: string, open: number): number {
  // A `]` right after `[` or `[!` is part of the class.
  let i = open + 1;
  if (glob.charAt(i) === '!' || glob.charAt(i) === '^') i++;
  if (glob.charAt(i) === ']') i++;
  for (; i < glob.length; i++) {
    if (glob.charAt(i) === '/') return -1;
    if (glob.charAt(i) === ']') return i;
  }
  return -1;
}

function characterClass(inner: string): string {
  const negated = inner.startsWith('!') || inner.startsWith('^');
  const body = (negated ? inner.slice(1) : inner).replace(/[\\\]^]/g, match => `\\${match}`);
  // A class never matches the separator: `classEnd` refuses a `/` inside, and a negated one excludes it.
  return negated ? `[^/${body}]` : `[${body}]`;
}

function braceEnd(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitAlternatives(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const char = inner.charAt(i);
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
