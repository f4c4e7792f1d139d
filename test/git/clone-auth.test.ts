import { describe, expect, it } from 'vitest';
import { httpAuthEnv } from '../../connectors/git/git-process.js';
import { cloneAuthOf, withCloneAuth } from '../../src/clone-auth.js';

describe('clone credential hand-over (internal hook of the git connector)', () => {
  const auth = { origin: 'https://github.com', authorization: 'basic eC1hY2Nlc3MtdG9rZW46VA==' };

  it('becomes an extraHeader scoped to the origin, in environment config only', () => {
    expect(httpAuthEnv({ ...auth, origin: 'https://github.com/acme/web.git' })).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: ${auth.authorization}`,
    });
  });

  it('refuses origins that are not plain http(s) and header values that could inject config', () => {
    expect(() => httpAuthEnv({ ...auth, origin: 'file:///tmp/x' })).toThrow(/http\(s\) origin/);
    expect(() => httpAuthEnv({ ...auth, origin: 'https://user:pw@github.com' })).toThrow(/without user info/);
    expect(() => httpAuthEnv({ ...auth, origin: 'not a url' })).toThrow(/invalid origin/);
    expect(() => httpAuthEnv({ ...auth, authorization: 'basic x\n[core]\nsshCommand=evil' })).toThrow(/not a valid header/);
  });

  it('travels under a symbol: never in JSON, never settable from a config or CLI string key', () => {
    const options = withCloneAuth({ since: 'v1' }, auth);
    expect(cloneAuthOf({ options })).toEqual(auth);
    expect(JSON.stringify(options)).toBe('{"since":"v1"}');
    expect(cloneAuthOf({ options: { 'nhiscan.git.cloneAuth': auth, gitCloneAuth: auth } })).toBeUndefined();
    expect(cloneAuthOf({ options: withCloneAuth(options, undefined) })).toBeUndefined();
  });
});
