/**
 * The Entra rules with testRule: small inline tenants written as Graph objects (testkit/inventory/entra.ts),
 * each valid case producing nothing and each invalid case exactly the findings it states.
 */
import { testRule } from '../../testkit/rule-tester.js';
import { entraRules } from '../../rules/entra/index.js';
import {
  activeOwner,
  app,
  certCred,
  disabledOwner,
  entraInventory,
  OTHER_TENANT,
  secretCred,
  sp,
  withGraphPermissions,
} from '../../testkit/inventory/entra.js';
import type { Rule } from '../../src/plugin.js';

const rule = (id: string): Rule => entraRules.find((r) => r.meta.id === id)!;
const iso = (days: number) => new Date(Date.parse('2026-11-29T00:00:00Z') + days * 86_400_000).toISOString();

testRule(rule('entra-credential-lifetime'), {
  valid: [
    {
      name: 'a 180-day secret and a 630-day certificate',
      inventory: entraInventory({ applications: [app('ok', { passwordCredentials: [secretCred('s', -30, 150)], keyCredentials: [certCred('c', -30, 600)] })] }),
    },
    {
      name: 'a longer limit by option',
      inventory: entraInventory({ applications: [app('ok', { passwordCredentials: [secretCred('s', -10, 400)] })] }),
      options: { maxSecretDays: 500 },
    },
    {
      name: "an expired credential is another rule's",
      inventory: entraInventory({ applications: [app('old', { passwordCredentials: [secretCred('s', -900, -1)] })] }),
    },
  ],
  invalid: [
    {
      inventory: entraInventory({
        applications: [app('long', { passwordCredentials: [secretCred('s', -10, 400)], keyCredentials: [certCred('c', -10, 800)] })],
      }),
      findings: [
        { resource: 'long/s', message: '410 days', evidence: { maxDays: 365 } },
        { resource: 'long/c', message: '810 days', evidence: { maxDays: 730 } },
      ],
    },
  ],
});

testRule(rule('entra-sp-credential'), {
  valid: [
    {
      name: 'a SAML signing pair on an enterprise app',
      inventory: entraInventory({
        servicePrincipals: [sp('saml', { keyCredentials: [certCred('sign', -5, 300, 'Sign'), certCred('verify', -5, 300, 'Verify')] })],
      }),
    },
    { name: 'credentials on the app registration', inventory: entraInventory({ applications: [app('a', { passwordCredentials: [secretCred('s')] })] }) },
  ],
  invalid: [
    {
      inventory: entraInventory({ servicePrincipals: [sp('sneaky', { passwordCredentials: [secretCred('backdoor')] })] }),
      findings: [{ resource: 'sneaky/backdoor', severity: 'high' }],
    },
  ],
});

testRule(rule('entra-federated-subject-broad'), {
  valid: [
    {
      inventory: entraInventory({
        applications: [
          app('gh', {
            federatedIdentityCredentials: [
              {
                name: 'main',
                issuer: 'https://token.actions.githubusercontent.com',
                subject: 'repo:contoso/api:environment:prod',
                audiences: ['api://AzureADTokenExchange'],
              },
            ],
          }),
        ],
      }),
    },
  ],
  invalid: [
    {
      inventory: entraInventory({
        applications: [
          app('gh', {
            federatedIdentityCredentials: [
              { name: 'org', issuer: 'https://token.actions.githubusercontent.com', subject: 'repository_owner:contoso', audiences: [] },
              {
                name: 'flex',
                issuer: 'https://token.actions.githubusercontent.com',
                subject: null,
                audiences: [],
                claimsMatchingExpression: { value: "claims['sub'] matches 'repo:contoso/*'", languageVersion: 1 },
              },
            ],
          }),
        ],
      }),
      findings: [
        { resource: 'gh', key: 'org', message: 'spans a whole organisation' },
        { resource: 'gh', key: 'flex', message: 'matches claims by expression' },
      ],
    },
  ],
});

const ownerApp = app('deployer', { passwordCredentials: [secretCred('s')] });
testRule(rule('entra-tier0-permission'), {
  valid: [
    {
      name: 'read permissions only',
      inventory: entraInventory({ servicePrincipals: [withGraphPermissions(sp('reader'), 'User.Read.All', 'Directory.Read.All')] }),
    },
  ],
  invalid: [
    {
      name: 'critical with a client secret on the app',
      inventory: entraInventory({
        applications: [ownerApp],
        servicePrincipals: [withGraphPermissions(sp('deployer', { application: ownerApp }), 'RoleManagement.ReadWrite.Directory')],
      }),
      findings: [{ resource: 'deployer', severity: 'critical', message: 'RoleManagement.ReadWrite.Directory' }],
    },
    {
      name: 'a directory role, no secret: high',
      inventory: (() => {
        const admin = sp('role-holder');
        return entraInventory({ servicePrincipals: [admin], roles: { 'Privileged Role Administrator': [admin.id] } });
      })(),
      findings: [{ resource: 'role-holder', severity: 'high', message: 'directory role: Privileged Role Administrator' }],
    },
  ],
});

