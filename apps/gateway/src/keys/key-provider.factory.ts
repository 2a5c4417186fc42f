import { AwsKmsKeyProvider } from './aws-kms-key-provider';
import { KeyProvider } from './key-provider';
import { LocalKeyProvider } from './local-key-provider';
import { loadMasterKey } from './master-key';

export interface KeyProviderConfig {
  kmsKeyId?: string;
  awsRegion?: string;
  masterKey?: string;
  masterKeyFile?: string;
  production: boolean;
}

/** KMS whenever a key id is configured; otherwise the local master key (auto-created outside production only). */
export function createKeyProvider(config: KeyProviderConfig): KeyProvider {
  if (config.kmsKeyId) {
    return new AwsKmsKeyProvider({ keyId: config.kmsKeyId, region: config.awsRegion });
  }
  return new LocalKeyProvider(
    loadMasterKey({ masterKey: config.masterKey, masterKeyFile: config.masterKeyFile, production: config.production }),
  );
}
