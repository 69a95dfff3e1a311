/**
 * Validates the OpenAPI document read from stdin against the OpenAPI schema and prints
 * `{ valid, errors }`. A separate process because the validator is an ES module, which jest's
 * CommonJS module system cannot load (test/support/openapi-validator.ts runs it).
 */
import process from "node:process";
import { Validator } from "@seriousme/openapi-schema-validator";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const result = await new Validator().validate(JSON.parse(text));
process.stdout.write(JSON.stringify(result));
