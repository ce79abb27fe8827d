/** The REST shapes the fake serves (see /work/shared/specs/jules-fake.md; field names as on the wire). */

export type SessionState =
  | 'STATE_UNSPECIFIED' | 'QUEUED' | 'PLANNING' | 'AWAITING_PLAN_APPROVAL' | 'AWAITING_USER_FEEDBACK'
  | 'IN_PROGRESS' | 'PAUSED' | 'FAILED' | 'COMPLETED';

export const terminalStates: ReadonlySet<SessionState> = new Set(['COMPLETED', 'FAILED']);

export interface FakeSource {
  readonly name: string;
  readonly id: string;
  readonly githubRepo: {
    readonly owner: string;
    readonly repo: string;
    readonly isPrivate: boolean;
    readonly defaultBranch: { readonly displayName: string };
    readonly branches: readonly { readonly displayName: string }[];
  };
}

export interface PullRequestOutput {
  readonly pullRequest: { readonly url: string; readonly title: string; readonly description: string; readonly headRef?: string; readonly baseRef?: string };
}
export interface ChangeSetOutput {
  readonly changeSet: { readonly source: string; readonly gitPatch: { readonly unidiffPatch: string; readonly baseCommitId: string; readonly suggestedCommitMessage: string } };
}
export type SessionOutput = PullRequestOutput | ChangeSetOutput;

export interface FakeSession {
  name: string;
  id: string;
  prompt: string;
  title: string;
  sourceContext: { source: string; githubRepoContext?: { startingBranch: string } };
  state: SessionState;
  url: string;
  createTime: string;
  updateTime: string;
  outputs?: SessionOutput[];
  archived?: boolean;
  /** Input-only: kept by the fake, never served. */
  readonly requirePlanApproval: boolean;
  readonly automationMode: 'AUTOMATION_MODE_UNSPECIFIED' | 'AUTO_CREATE_PR';
}

export type ActivityKind =
  | { readonly planGenerated: { readonly plan: { readonly id: string; readonly createTime: string; readonly steps: readonly { readonly id: string; readonly index: number; readonly title: string; readonly description?: string }[] } } }
  | { readonly planApproved: { readonly planId: string } }
  | { readonly progressUpdated: { readonly title: string; readonly description: string } }
  | { readonly agentMessaged: { readonly agentMessage: string } }
  | { readonly userMessaged: { readonly userMessage: string } }
  | { readonly sessionCompleted: Record<string, never> }
  | { readonly sessionFailed: { readonly reason: string } };

export type Artifact =
  | { readonly changeSet: ChangeSetOutput['changeSet'] }
  | { readonly bashOutput: { readonly command: string; readonly output: string; readonly exitCode: number } }
  | { readonly media: { readonly data: string; readonly mimeType: string } };

export type FakeActivity = {
  readonly name: string;
  readonly id: string;
  readonly originator: 'agent' | 'user' | 'system';
  readonly description?: string;
  readonly createTime: string;
  readonly artifacts?: readonly Artifact[];
} & ActivityKind;

/** Fields a client may not see (input-only), dropped when a session is served. */
export function servedSession(session: FakeSession): Record<string, unknown> {
  const served: Record<string, unknown> = { ...session };
  delete served['requirePlanApproval'];
  delete served['automationMode'];
  return served;
}
