/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made at test
 * time (nothing committed). The SDK refuses bearer tokens over plain http, so the emulator needs TLS.
 */
import { generate } from 'selfsigned';

export interface TestTls {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

let cached: Promise<TestTls> | undefined;

export function testTls(): Promise<TestTls> {
  cached ??= (async () => {
    const ca = await generate([{ name: 'commonName', value: 'nhiscan test CA (do not trust)' }], {
      algorithm: 'sha256',
      keyType: 'ec',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const server = await generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256',
      keyType: 'ec',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private };
  })();
  return cached;
}
