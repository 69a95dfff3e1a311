/**
 * Turns what went wrong on submit into the list the error summary and the fields show:
 * `{ fieldId, message }`, where `fieldId` is the id of the input to link to (null when the
 * problem is not about one field, e.g. a wrong password).
 */
import { t } from "../i18n/locale.svelte";
import type { MessageKey } from "../i18n/messages";
import { ApiError } from "./api";

export interface FieldError {
  fieldId: string | null;
  message: string;
}

/** One form field: the input's id and its visible label, for messages such as "Name: fill this in". */
export interface FieldInfo {
  id: string;
  label: string;
}

// fastest-validator's rule names, grouped into the few things a person can act on.
const RULE_MESSAGES: Record<string, MessageKey> = {
  required: "validation.required",
  stringEmpty: "validation.required",
  email: "validation.email",
  emailEmpty: "validation.required",
  stringMin: "validation.invalid", // the server names no minimum we could show in both languages
  stringMax: "validation.tooLong",
  passwordMismatch: "validation.wrongPassword",
};

/**
 * @param fields   the API's field names (`email`) → the form's inputs
 * @param byType   error types that concern one field (e.g. `EMAIL_TAKEN` → `email`); the gateway's
 *                 translated message is shown at that field
 */
export function errorsFromApi(
  error: unknown,
  fields: Record<string, FieldInfo>,
  byType: Record<string, string> = {},
): FieldError[] {
  if (!(error instanceof ApiError)) return [{ fieldId: null, message: t("errors.unexpected") }];
  const items = error.validationItems;
  if (items.length > 0) {
    return items.map(item => {
      const field = fields[item.field];
      if (!field) return { fieldId: null, message: error.message };
      const key = RULE_MESSAGES[item.rule] ?? "validation.invalid";
      return { fieldId: field.id, message: t(key, { field: field.label }) };
    });
  }
  const field = fields[byType[error.type] ?? ""];
  return [{ fieldId: field?.id ?? null, message: error.message }];
}

/** The message for one input, for the field itself to show. */
export function errorFor(errors: FieldError[], fieldId: string): string | undefined {
  return errors.find(error => error.fieldId === fieldId)?.message;
}

/** Client-side checks, written the same way, so the user hears about empty fields at once. */
export function requireFilled(value: string, field: FieldInfo): FieldError | null {
  return value.trim()
    ? null
    : { fieldId: field.id, message: t("validation.required", { field: field.label }) };
}

export function requireEmail(value: string, field: FieldInfo): FieldError | null {
  if (!value.trim()) return requireFilled(value, field);
  // The server checks properly; this only catches what is plainly not an address.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
    ? null
    : { fieldId: field.id, message: t("validation.email", { field: field.label }) };
}

/** The server's shortest password (services/users/password-policy.ts); it checks the rest itself. */
export const PASSWORD_MIN = 10;

export function requireMinLength(value: string, min: number, field: FieldInfo): FieldError | null {
  if (!value) return requireFilled(value, field);
  return value.length >= min
    ? null
    : { fieldId: field.id, message: t("validation.tooShort", { field: field.label, min }) };
}

export function collectErrors(...checks: (FieldError | null)[]): FieldError[] {
  return checks.filter((check): check is FieldError => check !== null);
}
