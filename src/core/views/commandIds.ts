/**
 * Every command ATO contributes. package.json's `contributes.commands` must list exactly these (a unit
 * test checks the manifest, an extension-host test checks the registrations).
 */
export const commandIds = {
  openControlPanel: 'ato.openControlPanel',
  refresh: 'ato.refresh',
  initPlanningFolder: 'ato.initPlanningFolder',
  /** Writes the loop's GitHub Actions workflow (as `ato init-ci`) and opens it. */
  setUpCi: 'ato.setUpCi',
  signInToGitHub: 'ato.signInToGitHub',
  setGitHubToken: 'ato.setGitHubToken',
  setGitLabToken: 'ato.setGitLabToken',
  setJulesKey: 'ato.setJulesKey',
  setAnthropicKey: 'ato.setAnthropicKey',
  clearKey: 'ato.clearKey',
  doctor: 'ato.doctor',
  showLog: 'ato.showLog',
  openEventLog: 'ato.openEventLog',
  /** One task's events, in a read-only view that follows the log (a task id, a task or run row, or asks). */
  showTaskEvents: 'ato.showTaskEvents',
  newTask: 'ato.newTask',
  delegateToAI: 'ato.delegateToAI',
  dispatchTask: 'ato.dispatchTask',
  /** Fan-out: several pending tasks at once (an array of task ids, the tree's selection, or asks). */
  dispatchTasks: 'ato.dispatchTasks',
  /** The registry's ranking for one task, without dispatching it (a task id, a tree row, or asks). */
  previewDispatch: 'ato.previewDispatch',
  cancelRun: 'ato.cancelRun',
  requeueTask: 'ato.requeueTask',
  approvePlan: 'ato.approvePlan',
  raiseBudgetAndResume: 'ato.raiseBudgetAndResume',
  showRunLog: 'ato.showRunLog',
  /** A finished local run's branch (issue 14): its diff, a pull request from it, merged into the current branch, or discarded. */
  viewRunDiff: 'ato.viewRunDiff',
  openRunPullRequest: 'ato.openRunPullRequest',
  mergeRun: 'ato.mergeRun',
  discardRun: 'ato.discardRun',
  chooseProjectMcpServers: 'ato.chooseProjectMcpServers',
  startLoop: 'ato.startLoop',
  pauseLoop: 'ato.pauseLoop',
  runTick: 'ato.runTick',
  previewTick: 'ato.previewTick',
  mergePullRequest: 'ato.mergePullRequest',
  openPullRequest: 'ato.openPullRequest',
  approveWorkflowRuns: 'ato.approveWorkflowRuns',
  queueDraft: 'ato.queueDraft',
  adoptIssues: 'ato.adoptIssues',
  /** The maintenance track (issue 11): fix a PR under care now, by its authoring agent or by one the user picks. */
  fixPullRequest: 'ato.fixPullRequest',
  sendPullRequestTo: 'ato.sendPullRequestTo',
  testAgent: 'ato.testAgent',
  configureAgent: 'ato.configureAgent',
  /** Puts `ato` on the PATH: a launcher in the user's bin folder that runs the extension's bundled CLI. */
  installCliLauncher: 'ato.installCliLauncher',
  uninstallCliLauncher: 'ato.uninstallCliLauncher',
  /** Multi-root: which folder the control panel shows (a folder key, or asks). */
  switchPanelFolder: 'ato.switchPanelFolder',
  /** The control panel's title-bar loop actions: on the folder the panel shows (ask only when it shows none). */
  previewTickInPanel: 'ato.panel.previewTick',
  runTickInPanel: 'ato.panel.runTick',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** VS Code's own commands that ATO's views run. */
export const workbenchCommands = {
  /** The Workspace Trust editor: trust the folder, or not. */
  manageTrust: 'workbench.trust.manage',
  /** The Settings editor, searching for a setting id. */
  openSettings: 'workbench.action.openSettings',
  /** The Problems panel, where a task file's errors are listed. */
  showProblems: 'workbench.actions.view.problems',
} as const;

export type WorkbenchCommandId = (typeof workbenchCommands)[keyof typeof workbenchCommands];

/** View and container ids, shared by the manifest and the code. */
export const viewIds = {
  container: 'ato',
  controlPanel: 'ato.controlPanel',
  tree: 'ato.tree',
} as const;

/** Context keys ATO sets for `when` clauses in package.json. */
export const contextKeys = {
  planningFolder: 'ato.planningFolder',
  githubSignedIn: 'ato.githubSignedIn',
  /** The window has two or more folders (each its own ATO workspace): the panel's folder switcher shows. */
  multiRoot: 'ato.multiRoot',
} as const;

/** `contextValue`s of tree rows, matched by `viewItem` in package.json's menus. */
export const treeItemContexts = {
  localDraft: 'ato.task.draft',
  pendingTask: 'ato.task.pending',
  blockedTask: 'ato.task.blocked',
  /** GitHub mode: a task file on the planning branch that the working tree lacks (not pulled yet): open it on GitHub only. */
  taskNotInCheckout: 'ato.task.notInCheckout',
  activeRun: 'ato.run.active',
  finishedRun: 'ato.run.done',
  /** A finished run whose task can go back to pending/ (the task's latest run, failed or cancelled, the task in processed/). */
  requeueableRun: 'ato.run.requeueable',
  /** A finished local run whose branch can be landed (diff, pull request, merge, discard); not requeueable. */
  landableRun: 'ato.run.landable',
  /** Both: its task can be requeued and its branch landed. */
  requeueableLandableRun: 'ato.run.requeueable.landable',
  /** The tree's Loop row while the loop ticks on its timer, and while it is paused. */
  loopRunning: 'ato.loop.running',
  loopPaused: 'ato.loop.paused',
  /** A loop needs-you item of a task the loop can requeue (its run failed, its issue was closed); its `ref` is the task id. */
  requeueableLoopTask: 'ato.needsYou.requeueable',
  /** A PR ready to merge (auto-merge off): merge, open. */
  readyPullRequest: 'ato.pr.ready',
  /** A PR whose workflow runs wait for a maintainer's approval: approve (on GitHub), open. */
  awaitingApprovalPullRequest: 'ato.pr.awaitingApproval',
  /** A PR with failing checks: open. */
  redPullRequest: 'ato.pr.red',
  /** Anything else with a link on GitHub (an issue, a check): open. */
  link: 'ato.link',
  /** An agent of the fleet: test, configure. */
  agent: 'ato.agent',
  /** A Jules run waiting for its plan to be approved: approve, show log. Its `ref` is the task id. */
  planAwaitingApproval: 'ato.needsYou.plan',
} as const;
