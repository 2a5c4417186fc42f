import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { WebRequestState, WebUser } from './web-user';
import { WebRedirect } from './web-redirect';

/** The signed-in user of a `@WebPage()` handler (access `user` or `password`); signed out → to the sign-in page. */
export const CurrentWebUser = createParamDecorator((_: unknown, ctx: ExecutionContext): WebUser => {
  const user = ctx.switchToHttp().getRequest<WebRequestState>().webUser;
  if (!user) throw new WebRedirect('/login');
  return user;
});

/** The signed-in user if any (pages open to `anyone` that still show who is signed in). */
export const OptionalWebUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WebUser | undefined => ctx.switchToHttp().getRequest<WebRequestState>().webUser,
);
