import {
  convertParams,
  objectSchema,
  ruleToJsonSchema,
} from "../../../../../services/api/openapi/params-schema";

describe("fastest-validator rules as JSON Schema", () => {
  it("string: lengths, pattern and enum; trimming leaves no trace", () => {
    expect(ruleToJsonSchema({ type: "string", trim: true, min: 1, max: 100 }, "name")).toEqual({
      type: "string",
      minLength: 1,
      maxLength: 100,
    });
    expect(ruleToJsonSchema({ type: "string", length: 5 }, "code")).toEqual({
      type: "string",
      minLength: 5,
      maxLength: 5,
    });
    expect(ruleToJsonSchema({ type: "string", pattern: /^[a-z]+$/ }, "tag")).toEqual({
      type: "string",
      pattern: "^[a-z]+$",
    });
    expect(ruleToJsonSchema({ type: "string", pattern: "^\\d+$" }, "digits")).toEqual({
      type: "string",
      pattern: "^\\d+$",
    });
    expect(ruleToJsonSchema({ type: "string", empty: false, enum: ["a", "b"] }, "x")).toEqual({
      type: "string",
      minLength: 1,
      enum: ["a", "b"],
    });
  });

  it("string: a pattern that crossed the broker as JSON ({}) is left out, flags are refused", () => {
    expect(ruleToJsonSchema({ type: "string", max: 5, pattern: {} }, "tag")).toEqual({
      type: "string",
      maxLength: 5,
    });
    expect(() => ruleToJsonSchema({ type: "string", pattern: /^a$/i }, "tag")).toThrow(
      "tag: pattern flags",
    );
    expect(() =>
      ruleToJsonSchema({ type: "string", pattern: "^a$", patternFlags: "i" }, "tag"),
    ).toThrow("tag: pattern flags");
  });

  it("email: a string in the email format", () => {
    expect(ruleToJsonSchema({ type: "email", max: 254 }, "email")).toEqual({
      type: "string",
      format: "email",
      maxLength: 254,
    });
  });

  it("number: integer, bounds, sign and equality; convert leaves no trace", () => {
    expect(
      ruleToJsonSchema({ type: "number", integer: true, min: 1, max: 100, convert: true }, "n"),
    ).toEqual({ type: "integer", minimum: 1, maximum: 100 });
    expect(ruleToJsonSchema({ type: "number", positive: true }, "n")).toEqual({
      type: "number",
      exclusiveMinimum: 0,
    });
    expect(ruleToJsonSchema({ type: "number", negative: true, notEqual: -1 }, "n")).toEqual({
      type: "number",
      exclusiveMaximum: 0,
      not: { const: -1 },
    });
    expect(ruleToJsonSchema({ type: "number", equal: 3 }, "n")).toEqual({
      type: "number",
      const: 3,
    });
  });

  it("boolean", () => {
    expect(ruleToJsonSchema({ type: "boolean", convert: true }, "active")).toEqual({
      type: "boolean",
    });
  });

  it("enum: the values, with their common type", () => {
    expect(ruleToJsonSchema({ type: "enum", values: ["nl", "en"] }, "locale")).toEqual({
      type: "string",
      enum: ["nl", "en"],
    });
    expect(ruleToJsonSchema({ type: "enum", values: [15, 30, 45] }, "slot")).toEqual({
      type: "integer",
      enum: [15, 30, 45],
    });
    expect(ruleToJsonSchema({ type: "enum", values: ["a", 1] }, "mixed")).toEqual({
      enum: ["a", 1],
    });
    expect(() => ruleToJsonSchema({ type: "enum" }, "broken")).toThrow("broken: an enum rule");
  });

  it("object: nested properties, required unless optional, strict closes it", () => {
    const location = {
      type: "object",
      strict: true,
      props: {
        site: { type: "string", min: 1 },
        floor: { type: "string", optional: true },
      },
    };
    expect(ruleToJsonSchema(location, "location")).toEqual({
      type: "object",
      properties: { site: { type: "string", minLength: 1 }, floor: { type: "string" } },
      required: ["site"],
      additionalProperties: false,
    });
    expect(
      ruleToJsonSchema(
        { type: "object", strict: "remove", properties: { a: { type: "any" } } },
        "o",
      ),
    ).toEqual({ type: "object", properties: { a: {} }, required: ["a"] });
    expect(ruleToJsonSchema({ type: "object", minProps: 1 }, "free")).toEqual({
      type: "object",
      minProperties: 1,
    });
  });

  it("array: items, bounds and uniqueness", () => {
    const equipment = {
      type: "array",
      max: 30,
      unique: true,
      items: { type: "string", lowercase: true, pattern: /^[a-z0-9-]+$/ },
    };
    expect(ruleToJsonSchema(equipment, "equipment")).toEqual({
      type: "array",
      maxItems: 30,
      uniqueItems: true,
      items: { type: "string", pattern: "^[a-z0-9-]+$" },
    });
    expect(ruleToJsonSchema({ type: "array", empty: false, length: 2 }, "pair")).toEqual({
      type: "array",
      minItems: 2,
      maxItems: 2,
    });
  });

  it("several rules for one field: any of them", () => {
    expect(
      ruleToJsonSchema(
        [
          { type: "string", optional: true },
          { type: "array", items: { type: "string" }, optional: true },
        ],
        "equipment",
      ),
    ).toEqual({ anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] });
  });

  it("nullable and default", () => {
    expect(ruleToJsonSchema({ type: "string", nullable: true }, "s")).toEqual({
      type: ["string", "null"],
    });
    expect(ruleToJsonSchema({ type: "any", nullable: true }, "a")).toEqual({
      anyOf: [{}, { type: "null" }],
    });
    expect(ruleToJsonSchema({ type: "number", default: 20 }, "pageSize")).toEqual({
      type: "number",
      default: 20,
    });
  });

  it("refuses what it cannot describe, so the document never claims more than is checked", () => {
    expect(() => ruleToJsonSchema({ type: "uuid" }, "users.get.id")).toThrow(
      "users.get.id: the rule type 'uuid' is not described",
    );
    expect(() => ruleToJsonSchema({ type: "string", alpha: true }, "name")).toThrow(
      "name: the string option 'alpha' is not described",
    );
    expect(() => ruleToJsonSchema("string|min:3", "name")).toThrow("shorthand");
    expect(() => ruleToJsonSchema({ min: 3 }, "name")).toThrow("not a fastest-validator rule");
  });
});

