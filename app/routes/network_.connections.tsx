import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ConnectionsTable } from "~/components/network";
import { Pager } from "~/components/pager";
import { getMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { networkConnectionsPage } from "~/models/network-page.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "network.connections.title", undefined, { key: "network.connections.lead" });

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  return networkConnectionsPage(viewer, new URL(request.url).searchParams);
}

export default function NetworkConnections() {
  const t = useT();
  const { rows, page, pages, from, total, slugs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("network.connections.title")}</h1>
      <p className="lead">{t("network.connections.lead")}</p>
      <div className="table-frame">
<ConnectionsTable connections={rows} slugs={slugs} caption={t("network.connections.title")} />
      </div>
      <Pager path="/network/connections" page={page} pages={pages} from={from} shown={rows.length} total={total} />
      <p>
        <Link to="/network">{t("network.back")}</Link>
      </p>
    </>
  );
}
