/**
 * The built-in `aws` plugin: the live connector (`aws`, `aws:PROFILE`, `--aws-org-role`), the offline
 * importers (authorization details, credential report, list-access-keys), the access-key reconciler,
 * the credential rules (rules/aws) and the privilege analysis and rules (src/aws-iam, rules/aws-privilege).
 */
import { definePlugin } from '../../src/plugin.js';
import { isAwsPrincipal } from '../../src/model/aws.js';
import { lazyConnector, lazyEnricher, lazyImporters, withZod, type DeferredAnalysis } from '../../src/lazy-connector.js';
import { awsConnectorMeta } from './live/meta.js';

export const awsPlugin = definePlugin({
  name: 'nhiscan:aws',
  // The live connector loads the AWS SDK only when an aws source runs.
  connectors: [lazyConnector(awsConnectorMeta, async () => (await import('./live/connector.js')).awsConnector)],
  // The importers (readers, normalisers) load when an import: source runs; the ids keep their order.
  importers: lazyImporters(
    [
      'aws-organization',
      'aws-authorization-details',
      'aws-credential-report',
      'aws-list-access-keys',
      'aws-list-secrets',
      'aws-kms-describe-key',
      'aws-lambda-policy',
      'aws-s3-bucket-policy',
      'aws-sns-topic-attributes',
      'aws-sqs-queue-attributes',
    ],
    async () => (await import('./importers.js')).awsImporters,
  ),
});

/** The reconciler, the privilege analysis, leak correlation and the rules: loaded when the inventory holds AWS items. */
export const awsAnalysis: DeferredAnalysis = {
  providers: ['aws'],
  load: withZod(async () => {
    const [{ awsKeyReconciler }, { leakCorrelationEnricher }, { awsRules }, { awsPrivilegeRules }] = await Promise.all([
      import('./key-reconciler.js'),
      import('../../src/aws-iam/leaks.js'),
      import('../../rules/aws/index.js'),
      import('../../rules/aws-privilege/index.js'),
    ]);
    return definePlugin({
      name: 'nhiscan:aws-analysis',
      // The reconciler (order 5) links keys to users before owners (10), analysis (50) and leak correlation (90).
      // The policy evaluator and the IAM action catalogue load only when there are AWS principals to analyse.
      enrichers: [
        awsKeyReconciler,
        lazyEnricher(
          { id: 'aws-effective-permissions', order: 50 },
          (inventory) => inventory.identities.some((identity) => isAwsPrincipal(identity)),
          async () => (await import('../../src/aws-iam/enricher.js')).effectivePermissionsEnricher,
        ),
        leakCorrelationEnricher,
      ],
      rules: [...awsRules, ...awsPrivilegeRules],
    });
  }),
};
