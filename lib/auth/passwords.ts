import bcrypt from "bcryptjs";

/** bcrypt cost 12 by default; VARSTUDY_BCRYPT_COST lowers it where speed matters more (tests). Read per call. */
function cost(): number {
  return Number(process.env.VARSTUDY_BCRYPT_COST ?? 12);
}

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, cost());
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A hash of a random password, compared against when the account does not exist, so that an unknown email
 * takes as long as a wrong password and response times do not reveal which accounts exist.
 */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= bcrypt.hash(crypto.randomUUID(), cost());
  return decoyHash;
}
