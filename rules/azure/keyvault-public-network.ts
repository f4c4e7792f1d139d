import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { vaults } from './common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-public-network',
    title: 'Key Vault reachable from any public network',
    category: 'insecure-configuration',
    defaultSeverity: 'medium',
    owasp: ['NHI2', 'NHI6'],
    cis: ['CIS Azure 8.3.7', 'CIS Azure 8.3.8'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      "With public network access enabled and no firewall (default action Allow), anyone on the internet holding a stolen token or client secret can read the vault's secrets from anywhere. Network restriction is the second lock when a credential leaks.",
    remediation:
      'Disable public network access and reach the vault through a private endpoint, or at least set the firewall\'s default action to Deny with the needed IP ranges and virtual networks (keep "Allow trusted Microsoft services" only if required).',
  },
  check(inventory) {
    return vaults(inventory).flatMap((vault): FindingDraft[] => {
      const a = vault.attributes;
      if (!a.openToPublicNetwork) return [];
      return [
        {
          resource: refOf(vault),
          message: `Vault ${vault.name} accepts connections from any public address (public network access ${a.publicNetworkAccess}, firewall default action ${a.networkAcls?.defaultAction ?? 'none'}, ${a.privateEndpointConnections} private endpoint(s)).`,
          evidence: {
            publicNetworkAccess: a.publicNetworkAccess,
            defaultAction: a.networkAcls?.defaultAction ?? null,
            privateEndpointConnections: a.privateEndpointConnections,
          },
        },
      ];
    });
  },
});
