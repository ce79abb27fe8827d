import type { ToHostMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The one place the webview touches `acquireVsCodeApi` (it may be called only once per page). */
export interface HostApi {
  post(message: ToHostMessage): void;
  /** The UI state saved with `setState` (filter, collapsed groups, scroll), or undefined. */
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectToHost(): HostApi {
  const api = acquireVsCodeApi();
  return {
    post: message => { api.postMessage(message); },
    getState: () => api.getState(),
    setState: state => { api.setState(state); },
  };
}
