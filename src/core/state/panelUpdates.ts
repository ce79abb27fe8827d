import { panelProtocolVersion, type PanelRun, type PanelSnapshot, type PanelUpdate, type PanelUpdateParts } from '../../shared/protocol';

/**
 * Turns the host's successive panel snapshots into `update` messages that carry only the parts that
 * changed: the task list only when the queue's revision (or one of its cached items) changed, runs by
 * id, and the small parts when their content changed. Pure apart from remembering what it sent; `reset`
 * it when the webview starts over (it posted `ready`), so the next update is full.
 */
export class PanelUpdateEncoder {
  private sent: PanelSnapshot | undefined;
  /** JSON of the small parts as last sent: comparing text is cheaper than walking them again. */
  private sentText: Partial<Record<'head' | 'needsYou' | 'loop' | 'agents', string>> = {};

  reset(): void {
    this.sent = undefined;
    this.sentText = {};
  }

  /** The update that brings the webview from the last snapshot to `snapshot`, or undefined when nothing changed. */
  next(snapshot: PanelSnapshot): PanelUpdate | undefined {
    const previous = this.sent;
    const parts: { -readonly [Part in keyof PanelUpdateParts]: PanelUpdateParts[Part] } = {};
    const head = { workspaceName: snapshot.workspaceName, trusted: snapshot.trusted, planning: snapshot.planning, auth: snapshot.auth, settingsProblems: snapshot.settingsProblems };
    if (this.changedText('head', head, previous === undefined)) parts.head = head;
    if (previous === undefined || queueChanged(previous.queue, snapshot.queue)) parts.queue = snapshot.queue;
    const runs = previous === undefined ? { ids: snapshot.runs.map(run => run.runId), changed: snapshot.runs } : runsDelta(previous.runs, snapshot.runs);
    if (runs !== undefined) parts.runs = runs;
    if (this.changedText('needsYou', snapshot.needsYou, previous === undefined)) parts.needsYou = snapshot.needsYou;
    // The builder reuses the loop part while the loop state stands: compare the text only when it is new.
    if (previous?.loop !== snapshot.loop && this.changedText('loop', snapshot.loop, previous === undefined)) parts.loop = snapshot.loop;
    if (this.changedText('agents', snapshot.agents, previous === undefined)) parts.agents = snapshot.agents;
    this.sent = snapshot;
    if (previous !== undefined && Object.keys(parts).length === 0) return undefined;
    return { type: 'update', version: panelProtocolVersion, full: previous === undefined, parts };
  }

  private changedText(part: keyof PanelUpdateEncoder['sentText'], value: unknown, always: boolean): boolean {
    const text = JSON.stringify(value);
    const changed = always || this.sentText[part] !== text;
    this.sentText[part] = text;
    return changed;
  }
}

/** Every part of `snapshot`: what a webview that has nothing gets. */
export function fullPanelUpdate(snapshot: PanelSnapshot): PanelUpdate {
  const update = new PanelUpdateEncoder().next(snapshot);
  if (update === undefined) throw new Error('a first update is never empty');
  return update;
}

/**
 * Whether the queue part must be sent again: another revision, other counts, or any item that is not the
 * very object sent before (the snapshot builder reuses an item while its file is unchanged; it rebuilds
 * them all when the redactor learns a secret, and then the webview must get the newly redacted text).
 */
function queueChanged(before: PanelSnapshot['queue'], after: PanelSnapshot['queue']): boolean {
  if (before === after) return false;
  if (before === null || after === null) return true;
  if (before.revision !== after.revision || before.items.length !== after.items.length) return true;
  if (JSON.stringify(before.source) !== JSON.stringify(after.source)) return true;
  const counts = before.counts;
  if (counts.pending !== after.counts.pending || counts.processed !== after.counts.processed || counts.complete !== after.counts.complete || counts.invalid !== after.counts.invalid) return true;
  return after.items.some((item, index) => item !== before.items[index]);
}

/**
 * The runs that differ from the ones sent (a run record is immutable, and the builder reuses the panel
 * run of an unchanged record, so identity says "unchanged"), and the order when it changed. Duplicate
 * ids cannot be sent by id: then every run goes, with the order.
 */
function runsDelta(before: readonly PanelRun[], after: readonly PanelRun[]): PanelUpdateParts['runs'] {
  const ids = after.map(run => run.runId);
  if (new Set(ids).size !== ids.length || new Set(before.map(run => run.runId)).size !== before.length) return { ids, changed: [...after] };
  const sent = new Map(before.map(run => [run.runId, run]));
  const changed = after.filter(run => sent.get(run.runId) !== run);
  const sameOrder = before.length === after.length && before.every((run, index) => run.runId === ids[index]);
  if (changed.length === 0 && sameOrder) return undefined;
  return sameOrder ? { changed } : { ids, changed };
}