testRule(rule('entra-third-party-privileged'), {
  valid: [
    {
      name: 'a vendor app reading profiles',
      inventory: entraInventory({ servicePrincipals: [withGraphPermissions(sp('vendor', { appOwnerOrganizationId: OTHER_TENANT }), 'User.Read.All')] }),
    },
    { name: 'an own app sending mail', inventory: entraInventory({ servicePrincipals: [withGraphPermissions(sp('mailer'), 'Mail.Send')] }) },
  ],
  invalid: [
    {
      inventory: entraInventory({ servicePrincipals: [withGraphPermissions(sp('vendor', { appOwnerOrganizationId: OTHER_TENANT }), 'Mail.Send')] }),
      findings: [{ resource: 'vendor', message: 'Mail.Send (application)' }],
    },
  ],
});

testRule(rule('entra-unused'), {
  valid: [
    {
      name: 'signed in last week',
      inventory: (() => {
        const s = sp('busy');
        return entraInventory({
          servicePrincipals: [s],
          servicePrincipalSignInActivities: [{ appId: s.appId, lastSignInActivity: { lastSignInDateTime: iso(-7) } }],
        });
      })(),
    },
    {
      name: 'reports not read: nothing is called unused',
      inventory: entraInventory({ servicePrincipals: [sp('unknown')], servicePrincipalSignInActivities: null, appCredentialSignInActivities: null }),
    },
    {
      name: "a managed identity of Microsoft's never judged as first party",
      inventory: entraInventory({ servicePrincipals: [sp('ms', { appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' })] }),
    },
  ],
  invalid: [
    {
      inventory: (() => {
        const s = sp('idle');
        return entraInventory({
          servicePrincipals: [s],
          servicePrincipalSignInActivities: [{ appId: s.appId, lastSignInActivity: { lastSignInDateTime: iso(-120) } }],
        });
      })(),
      findings: [{ resource: 'idle', message: 'last signed in 120 days ago' }],
    },
  ],
});

testRule(rule('entra-no-owner'), {
  valid: [
    { name: 'an owned app', inventory: entraInventory({ applications: [app('owned')] }) },
    {
      name: 'a managed identity',
      inventory: entraInventory({ servicePrincipals: [sp('mi', { servicePrincipalType: 'ManagedIdentity', appOwnerOrganizationId: null })] }),
    },
    { name: 'owners not exported', inventory: entraInventory({ applications: [app('unknown', { owners: null })] }) },
  ],
  invalid: [
    {
      inventory: entraInventory({ applications: [app('orphan', { owners: [] })], servicePrincipals: [sp('standalone')] }),
      findings: [{ resource: 'orphan' }, { resource: 'standalone', message: 'no app registration' }],
    },
  ],
});

testRule(rule('entra-owners-offboarded'), {
  valid: [{ name: 'one owner left, one still here', inventory: entraInventory({ applications: [app('half', { owners: [disabledOwner(), activeOwner()] })] }) }],
  invalid: [
    {
      inventory: entraInventory({ applications: [app('abandoned', { owners: [disabledOwner('dave')] })] }),
      findings: [{ resource: 'abandoned', severity: 'high', message: 'dave@contoso.example (disabled)' }],
    },
  ],
});

testRule(rule('entra-multiple-active-secrets'), {
  valid: [
    {
      name: 'one live, one expired',
      inventory: entraInventory({ applications: [app('rotated', { passwordCredentials: [secretCred('new'), secretCred('old', -400, -5)] })] }),
    },
  ],
  invalid: [
    {
      inventory: entraInventory({ applications: [app('doubled', { passwordCredentials: [secretCred('a'), secretCred('b')] })] }),
      findings: [{ resource: 'doubled', evidence: { activeSecrets: 2 } }],
    },
  ],
});

testRule(rule('entra-credential-expiring-soon'), {
  valid: [
    {
      name: 'a successor outlives it',
      inventory: entraInventory({ applications: [app('rolling', { passwordCredentials: [secretCred('old', -300, 10), secretCred('new', -1, 300)] })] }),
    },
  ],
  invalid: [
    {
      inventory: entraInventory({ applications: [app('cliff', { passwordCredentials: [secretCred('only', -300, 10)] })] }),
      findings: [{ resource: 'cliff/only', message: 'expires in 10 days' }],
    },
  ],
});
