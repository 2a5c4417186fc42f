import { UsiError } from '@usi/contract';

/** A refused admin call; `status` is the HTTP status the JSON API answers with. */
export class AdminError extends UsiError {
  constructor(
    code: 'admin.bad_request' | 'admin.not_found',
    message: string,
    readonly status: 400 | 404 = code === 'admin.not_found' ? 404 : 400,
  ) {
    super(code, message);
  }
}
