import { randomBytes } from 'node:crypto';
import type { VendorId } from '../database/vendor-id';
import { LocalKeyProvider } from '../keys/local-key-provider';
import { JobDataSealer } from './job-data.sealer';

const VENDOR = '6f1c1f0e-0000-4000-8000-000000000001' as VendorId;
const JOB = '6f1c1f0e-0000-4000-8000-0000000000aa';
const rows = Array.from({ length: 500 }, (_, i) => ({ row: i + 1, recordId: `r-${i + 1}`, value: { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' } }));

describe('JobDataSealer', () => {
  const keys = new LocalKeyProvider(randomBytes(32));
  const sealer = new JobDataSealer(keys);

  it('opens what it sealed, and the stored ciphertext is the compressed part, not the JSON', async () => {
    const sealed = await sealer.seal(VENDOR, JOB, 'input:1', rows);
    await expect(sealer.open(VENDOR, JOB, 'input:1', sealed)).resolves.toEqual(rows);
    const json = Buffer.byteLength(JSON.stringify(rows));
    expect(Buffer.from(sealed.ciphertext, 'base64').length).toBeLessThan(json / 5);
    expect(JSON.stringify(sealed)).not.toContain('Maryam');
  });

  it('still opens a part sealed before compression (JSON encrypted as it was)', async () => {
    const context = { purpose: 'bulk-job', vendorId: VENDOR, jobId: JOB, part: 'result:3' };
    const old = await keys.encrypt(Buffer.from(JSON.stringify({ responses: [1, 2] }), 'utf8'), context);
    await expect(sealer.open(VENDOR, JOB, 'result:3', old)).resolves.toEqual({ responses: [1, 2] });
  });

  it('does not open a part moved to another part, job or vendor', async () => {
    const sealed = await sealer.seal(VENDOR, JOB, 'input:1', rows);
    await expect(sealer.open(VENDOR, JOB, 'input:2', sealed)).rejects.toThrow();
    await expect(sealer.open(VENDOR, '6f1c1f0e-0000-4000-8000-0000000000bb', 'input:1', sealed)).rejects.toThrow();
    await expect(sealer.open('6f1c1f0e-0000-4000-8000-000000000002' as VendorId, JOB, 'input:1', sealed)).rejects.toThrow();
  });
});
