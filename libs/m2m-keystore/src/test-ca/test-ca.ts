import { createPrivateKey, generateKeyPairSync, KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { asn1FromDer } from '../crypto/forge-bytes';
import { KeystoreError } from '../keystore.error';
import { buildCertificate, dnAttribute } from './certificate.builder';

export interface TestCaOptions {
  commonName?: string;
  /** The CA's clock: its own validity and the default validity of what it issues start here. */
  now?: Date;
}

export interface IssueMachineCredentialOptions {
  abn: string;
  name: string;
  notBefore?: Date;
  notAfter?: Date;
}

export interface IssuedCredential {
  certificateDer: Buffer;
  privateKey: KeyObject;
  /** DER, leaf first, then this CA. */
  chain: Buffer[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365 * DAY_MS;
const { PRINTABLESTRING, UTF8 } = forge.asn1.Type;
/** X.520 dnQualifier; the ATO puts "ABR" there. forge has no short name for it. */
const DN_QUALIFIER_OID = '2.5.4.46';
const PEM_BLOCK = (label: string) => new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`);

function rsa2048(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function invalid(reason: string): KeystoreError {
  return new KeystoreError('keystore.invalid_entry', `Test CA: ${reason}`, { reason });
}

/**
 * A throw-away certificate authority for the simulator, the demo and tests: it issues machine credentials shaped like
 * the ATO's (subject, key usage, EKU), which no real USI endpoint will accept.
 */
export class TestCa {
  readonly certificateDer: Buffer;
  private readonly certificate: forge.pki.Certificate;

  private constructor(
    private readonly privateKey: KeyObject,
    certificateDer: Buffer,
    private readonly clock: () => Date,
  ) {
    this.certificateDer = certificateDer;
    this.certificate = forge.pki.certificateFromAsn1(asn1FromDer(certificateDer));
  }

  static create(options: TestCaOptions = {}): TestCa {
    const now = options.now ?? new Date();
    const { publicKey, privateKey } = rsa2048();
    const name = [
      dnAttribute({ shortName: 'C' }, 'AU', PRINTABLESTRING),
      dnAttribute({ shortName: 'O' }, 'USI Gateway Test', UTF8),
      dnAttribute({ shortName: 'CN' }, options.commonName ?? 'USI Gateway Test Root CA', UTF8),
    ];
    const der = buildCertificate(
      {
        subject: name,
        issuer: name,
        publicKey,
        notBefore: new Date(now.getTime() - DAY_MS),
        notAfter: new Date(now.getTime() + 20 * YEAR_MS),
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
      },
      privateKey,
    );
    return new TestCa(privateKey, der, options.now ? () => now : () => new Date());
  }

  /** Restores a CA saved with toPem(); the clock is the real one. */
  static fromPem(pem: string): TestCa {
    const certPem = PEM_BLOCK('CERTIFICATE').exec(pem)?.[0];
    const keyPem = PEM_BLOCK('PRIVATE KEY').exec(pem)?.[0];
    if (!certPem || !keyPem) throw invalid('PEM needs a CERTIFICATE and a PKCS#8 key block');
    let certificate: X509Certificate;
    let privateKey: KeyObject;
    try {
      certificate = new X509Certificate(certPem);
      privateKey = createPrivateKey(keyPem);
    } catch {
      throw invalid('PEM blocks do not decode');
    }
    if (!certificate.ca || !certificate.checkPrivateKey(privateKey)) {
      throw new KeystoreError('keystore.key_mismatch', 'Test CA: the key does not match a CA certificate');
    }
    return new TestCa(privateKey, certificate.raw, () => new Date());
  }

  /** Certificate and private key (unencrypted PKCS#8) as PEM. Only for throw-away test CAs: never log it. */
  toPem(): string {
    const key = this.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    return `${new X509Certificate(this.certificateDer).toString()}${key}`;
  }

  /** Issues a leaf like the ATO's: `C=AU, O=<ABN>, CN=<name>, dnQualifier=ABR`, RSA 2048, 2 years by default. */
  issueMachineCredential(options: IssueMachineCredentialOptions): IssuedCredential {
    if (!/^\d{11}$/.test(options.abn)) throw invalid('ABN must be 11 digits');
    if (!options.name.trim()) throw invalid('name must not be blank');
    const notBefore = options.notBefore ?? this.clock();
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 2 * YEAR_MS);
    if (notAfter.getTime() <= notBefore.getTime()) throw invalid('notAfter must follow notBefore');
    const { publicKey, privateKey } = rsa2048();
    const caKeyId = this.certificate.generateSubjectKeyIdentifier().getBytes();
    const certificateDer = buildCertificate(
      {
        subject: [
          dnAttribute({ shortName: 'C' }, 'AU', PRINTABLESTRING),
          dnAttribute({ shortName: 'O' }, options.abn, UTF8),
          dnAttribute({ shortName: 'CN' }, options.name, UTF8),
          dnAttribute({ type: DN_QUALIFIER_OID }, 'ABR', PRINTABLESTRING),
        ],
        issuer: this.certificate.subject.attributes,
        publicKey,
        notBefore,
        notAfter,
        extensions: [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId },
          { name: 'subjectKeyIdentifier' },
          {
            name: 'keyUsage',
            critical: true,
            digitalSignature: true,
            nonRepudiation: true,
            keyEncipherment: true,
            dataEncipherment: true,
          },
          { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
        ],
      },
      this.privateKey,
    );
    return { certificateDer, privateKey, chain: [certificateDer, this.certificateDer] };
  }
}

export function createTestCa(options: TestCaOptions = {}): TestCa {
  return TestCa.create(options);
}

