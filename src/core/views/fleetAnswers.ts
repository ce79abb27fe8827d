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
  status: z.enum(['started', 'waiting', 'refused']),
  agentId: z.optional(z.string()),
  runId: z.optional(z.string()),
  reason: z.optional(z.string()),
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
const previewSchema = z.union([decisionSchema, z.object({ decision: decisionSchema })]);

const textLimit = 500;

/** The per-task outcomes of a fan-out, or undefined when the answer is not one. */
export function dispatchOutcomesForPanel(answer: unknown, redactor: Redactor): PanelDispatchOutcome[] | undefined {
  const parsed = outcomesSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const outcomes = Array.isArray(parsed.data) ? parsed.data : parsed.data.outcomes;
  return outcomes.map(outcome => {
    const detail = outcome.status === 'started'
      ? [outcome.agentId === undefined ? 'started' : `on ${outcome.agentId}`, outcome.runId === undefined ? '' : `run ${outcome.runId}`].filter(part => part !== '').join(' · ')
      : outcome.reason ?? outcome.status;
    return { taskId: clipText(redactor.redact(outcome.taskId), 200), status: outcome.status, detail: clipText(redactor.redact(detail), textLimit) };
  });
}

/** The ranking of a dispatch preview, or undefined when the answer is not one. */
export function previewForPanel(taskId: string, answer: unknown, redactor: Redactor): PanelPreview | undefined {
  const parsed = previewSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const decision = 'decision' in parsed.data ? parsed.data.decision : parsed.data;
  const chosen = decision.status === 'selected' ? decision.agentId ?? null : null;
  return redactor.redactValue<PanelPreview>({
    taskId,
    chosen,
    summary: clipText(decision.status === 'selected' ? decision.reason : decision.status === 'wait' ? `waits: ${decision.reason}` : `no agent: ${decision.reason}`, textLimit),
    candidates: decision.candidates.slice(0, 50).map(candidate => ({
      agentId: clipText(candidate.agentId, 100),
      eligible: candidate.eligible,
      score: candidate.score ?? null,
      reasons: candidate.reasons.slice(0, 20).map(reason => clipText(reason, textLimit)),
    })),
  });
}
