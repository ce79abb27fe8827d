import { runIdPattern } from '../../runs/runRecord';
import { isTaskId } from '../../tasks/taskFileName';

/**
 * The hidden HTML comments ATO writes into what it creates on GitHub and reads back to link things
 * (PRODUCT §4): which task an issue is for, which issue is the gap analysis, which merged PR a capability
 * update follows. Only ATO's exact syntax counts, on a line of its own outside fenced code, so a marker
 * quoted in text or mentioned mid-sentence never links anything.
 */
export type AtoMarker =
  | { readonly kind: 'task'; readonly taskId: string }
  | { readonly kind: 'gapAnalysis' }
  | { readonly kind: 'capabilityUpdate'; readonly sourcePr: number }
  /** Which agent serves the work (a task issue a local agent works on is assigned to nobody on GitHub). */
  | { readonly kind: 'agent'; readonly agentId: string }
  /** The issue that reports a task's run after its retries ran out (one per run). */
  | { readonly kind: 'escalation'; readonly taskId: string; readonly runId: string }
  /** A maintenance request ATO made on a PR (issue 11): read back, it is the track's record (never memory). */
  | { readonly kind: 'maintenance'; readonly record: MaintenanceMarker };

/** What one maintenance marker records: the request, on which PR and head, to which agent, and how it ended. */
export interface MaintenanceMarker {
  readonly request: 'fix' | 'analysis' | 'updateBranch' | 'rebase' | 'reviewFollowUp';
  readonly pr: number;
  readonly attempt: number;
  readonly headSha: string;
  readonly agent?: string;
  readonly reviewId?: number;
  /** `conflict`: GitHub could not update the branch (the agent is asked to rebase next). */
  readonly outcome?: 'conflict';
}

/** Task ids in markers are slugs of bounded length (a marker is a line, not a document). */
export const maxMarkerTaskIdLength = 200;

export function formatMarker(marker: AtoMarker): string {
  switch (marker.kind) {
    case 'task':
      if (!isMarkerTaskId(marker.taskId)) throw new Error(`"${marker.taskId}" is not a task id`);
      return `<!-- ato:task=${marker.taskId} -->`;
    case 'gapAnalysis':
      return '<!-- ato:kind=gap-analysis -->';
    case 'capabilityUpdate':
      if (!isPullNumber(marker.sourcePr)) throw new Error(`${String(marker.sourcePr)} is not a pull request number`);
      return `<!-- ato:kind=capability-update source-pr=${String(marker.sourcePr)} -->`;
    case 'agent':
      if (!isMarkerAgentId(marker.agentId)) throw new Error(`"${marker.agentId}" is not an agent id`);
      return `<!-- ato:agent=${marker.agentId} -->`;
    case 'escalation':
      if (!isMarkerTaskId(marker.taskId)) throw new Error(`"${marker.taskId}" is not a task id`);
      if (!runIdPattern.test(marker.runId)) throw new Error(`"${marker.runId}" is not a run id`);
      return `<!-- ato:escalation ${marker.taskId} ${marker.runId} -->`;
    case 'maintenance':
      return formatMaintenanceMarker(marker.record);
  }
}

const maintenanceRequests: ReadonlySet<string> = new Set(['fix', 'analysis', 'updateBranch', 'rebase', 'reviewFollowUp']);

function formatMaintenanceMarker(record: MaintenanceMarker): string {
  if (!maintenanceRequests.has(record.request)) throw new Error(`"${record.request}" is not a maintenance request`);
  if (!isPullNumber(record.pr) || !Number.isSafeInteger(record.attempt) || record.attempt < 0 || record.attempt > 1000) throw new Error('not a maintenance record');
  if (!/^[0-9a-f]{40}$/.test(record.headSha)) throw new Error(`"${record.headSha}" is not a commit sha`);
  if (record.agent !== undefined && !isMarkerAgentId(record.agent)) throw new Error(`"${record.agent}" is not an agent id`);
  if (record.reviewId !== undefined && !(Number.isSafeInteger(record.reviewId) && record.reviewId >= 0)) throw new Error('not a review id');
  const fields = [
    `ato:maintenance=${record.request}`, `pr=${String(record.pr)}`, `attempt=${String(record.attempt)}`, `head=${record.headSha}`,
    ...(record.agent === undefined ? [] : [`agent=${record.agent}`]),
    ...(record.reviewId === undefined ? [] : [`review=${String(record.reviewId)}`]),
    ...(record.outcome === undefined ? [] : [`outcome=${record.outcome}`]),
  ];
  return `<!-- ${fields.join(' ')} -->`;
}

const maintenancePattern = /^<!-- ato:maintenance=(fix|analysis|updateBranch|rebase|reviewFollowUp) pr=([1-9]\d{0,9}) attempt=(\d{1,4}) head=([0-9a-f]{40})(?: agent=(\S+))?(?: review=(\d{1,15}))?(?: outcome=(conflict))? -->$/;

