import { panelParts, type PanelPart, type PanelRun, type PanelRunsPart, type PanelSnapshot, type PanelUpdate } from '../../src/shared/protocol';

export type AppliedUpdate =
  | { readonly ok: true; readonly snapshot: PanelSnapshot; readonly changed: ReadonlySet<PanelPart> }
  | { readonly ok: false; readonly reason: string };

/**
 * The webview's side of the update protocol: the snapshot it renders, from the last one and the parts an
 * update carries, and which parts changed (the sections to render again). Parts that did not come are the
 * very objects of the last snapshot, and so is every run the update did not name: rows built from them can
 * be reused. Pure: unit-tested against the host's encoder without a browser.
 */
export function applyPanelUpdate(current: PanelSnapshot | undefined, update: PanelUpdate): AppliedUpdate {
  const parts = update.parts;
  if (update.full) {
    const missing = panelParts.filter(part => parts[part] === undefined);
    if (missing.length > 0) return { ok: false, reason: `a full update without ${missing.join(', ')}` };
  } else if (current === undefined) {
    return { ok: false, reason: 'a partial update before any full one' };
  }
  const base = update.full ? undefined : current;
  const runs = parts.runs === undefined ? base?.runs : applyRuns(base?.runs ?? [], parts.runs);
  if (runs === undefined) return { ok: false, reason: 'runs that name a run the panel does not have' };
  const head = parts.head ?? base;
  const queue = parts.queue !== undefined ? parts.queue : base?.queue;
  const needsYou = parts.needsYou ?? base?.needsYou;
  const loop = parts.loop ?? base?.loop;
  const agents = parts.agents ?? base?.agents;
  // Unreachable after the checks above; narrows the types.
  if (head === undefined || queue === undefined || needsYou === undefined || loop === undefined || agents === undefined) return { ok: false, reason: 'an incomplete update' };
  const snapshot: PanelSnapshot = {
    workspaceName: head.workspaceName, trusted: head.trusted, planning: head.planning, auth: head.auth, settingsProblems: head.settingsProblems,
    queue, runs, needsYou, loop, agents,
  };
  return { ok: true, snapshot, changed: new Set(panelParts.filter(part => parts[part] !== undefined)) };
}

/** The runs after a runs part: in `ids`' order (or the old one), each the changed run of its id or the one kept. */
function applyRuns(kept: readonly PanelRun[], part: PanelRunsPart): PanelRun[] | undefined {
  const { ids, changed } = part;
  // A full list (the order is exactly the changed runs'): taken as is, duplicate ids and all.
  if (ids?.length === changed.length && changed.every((run, index) => run.runId === ids[index])) return changed;
  const byId = new Map(kept.map(run => [run.runId, run]));
  for (const run of changed) byId.set(run.runId, run);
  const order = ids ?? kept.map(run => run.runId);
  const runs: PanelRun[] = [];
  for (const id of order) {
    const run = byId.get(id);
    if (run === undefined) return undefined;
    runs.push(run);
  }
  // A changed run must be one of the listed ones: anything else means the two sides disagree.
  const listed = new Set(order);
  return changed.every(run => listed.has(run.runId)) ? runs : undefined;
}
