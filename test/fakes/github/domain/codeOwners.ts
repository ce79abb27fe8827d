import type { RepoRuntime } from '../runtime';

/** Where GitHub looks for CODEOWNERS on a branch, first found wins. */
const locations = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

interface OwnerRule {
  readonly pattern: RegExp;
  /** User logins (`@alice` → `alice`); teams and e-mail addresses are not modelled and are dropped. */
  readonly owners: readonly string[];
}

/**
 * The owners of each path by the CODEOWNERS file of `branch` (GitHub reads it from the pull request's base):
 * the last matching line wins; a line without owners unassigns. Patterns follow gitignore: `*` within a
 * segment, `**` across, a leading `/` or an inner `/` anchors at the root, a trailing `/` means a folder.
 */
export async function codeOwnersOf(repo: RepoRuntime, branch: string, paths: readonly string[]): Promise<Map<string, readonly string[]>> {
  const rules = parseCodeOwners(await codeOwnersText(repo, branch));
  const owners = new Map<string, readonly string[]>();
  for (const path of paths) {
    const rule = rules.findLast(candidate => candidate.pattern.test(path));
    if (rule !== undefined && rule.owners.length > 0) owners.set(path, rule.owners);
  }
  return owners;
}

async function codeOwnersText(repo: RepoRuntime, branch: string): Promise<string> {
  const sha = await repo.branchSha(branch);
  if (sha === undefined) return '';
  for (const location of locations) {
    const entry = await repo.git.entryAt(sha, location);
    if (entry?.type === 'blob') return (await repo.git.readBlob(entry.sha)).toString('utf8');
  }
  return '';
}

export function parseCodeOwners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [pattern = '', ...owners] = line.split(/\s+/);
    rules.push({ pattern: patternRegExp(pattern), owners: owners.filter(owner => /^@[A-Za-z0-9-]+$/.test(owner)).map(owner => owner.slice(1)) });
  }
  return rules;
}

function patternRegExp(pattern: string): RegExp {
  const folder = pattern.endsWith('/');
  const body = pattern.replace(/^\/|\/$/g, '');
  const anchored = pattern.startsWith('/') || body.includes('/');
  const source = body.split('/').map(segment => (segment === '**' ? '.*' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/');
  // A name matches the file itself or everything under a folder of that name.
  return new RegExp(`${anchored ? '^' : '(^|/)'}${source}${folder ? '/' : '(/|$)'}`);
}
