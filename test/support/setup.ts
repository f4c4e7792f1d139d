// Every test process: no network but loopback, and no cloud SDK may reach a metadata service.
import './no-network.mjs';
import { loadZod } from '../../src/zod-lazy.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDTESTTESTTESTTEST';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-not-a-real-key';
process.env.AWS_REGION ??= 'us-east-1';
// Pins @azure/identity's DefaultAzureCredential to the environment credential so no test can
// construct a managed-identity credential; tests pass their own credential objects anyway.
process.env.AZURE_TOKEN_CREDENTIALS = 'EnvironmentCredential';
// google-auth-library never probes the metadata server in tests; credentials are always passed in.
process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
delete process.env.GITHUB_TOKEN;
delete process.env.GH_TOKEN;
// The git blob cache (and its HMAC key) lives in the user's cache directory: one of its own per test process.
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'nhiscan-test-cache-'));
// Tests call nhiscan's modules in-process, where schemas are used as soon as a config or a rule is
// checked: zod loads first, as the CLI loads it before anything it validates (src/zod-lazy.ts).
await loadZod();
