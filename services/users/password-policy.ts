/**
 * The minimum password policy (after NIST SP 800-63B: length over composition rules, and no
 * obvious guesses). The upper bound keeps a request from making the hasher work on megabytes.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON_PASSWORDS = new Set([
  "1234567890",
  "0123456789",
  "password123",
  "password1234",
  "qwertyuiop",
  "wachtwoord1",
  "wachtwoord123",
  "welkom1234",
  "welkom12345",
  "iloveyou123",
  "abcdefghij",
  "letmein1234",
]);

export function isAcceptablePassword(password: string, email: string): boolean {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) return false;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return false;
  if (/^\d+$/.test(password) || /^\p{L}+$/u.test(password)) return false;
  if (new Set(password).size < 4) return false;
  const localPart = email.toLowerCase().split("@")[0];
  if (localPart.length >= 4 && lowered.includes(localPart)) return false;
  return true;
}
