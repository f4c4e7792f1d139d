/**
 * The recipes in examples/pipelines and examples/schedules, validated offline against their schemas:
 * - GitHub workflows with GitHub's own workflow parser and schema (@actions/workflow-parser);
 * - Kubernetes manifests with models generated from the Kubernetes OpenAPI schema (kubernetes-models);
 * - the Argo WorkflowTemplate with Argo's published JSON Schema (testkit/schemas, vendored with its licence).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ROOT } from '../support/cli.js';

const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The workflow parser's errors as text: '' when the workflow is valid. */
function workflowErrors(file: string): string {
  const result = parseWorkflow({ name: file, content: text(file) }, new NoOperationTraceWriter());
  return result.context.errors
    .getErrors()
    .map((e) => e.message)
    .join('\n');
}

/** Each document of a manifest, validated by its kind's model (throws with the failing path). */
function validateManifest(file: string): string[] {
  const models: Record<string, new (data: any) => { validate(): void }> = {
    PersistentVolumeClaim: PersistentVolumeClaim as any,
    Job: Job as any,
    CronJob: CronJob as any,
  };
  return parseAllDocuments(text(file)).map((doc) => {
    const object = doc.toJS();
    const Model = models[object.kind];
    if (!Model) throw new Error(`${file}: no schema for kind ${object.kind}`);
    new Model(object).validate();
    return object.kind;
  });
}

describe('GitHub Actions recipes (GitHub workflow schema)', () => {
  for (const file of ['examples/pipelines/github-actions-matrix.yml', 'examples/schedules/github-actions-cron.yml'])
    it(`${file} is a valid workflow`, () => expect(workflowErrors(file)).toBe(''));

  it('the parser rejects a broken workflow (the check can fail)', () => {
    const broken = parseWorkflow(
      { name: 'broken.yml', content: 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n' },
      new NoOperationTraceWriter(),
    );
    expect(broken.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('the matrix stays within the 256-job limit and matches SHARDS', () => {
    const workflow = parse(text('examples/pipelines/github-actions-matrix.yml'));
    const shards = workflow.jobs.shard.strategy.matrix.shard as number[];
    expect(shards.length).toBeLessThanOrEqual(256);
    expect(shards).toEqual(Array.from({ length: Number(workflow.env.SHARDS) }, (_, i) => i + 1));
    expect(workflow.jobs.shard.steps.find((s: any) => s.run?.includes('--shard')).run).toMatch(/--shard "\$\{\{ matrix\.shard \}\}\/\$\{SHARDS\}"/);
    expect(workflow.jobs.merge.needs).toBe('shard');
  });

  it('the schedule keeps history and publishes the HTML report', () => {
    const workflow = parse(text('examples/schedules/github-actions-cron.yml'));
    expect(workflow.on.schedule[0].cron).toBeTruthy();
    const steps = workflow.jobs.scan.steps as any[];
    const scan = steps.find((s) => s.name === 'Scan').run as string;
    expect(scan).toMatch(/--history /);
    expect(scan).toMatch(/--format json,md,html/);
    expect(steps.some((s) => String(s.uses).startsWith('actions/cache/restore@'))).toBe(true);
    expect(steps.some((s) => String(s.uses).startsWith('actions/deploy-pages@'))).toBe(true);
  });
});

describe('Kubernetes recipes (Kubernetes OpenAPI schema)', () => {
  it('the Indexed Job and merge Job are valid, and the shard count matches completions', () => {
    expect(validateManifest('examples/pipelines/k8s-indexed-job.yaml')).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
    const [, shards] = parseAllDocuments(text('examples/pipelines/k8s-indexed-job.yaml')).map((d) => d.toJS());
    expect(shards.spec.completionMode).toBe('Indexed');
    const args = shards.spec.template.spec.containers[0].args as string[];
    expect(Number(args[args.indexOf('--shard-count') + 1])).toBe(shards.spec.completions);
  });

  it('the CronJob is valid and records history', () => {
    expect(validateManifest('examples/schedules/k8s-cronjob.yaml')).toEqual(['PersistentVolumeClaim', 'CronJob']);
    const [, cron] = parseAllDocuments(text('examples/schedules/k8s-cronjob.yaml')).map((d) => d.toJS());
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args).toContain('--history');
  });

  it('a wrong field type is rejected (the check can fail)', () => {
    expect(() => new Job({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { completions: 'eight' } } as any).validate()).toThrow();
  });
});

describe('Argo Workflows recipe (Argo JSON Schema)', () => {
  const schema = JSON.parse(text('testkit/schemas/argo-workflow-template.schema.json'));
  const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);
  it('the WorkflowTemplate is valid', () => {
    const template = parse(text('examples/pipelines/argo-workflow-template.yaml'));
    expect(validate(template), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(template.spec.templates.find((t: any) => t.name === 'shard').container.args).toContain('--shard');
  });
  it('a misspelt kind is rejected (the check can fail)', () => {
    expect(validate({ ...parse(text('examples/pipelines/argo-workflow-template.yaml')), kind: 'WorkflowTemplat' })).toBe(false);
  });
});
