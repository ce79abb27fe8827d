import * as z from 'zod/mini';
import type { PanelDispatchOutcome, PanelPreview } from '../../shared/protocol';
import type { Redactor } from '../logging/redactor';
import { clipText } from '../util/clipText';

/**
 * What the fan-out and preview commands answer, read for the panel. The commands live in other parts of
 * ATO (the runs part); their answers are checked here with zod like any input, and only what the panel
 * shows is kept, redacted and clipped.
 */
const outcomeSchema = z.object({
  taskId: z.string(),
  /** `finished`: started and already done (a fan-out reports it later). */
  status: z.enum(['started', 'waiting', 'refused', 'finished']),
  agentId: z.optional(z.string()),
  runId: z.optional(z.string()),
  reason: z.optional(z.string()),
  detail: z.optional(z.string()),
});
const outcomesSchema = z.union([z.array(outcomeSchema), z.object({ outcomes: z.array(outcomeSchema) })]);

const candidateSchema = z.object({
  agentId: z.string(),
  eligible: z.boolean(),
  score: z.optional(z.nullable(z.number())),
  reasons: z.array(z.string()),
});
const decisionSchema = z.object({
  status: z.enum(['selected', 'wait', 'none']),
  agentId: z.optional(z.string()),
  reason: z.string(),
  candidates: z.array(candidateSchema),
});
/** The dispatcher's preview (`ato dispatch <id> --dry-run --json`): a verdict, `start` when it would start now. */
const dispatchPreviewSchema = z.object({
  verdict: z.string(),
  agentId: z.nullable(z.string()),
  reason: z.string(),
  candidates: z.array(candidateSchema),
});
const previewSchema = z.union([dispatchPreviewSchema, decisionSchema, z.object({ decision: decisionSchema })]);

const textLimit = 500;

/** The per-task outcomes of a fan-out, or undefined when the answer is not one. */
export function dispatchOutcomesForPanel(answer: unknown, redactor: Redactor): PanelDispatchOutcome[] | undefined {
  // A live fan-out answers with its reports so far.
  const reports = typeof answer === 'object' && answer !== null && 'reports' in answer && typeof answer.reports === 'function' ? (answer.reports as () => unknown)() : answer;
  const parsed = outcomesSchema.safeParse(reports);
  if (!parsed.success) return undefined;
  const outcomes = Array.isArray(parsed.data) ? parsed.data : parsed.data.outcomes;
  return outcomes.map(outcome => {
    const where = [outcome.agentId === undefined ? '' : `on ${outcome.agentId}`, outcome.runId === undefined ? '' : `run ${outcome.runId}`];
    const detail = outcome.status === 'started' || outcome.status === 'finished'
      ? [...where, outcome.status === 'finished' ? `finished${outcome.detail === undefined ? '' : `: ${outcome.detail}`}` : ''].filter(part => part !== '').join(' · ')
      : outcome.reason ?? outcome.status;
    const status = outcome.status === 'finished' ? 'started' : outcome.status;
    return { taskId: clipText(redactor.redact(outcome.taskId), 200), status, detail: clipText(redactor.redact(detail), textLimit) };
  });
}

/** The ranking of a dispatch preview, or undefined when the answer is not one. */
export function previewForPanel(taskId: string, answer: unknown, redactor: Redactor): PanelPreview | undefined {
  const parsed = previewSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  let chosen: string | null;
  let summary: string;
  let candidates: readonly z.infer<typeof candidateSchema>[];
  if ('verdict' in data) {
    chosen = data.verdict === 'start' ? data.agentId : null;
    summary = data.verdict === 'start' ? data.reason : `${data.verdict}: ${data.reason}`;
    candidates = data.candidates;
  } else {
    const decision = 'decision' in data ? data.decision : data;
    chosen = decision.status === 'selected' ? decision.agentId ?? null : null;
    summary = decision.status === 'selected' ? decision.reason : decision.status === 'wait' ? `waits: ${decision.reason}` : `no agent: ${decision.reason}`;
    candidates = decision.candidates;
  }
  return redactor.redactValue<PanelPreview>({
    taskId,
    chosen,
    summary: clipText(summary, textLimit),
    candidates: candidates.slice(0, 50).map(candidate => ({
      agentId: clipText(candidate.agentId, 100),
      eligible: candidate.eligible,
      score: candidate.score ?? null,
      reasons: candidate.reasons.slice(0, 20).map(reason => clipText(reason, textLimit)),
    })),
  });
}
