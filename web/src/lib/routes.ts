/**
 * Every page of the client: its path, who may see it, its title (for the document title and
 * the navigation) and its component. Add a page here; the shell does the rest (see web/README.md).
 */
import type { Component } from "svelte";
import type { MessageKey } from "../i18n/messages";
import type { Role } from "./session.svelte";
import SignIn from "../pages/SignIn.svelte";
import Register from "../pages/Register.svelte";
import Find from "../pages/member/Find.svelte";
import Profile from "../pages/member/Profile.svelte";
import Reservations from "../pages/member/Reservations.svelte";
import Notifications from "../pages/member/Notifications.svelte";
import SpacePage from "../pages/member/Space.svelte";
import ManageSpaces from "../pages/manage/ManageSpaces.svelte";
import SpaceForm from "../pages/manage/SpaceForm.svelte";
import SpaceReservations from "../pages/manage/SpaceReservations.svelte";
import Reports from "../pages/manage/Reports.svelte";
import Users from "../pages/admin/Users.svelte";
import { matchPath } from "./route-match";

/** `guest`: only when signed out (sign-in, register); `signedIn`: any role; or a list of roles. */
export type Access = "guest" | "signedIn" | readonly Role[];

export interface PageProps {
  /** Path parameters, e.g. `{ id: "42" }` for /spaces/:id. */
  params: Record<string, string>;
  /** The route's title, for the page's h1 when it has nothing more specific. */
  title: MessageKey;
}

export interface RouteDef {
  path: string;
  title: MessageKey;
  access: Access;
  page: Component<PageProps>;
}

const MANAGERS: readonly Role[] = ["manager", "admin"];
const ADMINS: readonly Role[] = ["admin"];

export const routes: RouteDef[] = [
  { path: "/sign-in", title: "page.signIn", access: "guest", page: SignIn },
  { path: "/register", title: "page.register", access: "guest", page: Register },
  { path: "/find", title: "page.find", access: "signedIn", page: Find },
  { path: "/spaces/:id", title: "page.space", access: "signedIn", page: SpacePage },
  {
    path: "/reservations",
    title: "page.reservations",
    access: "signedIn",
    page: Reservations,
  },
  {
    path: "/notifications",
    title: "page.notifications",
    access: "signedIn",
    page: Notifications,
  },
  { path: "/profile", title: "page.profile", access: "signedIn", page: Profile },
  { path: "/manage/spaces", title: "page.manageSpaces", access: MANAGERS, page: ManageSpaces },
  { path: "/manage/spaces/new", title: "page.newSpace", access: MANAGERS, page: SpaceForm },
  { path: "/manage/spaces/:id", title: "page.editSpace", access: MANAGERS, page: SpaceForm },
  {
    path: "/manage/spaces/:id/reservations",
    title: "page.spaceReservations",
    access: MANAGERS,
    page: SpaceReservations,
  },
  { path: "/manage/reports", title: "page.reports", access: MANAGERS, page: Reports },
  { path: "/admin/users", title: "page.users", access: ADMINS, page: Users },
];

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

export function findRoute(path: string): RouteMatch | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}
