/**
 * An action's `params` (fastest-validator rules) as JSON Schema 2020-12, for the API document.
 *
 * Only the rule types and options MindSpaces uses are described. Any other type or constraint
 * throws: a schema that left a constraint out would tell clients the action accepts more than
 * it does. Options that only reshape an accepted value (trim, lowercase, convert, ...) or the
 * error text have no JSON Schema counterpart and are left out on purpose.
 */
import type { JsonSchema, JsonType, JsonValue } from "./json-schema";

interface Rule {
  type: string;
  [option: string]: unknown;
}

export interface ConvertedParams {
  /** Each parameter's schema, and whether a request must carry it. */
  fields: Record<string, { schema: JsonSchema; required: boolean }>;
  /** `$$strict: true`: parameters the action does not declare are refused. */
  strict: boolean;
}

const ANY_TYPE = new Set(["type", "optional", "nullable", "default", "messages", "label"]);
const RESHAPING = new Set(["trim", "trimLeft", "trimRight", "lowercase", "uppercase", "convert"]);

interface Converter {
  /** The constraints this converter expresses; any other option is refused. */
  options: readonly string[];
  convert(rule: Rule, at: string): JsonSchema;
}

const converters: Record<string, Converter> = {
  string: {
    options: ["min", "max", "length", "pattern", "patternFlags", "enum", "empty"],
    convert: (rule, at) => {
      const schema: JsonSchema = { type: "string", ...lengths(rule, "minLength", "maxLength") };
      if (rule.empty === false) schema.minLength = Math.max(schema.minLength ?? 0, 1);
      const pattern = patternOf(rule, at);
      if (pattern !== undefined) schema.pattern = pattern;
      if (Array.isArray(rule.enum)) schema.enum = rule.enum as JsonValue[];
      return schema;
    },
  },
  email: {
    // `mode` only chooses how strictly the address is checked; `normalize` reshapes it.
    options: ["min", "max", "mode", "normalize"],
    convert: rule => ({
      type: "string",
      format: "email",
      ...lengths(rule, "minLength", "maxLength"),
    }),
  },
  number: {
    options: ["min", "max", "equal", "notEqual", "integer", "positive", "negative"],
    convert: rule => {
      const schema: JsonSchema = { type: rule.integer === true ? "integer" : "number" };
      if (typeof rule.min === "number") schema.minimum = rule.min;
      if (typeof rule.max === "number") schema.maximum = rule.max;
      if (rule.positive === true) schema.exclusiveMinimum = 0;
      if (rule.negative === true) schema.exclusiveMaximum = 0;
      if (typeof rule.equal === "number") schema.const = rule.equal;
      if (typeof rule.notEqual === "number") schema.not = { const: rule.notEqual };
      return schema;
    },
  },
  boolean: {
    options: [],
    convert: () => ({ type: "boolean" }),
  },
  enum: {
    options: ["values"],
    convert: (rule, at) => {
      if (!Array.isArray(rule.values)) throw new Error(`${at}: an enum rule needs 'values'`);
      const values = rule.values as JsonValue[];
      const type = commonType(values);
      return type ? { type, enum: values } : { enum: values };
    },
  },
  object: {
    options: ["props", "properties", "strict", "minProps", "maxProps"],
    convert: (rule, at) => {
      const props = rule.props ?? rule.properties;
      const schema: JsonSchema =
        props === undefined
          ? { type: "object" }
          : objectSchema(convertFields(props, rule.strict === true, at));
      if (typeof rule.minProps === "number") schema.minProperties = rule.minProps;
      if (typeof rule.maxProps === "number") schema.maxProperties = rule.maxProps;
      return schema;
    },
  },
  array: {
    options: ["items", "min", "max", "length", "unique", "empty"],
    convert: (rule, at) => {
      const schema: JsonSchema = { type: "array", ...lengths(rule, "minItems", "maxItems") };
      if (rule.items !== undefined) schema.items = ruleToJsonSchema(rule.items, `${at}[]`);
      if (rule.unique === true) schema.uniqueItems = true;
      if (rule.empty === false) schema.minItems = Math.max(schema.minItems ?? 0, 1);
      return schema;
    },
  },
  any: {
    options: [],
    convert: () => ({}),
  },
};

function lengths<K extends "minLength" | "minItems", M extends "maxLength" | "maxItems">(
  rule: Rule,
  minKey: K,
  maxKey: M,
): Partial<Record<K | M, number>> {
  const result: Partial<Record<K | M, number>> = {};
  const min = typeof rule.length === "number" ? rule.length : rule.min;
  const max = typeof rule.length === "number" ? rule.length : rule.max;
  if (typeof min === "number") result[minKey] = min;
  if (typeof max === "number") result[maxKey] = max;
  return result;
}

