import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify, type Options } from '@node-rs/argon2';
import { AppError, ErrorCode } from '@trustno1/contracts';

/** OWASP's Argon2id baseline (SPEC §8): 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS: Options = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

let common: Set<string> | undefined;

/** The ~18k common passwords of 8+ characters from zxcvbn's list, loaded once, lower-cased. */
function commonPasswords(): Set<string> {
  if (!common) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const list = (require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> })
      .dictionary['passwords-common'];
    common = new Set(list.filter((p) => p.length >= 8).map((p) => p.toLowerCase()));
  }
  return common;
}

/** True when the password (compared case-insensitively) is in the common-password list. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** Refuses a common password with 400 naming `field`; the length rules are the schema's. */
export function assertNotCommon(password: string, field: string): void {
  if (isCommonPassword(password)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
      fields: [{ field, message: 'is a common password; choose another' }],
    });
  }
}

/**
 * Argon2id hashing. The password is hashed exactly as given: no trimming or Unicode
 * normalisation, so what the user typed is what they must type again.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;

  onModuleInit(): void {
    commonPasswords();
    void this.dummy();
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** False for a wrong password and for a stored value that is not an Argon2 hash. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password, ARGON2_OPTIONS);
    } catch {
      return false;
    }
  }

  /**
   * The work of a verification against an account that does not exist, at the same cost as a real
   * one, so an unknown login and a wrong password cannot be told apart by timing.
   */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hash('no account has this password', ARGON2_OPTIONS);
    return this.dummyHash;
  }
}
