import { isValidUsi, USI_ALPHABET, usiCheckCharacter } from '@usi/contract';
import { UsageError } from '../usage-error';

/** `check-usi USI`: offline format and check-character test; shows the check character the first nine imply. */
export function checkUsiCommand(args: string[]): unknown {
  if (args.length !== 1) throw new UsageError('usage: usi check-usi USI');
  const usi = args[0].trim().toUpperCase();
  const first9 = usi.slice(0, 9);
  const payloadOk = first9.length === 9 && [...first9].every((c) => USI_ALPHABET.includes(c));
  return {
    usi,
    valid: isValidUsi(usi),
    expectedCheckCharacter: payloadOk ? usiCheckCharacter(first9) : null,
  };
}
