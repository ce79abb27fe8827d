/** What replaces a secret wherever ATO writes text. */
export const redactedMarker = '‹redacted›';

/**
 * Token shapes that are secrets whether or not ATO stored them (a token pasted into a task file, echoed
 * by a server, or printed by an agent). Each pattern keeps its prefix readable so logs stay useful.
 */
const tokenPatterns: readonly RegExp[] = [
  /\b(gh[pousr]_)[A-Za-z0-9]{20,}\b/g, // GitHub classic and app tokens
  /\b(github_pat_)[A-Za-z0-9_]{20,}\b/g, // GitHub fine-grained tokens
  /\b(glpat-)[A-Za-z0-9_-]{16,}\b/g, // GitLab personal access tokens
  /\b(sk-ant-)[A-Za-z0-9_-]{16,}\b/g, // Anthropic keys
  /\b(AIza)[A-Za-z0-9_-]{30,}\b/g, // Google API keys (Jules)
  /(\b(?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+)[^\s"',;}]+/gi,
  // Key/value pairs; a JSON literal value (`"jules.apiKey": true` in `ato doctor --json`) is no secret and stays valid JSON.
  /(\b(?:x-api-key|private-token|x-goog-api-key|api[_-]?key|access[_-]?token)["']?\s*[:=]\s*["']?)(?!(?:true|false|null)\b)[^\s"',;}]+/gi,
];

/** Secrets shorter than this are not redacted by value: replacing "a" everywhere would destroy logs. */
const minimumSecretLength = 6;

/**
 * Removes secrets from text before it leaves ATO's memory: log lines, events, records, webview
 * messages and error messages. It knows every secret value ATO has read (added as they are read) and the
 * common token shapes.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private matcher: RegExp | undefined;

  addSecret(value: string | undefined): void {
    if (value === undefined) return;
    const trimmed = value.trim();
    for (const candidate of new Set([value, trimmed])) {
      if (candidate.length >= minimumSecretLength && !this.secrets.has(candidate)) {
        this.secrets.add(candidate);
        this.matcher = undefined;
      }
    }
  }

  get knownSecretCount(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    let result = text;
    if (this.secrets.size > 0) {
      // Longest first, so a secret that contains another is removed whole.
      this.matcher ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
      result = result.replace(this.matcher, redactedMarker);
    }
    for (const pattern of tokenPatterns) {
      result = result.replace(pattern, (_match, prefix: string) => `${prefix}${redactedMarker}`);
    }
    return result;
  }

  /** Redacts every string inside a JSON-like value (keys included), returning a copy. */
  redactValue<T>(value: T): T {
    return this.redactUnknown(value, new WeakSet()) as T;
  }

  private redactUnknown(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    // `seen` holds only the ancestors of the current value: an object reached twice by different paths
    // (shared, not circular) is copied both times.
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map(item => this.redactUnknown(item, seen));
      if (value instanceof Error) return this.redact(describeError(value));
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[this.redact(key)] = this.redactUnknown(item, seen);
      return copy;
    } finally {
      seen.delete(value);
    }
  }
}

/** `name: message` plus the cause chain; stack frames are omitted because they carry no user data. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return stringifyUnknown(error);
  const parts = [`${error.name}: ${error.message}`];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    parts.push(cause instanceof Error ? `caused by ${cause.name}: ${cause.message}` : `caused by ${stringifyUnknown(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join(' — ');
}

function stringifyUnknown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    // JSON.stringify returns undefined for functions and symbols, despite its declared type.
    const text = JSON.stringify(value) as unknown;
    return typeof text === 'string' ? text : typeof value;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
