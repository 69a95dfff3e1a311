/**
 * Saves an API answer as a file. The request carries the Authorization header like any other, so
 * the token never ends up in a URL, a history entry or a server log.
 */
import { currentLocale } from "../i18n/locale.svelte";
import { ApiError, CLIENT_ERROR } from "./api";
import { readToken } from "./token";
import { t } from "../i18n/locale.svelte";

export async function downloadFile(path: string, fileName: string, accept: string): Promise<void> {
  const headers: Record<string, string> = { Accept: accept, "Accept-Language": currentLocale() };
  const token = readToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: "same-origin" });
  } catch {
    throw new ApiError({
      name: "NetworkError",
      message: t("errors.network"),
      code: 0,
      type: CLIENT_ERROR.NETWORK,
      data: null,
    });
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      message?: string;
      type?: string;
      data?: unknown;
    } | null;
    throw new ApiError({
      name: "DownloadFailed",
      message: body?.message ?? t("errors.unexpected"),
      code: response.status,
      type: body?.type ?? CLIENT_ERROR.UNEXPECTED,
      // A refused query's details (VALIDATION_ERROR items), for errorsFromApi to map to fields.
      data: body?.data ?? null,
    });
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
