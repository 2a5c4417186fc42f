import { z } from 'zod';
import { passwordProblem } from './password-policy';

/** The signup form. `acceptTerms` arrives as the checkbox's value ("on") or a boolean from JSON. */
export const signupSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name').max(200),
    email: z.email('Enter an email address like name@example.com').max(320),
    password: z.string(),
    acceptTerms: z.union([z.literal(true), z.literal('on')], { error: 'Accept the terms to continue' }),
  })
  .superRefine((s, ctx) => {
    const problem = passwordProblem(s.password, s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
  });
export type SignupInput = z.input<typeof signupSchema>;
