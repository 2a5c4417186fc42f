import { urlencoded } from 'express';

/**
 * HTML forms post `application/x-www-form-urlencoded`; only the pages read it (the JSON API refuses it with 415 before
 * parsing, see RequestMediaTypes). Flat fields only, small, and parsed before the guard so the CSRF field is there.
 */
export const formBody = urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 });
