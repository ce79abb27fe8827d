import type { IssueSummary } from '../../../forges/github/githubModel';
import type { GitHubPort } from '../../../forges/github/githubPort';
import { atoLabels, hasLabel, labelsFor, type AtoIssueKind } from '../../texts/atoLabels';
import { appendMarker, readMarkers, type AtoMarker } from '../../texts/markers';
import { isValidQueueEntry, type QueueEntry } from '../../../queue/queueEntry';
import { gapAnalysisIssueTitle } from '../../texts/gapAnalysisTemplate';
import { normalTitle } from './planningLinks';
import { taskIssueTitle } from '../../texts/taskIssueBody';

/**
 * Work ATO would open an issue for, and the title it would give it. A repository may already have that
 * issue, opened by hand or by an earlier tool, with the same title but no ATO label or marker: ATO adopts
 * it (labels and marks it) rather than open a second one.
 */
export type AdoptionTarget =
  | { readonly kind: 'task'; readonly taskId: string; readonly title: string }
  | { readonly kind: 'gapAnalysis'; readonly title: string };

/** The gap analysis, under the title ATO gives its issue. */
export const gapAdoptionTarget: AdoptionTarget = { kind: 'gapAnalysis', title: gapAnalysisIssueTitle };

/** Queued tasks (pending/ and processed/, valid), under the titles ATO gives their issues. */
export function queuedTaskTargets(entries: readonly QueueEntry[]): AdoptionTarget[] {
  return entries.filter(isValidQueueEntry).filter(entry => entry.folder !== 'complete').map(entry => ({ kind: 'task', taskId: entry.result.task.id, title: taskIssueTitle(entry.result.task) }));
}

/** An open issue ATO will adopt (or, in a dry run, would) for a target. */
export interface Adoption {
  readonly target: AdoptionTarget;
  readonly issue: IssueSummary;
}

/** An open issue with a target's title that ATO leaves alone, and why. */
export interface PassedOver {
  readonly target: AdoptionTarget;
  readonly issue: IssueSummary;
  readonly why: string;
}

export interface AdoptionPlan {
  readonly adopt: readonly Adoption[];
  /** Targets that already have their open ATO issue (label and marker): nothing to adopt. */
  readonly linked: readonly Adoption[];
  readonly passedOver: readonly PassedOver[];
}

/**
 * Authors whose issue may become an agent's prompt: people with a say in the repository. Anyone can open
 * an issue on a public repository, so a stranger's issue titled like a queued task is never adopted by
 * itself — a maintainer who labels it `ato` vouches for it (labels need triage access).
 */
const trustedAssociations: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** How a target's issue is marked, and which labels it carries. */
export function adoptionMarker(target: AdoptionTarget): AtoMarker {
  return target.kind === 'task' ? { kind: 'task', taskId: target.taskId } : { kind: 'gapAnalysis' };
}

function labelKind(target: AdoptionTarget): AtoIssueKind {
  return target.kind === 'task' ? 'task' : 'gapAnalysis';
}

function describeTarget(target: AdoptionTarget): string {
  return target.kind === 'task' ? `task ${target.taskId}` : 'the gap analysis';
}

function sameMarker(a: AtoMarker, b: AtoMarker): boolean {
  return a.kind === b.kind && (a.kind !== 'task' || (b.kind === 'task' && a.taskId === b.taskId));
}

/** Whether the issue is already the target's ATO issue: its marker and its kind's label. */
function isLinked(issue: IssueSummary, target: AdoptionTarget): boolean {
  const marker = adoptionMarker(target);
  return readMarkers(issue.body).some(found => sameMarker(found, marker)) && hasLabel(issue.labels, atoLabels[labelKind(target)].name);
}

/**
 * Matches open issues to targets by title (normalised as the planning links compare titles), pure. An issue
 * is adopted only when it carries no ATO marker for other work, and its author has a say in the repository
 * or it already carries an ATO label. A title two targets share adopts nothing (ATO cannot tell which);
 * of several issues for one target the oldest is adopted and the others are left alone.
 */
