/**
 * The control panel's protocol: every message between the extension host and the webview. Both sides
 * validate what they receive with these schemas, because the webview renders third-party text and a
 * compromised or stale webview must not be able to drive the host.
 *
 * Flow: the webview posts `ready` once its script runs; only then does the host post, and it always
 * posts a full `snapshot` (never a delta), so a webview that was hidden and missed messages recovers.
 */
import * as z from 'zod/mini';
import './zod';

/** The planning folder as the panel shows it. */
export const planningSnapshotSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('noWorkspace') }),
  z.object({ kind: z.literal('unknown') }),
  z.object({ kind: z.literal('missing'), path: z.string() }),
  z.object({ kind: z.literal('partial'), path: z.string(), missing: z.array(z.string()) }),
  z.object({
    kind: z.literal('ready'),
    path: z.string(),
    queue: z.object({ pending: z.int().check(z.nonnegative()), processed: z.int().check(z.nonnegative()), complete: z.int().check(z.nonnegative()) }),
  }),
  z.object({ kind: z.literal('error'), path: z.string(), message: z.string() }),
]);

export const panelSnapshotSchema = z.object({
  /** Bumped when the shape changes incompatibly. */
  version: z.literal(1),
  workspaceName: z.nullable(z.string()),
  /** False in Restricted Mode: the panel shows state, every action is disabled. */
  trusted: z.boolean(),
  planning: planningSnapshotSchema,
  auth: z.object({
    github: z.enum(['unknown', 'none', 'session', 'token']),
    githubAccount: z.nullable(z.string()),
    gitlab: z.boolean(),
    jules: z.boolean(),
    anthropic: z.boolean(),
  }),
  settingsProblems: z.array(z.object({ setting: z.string(), message: z.string() })),
});
export type PanelSnapshot = z.infer<typeof panelSnapshotSchema>;

/** Host → webview. */
export const toWebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: panelSnapshotSchema }),
]);
export type ToWebviewMessage = z.infer<typeof toWebviewMessageSchema>;

/** What a panel button may ask the host to do. Each maps to exactly one command. */
export const panelActions = ['initPlanningFolder', 'signInToGitHub', 'setGitHubToken', 'doctor', 'refresh', 'showLog'] as const;
export type PanelAction = (typeof panelActions)[number];

/** Actions that change something; refused in Restricted Mode. */
export const mutatingPanelActions: ReadonlySet<PanelAction> = new Set<PanelAction>(['initPlanningFolder', 'signInToGitHub', 'setGitHubToken', 'doctor']);

/** Webview → host. */
export const toHostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(panelActions) }),
]);
export type ToHostMessage = z.infer<typeof toHostMessageSchema>;

export type ParseResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  return { ok: false, error: `invalid message${where}: ${issue?.message ?? 'unknown problem'}` };
}

export function parseToHostMessage(raw: unknown): ParseResult<ToHostMessage> {
  return parseWith(toHostMessageSchema, raw);
}

export function parseToWebviewMessage(raw: unknown): ParseResult<ToWebviewMessage> {
  return parseWith(toWebviewMessageSchema, raw);
}
