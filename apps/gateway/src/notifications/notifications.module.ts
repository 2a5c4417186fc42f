import { Module } from '@nestjs/common';
import { EmailOutbox } from './email-outbox';
import { EmailSender } from './email-sender';

/** Messages to users: the outbox (enqueued with the change they report) and its SMTP sender (when SMTP_URL is set). */
@Module({ providers: [EmailOutbox, EmailSender], exports: [EmailOutbox] })
export class NotificationsModule {}
