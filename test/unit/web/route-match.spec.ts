import { matchPath } from "../../../web/src/lib/route-match";

it("matches fixed paths and a trailing slash", () => {
  expect(matchPath("/find", "/find")).toEqual({});
  expect(matchPath("/find", "/find/")).toEqual({});
  expect(matchPath("/manage/spaces", "/manage/spaces")).toEqual({});
  expect(matchPath("/find", "/finder")).toBeNull();
  expect(matchPath("/manage/spaces", "/manage")).toBeNull();
});

it("reads parameters, decoded, and refuses empty or malformed ones", () => {
  expect(matchPath("/spaces/:id", "/spaces/42")).toEqual({ id: "42" });
  expect(matchPath("/spaces/:id", "/spaces/a%20b")).toEqual({ id: "a b" });
  expect(matchPath("/spaces/:id", "/spaces/")).toBeNull();
  expect(matchPath("/spaces/:id", "/spaces/%E0%A4%A")).toBeNull();
  expect(matchPath("/spaces/:id", "/spaces/42/edit")).toBeNull();
});
