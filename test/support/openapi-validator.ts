/** Checks an OpenAPI document against the official OpenAPI schema for its version. */
import { execFile } from "node:child_process";
import path from "node:path";

export interface SchemaCheck {
  valid: boolean;
  errors?: unknown;
}

export function validateOpenApi(document: unknown): Promise<SchemaCheck> {
  const script = path.join(__dirname, "openapi-validate.mjs");
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [script], (err, stdout, stderr) => {
      if (err) reject(new Error(`openapi-validate.mjs failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as SchemaCheck);
    });
    child.stdin!.end(JSON.stringify(document));
  });
}
