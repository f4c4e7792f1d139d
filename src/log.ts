/**
 * Logging and progress, all on stderr so stdout stays clean for machine use.
 * Every message passes through `redactText` as a last line of defence against leaking a secret.
 */
import { redactText } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LoggerOptions {
  quiet?: boolean;
  verbose?: boolean;
  stream?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const write = (level: LogLevel, message: string) => {
    if (options.quiet && level !== 'error') return;
    if (level === 'debug' && !options.verbose) return;
    const prefix = level === 'info' ? '' : `${level}: `;
    stream.write(`${prefix}${redactText(message)}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

/** A logger that drops everything; for library use and tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