export function planAdoption(openIssues: readonly IssueSummary[], targets: readonly AdoptionTarget[]): AdoptionPlan {
  const adopt: Adoption[] = [];
  const linked: Adoption[] = [];
  const passedOver: PassedOver[] = [];
  const open = openIssues.filter(issue => issue.state === 'open').sort((a, b) => a.number - b.number);
  const byTitle = new Map<string, AdoptionTarget[]>();
  for (const target of targets) {
    const title = normalTitle(target.title);
    if (title !== '') byTitle.set(title, [...(byTitle.get(title) ?? []), target]);
  }
  for (const target of targets) {
    const existing = open.find(issue => isLinked(issue, target));
    if (existing !== undefined) {
      linked.push({ target, issue: existing });
      continue;
    }
    const title = normalTitle(target.title);
    const sharing = byTitle.get(title) ?? [];
    const candidates = title === '' ? [] : open.filter(issue => normalTitle(issue.title) === title);
    let chosen: IssueSummary | undefined;
    for (const issue of candidates) {
      const why = sharing.length > 1
        ? `${String(sharing.length)} queued items have this title (${sharing.map(describeTarget).join(', ')}), so ATO cannot tell which one it is.`
        : reasonNotToAdopt(issue, target) ?? (chosen === undefined ? undefined : `#${String(chosen.number)}, an older open issue with the same title, is adopted instead.`);
      if (why === undefined) chosen = issue;
      else passedOver.push({ target, issue, why });
    }
    if (chosen !== undefined) adopt.push({ target, issue: chosen });
  }
  return { adopt, linked, passedOver };
}

function reasonNotToAdopt(issue: IssueSummary, target: AdoptionTarget): string | undefined {
  const own = adoptionMarker(target);
  if (readMarkers(issue.body).some(marker => marker.kind !== 'agent' && !sameMarker(marker, own))) return 'It carries ATO\'s marker for other work.';
  const vouched = labelsFor(labelKind(target)).some(label => hasLabel(issue.labels, label));
  const association = issue.authorAssociation ?? 'unknown';
  if (!vouched && !trustedAssociations.has(association)) {
    return `It was opened by @${issue.author} (${association}), who has no say in the repository; label it \`ato\` to have ATO adopt it.`;
  }
  return undefined;
}

/**
 * Adopts an issue: adds ATO's labels for its kind and appends the marker to its body (the rest of the body
 * is kept). Each step looks first, so running it again, or after a crash between the steps, is harmless.
 * Returns the issue as it is now.
 */
export async function adoptIssue(port: Pick<GitHubPort, 'addLabels' | 'updateIssue'>, adoption: Adoption): Promise<IssueSummary> {
  const { issue, target } = adoption;
  const wanted = labelsFor(labelKind(target));
  const missing = wanted.filter(label => !hasLabel(issue.labels, label));
  if (missing.length > 0) await port.addLabels(issue.number, missing);
  const marker = adoptionMarker(target);
  const marked = readMarkers(issue.body).some(found => sameMarker(found, marker));
  const body = marked ? issue.body : appendMarker(issue.body, marker);
  if (!marked) await port.updateIssue(issue.number, { body });
  return { ...issue, body, labels: [...issue.labels, ...missing] };
}

/** What the event log records of an adoption (`loop.adopted`). */
export interface AdoptionRecord {
  readonly issueNumber: number;
  readonly title: string;
  /** `task:<id>` or `gap-analysis`. */
  readonly work: string;
}

export function adoptionRecord(adoption: Adoption): AdoptionRecord {
  const { issue, target } = adoption;
  return { issueNumber: issue.number, title: issue.title, work: target.kind === 'task' ? `task:${target.taskId}` : 'gap-analysis' };
}

/** What `ato adopt` (and ATO: Adopt Existing Issues…) found, and did unless it was a dry run. */
export interface AdoptionReport {
  readonly dryRun: boolean;
  /** Adopted now (a dry run: would be adopted). */
  readonly adopted: readonly AdoptionRecord[];
  /** Work that already has its ATO issue. */
  readonly linked: readonly AdoptionRecord[];
  /** Open issues with a queued item's title that ATO leaves alone, and why. */
  readonly passedOver: readonly (AdoptionRecord & { readonly why: string })[];
}

/** The report in one sentence. */
export function summariseAdoption(report: AdoptionReport): string {
  const count = report.adopted.length;
  if (count === 0) return `No open issue made by hand matches a queued task or the gap analysis${report.passedOver.length === 0 ? '' : ` that ATO may adopt (${String(report.passedOver.length)} left alone)`}.`;
  const issues = `${String(count)} issue${count === 1 ? '' : 's'}`;
  return report.dryRun ? `Would adopt ${issues} (dry run: nothing changed).` : `Adopted ${issues}: labelled and marked as ATO's.`;
}

/** One line for messages and the CLI: which issue became what. */
export function describeAdoption(adoption: Adoption): string {
  return `#${String(adoption.issue.number)} "${adoption.issue.title}" as ${describeTarget(adoption.target)}`;
}
