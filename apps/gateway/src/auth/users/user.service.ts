import { Injectable } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { UserRepository } from './user.repository';
import { NewUser, User } from './user.types';

/** Creates accounts (seeds, platform tooling); login lives in the session service. */
@Injectable()
export class UserService {
  constructor(
    private readonly repository: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(user: NewUser): Promise<User> {
    return this.repository.create({
      vendorId: user.vendorId,
      organisationId: user.organisationId ?? null,
      email: user.email.trim(),
      roles: user.roles,
      passwordHash: await this.hasher.hash(user.password),
    });
  }
}
