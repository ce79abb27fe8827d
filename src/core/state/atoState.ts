import type { AgentSummary } from '../agents/fleet/agentSummary';
import { initialLoopState, type LoopState } from '../loop/engine/loopModel';
import type { QueueSnapshot } from '../queue/queueEntries';
import type { RunRecord } from '../runs/runRecord';
import type { RunRecordProblem } from '../runs/runStore';
import type { SettingProblem } from '../settings/settings';

/** What ATO knows about the planning folder of the workspace. */
export type PlanningFolderState =
  | { readonly kind: 'noWorkspace' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'partial'; readonly path: string; readonly missing: readonly string[] }
  | { readonly kind: 'ready'; readonly path: string; readonly queue: QueueCounts }
  | { readonly kind: 'error'; readonly path: string; readonly message: string };

export interface QueueCounts {
  readonly pending: number;
  readonly processed: number;
  readonly complete: number;
}

/** How ATO can reach GitHub: VS Code's GitHub session, a stored token, or not at all (local mode). */
export type GitHubAuthState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'none' }
  | { readonly kind: 'session'; readonly account: string }
  | { readonly kind: 'token' };

/** Whether each key is present. Never the key itself. */
export interface AuthState {
  readonly github: GitHubAuthState;
  readonly gitlab: boolean;
  readonly jules: boolean;
  readonly anthropic: boolean;
}

export interface AtoState {
  readonly workspaceName: string | undefined;
  /** In an untrusted workspace ATO shows state but takes no action. */
  readonly trusted: boolean;
  readonly planning: PlanningFolderState;
  readonly auth: AuthState;
  readonly settingsProblems: readonly SettingProblem[];
  /** The queue index, once it has read the planning folder (undefined before, or without one). */
  readonly queue: QueueSnapshot | undefined;
  /** Runs in progress and recent ones, newest first. */
  readonly runs: readonly RunRecord[];
  /** Run records in `.ato/runs/` that could not be read: each needs a human (never skipped silently). */
  readonly runProblems: readonly RunRecordProblem[];
  /** The planning loop: mode, stage, plan, red PRs, needs-you items, rate-limit budget. */
  readonly loop: LoopState;
  /** The configured agents with their health, limits and headroom (empty until the dispatcher is built). */
  readonly agents: readonly AgentSummary[];
}

export function initialAtoState(workspaceName: string | undefined, trusted: boolean): AtoState {
  return {
    workspaceName,
    trusted,
    planning: workspaceName === undefined ? { kind: 'noWorkspace' } : { kind: 'unknown' },
    auth: { github: { kind: 'unknown' }, gitlab: false, jules: false, anthropic: false },
    settingsProblems: [],
    queue: undefined,
    runs: [],
    runProblems: [],
    loop: initialLoopState,
    agents: [],
  };
}
