import * as vscode from 'vscode';
import type { Redactor } from '../core/logging/redactor';
import { secretDescriptions, secretIds, type SecretId, type SecretSource } from '../core/secrets/secrets';
import type { GitHubAuthState } from '../core/state/atoState';

/** Scopes ATO asks of VS Code's built-in GitHub sign-in: repositories, and workflows for CI set-up. */
export const githubScopes = ['repo', 'workflow'] as const;

/**
 * Secrets in VS Code's SecretStorage (the OS keychain on desktop), plus the GitHub session of VS Code's
 * built-in authentication provider, which wins over a stored token. Every value read or stored is
 * handed to the redactor first.
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
        if (event.provider.id === 'github') listener();
      }),
    );
  }

  async get(id: SecretId): Promise<string | undefined> {
    if (id === 'github.token') {
      const session = await this.githubSession(false);
      if (session !== undefined) return session.accessToken;
    }
    return this.stored(id);
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

  private async githubSession(interactive: boolean): Promise<vscode.AuthenticationSession | undefined> {
    try {
      const session = await vscode.authentication.getSession('github', [...githubScopes], interactive ? { createIfNone: true } : { silent: true });
      this.redactor.addSecret(session?.accessToken);
      return session;
    } catch (error) {
      if (interactive) throw error;
      // No provider (e.g. a web build without GitHub auth) means "not signed in", not a failure.
      return undefined;
    }
  }
}
