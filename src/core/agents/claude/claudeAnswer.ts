import * as z from 'zod/mini';
import '../../../shared/zod';
import type { AgentUsage } from '../agentBackend';
import { claudeCost, type ClaudeTokenUsage } from './claudePrices';

const count = () => z.int().check(z.nonnegative());
const optionalCount = () => z.optional(z.nullable(count()));

/** The parts of a Messages API `Message` ATO reads. The SDK does not validate bodies: this does. */
const messageSchema = z.looseObject({
  model: z.string().check(z.minLength(1)),
  stop_reason: z.nullable(z.string()),
  content: z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) })),
  usage: z.looseObject({
    input_tokens: count(),
    output_tokens: count(),
    cache_creation_input_tokens: optionalCount(),
    cache_read_input_tokens: optionalCount(),
    cache_creation: z.optional(z.nullable(z.looseObject({ ephemeral_1h_input_tokens: optionalCount(), ephemeral_5m_input_tokens: optionalCount() }))),
  }),
});

export type ClaudeAnswer =
  | { readonly ok: true; readonly model: string; readonly stopReason: string | null; readonly text: string; readonly tokens: ClaudeTokenUsage }
  | { readonly ok: false; readonly problem: string };

/** The answer's text blocks joined, its stop reason and token counts; or what is wrong with the message. */
export function readClaudeAnswer(message: unknown): ClaudeAnswer {
  const parsed = messageSchema.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `the Messages API's answer is not a message (${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'body'}: ${issue.message}`})` };
  }
  const { model, stop_reason: stopReason, content, usage } = parsed.data;
  const text = content.flatMap(block => (block.type === 'text' && block.text !== undefined ? [block.text] : [])).join('\n\n');
  const write1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? undefined;
  const tokens: ClaudeTokenUsage = {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    ...(write1h === undefined ? {} : { cacheWrite1hTokens: write1h }),
  };
  return { ok: true, model, stopReason, text, tokens };
}

/** Tokens and, when the model has a price, the cost; else `costNote` says the cost is unknown. */
export function claudeUsage(model: string, tokens: ClaudeTokenUsage): AgentUsage {
  const cost = claudeCost(model, tokens);
  return {
    model,
    turns: 1,
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    cacheReadTokens: tokens.cacheReadTokens,
    cacheWriteTokens: tokens.cacheWriteTokens,
    ...(cost.known ? { costUsd: cost.usd } : {}),
    costNote: cost.note,
  };
}

/** Why an answer that arrived whole is still not a result, by its stop reason; undefined when it is one. */
export function stopReasonProblem(stopReason: string | null, maxTokens: number): string | undefined {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return undefined;
    case 'max_tokens':
      return `the answer was cut off at ${String(maxTokens)} output tokens (ato.agents.claude.maxTokens): raise it, or narrow the task`;
    case 'refusal':
      return 'the model declined the task (stop reason "refusal"); no report was written';
    case 'model_context_window_exceeded':
      return "the task and its target files do not fit in the model's context window: name fewer or smaller target files";
    case null:
    default:
      return `the answer ended with stop reason ${JSON.stringify(stopReason)}, which ATO does not take as a finished report`;
  }
}
