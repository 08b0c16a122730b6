import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getMember } from "~/lib/auth.server";
import { mapPictureResponse } from "~/lib/map-picture.server";
import { memberWorksWithPicture } from "~/models/member-page.server";
import { nameViewer } from "~/models/names.server";

// The member's organisation with its partners, as the picture the member's page shows.
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!params.id) throw data(null, { status: 404 });
  const viewer = await getMember(request);
  return mapPictureResponse(request, memberWorksWithPicture(params.id, viewer, nameViewer(request, viewer)));
}
