import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { applications, credentialsByAppId, KIND_CLIENT_SECRET } from './common.js';

const options = z.object({ maxActiveSecrets: z.number().int().positive().default(1) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'entra-multiple-active-secrets',
    title: 'Application has more than one active client secret',
    category: 'unrotated-credential',
    defaultSeverity: 'low',
    owasp: ['NHI7'],
    optionsSchema: options,
    providers: ['entra'],
    description:
      'Two live secrets on one application usually mean a rotation that was never finished: the old secret still works wherever it was copied. Only a short overlap during a rotation is expected.',
    remediation: 'Find which secret the workload uses (the credential sign-in activity report shows the last use per key id) and remove the others.',
  },
  check(inventory, { maxActiveSecrets }) {
    const byApp = credentialsByAppId(inventory);
    return applications(inventory).flatMap(({ identity, attrs }) => {
      const active = (byApp.get(attrs.appId.toLowerCase()) ?? []).filter((v) => v.credential.kind === KIND_CLIENT_SECRET && v.credential.status === 'active');
      if (active.length <= maxActiveSecrets) return [];
      return [
        {
          resource: refOf(identity),
          message: `Application "${identity.name}" has ${active.length} active client secrets (${active.map((v) => v.attrs.displayName ?? v.attrs.keyId).join(', ')}); at most ${maxActiveSecrets} expected.`,
          evidence: { activeSecrets: active.length, keyIds: active.map((v) => v.attrs.keyId), maxActiveSecrets },
        },
      ];
    });
  },
});
