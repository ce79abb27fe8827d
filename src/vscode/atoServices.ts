import type * as vscode from 'vscode';
import type { Logger } from '../core/logging/logger';
import type { Redactor } from '../core/logging/redactor';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import type { VscodeSecrets } from './secretStore';
import type { WorkspaceMonitor } from './workspaceMonitor';

/** What the window shares across its folders: built once by the composition root. */
export interface SharedServices {
  readonly extensionVersion: string;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly redactor: Redactor;
  /** Keys are the user's, not a folder's: one SecretStorage for the window. */
  readonly secrets: VscodeSecrets;
  /** This workspace's state on this machine: choices a cloned repository cannot make for the user. */
  readonly workspaceState: vscode.Memento;
}

/** One workspace folder's services (PRODUCT §2: each folder is its own ATO workspace): its state and its monitor. */
export interface AtoServices extends SharedServices {
  readonly store: Store<AtoState>;
  readonly workspace: WorkspaceMonitor;
}
