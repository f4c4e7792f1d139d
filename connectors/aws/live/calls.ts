/**
 * Every AWS call goes through here: it counts calls and attempts (for stats and the bench), passes the
 * scan's abort signal, retries a response the SDK could not parse (a truncated body from a proxy is
 * transient; the SDK's own retry strategy covers throttling, 5xx, network errors and per-request timeouts,
 * see requestTimeouts in clients.ts), and turns the final failure into a message that names the part of
 * the source.
 */
import { setTimeout as sleep } from 'node:timers/promises';

interface Sendable<Output> {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<Output>;
}

export class CallFailed extends Error {
  override name = 'CallFailed';
  constructor(
    readonly part: string,
    readonly action: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AwsCalls {
  calls = 0;
  attempts = 0;
  readonly byAction: Record<string, number> = {};

  constructor(
    private readonly signal: AbortSignal,
    private readonly parseRetries = 3,
  ) {}

  async send<Output>(client: Sendable<Output> | object, command: { constructor: { name: string } }, part: string): Promise<Output> {
    const action = command.constructor.name.replace(/Command$/, '');
    for (let attempt = 0; ; attempt++) {
      this.calls++;
      this.byAction[action] = (this.byAction[action] ?? 0) + 1;
      try {
        const output = (await (client as Sendable<Output>).send(command, { abortSignal: this.signal })) as Output & { $metadata?: { attempts?: number } };
        this.attempts += output.$metadata?.attempts ?? 1;
        return output;
      } catch (error) {
        const e = error as { name?: string; message?: string; $metadata?: { attempts?: number; httpStatusCode?: number } };
        this.attempts += e.$metadata?.attempts ?? 1;
        if (isUnparsable(e) && attempt < this.parseRetries && !this.signal.aborted) {
          await sleep(100 * 2 ** attempt * (0.5 + Math.random()));
          continue;
        }
        const code = e.name ?? 'Error';
        const tries = e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempt(s)` : '';
        throw new CallFailed(part, action, code, `${action} failed${tries}: ${code}${e.message && e.message !== code ? `: ${firstLine(e.message)}` : ''}`);
      }
    }
  }
}

/** A 2xx response whose body the SDK could not parse (truncated or malformed XML). */
function isUnparsable(e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }): boolean {
  const status = e.$metadata?.httpStatusCode;
  return (status === undefined || (status >= 200 && status < 300)) && /deserializ|xml|parse|unexpected end|unclosed/i.test(`${e.name} ${e.message}`);
}

function firstLine(text: string): string {
  // The HTTP handler prefixes its own timeouts with its package name and a log level; neither helps a reader.
  return text
    .split('\n', 1)[0]!
    .replace(/^@smithy\/node-http-handler - (\[ERROR\] )?/, '')
    .slice(0, 300);
}

export function errorCode(error: unknown): string {
  return error instanceof CallFailed ? error.code : ((error as { name?: string }).name ?? 'Error');
}
