import * as vscode from 'vscode';
import type { GitHubSessionProvider } from '../core/forges/github/githubToken';
import type { Redactor } from '../core/logging/redactor';
import { secretDescriptions, secretIds, type SecretId, type SecretSource } from '../core/secrets/secrets';
import type { GitHubAuthState } from '../core/state/atoState';

/** Scopes ATO asks of VS Code's built-in GitHub sign-in: repositories, and workflows for CI set-up. */
export const githubScopes = ['repo', 'workflow'] as const;

/**
 * Secrets in VS Code's SecretStorage (the OS keychain on desktop), plus the sessions of VS Code's built-in
 * GitHub sign-ins. A session is asked for only by the endpoint it was issued for (githubTokenFor): `github`
 * is github.com's, `github-enterprise` the one of the user's `github-enterprise.uri`. Every value read or
 * stored is handed to the redactor first.
 */
export class VscodeSecrets implements SecretSource {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly redactor: Redactor,
  ) {}

  /** Fires when any ATO key changes in any window, or the GitHub session changes. */
  onDidChange(listener: () => void): vscode.Disposable {
    const keys = new Set(secretIds.map(id => secretDescriptions[id].storageKey));
    return vscode.Disposable.from(
      this.storage.onDidChange(event => {
        if (keys.has(event.key)) listener();
      }),
      vscode.authentication.onDidChangeSessions(event => {
        if (event.provider.id === 'github' || event.provider.id === 'github-enterprise') listener();
      }),
    );
  }

  /** A stored key. The GitHub token here is the one the user gave ATO; sign-ins come from `githubSessionToken`. */
  async get(id: SecretId): Promise<string | undefined> {
    return this.stored(id);
  }

  /** The access token of a silent sign-in of this provider, if the user signed in. */
  async githubSessionToken(provider: GitHubSessionProvider): Promise<string | undefined> {
    return (await this.githubSession(false, provider))?.accessToken;
  }

  async has(id: SecretId): Promise<boolean> {
    return (await this.stored(id)) !== undefined;
  }

  async store(id: SecretId, value: string): Promise<void> {
    const trimmed = value.trim();
    this.redactor.addSecret(trimmed);
    await this.storage.store(secretDescriptions[id].storageKey, trimmed);
  }

  async delete(id: SecretId): Promise<void> {
    await this.storage.delete(secretDescriptions[id].storageKey);
  }

  async githubAuthState(): Promise<GitHubAuthState> {
    const session = await this.githubSession(false);
    if (session !== undefined) return { kind: 'session', account: session.account.label };
    return (await this.has('github.token')) ? { kind: 'token' } : { kind: 'none' };
  }

  /** Interactive sign-in through VS Code's GitHub provider. Returns the account label. */
  async signInToGitHub(): Promise<string> {
    const session = await this.githubSession(true);
    if (session === undefined) throw new Error('GitHub sign-in was cancelled.');
    return session.account.label;
  }

  private async stored(id: SecretId): Promise<string | undefined> {
    const value = await this.storage.get(secretDescriptions[id].storageKey);
    this.redactor.addSecret(value);
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  private async githubSession(interactive: boolean, provider: GitHubSessionProvider = 'github'): Promise<vscode.AuthenticationSession | undefined> {
    try {
      const session = await vscode.authentication.getSession(provider, [...githubScopes], interactive ? { createIfNone: true } : { silent: true });
      this.redactor.addSecret(session?.accessToken);
      return session;
    } catch (error) {
      if (interactive) throw error;
      // No provider (e.g. a web build without GitHub auth) means "not signed in", not a failure.
      return undefined;
    }
  }
}
