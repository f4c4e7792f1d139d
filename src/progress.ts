/**
 * Progress on stderr: a live, redrawn status line per source on a TTY, plain lines otherwise
 * (CI logs), nothing with --quiet. stdout is never touched.
 */
import { redactText } from './redact.js';

export interface Progress {
  update(source: string, message: string): void;
  done(source: string, status: string): void;
  stop(): void;
}

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, done() {}, stop() {} };
  if (!stream.isTTY) {
    const last = new Map<string, number>();
    return {
      update(source, message) {
        // Plain mode: at most one line per source per second, so CI logs stay readable.
        const now = Date.now();
        if (now - (last.get(source) ?? 0) < 1000) return;
        last.set(source, now);
        stream.write(`[${source}] ${redactText(message)}\n`);
      },
      done(source, status) {
        stream.write(`[${source}] ${status}\n`);
      },
      stop() {},
    };
  }
  const lines = new Map<string, string>();
  let drawn = 0;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const draw = () => {
    if (drawn) stream.write(`\x1b[${drawn}A`);
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    for (const [source, message] of lines)
      stream.write(
        `\x1b[2K${`${message.startsWith('✔') || message.startsWith('✖') || message.startsWith('◐') ? '' : `${frames[frame]} `}${source}: ${message}`.slice(0, width)}\n`,
      );
    drawn = lines.size;
    frame = (frame + 1) % frames.length;
  };
  const timer = setInterval(draw, 120);
  timer.unref();
  return {
    update(source, message) {
      lines.set(source, redactText(message));
    },
    done(source, status) {
      lines.set(source, `${status === 'ok' ? '✔' : status === 'partial' ? '◐' : '✖'} ${status}`);
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