function patternOf(rule: Rule, at: string): string | undefined {
  const { pattern, patternFlags } = rule;
  // JSON Schema patterns have no flags: an ignored `i` would make the document stricter than the
  // action, so flags are refused rather than dropped.
  if (
    (typeof patternFlags === "string" && patternFlags !== "") ||
    (pattern instanceof RegExp && pattern.flags !== "")
  ) {
    throw new Error(`${at}: pattern flags cannot be expressed in JSON Schema`);
  }
  if (pattern instanceof RegExp) return pattern.source;
  if (typeof pattern === "string") return pattern;
  // A RegExp declared on another node reaches the gateway's registry as JSON, that is as `{}`:
  // the constraint still holds where the action runs, but its text is lost on the way.
  return undefined;
}

function commonType(values: readonly JsonValue[]): JsonType | undefined {
  if (values.length === 0) return undefined;
  if (values.every(v => typeof v === "string")) return "string";
  if (values.every(v => Number.isInteger(v))) return "integer";
  if (values.every(v => typeof v === "number")) return "number";
  if (values.every(v => typeof v === "boolean")) return "boolean";
  return undefined;
}

function isRule(value: unknown): value is Rule {
  return typeof value === "object" && value !== null && typeof (value as Rule).type === "string";
}

/** fastest-validator applies a default to a missing value, so such a field is not required. */
function isRequired(rule: unknown): boolean {
  // Alternatives are optional only when every one of them is (as fastest-validator decides).
  if (Array.isArray(rule)) return rule.some(isRequired);
  return isRule(rule) && rule.optional !== true && rule.default === undefined;
}

/** One rule (an object, or an array of alternatives) as JSON Schema. */
export function ruleToJsonSchema(rule: unknown, at: string): JsonSchema {
  if (Array.isArray(rule)) {
    // fastest-validator's "multi" rule: the value must pass one of the alternatives.
    return { anyOf: rule.map((alternative, i) => ruleToJsonSchema(alternative, `${at}|${i}`)) };
  }
  if (typeof rule === "string") {
    throw new Error(`${at}: shorthand rules ("${rule}") are not described; use the object form`);
  }
  if (!isRule(rule)) throw new Error(`${at}: not a fastest-validator rule`);
  const converter = converters[rule.type];
  if (!converter) throw new Error(`${at}: the rule type '${rule.type}' is not described`);
  for (const option of Object.keys(rule)) {
    if (!ANY_TYPE.has(option) && !RESHAPING.has(option) && !converter.options.includes(option)) {
      throw new Error(`${at}: the ${rule.type} option '${option}' is not described`);
    }
  }
  const schema = converter.convert(rule, at);
  if (rule.nullable === true) {
    if (typeof schema.type === "string") schema.type = [schema.type, "null"];
    else return withDefault({ anyOf: [schema, { type: "null" }] }, rule);
  }
  return withDefault(schema, rule);
}

function withDefault(schema: JsonSchema, rule: Rule): JsonSchema {
  return rule.default === undefined ? schema : { ...schema, default: rule.default as JsonValue };
}

function convertFields(props: unknown, strict: boolean, at: string): ConvertedParams {
  if (typeof props !== "object" || props === null || Array.isArray(props)) {
    throw new Error(`${at}: properties must be an object of rules`);
  }
  const fields: ConvertedParams["fields"] = {};
  for (const [name, rule] of Object.entries(props)) {
    const where = at ? `${at}.${name}` : name;
    fields[name] = { schema: ruleToJsonSchema(rule, where), required: isRequired(rule) };
  }
  return { fields, strict };
}

/**
 * An action's whole `params`. `$$strict: true` refuses undeclared keys; `$$strict: "remove"`
 * drops them silently, so they are accepted. `$$async` changes nothing a client sees.
 */
export function convertParams(params: unknown, at: string): ConvertedParams {
  if (params === undefined) return { fields: {}, strict: false };
  if (typeof params !== "object" || params === null)
    throw new Error(`${at}: params must be an object`);
  const rules: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(params)) {
    if (!name.startsWith("$$")) rules[name] = rule;
    else if (name !== "$$strict" && name !== "$$async") {
      throw new Error(`${at}: '${name}' is not described`);
    }
  }
  const strict = (params as Record<string, unknown>).$$strict === true;
  return convertFields(rules, strict, at);
}

/** Converted fields as one object schema (a JSON body, or a nested object rule). */
export function objectSchema({ fields, strict }: ConvertedParams): JsonSchema {
  const schema: JsonSchema = {
    type: "object",
    properties: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.schema])),
  };
  const required = Object.keys(fields).filter(name => fields[name].required);
  if (required.length > 0) schema.required = required;
  if (strict) schema.additionalProperties = false;
  return schema;
}
