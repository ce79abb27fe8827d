import { initialLoopState } from '../../src/core/loop/engine/loopModel';
import type { AtoState, PlanningFolderState } from '../../src/core/state/atoState';

/** One example of every planning-folder state, keyed by kind, so tests can be table-driven over all of them. */
export const planningExamples: { readonly [K in PlanningFolderState['kind']]: Extract<PlanningFolderState, { kind: K }> } = {
  noWorkspace: { kind: 'noWorkspace' },
  unknown: { kind: 'unknown' },
  missing: { kind: 'missing', path: '/work/repo/planning' },
  partial: { kind: 'partial', path: '/work/repo/planning', missing: ['vision/goal.md', 'issue_queue/pending'] },
  ready: { kind: 'ready', path: '/work/repo/planning', queue: { pending: 3, processed: 2, complete: 7 } },
  error: { kind: 'error', path: '/work/repo/planning', message: 'EACCES: permission denied' },
};

export const planningKinds = Object.keys(planningExamples) as PlanningFolderState['kind'][];

/** A trusted workspace with a ready planning folder and no keys; override what the test is about. */
export function anAtoState(overrides: Partial<AtoState> = {}): AtoState {
  return {
    workspaceName: 'repo',
    trusted: true,
    planning: planningExamples.ready,
    auth: { github: { kind: 'none' }, gitlab: false, jules: false, anthropic: false },
    settingsProblems: [],
    queue: undefined,
    runs: [],
    runProblems: [],
    loop: initialLoopState,
    agents: [],
    ...overrides,
  };
}
