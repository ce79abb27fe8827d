import type * as vscode from 'vscode';
import type { LogSink } from '../core/logging/logger';

/** Sends core log lines to the "ATO" LogOutputChannel, which applies the user's log level. */
export function logChannelSink(channel: vscode.LogOutputChannel): LogSink {
  return {
    write(level, message) {
      switch (level) {
        case 'trace':
          channel.trace(message);
          break;
        case 'debug':
          channel.debug(message);
          break;
        case 'info':
          channel.info(message);
          break;
        case 'warn':
          channel.warn(message);
          break;
        case 'error':
          channel.error(message);
          break;
      }
    },
  };
}
