import * as z from 'zod/mini';
import '../../shared/zod';
import type { CandidateReport, SelectionDecision } from '../agents/fleet/agentRegistry';
import { jsonSchemaDocument } from '../util/jsonSchemaDocument';

/**
 * `ato dispatch <id> --dry-run --json` (and the panel's and tree's preview): what a dispatch would do now
 * and why — the registry's ranking of every agent, eligible or not, with its score, factors and reasons —
 * without moving anything. `schemas/dispatch-preview.schema.json` is this schema as a JSON Schema; a unit
 * test keeps the two equal (ATO_UPDATE_SCHEMAS=1 rewrites it). Absent values are `null`, never missing keys.
 */

/** `start`: it would start now on `agentId`; anything else is the dispatcher's refusal, with its reason. */
export const previewVerdicts = ['start', 'notFound', 'notPending', 'invalid', 'blocked', 'noAgent', 'unmet', 'busy', 'failed'] as const;
export type PreviewVerdict = (typeof previewVerdicts)[number];

export const previewCandidateSchema = z.object({
  agentId: z.string(),
  /** The backend: claude-code, custom, claude, copilot, jules. */
  kind: z.string(),
  eligible: z.boolean(),
  /** weight × success rate × (1 − load) + priority bonus; null when not eligible. */
  score: z.nullable(z.number()),
  factors: z.nullable(z.object({ weight: z.number(), successRate: z.number(), load: z.number(), priorityBonus: z.number(), costRank: z.number() })),
  /** Why it is not eligible, or how its score is made. */
  reasons: z.array(z.string()),
  chosen: z.boolean(),
});

export const dispatchPreviewSchema = z.object({
  taskId: z.string(),
  verdict: z.enum(previewVerdicts),
  /** The agent it would go to (also the named agent that is busy or unhealthy, when the verdict is `busy`). */
  agentId: z.nullable(z.string()),
  /** The task names its agent (`agent: <id>`) rather than `auto`; null unless an agent was chosen. */
  explicit: z.nullable(z.boolean()),
  reason: z.string(),
  /** Every configured agent the registry considered, best first; empty when the task never reached selection. */
  candidates: z.array(previewCandidateSchema),
});
export type DispatchPreview = z.infer<typeof dispatchPreviewSchema>;
export type PreviewCandidate = z.infer<typeof previewCandidateSchema>;

/** What `TaskDispatcher.choose` found: a refusal with its reason, or the agent it would start. */
export type PreviewInput =
  | { readonly status: Exclude<PreviewVerdict, 'start'>; readonly reason: string }
  | { readonly status: 'start'; readonly agentId: string };

/** The preview document from the dispatcher's verdict and the registry's decision (pure). */
export function dispatchPreviewOf(taskId: string, verdict: PreviewInput, decision: SelectionDecision | undefined): DispatchPreview {
  const chosenId = decision?.status === 'selected' ? decision.agentId : undefined;
  const candidates = [...(decision?.candidates ?? [])].sort(byRank).map(candidate => candidateOf(candidate, candidate.agentId === chosenId && verdict.status === 'start'));
  const agentId = decision === undefined || decision.status === 'none' ? null : decision.agentId ?? null;
  return {
    taskId,
    verdict: verdict.status,
    agentId: verdict.status === 'start' ? verdict.agentId : agentId,
    explicit: decision?.status === 'selected' ? decision.explicit : null,
    reason: verdict.status === 'start' ? decision?.reason ?? `${verdict.agentId} would take it` : verdict.reason,
    candidates,
  };
}

/** The preview as text, for the terminal and the editor. */
export function renderDispatchPreview(preview: DispatchPreview): string {
  const lines = [preview.verdict === 'start' ? `${preview.taskId} would go to ${preview.agentId ?? '?'}: ${preview.reason}` : `${preview.taskId} would not start (${preview.verdict}): ${preview.reason}`];
  if (preview.candidates.length > 0) lines.push('', 'Agents, best first:');
  for (const candidate of preview.candidates) {
    const mark = candidate.chosen ? '→' : candidate.eligible ? '✓' : '✗';
    const score = candidate.score === null ? 'not eligible' : `score ${candidate.score.toFixed(3)}`;
    lines.push(`${mark} ${candidate.agentId} (${candidate.kind}): ${score}`);
    for (const reason of candidate.reasons) lines.push(`    ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON Schema of the preview, generated from {@link dispatchPreviewSchema}. */
export function dispatchPreviewJsonSchema(): Record<string, unknown> {
  return jsonSchemaDocument(dispatchPreviewSchema, {
    id: 'urn:ato:schema:dispatch-preview:1',
    title: 'ato dispatch <id> --dry-run --json',
    description: 'What dispatching one task would do now, without moving anything: the verdict (start, or why not), the agent it would go to, and every configured agent the registry considered — eligible or not, its score, the factors of the score and each reason — best first.',
  });
}

function candidateOf(candidate: CandidateReport, chosen: boolean): PreviewCandidate {
  return {
    agentId: candidate.agentId,
    kind: candidate.kind,
    eligible: candidate.eligible,
    score: candidate.score ?? null,
    factors: candidate.factors === undefined ? null : { ...candidate.factors },
    reasons: [...candidate.reasons],
    chosen,
  };
}

/** Eligible first by score (then cheapest, then id), as the registry ranks them; the ineligible after, by id. */
function byRank(a: CandidateReport, b: CandidateReport): number {
  if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
  const scores = (b.score ?? 0) - (a.score ?? 0);
  if (Math.abs(scores) > 1e-9) return scores;
  return (a.factors?.costRank ?? 0) - (b.factors?.costRank ?? 0) || a.agentId.localeCompare(b.agentId);
}
