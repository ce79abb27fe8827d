/** GraphQL global ids the fake hands out; REST `node_id` fields use the same ones. */
export const nodeKinds = {
  Repository: 'R', Issue: 'I', PullRequest: 'PR', User: 'U', Bot: 'BOT', Organization: 'O', Label: 'LA', IssueComment: 'IC',
  CheckRun: 'CR', CheckSuite: 'CS', StatusContext: 'SC', PullRequestReview: 'PRR', Event: 'E', Commit: 'C', Ref: 'REF',
  WorkflowRun: 'WFR', App: 'A', Team: 'T', Blob: 'B', Tree: 'TR', Deployment: 'DE', DeploymentStatus: 'DES', PullRequestReviewComment: 'PRRC',
} as const;

export type NodeKind = keyof typeof nodeKinds;

/** A node id like GitHub's newer ones (`I_kw…`): a prefix naming the type, then an opaque part. */
export function nodeId(kind: NodeKind, key: string | number): string {
  return `${nodeKinds[kind]}_kw${Buffer.from(`${kind}:${String(key)}`).toString('base64url')}`;
}

export function parseNodeId(id: string): { readonly kind: NodeKind; readonly key: string } | undefined {
  const match = /^[A-Z]+_kw([A-Za-z0-9_-]+)$/.exec(id);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  const kind = decoded.slice(0, colon);
  if (colon < 0 || !(kind in nodeKinds)) return undefined;
  return { kind: kind as NodeKind, key: decoded.slice(colon + 1) };
}

/** Database ids: one counter per kind, starting far apart so ids of different kinds never look alike. */
export class IdSequence {
  private readonly counters = new Map<string, number>();

  next(kind: string): number {
    const value = (this.counters.get(kind) ?? startFor(kind)) + 1;
    this.counters.set(kind, value);
    return value;
  }
}

function startFor(kind: string): number {
  let hash = 0;
  for (const char of kind) hash = (hash * 31 + char.charCodeAt(0)) % 900;
  return (hash + 100) * 1_000_000;
}
