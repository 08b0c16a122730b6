import { describe, expect, it } from "vitest";
import { organisationKey, organisationPart, organisationSlug } from "../../db/organisations";

describe("two spellings of one organisation share a key", () => {
  it.each([
    ["GGZ Lindenveen, team Herstel", "GGZ Lindenveen"],
    ["ggz lindenveen", "GGZ  Lindenveen "],
    ["Stichting De Brug", "De Brug"],
    ["Welzijn De Brug — locatie Oost", "welzijn de brug"],
    ["Coöperatie Zorg & Co", "Zorg en Co"],
    ["Buurthuis 't Hoekje", "buurthuis t hoekje"],
  ])("%s and %s", (a, b) => {
    expect(organisationKey(a)).toBe(organisationKey(b));
  });

  it.each([
    ["GGZ Lindenveen", "GGZ Lindenveen-Noord"],
    ["Gemeente Lindenveen", "Lindenveen"],
    ["Stichting", "Vereniging"],
  ])("but not %s and %s", (a, b) => {
    expect(organisationKey(a)).not.toBe(organisationKey(b));
  });

  it("keeps what follows a comma or a spaced dash apart, as a team or location", () => {
    expect(organisationPart("GGZ Lindenveen, team Herstel")).toEqual({ name: "GGZ Lindenveen", rest: "team Herstel" });
    expect(organisationPart("Wijkteam Lindenveen-Noord")).toEqual({ name: "Wijkteam Lindenveen-Noord", rest: "" });
  });

  it("makes readable addresses, also of names without letters we know", () => {
    expect(organisationSlug("Stichting Welzijn De Brug")).toBe("welzijn-de-brug");
    expect(organisationSlug("Ærø Café")).toBe("ærø-cafe");
    expect(organisationSlug("!!!")).toBe("organisatie");
  });
});
