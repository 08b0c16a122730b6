// What /network and its "all" pages show. The overview counts everything (network.server.ts);
// these pages show only the largest parts of it, so that a page stays small whatever the size of
// the network: the map the strongest organisations and lines, the tables their heads, with the
// rest on their own paginated pages.
import { layoutMap } from "~/lib/network-layout";
import { pageOf } from "~/lib/paging";
import { networkOverview, sharedInitiatives, type Connection, type Organisation } from "./network.server";
import { slugsByName } from "./organisations.server";

export const networkLimits = {
  // Legible on a phone (with sideways scrolling at the top end).
  mapOrganisations: 40,
  // The strongest lines among them; more turns the map into a grey disc and the page heavy.
  mapLinks: 120,
  // Rows of the connections and organisations tables on /network; the rest on their own pages.
  tableRows: 25,
  chartRows: 20,
  // Rows per page of /network/connections and /network/organisations.
  perPage: 100,
} as const;

type Viewer = { id: string } | null;

export function networkPage(viewer: Viewer, params: URLSearchParams, now = Date.now()) {
  // Members-only profiles count for members, never for visitors.
  const includeMembersOnly = !!viewer;
  const { organisations, connections, months, places } = networkOverview(includeMembersOnly, now);
  const known = new Set(organisations.map((o) => o.name));
  const a = params.get("between") ?? "";
  const b = params.get("and") ?? "";
  const between = known.has(a) && known.has(b) && a !== b ? { a, b, initiatives: sharedInitiatives(a, b, includeMembersOnly) } : null;

  // The map: the organisations with the most connections, and the strongest lines between them
  // (connections come heaviest first).
  const strength = new Map<string, number>();
  for (const c of connections) {
    strength.set(c.a, (strength.get(c.a) ?? 0) + c.weight);
    strength.set(c.b, (strength.get(c.b) ?? 0) + c.weight);
  }
  const onMap = [...strength.keys()].sort((x, y) => strength.get(y)! - strength.get(x)! || (x < y ? -1 : 1)).slice(0, networkLimits.mapOrganisations);
  const shown = new Set(onMap);
  const among = connections.filter((c) => shown.has(c.a) && shown.has(c.b));
  const layout = layoutMap(onMap, among.slice(0, networkLimits.mapLinks));
  const tableConnections = connections.slice(0, networkLimits.tableRows);
  const tableOrganisations = organisations.slice(0, networkLimits.tableRows);
  return {
    layout,
    mapTotal: strength.size,
    mapLinkTotal: among.length,
    connections: tableConnections,
    connectionTotal: connections.length,
    organisations: tableOrganisations,
    organisationTotal: organisations.length,
    chart: organisations.slice(0, networkLimits.chartRows),
    months,
    between,
    places: places.slice(0, networkLimits.chartRows),
    placeTotal: places.length,
    // Every name on the page links to its organisation's page.
    slugs: slugsByName([...tableOrganisations.map((o) => o.name), ...onMap, ...tableConnections.flatMap((c) => [c.a, c.b])]),
  };
}


/** Every connection, heaviest first, a page at a time (/network/connections). */
export function networkConnectionsPage(viewer: Viewer, params: URLSearchParams, now = Date.now()) {
  const { connections } = networkOverview(!!viewer, now);
  const shown = pageOf<Connection>(connections, params.get("page"), networkLimits.perPage);
  return { ...shown, slugs: slugsByName(shown.rows.flatMap((c) => [c.a, c.b])) };
}

/** Every organisation named in profiles, most members first, a page at a time (/network/organisations). */
export function networkOrganisationsPage(viewer: Viewer, params: URLSearchParams, now = Date.now()) {
  const { organisations } = networkOverview(!!viewer, now);
  const shown = pageOf<Organisation>(organisations, params.get("page"), networkLimits.perPage);
  return { ...shown, slugs: slugsByName(shown.rows.map((o) => o.name)) };
}
