import * as z from 'zod/mini';
import '../../../shared/zod';

/** A JSON value: what an intent's data and step results may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type IntentState = 'open' | 'done' | 'abandoned';

export interface IntentStep {
  readonly at: string;
  readonly result?: JsonValue;
}

/**
 * A write-ahead record of one guarded action (PRODUCT §10): written before the first remote write, a step
 * recorded after each, finished at the end. At start-up, open intents tell the loop what to look up (by
 * marker) and finish, so a crash never leads to a second issue, comment or commit.
 */
export interface Intent {
  /** File name without `.json`: creation time, kind and a random suffix. */
  readonly id: string;
  /** The action, e.g. `promoteTask`. */
  readonly kind: string;
  /** Idempotency key, e.g. `promote:add-login`: one open intent per key. */
  readonly key: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly steps: Readonly<Record<string, IntentStep>>;
  readonly state: IntentState;
  readonly data: JsonValue;
  /** Why it was abandoned. */
  readonly reason?: string;
}

export const intentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/;

export const intentSchema = z.object({
  id: z.string().check(z.regex(intentIdPattern)),
  kind: z.string().check(z.minLength(1)),
  key: z.string().check(z.minLength(1)),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  steps: z.record(z.string(), z.object({ at: z.iso.datetime({ offset: true }), result: z.optional(z.json()) })),
  state: z.enum(['open', 'done', 'abandoned']),
  data: z.json(),
  reason: z.optional(z.string()),
});

/** Parses a record file's text; the error says what is wrong. */
export function parseIntent(text: string): { readonly intent: Intent } | { readonly problem: 'invalidJson' | 'invalidRecord'; readonly message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: 'invalidJson', message: error instanceof Error ? error.message : String(error) };
  }
  const parsed = intentSchema.safeParse(json);
  if (!parsed.success) return { problem: 'invalidRecord', message: z.prettifyError(parsed.error) };
  return { intent: parsed.data as Intent };
}
