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
}

export function connectToHost(): HostApi {
  const api = acquireVsCodeApi();
  return { post: message => { api.postMessage(message); } };
}
