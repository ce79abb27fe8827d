/** What a finished run reports in its task file's `## Result` section (PRODUCT §8). */
export interface TaskResult {
  readonly runId: string;
  readonly agentId: string;
  /** ISO 8601. */
  readonly finishedAt: string;
  /** e.g. `succeeded`, `failed`. */
  readonly outcome?: string;
  readonly summary?: string;
  readonly branch?: string;
  /** The pull or merge request, when the run opened one. */
  readonly pullRequest?: { readonly url: string; readonly title?: string };
  readonly costUsd?: number;
  readonly turns?: number;
  readonly durationMs?: number;
  /** The file name of the run's report, beside the task file (see reportFileName). */
  readonly report?: string;
}

/** The marker that makes an ATO result section recognisable, one per run. */
export function resultMarker(runId: string): string {
  return `<!-- ato:result run=${runId} -->`;
}

export function hasResultSection(text: string, runId: string): boolean {
  return new RegExp(`^${escapeRegExp(resultMarker(runId))}[ \\t]*\\r?$`, 'm').test(text);
}

/**
 * Appends a `## Result` section for the run to a task file's text (pure). Idempotent: when the text already
 * has this run's section (found by its marker comment) it is returned unchanged; a later run adds its own
 * section below. Line endings follow the file's (CRLF stays CRLF).
 */
export function appendResultSection(text: string, result: TaskResult): { readonly text: string; readonly changed: boolean } {
  if (hasResultSection(text, result.runId)) return { text, changed: false };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const section = renderResultSection(result).join(eol);
  const trimmed = text.replace(/(?:\r?\n)+$/, '');
  const separator = trimmed === '' ? '' : `${eol}${eol}`;
  return { text: `${trimmed}${separator}${section}${eol}`, changed: true };
}

export function renderResultSection(result: TaskResult): string[] {
  const lines = [resultMarker(result.runId), '## Result', ''];
  const summary = result.summary === undefined ? '' : neutralizeMarkers(result.summary).replace(/\r\n/g, '\n').trim();
  if (summary !== '') lines.push(...summary.split('\n'), '');
  if (result.outcome !== undefined) lines.push(`- **Outcome:** ${oneLine(result.outcome)}`);
  if (result.branch !== undefined) lines.push(`- **Branch:** \`${oneLine(result.branch)}\``);
  if (result.pullRequest !== undefined) {
    const label = result.pullRequest.title === undefined ? result.pullRequest.url : `${oneLine(result.pullRequest.title)} (${result.pullRequest.url})`;
    lines.push(`- **Pull request:** ${neutralizeMarkers(label)}`);
  }
  if (result.report !== undefined) lines.push(`- **Report:** [${oneLine(result.report).replace(/[[\]]/g, '')}](${linkTarget(result.report)})`);
  lines.push(`- **Agent:** ${oneLine(result.agentId)}`);
  if (result.costUsd !== undefined) lines.push(`- **Cost:** ${formatCost(result.costUsd)}`);
  if (result.turns !== undefined) lines.push(`- **Turns:** ${result.turns}`);
  if (result.durationMs !== undefined) lines.push(`- **Duration:** ${formatDuration(result.durationMs)}`);
  lines.push(`- **Finished:** ${result.finishedAt}`);
  lines.push(`- **Run:** ${result.runId}`);
  return lines;
}

export function formatCost(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** 45s, 3m 12s, 1h 05m. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Agent text must not be able to forge a marker (and so suppress a later run's section) or hide text. */
function neutralizeMarkers(text: string): string {
  return text.replace(/<!--/g, '&lt;!--');
}

/** A relative link's target, percent-encoded (parentheses too), so no name can end the link early. */
function linkTarget(name: string): string {
  return encodeURIComponent(name).replace(/[()]/g, paren => `%${paren.charCodeAt(0).toString(16).toUpperCase()}`);
}

function oneLine(text: string): string {
  return neutralizeMarkers(text.replace(/\s+/g, ' ').trim());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
