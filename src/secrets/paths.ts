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

/**
 * Third-party code committed into a repository: dependency and virtual-environment folders (npm, bower,
 * Python site-packages and virtualenvs, Go/PHP/Ruby `vendor`, CocoaPods, Carthage, C `deps`,
 * `third_party`). Whatever is found there was written by someone else; a real credential there is rare
 * and rarely the repository owner's.
 */
const VENDORED_PATH =
  /(?:^|[\\/])(?:node_modules|bower_components|jspm_packages|site-packages|dist-packages|vendor|vendored|third[_-]?party|3rd[_-]?party|deps|Pods|Carthage|\.venv|venv|virtualenv|\.virtualenvs|\.tox|\.nox|\.eggs|\.bundle|\.yarn|\.pnpm-store|\.cargo)[\\/]|(?:^|[\\/])lib[\\/]python\d\.\d{1,2}[\\/]/i;

export function isVendoredPath(path: string | undefined): boolean {
  return path !== undefined && VENDORED_PATH.test(path);
}

/**
 * Build output named as such: minified files (`*.min.js`, `*-min.css`), bundles and chunks
 * (`swagger-ui-bundle.js`, `main.bundle.js`, `3.chunk.js`), content-hashed assets (`main.3f2a9c1b.js`)
 * and source maps. Generated from other files, whose secrets are found in those files.
 */
const BUNDLED_PATH =
  /[.-]min\.(?:js|mjs|cjs|css)$|(?:^|[\\/._-])(?:bundle|chunk|bundles|vendors?)\.(?:js|mjs|cjs|css)$|[.-][0-9a-f]{8,32}\.(?:js|mjs|cjs|css)$|\.(?:js|mjs|cjs|css)\.map$/i;

export function isBundledPath(path: string | undefined): boolean {
  return path !== undefined && BUNDLED_PATH.test(path);
}

/** Scripts, styles and pages, where a very long line is minified or generated code. */
const MINIFIABLE_FILE = /\.(?:js|mjs|cjs|jsx|ts|tsx|css|html?|vue|svelte|py|rb|php)$/i;

/** A line this long in a script or page is minified or generated (hand-written code wraps long before). */
export const MINIFIED_LINE_CHARS = 1000;

export function isMinifiablePath(path: string | undefined): boolean {
  return path !== undefined && MINIFIABLE_FILE.test(path);
}
