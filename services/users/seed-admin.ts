/**
 * The first admin account, from ADMIN_EMAIL and ADMIN_PASSWORD, made at start when no account
 * has that address. Every instance tries; the unique e-mail index lets one succeed.
 */
import type { Logger } from "moleculer";
import { ConfigError, type AppConfig, type Locale } from "../../lib/config";
import { ErrorType, MindSpacesError } from "../../lib/errors";
import type { NewUser } from "./service-types";
import type { UserRecord } from "./user-record";

export interface SeedDeps {
  findByEmail(email: string): Promise<UserRecord | null>;
  createUser(input: NewUser): Promise<UserRecord>;
  defaultLocale: Locale;
  logger: Logger;
}

export async function seedAdmin(
  config: Pick<AppConfig, "adminEmail" | "adminPassword">,
  deps: SeedDeps,
): Promise<void> {
  const { adminEmail, adminPassword } = config;
  if (!adminEmail || !adminPassword) return;
  const existing = await deps.findByEmail(adminEmail);
  if (existing) {
    if (existing.role !== "admin") {
      deps.logger.warn(
        "ADMIN_EMAIL belongs to an existing account that is not an admin; left unchanged.",
      );
    }
    return;
  }
  try {
    await deps.createUser({
      email: adminEmail,
      password: adminPassword,
      name: "Administrator",
      locale: deps.defaultLocale,
      role: "admin",
    });
    deps.logger.info("Seeded the first admin account from ADMIN_EMAIL.");
  } catch (err) {
    // Another instance seeding at the same moment is fine; anything else must stop the start.
    if (err instanceof MindSpacesError && err.type === ErrorType.EMAIL_TAKEN) return;
    if (err instanceof MindSpacesError && err.type === ErrorType.WEAK_PASSWORD) {
      // The operator's to fix, so the runner reports it without a stack trace.
      throw new ConfigError(
        "ADMIN_PASSWORD",
        "does not meet the password policy: at least 10 characters, not only letters or " +
          "only digits, not a common password, and not containing the name part of ADMIN_EMAIL",
      );
    }
    throw err;
  }
}
