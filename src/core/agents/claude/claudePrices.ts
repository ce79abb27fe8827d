/**
 * What a Messages API answer cost, from its `usage` and a per-model list price.
 *
 * Source: the model pages on platform.claude.com as gathered in shared/specs/anthropic-sdk.md ("Usage →
 * cost"), read on {@link claudePriceDate}. Prices moved several times in 2026: a model missing here gets
 * tokens only and no cost, and the run says so, rather than a guess.
 * - Opus 5.5 $4 in / $20 out; Sonnet 5.5 $2 / $10; Haiku 5.5 $0.10 / $0.50 (its base band: the page says
 *   "from", a higher band above 100 K prompt tokens is reported by third parties only).
 * - A cache read costs 0.1× the input price (Sonnet 5.5's page: $0.20); a 5-minute cache write 1.25×, a
 *   1-hour write 2× (the model pages).
 */
export const claudePriceDate = '2026-12-07';

/** USD per million tokens. */
export interface ClaudeModelPrice {
  readonly input: number;
  readonly output: number;
}

export const claudeModelPrices: Readonly<Record<string, ClaudeModelPrice>> = {
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-haiku-5-5': { input: 0.1, output: 0.5 },
};

const cacheReadFactor = 0.1;
const cacheWrite5mFactor = 1.25;
const cacheWrite1hFactor = 2;

/** The token counts of a Messages API `usage` that cost money. */
export interface ClaudeTokenUsage {
  /** Uncached input only. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  /** All cache writes; split below when the API said how. */
  readonly cacheWriteTokens: number;
  readonly cacheWrite1hTokens?: number;
}

export type ClaudeCost =
  | { readonly known: true; readonly usd: number; readonly note: string }
  | { readonly known: false; readonly note: string };

/** The list price of `model`: an exact id, or one with a date suffix (`claude-sonnet-5-5-20261001`). */
export function priceOf(model: string): ClaudeModelPrice | undefined {
  const exact = claudeModelPrices[model];
  if (exact !== undefined) return exact;
  const undated = /^(.+)-\d{8}$/.exec(model)?.[1];
  return undated === undefined ? undefined : claudeModelPrices[undated];
}

/**
 * cost = [input·in + write5m·in·1.25 + write1h·in·2 + cacheRead·in·0.1 + output·out] / 1,000,000. Cache
 * writes without a split count at the 5-minute rate (the API's default TTL).
 */
export function claudeCost(model: string, usage: ClaudeTokenUsage): ClaudeCost {
  const price = priceOf(model);
  if (price === undefined) return { known: false, note: `no price known for model ${model} (ATO's table of ${claudePriceDate}): tokens only` };
  const write1h = Math.min(usage.cacheWriteTokens, usage.cacheWrite1hTokens ?? 0);
  const write5m = usage.cacheWriteTokens - write1h;
  const micros = usage.inputTokens * price.input
    + write5m * price.input * cacheWrite5mFactor
    + write1h * price.input * cacheWrite1hFactor
    + usage.cacheReadTokens * price.input * cacheReadFactor
    + usage.outputTokens * price.output;
  return { known: true, usd: micros / 1_000_000, note: `list price of ${model} as of ${claudePriceDate}` };
}
