/**
 * The validator registry: catalogue entries name their validators (`validators: ['crc32-checksum']`)
 * and `compileEntry` resolves the names here. Code lives only where a format needs it; plugins add
 * their own names with `registerValidators`.
 */
import type { DetectorDef, DetectorEntry, Validator } from '../detector.js';
import * as cloud from './cloud.js';
import * as common from './common.js';
import * as dataStores from './data-stores.js';
import * as generic from './generic.js';
import * as keys from './keys.js';
import * as formats from './formats.js';

const BUILTIN: Record<string, Validator> = {
  // checksums and structure
  'crc32-checksum': common.checksumValidator,
  jwt: common.jwtValidator,
  'pypi-macaroon': formats.pypiMacaroonValidator,
  'base64-64-bytes': common.base64Length(64),
  'base64-32-bytes': common.base64Length(32),
  'not-placeholder': common.notPlaceholder,
  'not-reference': formats.notReferenceValidator,
  // key parses
  'pem-key': common.pemValidator,
  'pgp-secret-key': keys.pgpValidator,
  'putty-key': keys.puttyValidator,
  'pkcs12-structure': formats.pkcs12Validator,
  'java-keystore': formats.javaKeystoreValidator,
  // cloud
  'aws-pair': cloud.awsPairValidator,
  'aws-lone-secret': cloud.awsLoneSecretValidator,
  'aws-key-id': cloud.awsKeyIdValidator,
  'gcp-service-account': cloud.gcpServiceAccountValidator,
  'azure-storage-connection-string': cloud.azureConnectionStringValidator,
  'azure-shared-access-key': cloud.azureSharedAccessKeyValidator,
  'azure-sas-signature': cloud.sasSignatureValidator,
  'entra-client-secret-context': cloud.entraClientSecretContext,
  // URLs, connection strings, manifests
  'url-password': dataStores.urlValidator,
  'password-value': dataStores.passwordValidator,
  'connection-string': dataStores.connectionStringValidator,
  'kubernetes-secret': dataStores.k8sSecretValidator,
  'kubeconfig-token': dataStores.kubeconfigTokenValidator,
  'kubeconfig-client-key': dataStores.kubeconfigClientKeyValidator,
  'docker-auth': dataStores.dockerAuthValidator,
  'basic-auth-pair': formats.basicAuthPairValidator,
  'base64-password': formats.base64PasswordValidator,
  'base64-pem-key': dataStores.kubeconfigClientKeyValidator,
  'password-hash': formats.passwordHashValidator,
  // context
  'token-words-on-line': common.contextHas(/token|api[_-]?key|password/i, 0),
  // generic name = value scoring
  'generic-password': generic.genericValidator('password'),
  'generic-other': generic.genericValidator('other'),
};

const registry = new Map<string, Validator>(Object.entries(BUILTIN));

/**
 * Validators that judge a value by itself, the match's groups and the path alone (DetectorDef.validatesMatchAlone):
 * the generic scoring, which rejects most of what the generic patterns match in ordinary code and prose
 * (`credential.c:96` in a translation file's references, `passwd: %s`, `ERROR_INVALID_PASSWORD: error`).
 */
const MATCH_ALONE = new Set(['generic-password', 'generic-other']);

/** Adds named validators (plugins). A name already taken is an error: entries must mean one thing. */
export function registerValidators(validators: Record<string, Validator>): void {
  for (const [name, fn] of Object.entries(validators)) {
    if (registry.has(name) && registry.get(name) !== fn) throw new Error(`validator "${name}" is already registered`);
    if (typeof fn !== 'function') throw new Error(`validator "${name}" is not a function`);
    registry.set(name, fn);
  }
}

export function validatorNamed(name: string): Validator | undefined {
  return registry.get(name);
}

export function validatorNames(): string[] {
  return [...registry.keys()];
}

/** All named validators must accept; later verdicts override earlier fields. */
function allOf(validators: Validator[]): Validator {
  return validators.length === 1 ? validators[0]! : common.all(...validators);
}

/** A catalogue entry → the definition the engine runs (named validators resolved). */
export function compileEntry(entry: DetectorEntry): DetectorDef {
  const names = entry.validators ?? [];
  const fns = names.map((name) => {
    const fn = registry.get(name);
    if (!fn) throw new Error(`detector ${entry.id}: unknown validator "${name}"`);
    return fn;
  });
  if (!fns.length) return { ...entry };
  const alone = names.every((name) => MATCH_ALONE.has(name)); // built-in names cannot be registered again
  return { ...entry, validate: allOf(fns), ...(alone ? { validatesMatchAlone: true } : {}) };
}
