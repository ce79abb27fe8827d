import type { AtoSettings } from '../settings/settings';
import type { SecretId, SecretSource } from '../secrets/secrets';
import { describeError } from '../logging/redactor';

/** The part of `fetch` ATO uses, so tests and the CLI can pass their own. */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

export type ServiceName = 'GitHub' | 'GitLab' | 'Jules' | 'Anthropic';

export interface ConnectionResult {
  readonly service: ServiceName;
  readonly url: string;
  readonly outcome: 'ok' | 'notConfigured' | 'failed';
  /** Human text. May contain what a server echoed, so it must pass the redactor before display. */
  readonly detail: string;
}

interface Probe {
  readonly service: ServiceName;
  readonly secret: SecretId;
  readonly url: (settings: AtoSettings) => string;
  readonly headers: (secret: string) => Record<string, string>;
}

const userAgent = 'ato-vscode';

// One cheap authenticated read per service: proves the URL, the network and the key together.
const probes: readonly Probe[] = [
  {
    service: 'GitHub',
    secret: 'github.token',
    url: s => `${s['github.apiUrl']}/user`,
    headers: token => ({ authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': userAgent }),
  },
  {
    service: 'GitLab',
    secret: 'gitlab.token',
    url: s => `${s['gitlab.apiUrl']}/user`,
    headers: token => ({ 'private-token': token, 'user-agent': userAgent }),
  },
  {
    service: 'Jules',
    secret: 'jules.apiKey',
    url: s => `${s['jules.apiUrl']}/sources?pageSize=1`,
    headers: key => ({ 'x-goog-api-key': key, 'user-agent': userAgent }),
  },
  {
    service: 'Anthropic',
    secret: 'anthropic.apiKey',
    url: s => `${s['anthropic.apiUrl']}/v1/models?limit=1`,
    headers: key => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01', 'user-agent': userAgent }),
  },
];

export interface CheckConnectionsInput {
  readonly settings: AtoSettings;
  readonly secrets: SecretSource;
  readonly fetch: FetchLike;
}

/** Checks every service whose key is set, in parallel, each bounded by the network timeout. */
export async function checkConnections({ settings, secrets, fetch }: CheckConnectionsInput): Promise<ConnectionResult[]> {
  const timeoutMs = settings['network.timeoutSeconds'] * 1000;
  return Promise.all(
    probes.map(async (probe): Promise<ConnectionResult> => {
      const url = probe.url(settings);
      const secret = await secrets.get(probe.secret);
      if (secret === undefined) return { service: probe.service, url, outcome: 'notConfigured', detail: 'no key set' };
      try {
        const response = await fetch(url, { method: 'GET', headers: probe.headers(secret), signal: AbortSignal.timeout(timeoutMs) });
        if (response.status >= 200 && response.status < 300) return { service: probe.service, url, outcome: 'ok', detail: `HTTP ${response.status}` };
        const body = (await response.text()).replace(/\s+/g, ' ').trim();
        return { service: probe.service, url, outcome: 'failed', detail: `HTTP ${response.status}${body ? `: ${truncate(body, 300)}` : ''}${hint(response.status)}` };
      } catch (error) {
        return { service: probe.service, url, outcome: 'failed', detail: describeError(error) };
      }
    }),
  );
}

function hint(status: number): string {
  if (status === 401) return ' — the key was rejected; set it again';
  if (status === 403) return ' — the key lacks permission, or a rate limit applies';
  if (status === 429) return ' — rate limited; try again later';
  if (status >= 500) return ' — the service failed; try again later';
  return '';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
