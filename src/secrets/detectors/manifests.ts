/** Infrastructure manifests: Docker config.json auths, Kubernetes Secrets, kubeconfig tokens and client keys. */
import type { DetectorEntry } from '../detector.js';
import { entries, ref } from './patterns.js';

export const manifestDetectors: DetectorEntry[] = entries({ family: 'manifest', priority: 45, minEntropy: 0 }, [
  {
    id: 'docker-registry-auth',
    title: 'Docker registry credentials (config.json auths)',
    provider: 'docker',
    keywords: ['"auth"'],
    pattern: /"auth"\s{0,3}:\s{0,3}"(?<secret>[A-Za-z0-9+/]{8,2048}={0,2})"/,
    validators: ['docker-auth'],
    confidence: 'validated',
    identityKind: 'registry-user',
    references: ['https://docs.docker.com/reference/cli/docker/login/#credential-stores', ref.kingfisher('dockerhub')],
    examples: {
      positive: [{ template: '{gen:fakeDockerConfigJson}', path: '.docker/config.json' }],
      negative: ['{ "auths": { "registry.internal": { "auth": "{b64bytes:30}" } } }\n'],
    },
  },
  {
    id: 'kubernetes-secret-manifest',
    title: 'Kubernetes Secret manifest value',
    provider: 'kubernetes',
    keywords: ['kind: secret', 'kind: "secret"', "kind: 'secret'"],
    pattern: /^[ \t]{1,8}(?<key>[A-Za-z0-9_.-]{1,253}):[ \t]{1,4}["']?(?<secret>[^\s"'#]{1,8192})["']?[ \t]{0,16}$/m,
    validators: ['kubernetes-secret'],
    severity: 'medium',
    identityKind: 'kubernetes-secret',
    window: { linesBefore: 80, linesAfter: 80, charsBefore: 8192, charsAfter: 8192 },
    references: ['https://kubernetes.io/docs/concepts/configuration/secret/', ref.gitleaks('kubernetes')],
    examples: {
      positive: [
        { template: '{gen:fakeKubernetesSecret}', path: 'deploy/secret.yaml' },
        { template: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  api-token: {alnum:32}\n', path: 'k8s/api.yaml' },
      ],
      negative: [{ template: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  password: {b64bytes:18}\n', path: 'k8s/cm.yaml' }],
    },
  },
  {
    id: 'kubeconfig-token',
    title: 'kubeconfig user token',
    provider: 'kubernetes',
    keywords: ['token:'],
    pattern: /^[ \t]{1,16}(?:token|id-token|refresh-token):[ \t]{1,4}["']?(?<secret>[A-Za-z0-9._~+/=-]{20,4096})["']?[ \t]{0,16}$/m,
    validators: ['kubeconfig-token'],
    severity: 'high',
    identityKind: 'kubernetes-user',
    references: ['https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/'],
    examples: { positive: [{ template: '{gen:fakeKubeconfig}', path: '.kube/config' }], negative: ['steps:\n  - with:\n      token: {alnum:30}\n'] },
  },
  {
    id: 'kubeconfig-client-key',
    title: 'kubeconfig client private key (client-key-data)',
    provider: 'kubernetes',
    keywords: ['client-key-data'],
    pattern: /client-key-data:[ \t]{1,4}["']?(?<secret>[A-Za-z0-9+/]{100,16384}={0,2})/,
    validators: ['kubeconfig-client-key'],
    confidence: 'validated',
    severity: 'high',
    identityKind: 'kubernetes-user',
    window: { charsAfter: 20000 },
    priority: 56,
    references: ['https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/'],
    examples: { positive: ['users:\n- name: admin\n  user:\n    client-key-data: {b64pem:ec-sec1}\n'], negative: ['    client-key-data: {b64:200}\n'] },
  },
]);
