import type * as vscode from 'vscode';
import type { Logger } from '../core/logging/logger';
import type { Redactor } from '../core/logging/redactor';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import type { VscodeSecrets } from './secretStore';
import type { WorkspaceMonitor } from './workspaceMonitor';

/** What the composition root builds once and hands to commands and views. */
export interface AtoServices {
  readonly extensionVersion: string;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly store: Store<AtoState>;
  readonly secrets: VscodeSecrets;
  readonly workspace: WorkspaceMonitor;
  /** This workspace's state on this machine: choices a cloned repository cannot make for the user. */
  readonly workspaceState: vscode.Memento;
}
