// The network's overview is counted again after changes on a worker thread, while pages go on
// showing the last count (app/models/network.server.ts): a write never makes the next page wait
// for a count. The worker's count is the same as one made on the spot.
import { existsSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { closeDb } from "~/lib/db.server";
import { countsSettled, keptOverview, networkOverview } from "~/models/network.server";
import { setInterest } from "~/models/registrations.server";
import { initiativeBy } from "../support/fixtures";
import { memberWithSession } from "../support/requests";

async function until<T>(value: () => T | null, ms = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = value();
    if (v !== null) return v;
    if (Date.now() - started > ms) throw new Error("no count arrived in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the network overview counted in the background", () => {
  it("shows the last count at once after a change, and the new one when the worker has counted it", async () => {
    const library = await memberWithSession("Bibliothecaris", { organisation: "Bibliotheek" });
    const wijkteam = await memberWithSession("Wijkwerker", { organisation: "Wijkteam" });
    const buurthuis = await memberWithSession("Beheerder", { organisation: "Buurthuis" });
    const taalcafe = initiativeBy(library.id, { title: "Taalcafé" });
    setInterest(taalcafe, wijkteam.id, true);

    const first = networkOverview(false);
    expect(first.connections).toEqual([{ a: "Bibliotheek", b: "Wijkteam", weight: 1 }]);
    expect(Object.fromEntries(first.initiatives)).toEqual({ Bibliotheek: 1, Wijkteam: 1 });

    // A change, and more than a minute later a page asks: it gets the last count without waiting…
    setInterest(taalcafe, buurthuis.id, true);
    const later = Date.now() + 61_000;
    expect(keptOverview(false, later)).toBe(first);
    // … while the worker counts; asking again meanwhile starts no second count.
    expect(keptOverview(false, later)).toBe(first);
    const counted = await until(() => {
      const now = keptOverview(false, later);
      return now !== first ? now : null;
    });
    expect(counted.connections).toEqual([
      { a: "Bibliotheek", b: "Buurthuis", weight: 1 },
      { a: "Bibliotheek", b: "Wijkteam", weight: 1 },
      { a: "Buurthuis", b: "Wijkteam", weight: 1 },
    ]);
    expect(counted.organisations.map((o) => o.name).sort()).toEqual(["Bibliotheek", "Buurthuis", "Wijkteam"]);
    expect(Object.fromEntries(counted.initiatives)).toEqual({ Bibliotheek: 1, Buurthuis: 1, Wijkteam: 1 });
    expect(Object.fromEntries(counted.newest)).toEqual({ Bibliotheek: [taalcafe], Buurthuis: [taalcafe], Wijkteam: [taalcafe] });
    expect(counted.months).toHaveLength(12);
    // Nothing changed since: the kept count serves again.
    expect(keptOverview(false, later + 1_000)).toBe(counted);
  });

  // Last in this file: it closes the database, as the file's end does.
  it("drops a count that comes back after the database was closed, and opens no database again for it", async () => {
    const reader = await memberWithSession("Lezer", { organisation: "Leesclub" });
    const [first] = networkOverview(false).organisations;
    expect(first).toBeDefined();
    setInterest(initiativeBy(reader.id, { title: "Leeskring" }), (await memberWithSession("Gast", { organisation: "Gastenclub" })).id, true);
    keptOverview(false, Date.now() + 200_000);
    const file = process.env.DATABASE_PATH!;
    closeDb();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    await countsSettled();
    expect(existsSync(file)).toBe(false);
  });
});
