/**
 * `t()` is typed, so svelte-check refuses an unknown key in the client's code; this scan is the
 * second net, and also catches keys that no code uses any more.
 */
import fs from "node:fs";
import path from "node:path";
import { manageMessages } from "../../../web/src/i18n/manage-messages";
import { memberMessages } from "../../../web/src/i18n/member-messages";
import { isMessageKey, messages, shellMessages } from "../../../web/src/i18n/messages";

const SRC = path.resolve(__dirname, "..", "..", "..", "web", "src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(svelte|ts)$/.test(entry.name) ? [full] : [];
  });
}

const sources = sourceFiles(SRC).map(file => ({
  file: path.relative(SRC, file),
  code: fs.readFileSync(file, "utf8"),
}));

it('finds every t("…") key of the .svelte and .ts sources in the dictionary', () => {
  const unknown = sources.flatMap(({ file, code }) =>
    [...code.matchAll(/\bt\(\s*"([^"]+)"/g)]
      .map(match => match[1])
      .filter(key => !isMessageKey(key))
      .map(key => `${file}: ${key}`),
  );
  expect(sources.some(source => source.file.endsWith(".svelte"))).toBe(true);
  expect(unknown).toEqual([]);
});

it('uses every key somewhere (as t("key") or as a quoted key in a table)', () => {
  const all = sources.map(source => source.code).join("\n");
  const unused = Object.keys(messages).filter(key => !all.includes(`"${key}"`));
  expect(unused).toEqual([]);
});

it("has both languages, non-empty, with the same placeholders", () => {
  for (const [key, texts] of Object.entries(messages)) {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort();
    expect({ key, nl: texts.nl.trim() !== "", en: texts.en.trim() !== "" }).toEqual({
      key,
      nl: true,
      en: true,
    });
    expect({ key, placeholders: placeholders(texts.nl) }).toEqual({
      key,
      placeholders: placeholders(texts.en),
    });
  }
});

it("defines each key in one dictionary only, so none replaces another's text", () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [name, dictionary] of Object.entries({
    shell: shellMessages,
    member: memberMessages,
    manage: manageMessages,
  })) {
    for (const key of Object.keys(dictionary)) {
      if (seen.has(key)) twice.push(`${key}: ${seen.get(key)} and ${name}`);
      seen.set(key, name);
    }
  }
  expect(twice).toEqual([]);
});