describe("an action's params", () => {
  const params = {
    email: { type: "email" },
    page: { type: "number", integer: true, default: 1, convert: true },
    equipment: [
      { type: "string", optional: true },
      { type: "array", items: { type: "string" }, optional: true },
    ],
    locale: { type: "enum", values: ["nl", "en"], optional: true },
    $$strict: true,
  };

  it("gives each field its schema and whether a request must carry it", () => {
    const converted = convertParams(params, "users.list");
    expect(converted.strict).toBe(true);
    expect(
      Object.fromEntries(Object.entries(converted.fields).map(([k, f]) => [k, f.required])),
    ).toEqual({ email: true, page: false, equipment: false, locale: false });
    expect(converted.fields.page.schema).toEqual({ type: "integer", default: 1 });
  });

  it("makes one closed object schema under $$strict: true, an open one otherwise", () => {
    expect(objectSchema(convertParams(params, "x"))).toMatchObject({
      type: "object",
      required: ["email"],
      additionalProperties: false,
    });
    const lenient = objectSchema(
      convertParams({ a: { type: "boolean" }, $$strict: "remove" }, "y"),
    );
    expect(lenient).toEqual({
      type: "object",
      properties: { a: { type: "boolean" } },
      required: ["a"],
    });
    expect(objectSchema(convertParams(undefined, "z"))).toEqual({ type: "object", properties: {} });
  });

  it("refuses $$ options that change what is accepted", () => {
    expect(() => convertParams({ $$root: true, type: "string" }, "odd")).toThrow(
      "odd: '$$root' is not described",
    );
  });
});
