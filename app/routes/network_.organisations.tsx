import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { OrganisationTable } from "~/components/network";
import { Pager } from "~/components/pager";
import { getMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { networkOrganisationsPage } from "~/models/network-page.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "network.organisationsAll.title", undefined, { key: "network.organisationsAll.lead" });

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  return networkOrganisationsPage(viewer, new URL(request.url).searchParams);
}

export default function NetworkOrganisations() {
  const t = useT();
  const { rows, page, pages, from, total, slugs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("network.organisationsAll.title")}</h1>
      <p className="lead">{t("network.organisationsAll.lead")}</p>
      <div className="table-frame">
        <OrganisationTable organisations={rows} slugs={slugs} />
      </div>
      <Pager path="/network/organisations" page={page} pages={pages} from={from} shown={rows.length} total={total} />
      <p>
        <Link to="/network">{t("network.back")}</Link>
      </p>
    </>
  );
}
