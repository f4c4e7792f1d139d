/**
 * `--verify` for the `git:` and `dir:` sources. The raw value never leaves the scan workers, so the
 * few credentials a provider can check are found again here: the source reads the file (or blob) back,
 * the engine rescans it, and the hit with the same hash gives the value, held in memory only for the
 * provider call. Results land on the credential (`attributes.verification`, `verifiedIdentity`).
 */
import type { Credential, Location } from '../model/index.js';
import { secretHash } from '../redact.js';
import { scanText, type Allowlist } from '../secrets/index.js';
import { isVerifiable, verifyCandidates, type Candidate, type VerifySettings } from '../secret-verify/index.js';

/** Lines either side of a value that a verifier may read (Azure's tenant and client ids). */
const AROUND_LINES = 6;

/** Reads back the content at a location: a file of the working tree, or the blob holding a secret. */
export type ReadBack = (credential: Credential, location: Location) => Promise<string | undefined>;

export async function verifyLeakedSecrets(
  credentials: Credential[],
  read: ReadBack,
  settings: VerifySettings,
  allowlist: Allowlist,
): Promise<{ checked: number; live: number }> {
  const candidates = new Map<string, Candidate>();
  const owners = new Map<string, Credential>();
  for (const credential of credentials) {
    const secret = credential.secret;
    const location = credential.locations?.[0];
    if (!secret || !location || !isVerifiable(secret.detector)) continue;
    const text = await read(credential, location).catch(() => undefined);
    if (text === undefined) continue;
    const hit = scanText(text, { path: location.path, allowlist }).find((h) => secretHash(h.value) === secret.hash);
    if (!hit) continue;
    const lines = text.split('\n');
    const around = lines.slice(Math.max(0, hit.line - 1 - AROUND_LINES), hit.line + AROUND_LINES).join('\n');
    candidates.set(secret.hash, { detector: hit.detectorId, value: hit.value, decoded: { ...hit.decoded }, around });
    owners.set(secret.hash, credential);
  }
  const results = await verifyCandidates(candidates, settings);
  let live = 0;
  for (const [hash, result] of results) {
    const credential = owners.get(hash)!;
    credential.attributes.verification = result.state;
    credential.attributes.verificationDetail = result.detail;
    if (result.state === 'live') live++;
    if (result.identity) {
      credential.attributes.verifiedIdentity = result.identity;
      // A live AWS key names its account and principal: the IAM inventory joins on them (lineage).
      if (result.identity.account && credential.secret)
        credential.secret.decoded = {
          ...credential.secret.decoded,
          awsAccountId: result.identity.account,
          ...(result.identity.arn ? { principalArn: result.identity.arn } : {}),
        };
    }
  }
  for (const credential of credentials) {
    if (credential.secret && isVerifiable(credential.secret.detector) && credential.attributes.verification === undefined) {
      credential.attributes.verification = 'unknown';
      credential.attributes.verificationDetail = 'the value could not be read back for verification';
    }
  }
  return { checked: results.size, live };
}
