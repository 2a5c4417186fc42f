import { z } from 'zod';
import { passwordProblem } from '../../auth/passwords/password-policy';

/** A new password on its own (length, common passwords), so its problem shows even when other fields have theirs. */
export const newPasswordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The signup form. `acceptTerms` arrives as the checkbox's value ("on") or a boolean from JSON. */
export const signupSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name').max(200),
    email: z.email('Enter an email address like name@example.com').max(320),
    password: newPasswordSchema,
    acceptTerms: z.union([z.literal(true), z.literal('on')], { error: 'Accept the terms to continue' }),
  })
  .superRefine((s, ctx) => {
    // Runs once every field is valid: the password must not contain the account's own name or email.
    const problem = passwordProblem(s.password) ? undefined : passwordProblem(s.password, s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
  });
export type SignupInput = z.input<typeof signupSchema>;
