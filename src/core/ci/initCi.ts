import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import { defaultBranch } from '../loop/github/createGitHubLoop';
import { runGit } from '../git/git';
import { writeFileAtomic } from '../util/atomicWrite';
import { ciCliCopyVersion, ciCliFiles, type CiFile } from './ciCliCopy';
import { buildCiWorkflow, ciCliDirectory, ciWorkflowPath } from './ciWorkflow';

/**
 * `ato init-ci` and `ATO: Set Up CI`: writes the loop's workflow and the CLI copy it runs. Idempotent: a file
 * that already says the same is left alone, and one that says something else is replaced only with `force`;
 * without it nothing at all is written (the workflow and its CLI stay a pair) and each difference is named.
 */

export interface InitCiOptions {
  readonly workspaceRoot: string;
  /** The folder of the running CLI bundle (`dist/`: `cli.js` and `vendor/`). */
  readonly cliBundleDirectory: string;
  readonly atoVersion: string;
  readonly force: boolean;
}

export type CiFileOutcome =
  | { readonly path: string; readonly outcome: 'created' | 'unchanged' | 'replaced' }
  /** Not written: it exists with other content, and `force` was not given. */
  | { readonly path: string; readonly outcome: 'differs'; readonly detail: string };

export interface InitCiResult {
  /** False when a file differs and `force` was not given: nothing was written. */
  readonly written: boolean;
  readonly files: readonly CiFileOutcome[];
  readonly defaultBranch: string;
  readonly ciWorkflows: readonly string[];
}

export async function initCi(options: InitCiOptions): Promise<InitCiResult> {
  const branch = await repositoryDefaultBranch(options.workspaceRoot);
  const ciWorkflows = await otherWorkflowNames(options.workspaceRoot);
  const workflow = buildCiWorkflow({ defaultBranch: branch, ciWorkflows, atoVersion: options.atoVersion });
  const wanted: CiFile[] = [{ path: ciWorkflowPath, content: Buffer.from(workflow, 'utf8') }, ...await ciCliFiles(options.cliBundleDirectory, options.atoVersion)];
  const existing = new Map<string, Buffer | undefined>();
  for (const file of wanted) existing.set(file.path, await readFile(join(options.workspaceRoot, file.path)).catch(() => undefined));
  const oldVersion = ciCliCopyVersion(existing.get(`${ciCliDirectory}/package.json`) ?? Buffer.alloc(0));
  const files: CiFileOutcome[] = wanted.map(file => {
    const before = existing.get(file.path);
    if (before === undefined) return { path: file.path, outcome: 'created' };
    if (before.equals(file.content)) return { path: file.path, outcome: 'unchanged' };
    if (options.force) return { path: file.path, outcome: 'replaced' };
    return { path: file.path, outcome: 'differs', detail: describeDifference(file, before, oldVersion, options.atoVersion) };
  });
  const written = !files.some(file => file.outcome === 'differs');
  if (written) {
    for (const file of wanted) {
      if (files.find(f => f.path === file.path)?.outcome === 'unchanged') continue;
      const target = join(options.workspaceRoot, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(target, file.content);
    }
  }
  return { written, files, defaultBranch: branch, ciWorkflows };
}

/** The remote's default branch (origin/HEAD, else asked of origin); without a remote, the checked-out branch. */
async function repositoryDefaultBranch(workspaceRoot: string): Promise<string> {
  const remote = await runGit(['remote'], { cwd: workspaceRoot });
  if (remote.stdout.split('\n').includes('origin')) return defaultBranch(workspaceRoot);
  const head = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: workspaceRoot, okExitCodes: [1, 128] });
  return head.exitCode === 0 && head.stdout.trim() !== '' ? head.stdout.trim() : 'main';
}

const workflowHeadSchema = z.object({ name: z.optional(z.unknown()) });

/**
 * The names `workflow_run` knows the repository's other workflows by: each file's `name:`, or its path when
 * it has none (what GitHub shows). The files are the repository's, so a name that could be an expression or
 * carries control characters is skipped, and an unreadable file is skipped rather than fatal.
 */
async function otherWorkflowNames(workspaceRoot: string): Promise<string[]> {
  const folder = join(workspaceRoot, '.github', 'workflows');
  const entries = await readdir(folder).catch(() => []);
  const names: string[] = [];
  for (const entry of entries.sort()) {
    const path = `.github/workflows/${entry}`;
    if (!/\.ya?ml$/.test(entry) || path === ciWorkflowPath) continue;
    const file = join(folder, entry);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size > 1024 * 1024) continue;
    let name: unknown;
    try {
      name = workflowHeadSchema.safeParse(parseYaml(await readFile(file, 'utf8'))).data?.name;
    } catch {
      continue;
    }
    const shown = typeof name === 'string' && name.trim() !== '' ? name : path;
    if (!shown.includes('${{') && !/\p{Cc}/u.test(shown)) names.push(shown);
  }
  return names;
}

function describeDifference(file: CiFile, before: Buffer, oldVersion: string | undefined, atoVersion: string): string {
  if (file.path !== ciWorkflowPath) {
    return oldVersion === undefined || oldVersion === atoVersion
      ? `${file.path} is not the one ATO ${atoVersion} writes`
      : `${file.path} is from ATO ${oldVersion}; this is ATO ${atoVersion}`;
  }
  const wanted = file.content.toString('utf8').split('\n');
  const found = before.toString('utf8').split('\n');
  const index = wanted.findIndex((line, i) => found[i] !== line);
  const at = index === -1 ? wanted.length : index;
  const show = (line: string | undefined): string => (line === undefined ? '(end of file)' : JSON.stringify(line.trim()));
  return `${file.path} differs from line ${String(at + 1)}: it has ${show(found[at])}, ATO would write ${show(wanted[at])}`;
}
