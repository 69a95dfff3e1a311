import fs from "node:fs";
import path from "node:path";
import { isAcceptablePassword } from "../../../../services/users/password-policy";

describe("password policy", () => {
  it.each([
    ["Tulips-and-canals-42", true],
    ["correct horse battery", true],
    ["short-1", false],
    ["onlyletterslong", false],
    ["12345678901234", false],
    ["aaaaaaaaaaaaaa", false],
    ["Wachtwoord123", false],
    ["x".repeat(129), false],
  ])("%s → %s", (password, ok) => {
    expect(isAcceptablePassword(password, "someone@example.org")).toBe(ok);
  });

  it("refuses a password that contains the e-mail's name part", () => {
    expect(isAcceptablePassword("jan.jansen-2026", "jan.jansen@example.org")).toBe(false);
  });
});

describe(".env.example", () => {
  it("seeds an admin whose example password the policy accepts, so a node started with it starts", () => {
    const example = fs.readFileSync(
      path.join(__dirname, "..", "..", "..", "..", ".env.example"),
      "utf8",
    );
    const value = (name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(example)?.[1] ?? "";
    expect(isAcceptablePassword(value("ADMIN_PASSWORD"), value("ADMIN_EMAIL"))).toBe(true);
  });
});
