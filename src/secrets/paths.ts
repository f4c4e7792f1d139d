/** Path context: what a file's path says about how much to trust a candidate found in it. */

/** Dependency lock files: full of integrity hashes and resolved URLs, never hand-written secrets. */
export const LOCK_FILE =
  /(?:^|[\\/])(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|composer\.lock|Gemfile\.lock|mix\.lock|pubspec\.lock|Podfile\.lock|packages\.lock\.json|flake\.lock|gradle\.lockfile|\.terraform\.lock\.hcl)$/i;

/** Tests, fixtures, examples and docs: secrets there are usually fakes, so confidence drops. */
const TEST_PATHS: RegExp[] = [
  /(?:^|[\\/])(?:tests?|t|__tests__|spec|specs|testdata|test[-_]data|testing|testsuite|fixtures?|__fixtures__|mocks?|__mocks__|examples?|samples?|demos?|docs?|documentation|e2e)[\\/]/i,
  /(?:^|[\\/])(?:test|example|sample|dummy|fake)[._-][^\\/]*$/i, // test.netrc, example-config.yml
  /[._-](?:test|spec|mock|fixture|example|sample|template|dist)s?(?:\.[A-Za-z0-9]{1,8})?$/i, // app.test.ts, .env.example
  /[._-](?:example|sample|template)[._-][^\\/]*$/i, // config.example.yml
  /_test\.go$|(?:^|[\\/])test_[^\\/]*\.py$|\.(?:md|mdx|rst|adoc)$/i,
];

export function isTestPath(path: string | undefined): boolean {
  return path !== undefined && TEST_PATHS.some((re) => re.test(path));
}

/** Source code, where an unquoted right-hand side is an expression rather than a literal. */
const CODE_FILE = /\.(?:js|mjs|cjs|jsx|ts|tsx|py|java|kt|kts|go|rb|cs|php|rs|swift|scala|c|h|cc|cpp|hpp|m|dart|groovy|lua|pl|r|ex|exs|clj|fs|vb)$/i;

export function isCodePath(path: string | undefined): boolean {
  return path !== undefined && CODE_FILE.test(path);
}
