import { ErrorType } from "../../../lib/errors";
import { localeFromAcceptLanguage, translate } from "../../../lib/messages";

describe("error messages", () => {
  it("has a Dutch and an English message for every error type", () => {
    for (const type of Object.values(ErrorType)) {
      expect(translate(type, "nl")).toMatch(/\S/);
      expect(translate(type, "en")).toMatch(/\S/);
      expect(translate(type, "nl")).not.toBe(translate(type, "en"));
    }
  });

  it("picks nl or en from Accept-Language by preference", () => {
    expect(localeFromAcceptLanguage("nl-NL,nl;q=0.9,en;q=0.8")).toBe("nl");
    expect(localeFromAcceptLanguage("de-DE,en;q=0.5,nl;q=0.7")).toBe("nl");
    expect(localeFromAcceptLanguage("en-GB")).toBe("en");
    expect(localeFromAcceptLanguage("fr, de")).toBeNull();
    expect(localeFromAcceptLanguage("nl;q=0")).toBeNull();
    expect(localeFromAcceptLanguage(undefined)).toBeNull();
  });
});
