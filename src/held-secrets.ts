/**
 * The credentials nhiscan itself holds: tokens and keys from the environment, private keys read from
 * files, secrets from settings, session credentials it obtains (AWS AssumeRole). Every one is
 * registered here the moment it is read, and `redactText` (so the logger, the CLI's error printer,
 * source and analysis errors) and the report writer replace any occurrence with a marker: an API
 * error that echoes an `Authorization` header cannot carry the token into a log or a report.
 */

/** Shorter values are not registered: scrubbing `abc` out of every message would mangle them. */
const MIN_LENGTH = 8;

/** Environment variables that hold credentials nhiscan or its SDKs use, plus any name that says it is one. */
const CREDENTIAL_ENV =
  /^(GITHUB_TOKEN|GH_TOKEN|GH_ENTERPRISE_TOKEN|AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE_PASSWORD|AZURE_PASSWORD|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|GOOGLE_OAUTH_ACCESS_TOKEN)$|(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY)$/i;

const held = new Map<string, string>();
let longest = 0;

/** Registers a credential value; `label` names it in the marker (`[REDACTED:GITHUB_TOKEN]`). */
export function holdSecret(value: string | undefined | null, label = 'credential'): void {
  if (typeof value !== 'string') return;
  const candidates = [value.trim()];
  // A PEM key can be quoted line by line in an error: each long line of its body is held too.
  if (value.includes('-----BEGIN'))
    candidates.push(
      ...value
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => !l.startsWith('-----')),
    );
  for (const candidate of candidates) {
    if (candidate.length < MIN_LENGTH || held.has(candidate)) continue;
    held.set(candidate, label);
    longest = Math.max(longest, candidate.length);
  }
}

/** Registers every credential-like variable of `env` (called once at startup, and by connectors that read env). */
export function holdEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) if (CREDENTIAL_ENV.test(name)) holdSecret(value, name);
}

/** The length of the longest held value: a streaming writer keeps that much back between blocks. */
export function longestHeldSecret(): number {
  return longest;
}

/** Replaces every held credential in `text`. */
export function scrubHeldSecrets(text: string): string {
  if (!held.size) return text;
  let out = text;
  for (const [value, label] of held) if (out.includes(value)) out = out.split(value).join(`[REDACTED:${label}]`);
  return out;
}

/** For tests: forgets everything held. */
export function forgetHeldSecrets(): void {
  held.clear();
  longest = 0;
}
