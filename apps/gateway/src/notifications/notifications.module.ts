import { Module } from '@nestjs/common';
import { EmailOutbox } from './email-outbox';

/** Messages to users. Only the outbox so far; sending is a later issue. */
@Module({ providers: [EmailOutbox], exports: [EmailOutbox] })
export class NotificationsModule {}
