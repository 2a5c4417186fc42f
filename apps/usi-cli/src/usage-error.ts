import { UsiError } from '@usi/contract';

/** Bad command line or request input: reported like any error but with exit code 2. */
export class UsageError extends UsiError {
  constructor(message: string, details?: Record<string, unknown>, code: 'cli.usage' | 'cli.invalid_request' = 'cli.usage') {
    super(code, message, details);
  }
}