function parseMaintenanceMarker(text: string): AtoMarker | undefined {
  const match = maintenancePattern.exec(text);
  if (match === null) return undefined;
  const [, request, pr, attempt, headSha, agent, reviewId, outcome] = match;
  if (request === undefined || pr === undefined || attempt === undefined || headSha === undefined) return undefined;
  if (agent !== undefined && !isMarkerAgentId(agent)) return undefined;
  const record: MaintenanceMarker = {
    request: request as MaintenanceMarker['request'], pr: Number(pr), attempt: Number(attempt), headSha,
    ...(agent === undefined ? {} : { agent }),
    ...(reviewId === undefined ? {} : { reviewId: Number(reviewId) }),
    ...(outcome === undefined ? {} : { outcome: 'conflict' as const }),
  };
  return isPullNumber(record.pr) ? { kind: 'maintenance', record } : undefined;
}

const taskPattern = /^<!-- ato:task=(\S+) -->$/;
const gapPattern = /^<!-- ato:kind=gap-analysis -->$/;
const agentPattern = /^<!-- ato:agent=(\S+) -->$/;
const capabilityPattern = /^<!-- ato:kind=capability-update source-pr=([1-9]\d{0,9}) -->$/;
const escalationPattern = /^<!-- ato:escalation (\S+) (\S+) -->$/;

/** One line's marker, if the line is exactly one (surrounding blanks aside). */
export function parseMarkerLine(line: string): AtoMarker | undefined {
  const text = line.trim();
  if (!text.startsWith('<!-- ato:')) return undefined;
  const task = taskPattern.exec(text);
  if (task?.[1] !== undefined) return isMarkerTaskId(task[1]) ? { kind: 'task', taskId: task[1] } : undefined;
  if (gapPattern.test(text)) return { kind: 'gapAnalysis' };
  const agent = agentPattern.exec(text);
  if (agent?.[1] !== undefined) return isMarkerAgentId(agent[1]) ? { kind: 'agent', agentId: agent[1] } : undefined;
  const capability = capabilityPattern.exec(text);
  if (capability?.[1] !== undefined) {
    const sourcePr = Number(capability[1]);
    return isPullNumber(sourcePr) ? { kind: 'capabilityUpdate', sourcePr } : undefined;
  }
  if (text.startsWith('<!-- ato:maintenance=')) return parseMaintenanceMarker(text);
  const escalation = escalationPattern.exec(text);
  if (escalation?.[1] !== undefined && escalation[2] !== undefined) {
    return isMarkerTaskId(escalation[1]) && runIdPattern.test(escalation[2]) ? { kind: 'escalation', taskId: escalation[1], runId: escalation[2] } : undefined;
  }
  return undefined;
}

/** Every marker in a body, in order: lines that are exactly a marker, indented less than code, outside fences. */
export function readMarkers(body: string): AtoMarker[] {
  return scanBody(body).markers;
}

/**
 * The body with `marker` appended on a line of its own where it is read: after a blank line and, when the
 * body ends inside a fenced block it never closes (someone else's text), after a line that closes it.
 */
export function appendMarker(body: string, marker: AtoMarker): string {
  const { fence } = scanBody(body);
  const text = body.trimEnd();
  const close = fence === undefined ? '' : `\n${fence.char.repeat(fence.length)}`;
  return `${text}${close}${text === '' && close === '' ? '' : '\n\n'}${formatMarker(marker)}\n`;
}

interface Fence {
  readonly char: string;
  readonly length: number;
}

function scanBody(body: string): { readonly markers: AtoMarker[]; readonly fence: Fence | undefined } {
  const markers: AtoMarker[] = [];
  let fence: Fence | undefined;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(raw);
    if (fence === undefined && fenceMatch?.[1] !== undefined) {
      const run = fenceMatch[1];
      // A backtick fence's info string may not contain a backtick (CommonMark), else it is no fence.
      if (!(run.startsWith('`') && (fenceMatch[2] ?? '').includes('`'))) fence = { char: run.charAt(0), length: run.length };
      continue;
    }
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(raw)?.[1];
      if (close?.startsWith(fence.char) === true && close.length >= fence.length) fence = undefined;
      continue;
    }
    if (/^ {4}|^\t/.test(raw)) continue;
    const marker = parseMarkerLine(raw);
    if (marker !== undefined) markers.push(marker);
  }
  return { markers, fence };
}

/** The task ids a body's markers name (normally one). */
export function taskIdsInBody(body: string): string[] {
  return readMarkers(body).flatMap(marker => (marker.kind === 'task' ? [marker.taskId] : []));
}

export function isGapAnalysisBody(body: string): boolean {
  return readMarkers(body).some(marker => marker.kind === 'gapAnalysis');
}

/** The merged PRs a capability-update body names (normally one). */
export function capabilitySourcesInBody(body: string): number[] {
  return readMarkers(body).flatMap(marker => (marker.kind === 'capabilityUpdate' ? [marker.sourcePr] : []));
}

/** The agent a body's marker names (ATO writes one; the first counts), if any. */
export function agentInBody(body: string): string | undefined {
  return readMarkers(body).flatMap(marker => (marker.kind === 'agent' ? [marker.agentId] : []))[0];
}

/** Agent ids: the built-in ones and `ato.agents.custom` ids (lowercase slugs, at most 64 characters). */
function isMarkerAgentId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(id);
}

function isMarkerTaskId(id: string): boolean {
  return id.length <= maxMarkerTaskIdLength && isTaskId(id);
}

function isPullNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647;
}
