import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMember } from "~/lib/auth.server";
import { mapPictureResponse } from "~/lib/map-picture.server";
import { idParam } from "~/lib/params.server";
import { initiativeWorksWithPicture } from "~/models/initiative-page.server";

// The organisations taking part in an initiative, as the picture its page shows.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  return mapPictureResponse(request, initiativeWorksWithPicture(id, await getMember(request)));
}
