/** A GitHub label ATO creates when missing (colour without `#`, description at most 100 characters). */
export interface AtoLabel {
  readonly name: string;
  readonly color: string;
  readonly description: string;
}

/**
 * ATO's labels. `ato` goes on everything ATO creates; the others say what an issue is for, so ATO can list
 * its issues by label (the search API lags) and a person can filter them.
 */
export const atoLabels = {
  ato: { name: 'ato', color: '5319e7', description: 'Created by ATO, the AI task orchestrator' },
  gapAnalysis: { name: 'ato:gap-analysis', color: '1d76db', description: 'ATO gap analysis: compares the goal with the capabilities and queues the next task' },
  task: { name: 'ato:task', color: '0e8a16', description: 'ATO task promoted from the planning queue' },
  capability: { name: 'ato:capability', color: 'fbca04', description: 'ATO capability update after a merged pull request' },
} as const satisfies Record<string, AtoLabel>;

export type AtoIssueKind = Exclude<keyof typeof atoLabels, 'ato'>;

/** Every label ATO uses, for `ensureLabel` and for reading ATO's issues. */
export const allAtoLabels: readonly AtoLabel[] = Object.values(atoLabels);

/** The labels of a new issue of one kind: `ato` and the kind's own. */
export function labelsFor(kind: AtoIssueKind): readonly string[] {
  return [atoLabels.ato.name, atoLabels[kind].name];
}

/** Whether an issue's labels include this one (GitHub label names are case-insensitive). */
export function hasLabel(labels: readonly string[], name: string): boolean {
  const wanted = name.toLowerCase();
  return labels.some(label => label.toLowerCase() === wanted);
}
