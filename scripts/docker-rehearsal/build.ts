/**
 * Interprets a parsed Dockerfile instruction by instruction, one root file system per stage, as `docker build`
 * would (without its layer cache or isolation: see docs/pipelines.md, Container).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { type Bind, resolveUser, runInRoot } from './chroot.js';
import { BASE_IMAGES, type ImageConfig } from './base-image.js';
import { commandOf, envPairs, type Instruction, type Stage, substitute, words } from './dockerfile.js';

export interface BuiltStage {
  name: string;
  root: string;
  config: ImageConfig;
  labels: Record<string, string>;
  steps: { instruction: string; ms: number }[];
}

export interface BuildInput {
  stages: Stage[];
  context: string;
  workdir: string;
  base: { root: string; config: ImageConfig };
  log: (line: string) => void;
}

const copyTree = (from: string, to: string) => execFileSync('cp', ['-a', '--reflink=auto', from, to]);

function startStage(stage: Stage, index: number, built: BuiltStage[], input: BuildInput): BuiltStage {
  const name = stage.name ?? String(index);
  const root = join(input.workdir, `stage-${index}-${name}`);
  const parent = built.find((b) => b.name === stage.image.toLowerCase());
  if (!parent && !BASE_IMAGES.has(stage.image))
    throw new Error(`FROM ${stage.image}: the rehearsal only has ${[...BASE_IMAGES].join(', ')} and earlier stages`);
  mkdirSync(root);
  copyTree(`${parent?.root ?? input.base.root}/.`, root);
  const config = structuredClone(parent?.config ?? input.base.config);
  return { name, root, config, labels: {}, steps: [] };
}

/** COPY [--from=STAGE] [--chown=U:G] SRC... DEST, with Docker's rules for folders and trailing slashes. */
function copy(stage: BuiltStage, args: string, built: BuiltStage[], input: BuildInput): void {
  const parts = words(substitute(args, stage.config.env));
  const flags = Object.fromEntries(parts.filter((p) => p.startsWith('--')).map((p) => p.slice(2).split('=') as [string, string]));
  for (const flag of Object.keys(flags)) if (flag !== 'from' && flag !== 'chown') throw new Error(`COPY --${flag} is not interpreted by the rehearsal`);
  const paths = parts.filter((p) => !p.startsWith('--'));
  const destination = paths.pop()!;
  const fromRoot = flags.from ? built.find((b) => b.name === flags.from!.toLowerCase())?.root : input.context;
  if (!fromRoot) throw new Error(`COPY --from=${flags.from}: no such stage`);
  const target = join(stage.root, posix.resolve(stage.config.workdir, destination));
  const intoFolder = destination.endsWith('/') || paths.length > 1 || (existsSync(target) && statSync(target).isDirectory());
  const owner = flags.chown ? resolveUser(stage.root, flags.chown) : { uid: 0, gid: 0 };
  const copied: string[] = [];
  for (const source of paths) {
    const from = join(fromRoot, source.replace(/^\/+/, ''));
    if (/[*?[]/.test(source)) throw new Error(`COPY ${source}: wildcards are not interpreted by the rehearsal`);
    if (!existsSync(from)) throw new Error(`COPY ${source}: not found in ${flags.from ? `stage ${flags.from}` : 'the build context (after .dockerignore)'}`);
    if (statSync(from).isDirectory()) {
      mkdirSync(target, { recursive: true });
      for (const entry of readdirSync(from)) copied.push(join(target, entry));
      copyTree(`${from}/.`, target);
    } else {
      const to = intoFolder ? join(target, basename(from)) : target;
      mkdirSync(intoFolder ? target : join(to, '..'), { recursive: true });
      copyTree(from, to);
      copied.push(to);
    }
  }
  // COPY makes everything it writes owned by root (or --chown), whatever the owner in the context was.
  if (copied.length) execFileSync('chown', ['-R', '--no-dereference', `${owner.uid}:${owner.gid}`, ...copied]);
}

/**
 * This machine reaches the npm registry through a TLS-inspecting egress proxy whose CA the host trusts through
 * NODE_EXTRA_CA_CERTS. RUN steps get that CA bound in (not part of the image); a real build does not need it.
 */
function hostEgressCa(): { binds: Bind[]; env: Record<string, string> } {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!ca || !existsSync(ca)) return { binds: [], env: {} };
  const target = '/run/rehearsal-host-egress-ca.crt';
  return { binds: [{ host: ca, target, readOnly: true }], env: { NODE_EXTRA_CA_CERTS: target } };
}

async function run(stage: BuiltStage, instruction: Instruction): Promise<void> {
  const account = resolveUser(stage.root, stage.config.user);
  const egress = hostEgressCa();
  const env = { HOME: account.home, ...stage.config.env, ...egress.env };
  const result = await runInRoot(
    {
      root: stage.root,
      argv: commandOf(instruction.args),
      env,
      cwd: stage.config.workdir,
      uid: account.uid,
      gid: account.gid,
      binds: egress.binds,
      network: true,
    },
    (line) => console.log(`    │ ${line}`),
  );
  if (result.code !== 0) throw new Error(`stage ${stage.name}, line ${instruction.line}: RUN exited with ${result.code}`);
}

async function apply(stage: BuiltStage, instruction: Instruction, built: BuiltStage[], input: BuildInput): Promise<void> {
  const { keyword, args } = instruction;
  const config = stage.config;
  if (keyword === 'RUN') return run(stage, instruction);
  if (keyword === 'COPY') return copy(stage, args, built, input);
  if (keyword === 'WORKDIR') {
    config.workdir = posix.resolve(config.workdir, substitute(args, config.env));
    mkdirSync(join(stage.root, config.workdir), { recursive: true });
  } else if (keyword === 'ENV') for (const [k, v] of envPairs(args)) config.env[k] = substitute(v, config.env);
  else if (keyword === 'USER') config.user = substitute(args.trim(), config.env);
  else if (keyword === 'ENTRYPOINT') [config.entrypoint, config.cmd] = [commandOf(args), []];
  else if (keyword === 'CMD') config.cmd = commandOf(args);
  else if (keyword === 'LABEL') for (const [k, v] of envPairs(args)) stage.labels[k] = v;
  else if (keyword !== 'EXPOSE') throw new Error(`line ${instruction.line}: ${keyword} is not interpreted by the rehearsal`);
}

/** Builds every stage in order; returns them all (the last is the image). */
export async function buildStages(input: BuildInput): Promise<BuiltStage[]> {
  const built: BuiltStage[] = [];
  for (const [index, stage] of input.stages.entries()) {
    const current = startStage(stage, index, built, input);
    input.log(`stage ${current.name}: FROM ${stage.image}`);
    for (const instruction of stage.instructions) {
      const started = performance.now();
      const text = `${instruction.keyword} ${instruction.args}`;
      input.log(`  ${text.length > 150 ? `${text.slice(0, 147)}...` : text}`);
      await apply(current, instruction, built, input);
      current.steps.push({ instruction: text, ms: performance.now() - started });
    }
    built.push(current);
  }
  return built;
}
