import { CliOptions, requireOption } from './cli-options';

/** A VerifyUSI request (without orgCode) from `--usi`, `--first-name`/`--family-name` or `--single-name`, `--dob`. */
export function verifyFromFlags(options: CliOptions): Record<string, unknown> {
  const names = {
    firstName: options['first-name'],
    familyName: options['family-name'],
    singleName: options['single-name'],
  };
  return {
    usi: requireOption(options, 'usi'),
    ...Object.fromEntries(Object.entries(names).filter(([, v]) => v !== undefined)),
    dateOfBirth: requireOption(options, 'dob'),
  };
}
