/**
 * A large emulated tenant for the bench: `apps` app registrations (each with a service principal),
 * further service principals up to `servicePrincipals` (managed identities and third-party apps), and
 * `assignments` app role assignments spread over the service principals. Built from the same shapes as
 * the fixture tenant; ids are cheap deterministic GUIDs.
 */
import { assignment, makeTenant, msGraphServicePrincipal, user, type EmuTenant } from './tenant.js';
import type { GraphApplication, GraphServicePrincipal } from '../../connectors/entra/snapshot.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
/** A GUID-shaped id from a kind digit and a counter. */
export const benchId = (kind: number, n: number) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;

export function benchTenant(apps: number, servicePrincipals: number, assignments: number): EmuTenant {
  const tenantId = benchId(0, 1);
  const iso = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * 86_400_000).toISOString();
  const graph = msGraphServicePrincipal(benchId(9, 0));
  const roles = graph.appRoles!.map((r) => r.value!);
  const owners = Array.from({ length: 50 }, (_, i) => user(benchId(8, i), `owner${i}@bench.example`, `Owner ${i}`, i % 10 !== 0));
  const applications: GraphApplication[] = [];
  const sps: GraphServicePrincipal[] = [graph];
  for (let i = 0; i < apps; i++) {
    applications.push({
      id: benchId(1, i),
      appId: benchId(2, i),
      displayName: `bench-app-${i}`,
      createdDateTime: iso(-(i % 900)),
      signInAudience: i % 20 ? 'AzureADMyOrg' : 'AzureADMultipleOrgs',
      tags: [],
      passwordCredentials: Array.from({ length: 1 + (i % 2) }, (_, k) => ({
        keyId: benchId(3, i * 2 + k),
        displayName: `secret-${k}`,
        hint: `b${hex(i % 256, 2)}`,
        startDateTime: iso(-(i % 400)),
        endDateTime: iso(365 - (i % 400)),
      })),
      keyCredentials: [],
      requiredResourceAccess: [],
      owners: i % 7 ? [owners[i % 50]!] : [],
      federatedIdentityCredentials:
        i % 5
          ? []
          : [
              {
                name: 'gh',
                issuer: 'https://token.actions.githubusercontent.com',
                subject: `repo:bench/app-${i}:ref:refs/heads/main`,
                audiences: ['api://AzureADTokenExchange'],
              },
            ],
    });
  }
  for (let i = 0; i < servicePrincipals - 1; i++) {
    const own = i < apps;
    const managed = !own && i % 2 === 0;
    sps.push({
      id: benchId(4, i),
      appId: own ? benchId(2, i) : benchId(5, i),
      displayName: own ? `bench-app-${i}` : managed ? `mi-${i}` : `vendor-app-${i}`,
      servicePrincipalType: managed ? 'ManagedIdentity' : 'Application',
      accountEnabled: true,
      appOwnerOrganizationId: own ? tenantId : managed ? null : benchId(6, i % 40),
      tags: [],
      passwordCredentials: [],
      keyCredentials: [],
      appRoles: [],
      owners: own || managed ? [] : [owners[i % 50]!],
      appRoleAssignments: [],
    });
  }
  for (let a = 0; a < assignments; a++) {
    const principal = sps[1 + (a % (sps.length - 1))]!;
    principal.appRoleAssignments!.push(assignment(benchId(7, a), principal, graph, roles[a % roles.length]!));
  }
  return makeTenant({
    tenantId,
    displayName: 'bench',
    applications,
    servicePrincipals: sps,
    oauth2PermissionGrants: [],
    directoryRoles: [],
    servicePrincipalSignInActivities: [],
    appCredentialSignInActivities: [],
  });
}
