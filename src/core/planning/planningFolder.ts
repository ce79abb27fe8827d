import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PlanningFolderState, QueueCounts } from '../state/atoState';
import { listQueueFolder } from '../queue/queueFiles';
import { checkPlace } from '../util/pathContainment';
import { planningLayout, planningPartPath, queueFolders, type PlanningPart } from './planningLayout';
import { capabilitiesTemplate, goalTemplate, reviewsReadme } from './planningTemplates';

/**
 * Looks at `planningRoot` and reports what is there. A missing or partial folder is a state, not an
 * error; only an unexpected I/O failure becomes `error`, with its message.
 */
export async function inspectPlanningFolder(planningRoot: string): Promise<PlanningFolderState> {
  try {
    const root = await statOrUndefined(planningRoot);
    if (root === undefined) return { kind: 'missing', path: planningRoot };
    // A file in the folder's place is not "missing": initializing would fail, so say what is wrong.
    if (!root.isDirectory()) return { kind: 'error', path: planningRoot, message: `${planningRoot} is a file, not a folder` };
    const missing: string[] = [];
    for (const part of Object.keys(planningLayout) as PlanningPart[]) {
      const path = planningPartPath(planningRoot, part);
      const present = part === 'goal' || part === 'capabilities' ? await isFile(path) : await isDirectory(path);
      if (!present) missing.push(planningLayout[part]);
    }
    if (missing.length > 0) return { kind: 'partial', path: planningRoot, missing };
    return { kind: 'ready', path: planningRoot, queue: await countQueue(planningRoot) };
  } catch (error) {
    return { kind: 'error', path: planningRoot, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Task files per queue folder, sub-folders included, as the queue index lists them; none in a folder that leads out. */
async function countQueue(planningRoot: string): Promise<QueueCounts> {
  const [pending, processed, complete] = await Promise.all(
    queueFolders.map(async folder => {
      const path = planningPartPath(planningRoot, folder);
      if ((await checkPlace(planningRoot, path)).kind !== 'inside') return 0;
      return (await listQueueFolder(path)).files.length;
    }),
  );
  return { pending: pending ?? 0, processed: processed ?? 0, complete: complete ?? 0 };
}

export interface InitializeResult {
  /** Paths created, relative to the planning folder. Empty when everything was already there. */
  readonly created: readonly string[];
}

/**
 * Creates whatever the planning folder lacks. Idempotent: existing files are never overwritten (they
 * are opened with `wx`), so running it twice, or on a partial folder, only fills the gaps.
 */
export async function initializePlanningFolder(planningRoot: string): Promise<InitializeResult> {
  const created: string[] = [];
  const files: readonly (readonly [string, string])[] = [
    [planningLayout.goal, goalTemplate],
    [planningLayout.capabilities, capabilitiesTemplate],
    [join(planningLayout.reviews, 'README.md'), reviewsReadme],
    ...queueFolders.map(folder => [join(planningLayout[folder], '.gitkeep'), ''] as const),
  ];
  for (const [relative, content] of files) {
    const path = join(planningRoot, relative);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, content, { encoding: 'utf8', flag: 'wx' });
      created.push(relative);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  return { created };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await statOrUndefined(path))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await statOrUndefined(path))?.isFile() ?? false;
}

async function statOrUndefined(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return undefined;
    throw error;
  }
}
