import { format } from 'node:util';
import { describeError, type Redactor } from './redactor';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: a `LogOutputChannel` in VS Code, stderr in the CLI, an array in tests. */
export interface LogSink {
  write(level: LogLevel, message: string): void;
}

/** The core's logging port. Every line passes through the redactor before it reaches a sink. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  /** A logger whose lines start with `[scope]`. */
  scoped(scope: string): Logger;
}

export function createLogger(sink: LogSink, redactor: Redactor, scope?: string): Logger {
  const prefix = scope === undefined ? '' : `[${scope}] `;
  const emit = (level: LogLevel, message: string, args: unknown[]): void => {
    const rendered = args.length === 0 ? message : format(message, ...args.map(renderArgument));
    sink.write(level, redactor.redact(prefix + rendered));
  };
  return {
    trace: (message, ...args) => { emit('trace', message, args); },
    debug: (message, ...args) => { emit('debug', message, args); },
    info: (message, ...args) => { emit('info', message, args); },
    warn: (message, ...args) => { emit('warn', message, args); },
    error: (message, ...args) => { emit('error', message, args); },
    scoped: child => createLogger(sink, redactor, scope === undefined ? child : `${scope}:${child}`),
  };
}

// Errors are rendered without stacks (which could hold arguments) and objects as JSON, so that the
// redactor sees the whole text that will be written.
function renderArgument(argument: unknown): unknown {
  if (argument instanceof Error) return describeError(argument);
  return argument;
}

const levelOrder: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** A sink that writes `ISO-time [level] message` lines to a stream (the CLI's stderr). */
export function streamLogSink(stream: { write(text: string): unknown }, minimum: LogLevel = 'info', now: () => Date = () => new Date()): LogSink {
  return {
    write(level, message) {
      if (levelOrder[level] < levelOrder[minimum]) return;
      stream.write(`${now().toISOString()} [${level}] ${message}\n`);
    },
  };
}

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(levelOrder, value);
}
