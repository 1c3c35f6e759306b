import { generate } from 'selfsigned';

export interface TlsIdentity {
  /** PEM private key. */
  readonly key: string;
  /** PEM self-signed certificate for 127.0.0.1 and localhost: what a client trusts (NODE_EXTRA_CA_CERTS). */
  readonly cert: string;
}

/**
 * A self-signed certificate made at run time for the loopback stand-ins, so they can serve HTTPS and a
 * fan-out pays for TLS handshakes as it does against the Lambda API. Valid for a day; nothing is stored.
 */
export async function selfSignedIdentity(): Promise<TlsIdentity> {
  const pems = await generate([{ name: 'commonName', value: 'warmpool-local' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
