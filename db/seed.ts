// Fills the configured database (DATABASE_PATH, or DATA_DIR/meedoen.sqlite, as for the app)
// with a demo network: 20 members of 8 invented organisations and 12 initiatives of every kind.
// Everyone logs in with <firstname>@demo.meedoen.nl and the password "meedoen-demo".
//
//   npm run seed                            the demo network (skipped if it is already there)
//   tsx db/seed.ts --initiatives 10000      also bulk-inserts 10,000 generated initiatives;
//     [--members N] [--sessions N]          and generated members, sessions and sign-ups
//     [--registrations N]                   (see db/seed-bulk.ts), for benchmarks
//
// The demo network goes through the app's models, so hosts and the public log are as if the
// members had posted everything themselves. The bulk insert uses prepared statements in one
// transaction; the full-text index is filled by the database's own triggers.
import { eq, inArray } from "drizzle-orm";
import { members, sessions } from "./schema";
import { hashPassword } from "~/lib/auth.server";
import { closeDb, db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { createInitiative, initiativeInput } from "~/models/initiatives.server";
import { makeLearningLink } from "~/models/learning.server";
import { checkIn, enrol, markAttendance, register, setInterest } from "~/models/registrations.server";
import { recordVoiceChanges, voiceSnapshot } from "~/models/voice.server";
import { amendProposal, openProposal, respond } from "~/models/proposals.server";
import { postProposalComment } from "~/models/proposal-comments.server";
import { addSeries, addSession, venuesById } from "~/models/sessions.server";
import { seriesOccurrences } from "~/lib/series";
import { parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";
import { answerPoll, createPoll } from "~/models/polls.server";
import type { PollAnswer } from "~/models/polls.types";
import { createVenue, venueInput } from "~/models/venues.server";
import { postOutcome } from "~/models/contributions.server";
import { postNow, profileInput, updateProfile } from "~/models/profiles.server";
import { createMember, normaliseEmail } from "~/models/members.server";
import { bulkInitiatives, bulkMembers, bulkSessions } from "./seed-bulk";
import { seedMethods } from "./seed-methods";

const demoPassword = "meedoen-demo";
const demoDomain = "demo.meedoen.nl";
const day = 24 * 60 * 60 * 1000;
const hour = 60 * 60 * 1000;

const org = {
  wijkteam: "Wijkteam Lindenveen-Noord",
  vrijwilligers: "Vrijwilligerscentrale Lindenveen",
  bibliotheek: "Bibliotheek De Leeshoek",
  welzijn: "Stichting Welzijn De Brug",
  gemeente: "Gemeente Lindenveen",
  ggz: "GGZ Lindenveen, team Herstel",
  geldzorg: "Stichting Geldzorg Lindenveen",
  buurthuis: "Buurthuis De Kastanje",
} as const;

// Invented people; the first name is the login (<firstname>@demo.meedoen.nl).
const demoMembers: { name: string; organisation: string; locale?: "nl" | "en" }[] = [
  { name: "Anna Verbeek", organisation: org.wijkteam },
  { name: "Bram Hoekstra", organisation: org.wijkteam },
  { name: "Chantal Doornbos", organisation: org.wijkteam },
  { name: "Daan Kuipers", organisation: org.vrijwilligers },
  { name: "Esra Yıldız", organisation: org.vrijwilligers },
  { name: "Fleur van Dijkhuizen", organisation: org.vrijwilligers },
  { name: "Gerrit Brouwer", organisation: org.bibliotheek },
  { name: "Hanneke Ouwerkerk", organisation: org.bibliotheek },
  { name: "Ilse Mulder", organisation: org.bibliotheek },
  { name: "Jamal El Amrani", organisation: org.welzijn },
  { name: "Karin Vos", organisation: org.welzijn },
  { name: "Lars Timmerman", organisation: org.welzijn },
  { name: "Mirjam de Ruiter", organisation: org.gemeente },
  { name: "Noah Bakker", organisation: org.gemeente },
  { name: "Olga Nowak", organisation: org.ggz, locale: "en" },
  { name: "Pieter Scholten", organisation: org.ggz },
  { name: "Rosa Meijerink", organisation: org.ggz },
  { name: "Sanne Wolters", organisation: org.geldzorg },
  { name: "Tom Dekker", organisation: org.geldzorg },
  { name: "Yara Haddad", organisation: org.buurthuis },
];

const founders = ["Anna", "Daan", "Gerrit", "Jamal"];

const emailOf = (name: string) => `${name.split(" ")[0].normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase()}@${demoDomain}`;

type DemoInitiative = {
  by: string; // first name of the author
  daysAgo: number;
  title: string;
  summary: string;
  kind: "course" | "activity" | "request";
  tags: string;
  place?: string;
  target?: number;
  body: string;
};

const demoInitiatives: DemoInitiative[] = [
  {
    by: "Pieter",
    daysAgo: 41,
    kind: "course",
    title: "Motiverende gespreksvoering voor vrijwilligers",
    summary: "Drie avonden oefenen met gesprekken waarin de ander zelf de richting kiest. Voor vrijwilligers en beginnende professionals.",
    tags: "gespreksvoering, vrijwilligers, training",
    place: "GGZ-locatie Stationsweg 12, Lindenveen",
    target: 12,
    body: `## Waarom deze cursus

Veel vrijwilligers willen graag **helpen** en geven daarom snel advies. Motiverende gespreksvoering leert je om eerst te luisteren en de ander zelf tot een besluit te laten komen.

## Opzet

1. **Avond 1**: open vragen stellen en reflectief luisteren
2. **Avond 2**: verandertaal herkennen en versterken
3. **Avond 3**: oefenen met acteurs, met feedback van de groep

### Praktisch

- Drie dinsdagavonden, 19.00 tot 21.30 uur
- Maximaal twaalf deelnemers
- Geen voorkennis nodig; wel bereidheid om zelf te oefenen

Vragen? Mail [Pieter](mailto:pieter@${demoDomain}).`,
  },
  {
    by: "Ilse",
    daysAgo: 38,
    kind: "activity",
    title: "Taalcafé op zaterdagochtend",
    summary: "Elke zaterdag oefenen inwoners die Nederlands leren met vrijwillige taalmaatjes. Koffie en thee staan klaar.",
    tags: "taal, nt2, ontmoeting",
    place: "Bibliotheek De Leeshoek, Marktplein 3",
    body: `## Wat is het Taalcafé?

Een ontspannen plek om **Nederlands te praten**, zonder toets en zonder huiswerk. We zitten aan tafels van vier of vijf mensen, met aan elke tafel een vrijwilliger.

### Voor wie

- Inwoners die Nederlands leren, op elk niveau
- Vrijwilligers die een uur per week willen praten en luisteren

### Onderwerpen die terugkomen

- boodschappen doen en de markt
- naar de huisarts
- *wat doe jij in het weekend?*

Bekijk ook [alle initiatieven over taal](/?tag=taal).`,
  },
  {
    by: "Sanne",
    daysAgo: 35,
    kind: "request",
    title: "Gezocht: vrijwilligers voor de Formulierenbrigade",
    summary: "Wij zoeken mensen die inwoners helpen met toeslagen, belastingaangifte en brieven van instanties. Eén dagdeel per week.",
    tags: "schuldhulp, formulieren, vrijwilligers",
    place: "Buurthuis De Kastanje en aan huis",
    body: `## Wat we vragen

De wachtlijst voor hulp bij formulieren groeit. We zoeken **vier nieuwe vrijwilligers** die:

- een dagdeel per week beschikbaar zijn
- geduld hebben en goed kunnen uitleggen
- niet bang zijn voor een DigiD-scherm

## Wat we bieden

- een inwerkprogramma van twee ochtenden
- een vaste begeleider bij ${org.geldzorg}
- onkostenvergoeding en een VOG op onze kosten

Ken je iemand? Stuur deze oproep door of reageer via de [vrijwilligersvacaturebank](https://example.org/vacatures/formulierenbrigade).`,
  },
  {
    by: "Tom",
    daysAgo: 31,
    kind: "course",
    title: "Geldzorgen signaleren: korte cursus voor frontlijnwerkers",
    summary: "Herken stress door geldzorgen eerder en weet waar je naartoe verwijst. Twee bijeenkomsten voor wijkteams, welzijn en bibliotheek.",
    tags: "armoede, schuldhulp, signaleren",
    place: "Stadhuis Lindenveen, zaal De Linde",
    target: 20,
    body: `## Inhoud

Mensen met geldzorgen zoeken vaak pas laat hulp. Wie in de frontlijn werkt, ziet de signalen meestal als eerste.

### Bijeenkomst 1: herkennen

- signalen in gedrag en in de post
- hoe **schaamte** het gesprek beïnvloedt
- een gesprek beginnen zonder te oordelen

### Bijeenkomst 2: verwijzen

- de sociale kaart van Lindenveen
- warme overdracht in plaats van een telefoonnummer
- wat de gemeente kan doen bij vroegsignalering

> "Sinds de cursus vraag ik gewoon: hoe gaat het met de rekeningen?" — deelnemer vorige ronde

Aanmelden kan tot een week van tevoren.`,
  },
  {
    by: "Anna",
    daysAgo: 28,
    kind: "activity",
    title: "Intervisie wijkteams: eenzaamheid bij ouderen",
    summary: "Maandelijkse intervisie waarin we casussen rond eenzaamheid bespreken volgens de incidentmethode.",
    tags: "intervisie, eenzaamheid, wijkteam",
    place: "Buurthuis De Kastanje, zaal boven",
    target: 8,
    body: `## Opzet

We werken met de **incidentmethode**: één inbrenger, een vaste volgorde en een strakke tijdsbewaking.

1. Inbreng van de casus (10 minuten)
2. Informatieve vragen (15 minuten)
3. Ieder formuleert een eigen aanpak (20 minuten)
4. Inbrenger kiest en licht toe (15 minuten)

### Spelregels

- Wat hier besproken wordt, blijft hier
- Casussen worden anoniem ingebracht
- Je komt minimaal drie keer, zodat de groep vertrouwd raakt

Collega's van welzijn en GGZ zijn ook welkom.`,
  },
  {
    by: "Yara",
    daysAgo: 25,
    kind: "request",
    title: "Wie heeft ervaring met een buurtkamer zonder vaste beheerder?",
    summary: "Bewoners willen de buurtkamer zelf gaan beheren. Wie heeft dit al eens opgezet en wil zijn ervaringen delen?",
    tags: "buurtkamer, zelfbeheer, bewonersinitiatief",
    place: "Lindenveen-Noord",
    body: `## De vraag

Per 1 januari stopt de betaalde beheerder van onze buurtkamer. Een groep van zes bewoners wil het **zelf** overnemen. Ze hebben vragen over:

- sleutelbeheer en verzekering
- wie aanspreekpunt is bij klachten
- hoe je voorkomt dat het op één of twee mensen neerkomt

## Wat we zoeken

Iemand die dit al eens heeft meegemaakt en een avond wil vertellen hoe het ging, ook wat *niet* werkte. Een kop soep staat klaar.`,
  },
  {
    by: "Gerrit",
    daysAgo: 21,
    kind: "course",
    title: "Digitaal vaardig: leer anderen werken met DigiD",
    summary: "Train-de-trainer voor vrijwilligers van het Digitaal Hulpplein: zo leg je DigiD, de app en machtigen rustig uit.",
    tags: "digitale vaardigheden, digid, vrijwilligers",
    place: "Bibliotheek De Leeshoek, leercentrum",
    target: 10,
    body: `## Voor wie

Vrijwilligers die op het **Digitaal Hulpplein** inwoners helpen, of dat willen gaan doen.

## Wat je leert

- het verschil tussen DigiD met sms en de DigiD-app
- iemand machtigen, en wanneer dat verstandig is
- uitleggen in **korte stappen** zonder jargon
- wat je *nooit* doet: wachtwoorden overnemen of zelf inloggen voor een ander

### Materiaal

We gebruiken de oefenomgeving en de [uitleg in eenvoudige taal](https://example.org/digid-eenvoudig). Neem je eigen telefoon mee.`,
  },
  {
    by: "Rosa",
    daysAgo: 17,
    kind: "activity",
    title: "Wandelgroep Herstel in beweging",
    summary: "Elke woensdagmiddag een uur wandelen in een rustig tempo, met ruimte voor een praatje of juist voor stilte.",
    tags: "herstel, bewegen, ontmoeting",
    place: "Start bij de ingang van het Kastanjepark",
    body: `## Samen lopen

Voor iedereen die werkt aan **herstel**, met of zonder behandeling. Ervaringsdeskundigen lopen mee.

- Woensdag 14.00 uur, ook bij motregen
- Ongeveer vijf kilometer, met een bankje halverwege
- Aanmelden hoeft niet

### Na afloop

Wie wil, drinkt nog thee in het buurthuis. Geen verplichtingen.`,
  },
  {
    by: "Mirjam",
    daysAgo: 13,
    kind: "activity",
    title: "Netwerkbijeenkomst vrijwillige inzet en zorg",
    summary: "Professionals en vrijwilligersorganisaties uit Lindenveen ontmoeten elkaar. Dit keer: de grens tussen vrijwilligerswerk en zorg.",
    tags: "netwerk, vrijwilligers, beleid",
    place: "Stadhuis Lindenveen, raadzaal",
    target: 60,
    body: `## Programma

| Tijd | Onderdeel |
| --- | --- |
| 15.30 | Inloop |
| 16.00 | Pitch: wat mag je van een vrijwilliger vragen? |
| 16.30 | Rondetafels per wijk |
| 17.30 | Borrel |

### Rondetafels

- **Noord**: mantelzorg en respijt
- **Centrum**: dak- en thuislozen
- **Zuid**: jongeren en school

Neem gerust een collega mee. Het verslag van de vorige keer staat op de [gemeentelijke site](https://example.org/netwerk-vrijwillige-inzet).`,
  },
  {
    by: "Noah",
    daysAgo: 9,
    kind: "request",
    title: "Meedenkers gezocht voor de subsidieregeling bewonersinitiatieven",
    summary: "De gemeente herschrijft de regeling voor bewonersinitiatieven. Welke drempels kom jij tegen? Denk mee in twee sessies.",
    tags: "subsidie, bewonersinitiatief, beleid",
    place: "Online en in het stadhuis",
    body: `## Waarom

Bewoners vinden de huidige aanvraag **te ingewikkeld**: vier formulieren, een begroting in een vast format en acht weken wachten.

## Wat we vragen

Twee sessies van anderhalf uur, met:

1. mensen die een aanvraag hebben gedaan (gelukt of niet)
2. professionals die bewoners daarbij helpen
3. iedereen met een goed idee voor een eenvoudiger aanpak

De eerste sessie is online, de tweede in het stadhuis. Reageer hieronder of mail [Noah](mailto:noah@${demoDomain}).`,
  },
  {
    by: "Olga",
    daysAgo: 6,
    kind: "course",
    title: "Omgaan met verward gedrag in de wijk",
    summary: "Training van een dag voor wijkteams, welzijn en vrijwilligers: wat zie je, wat doe je, en wanneer schakel je wie in?",
    tags: "verward gedrag, veiligheid, training",
    place: "Buurthuis De Kastanje",
    target: 16,
    body: `## Leerdoelen

Na deze dag kun je:

- signalen van psychische ontregeling herkennen
- **de-escalerend** reageren, met aandacht voor je eigen veiligheid
- kiezen tussen de huisarts, de wijk-GGD, de politie of de crisisdienst

## Werkvormen

Korte theorie, daarna veel oefenen met situaties die deelnemers zelf inbrengen. Een ervaringsdeskundige vertelt hoe het is om *aan de andere kant* te staan.

### Let op

Dit is geen vervanging van een BHV- of agressietraining.`,
  },
  {
    by: "Lars",
    daysAgo: 2,
    kind: "activity",
    title: "Repair Café: elke eerste zaterdag van de maand",
    summary: "Samen kapotte spullen repareren: kleding, fietsen, lampen en kleine apparaten. Vrijwillige reparateurs zijn welkom.",
    tags: "duurzaamheid, ontmoeting, buurt",
    place: "Buurthuis De Kastanje, werkplaats",
    body: `## Hoe het werkt

1. Je meldt je bij de ontvangsttafel
2. Een reparateur kijkt **samen met jou** naar het probleem
3. Je leert zelf mee, zodat je het de volgende keer misschien zelf kunt

### We zoeken nog

- iemand met verstand van naaimachines
- een fietsenmaker voor de ochtend

Reparaties zijn gratis; een vrijwillige bijdrage voor de koffiepot mag. Meer informatie bij [Stichting Welzijn De Brug](https://example.org/repair-cafe).`,
  },
];

type BulkCounts = { members: number; initiatives: number; sessions: number; registrations: number };

function parseArgs(argv: string[]): BulkCounts {
  const counts: BulkCounts = { members: 0, initiatives: 0, sessions: 0, registrations: 0 };
  const usage = "usage: tsx db/seed.ts [--members N] [--initiatives N] [--sessions N] [--registrations N]";
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const name = flag.replace(/^--/, "");
    if (!flag.startsWith("--") || !(name in counts)) throw new Error(`unknown argument: ${argv[i]}\n${usage}`);
    const value = inline ?? argv[++i];
    const count = Number(value);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`${flag} needs a whole number, not "${value}"`);
    counts[name as keyof BulkCounts] = count;
  }
  if (counts.registrations && !counts.sessions) throw new Error("--registrations needs --sessions");
  return counts;
}

/** The generated part of the network, dated between `from` and `to`; sessions run up to three months after `now`. */
function seedBulk(counts: BulkCounts, from: number, to: number, now: number, passwordHash: string) {
  if (counts.members) bulkMembers(counts.members, from - 30 * day, from, passwordHash, demoDomain);
  if (counts.initiatives) bulkInitiatives(counts.initiatives, from, to);
  if (counts.sessions) bulkSessions(counts.sessions, counts.registrations, now);
}

/**
 * Gives the demo's courses and activities sessions: courses one that took place (with
 * attendance) and two ahead, activities one ahead (a small one fills up and has a waiting
 * list); the last activity stays an idea that people said "I'm in" to.
 */
function seedSessions(initiativeId: number, item: DemoInitiative, hostId: string, memberIds: string[], founderIds: string[], createdAt: Date, now: Date) {
  const index = demoInitiatives.indexOf(item);
  const others = memberIds.filter((id) => id !== hostId);
  const pick = (count: number, offset: number) => Array.from({ length: count }, (_, i) => others[(offset + i * 3) % others.length]);
  // Whole hours in the evening (Amsterdam: 18:00 UTC is 19:00 in winter).
  const eveningIn = (days: number) => {
    const d = new Date(now.getTime() + days * day);
    d.setUTCHours(18, 0, 0, 0);
    return d;
  };
  const add = (startsAt: Date, capacity: number | null, at: Date) =>
    addSession(initiativeId, hostId, { startsAt, endsAt: new Date(startsAt.getTime() + 2.5 * hour), place: item.place ?? "", hostOrganisation: "", capacity }, at, { newcomerLimit: false });
  if (item.kind === "course") {
    // The first session took place a week or so ago (after the course was posted).
    const pastDays = Math.min(7 + index, item.daysAgo - 2);
    if (pastDays >= 1) {
      const past = eveningIn(-pastDays);
      const first = add(past, 12, createdAt);
      for (const memberId of pick(6, index)) register(first, memberId, new Date(past.getTime() - day));
      for (const memberId of pick(5, index)) markAttendance(first, hostId, memberId, true, new Date(past.getTime() + hour));
      // Founders came too and checked in with the code themselves: they are the witnesses that
      // make this meeting count for a voice (governance.md §1).
      const code = db().select({ code: sessions.checkinCode }).from(sessions).where(eq(sessions.id, first)).get()!.code;
      for (const founderId of founderIds.filter((id) => id !== hostId).slice(0, 3)) checkIn(first, founderId, code, new Date(past.getTime() + 10 * 60_000));
      // What the first session produced, written up by one of the participants.
      postOutcome(
        initiativeId,
        pick(1, index)[0],
        {
          sessionId: first,
          body: `## Wat we deden\n\nWe oefenden in tweetallen met de situaties die deelnemers zelf meebrachten.\n\n## Wat we leerden\n\n- Eerst vragen, dan pas adviseren\n- **Stiltes** zijn niet erg: de ander denkt na\n\nDe oefenkaarten staan op [de site van het netwerk](https://example.org/oefenkaarten).`,
        },
        new Date(past.getTime() + 3 * hour),
      );
    }
    const next = [add(eveningIn(7 + index), 12, createdAt), add(eveningIn(14 + index), 12, createdAt)];
    for (const memberId of pick(4, index + 1)) enrol(initiativeId, memberId, new Date(createdAt.getTime() + 2 * hour));
    return next;
  }
  if (item.kind === "activity") {
    const activities = demoInitiatives.filter((i) => i.kind === "activity");
    if (item === activities[activities.length - 1]) {
      for (const memberId of pick(5, index)) setInterest(initiativeId, memberId, true);
      return [];
    }
    const small = item === activities[0];
    const sessionId = add(eveningIn(3 + index), small ? 4 : 25, createdAt);
    for (const memberId of pick(small ? 6 : 5, index)) register(sessionId, memberId, new Date(createdAt.getTime() + hour));
    return [sessionId];
  }
  return [];
}

// What each organisation's people work on, and what some of them are doing now.
const workByOrganisation: Record<string, { work: string; expertise: string }> = {
  [org.wijkteam]: { work: "Generalist in het wijkteam", expertise: "wijkteam, jeugd, mantelzorg" },
  [org.vrijwilligers]: { work: "Consulent vrijwillige inzet", expertise: "vrijwilligers, matching, training" },
  [org.bibliotheek]: { work: "Programmamaker basisvaardigheden", expertise: "taal, digitale vaardigheden, laaggeletterdheid" },
  [org.welzijn]: { work: "Opbouwwerker", expertise: "buurtwerk, ontmoeting, armoede" },
  [org.gemeente]: { work: "Beleidsmedewerker sociaal domein", expertise: "beleid, subsidie, armoede" },
  [org.ggz]: { work: "Ervaringsdeskundige en trainer", expertise: "ggz, herstel, gespreksvoering" },
  [org.geldzorg]: { work: "Budgetcoach", expertise: "schuldhulp, armoede, geldzorgen" },
  [org.buurthuis]: { work: "Beheerder en activiteitenbegeleider", expertise: "ontmoeting, buurtwerk, koken" },
};

const nowLines: Record<string, string> = {
  Anna: "Ik zet een mantelzorgcafé op in Lindenveen-Oost en zoek een plek op zaterdag.",
  Esra: "Ik koppel nieuwe vrijwilligers aan het taalcafé; wie wil een keer meedraaien?",
  Gerrit: "Ik werk aan een cursus digitale vaardigheden voor ouderen met de bibliotheek.",
  Jamal: "Ik breng in kaart welke buurthuizen nog ruimte hebben voor nieuwe activiteiten.",
  Sanne: "Ik train vrijwilligers om geldzorgen vroeg te herkennen.",
  Pieter: "Ik bereid de tweede avond van de cursus motiverende gespreksvoering voor.",
  Yara: "Ik zoek koks en proevers voor de buurtmaaltijd van december.",
  Mirjam: "Ik schrijf de subsidieregeling voor buurtinitiatieven voor volgend jaar.",
};

function seedProfiles(ids: Map<string, string>, now: Date) {
  demoMembers.forEach((m, i) => {
    const first = m.name.split(" ")[0];
    const memberId = ids.get(first)!;
    const { work, expertise } = workByOrganisation[m.organisation] ?? { work: "", expertise: "" };
    updateProfile(
      memberId,
      profileInput.parse({ displayName: m.name, organisation: m.organisation, work, expertise, bio: "", profileVisibility: i % 7 === 6 ? "members" : "public" }),
    );
    const line = nowLines[first];
    if (line) postNow(memberId, line, new Date(now.getTime() - (i + 1) * 2 * day));
  });
}

// Places where the demo network meets (issue 14): three organisations' rooms and a café that is
// nobody's; the demo sessions held there are linked to them by their place.
const demoVenues = [
  { by: "Gerrit", organisation: org.bibliotheek, name: "Bibliotheek De Leeshoek", address: "Marktplein 3, Lindenveen", places: "Bibliotheek De Leeshoek%", access: { stepFree: "on", hearingLoop: "on", publicTransport: "on" }, routeNotes: "Ingang aan het plein; het leercentrum is op de eerste verdieping (lift achter de balie)." },
  { by: "Yara", organisation: org.buurthuis, name: "Buurthuis De Kastanje", address: "Kastanjelaan 14, Lindenveen", places: "Buurthuis De Kastanje%", access: { stepFree: "on", parking: "on" }, routeNotes: "Bel bij de zij-ingang als de voordeur dicht is." },
  { by: "Pieter", organisation: "GGZ Lindenveen", name: "GGZ-locatie Stationsweg", address: "Stationsweg 12, Lindenveen", places: "GGZ-locatie%", access: { publicTransport: "on", parking: "on" }, routeNotes: "Twee minuten lopen van het station; meld je bij de receptie." },
  { by: "Anna", organisation: "", name: "Café De Zwaan", address: "Kerkstraat 2, Lindenveen", places: "Lindenveen-Noord", access: { stepFree: "on" }, routeNotes: "Achterzaal, via het café." },
];

function seedVenues(ids: Map<string, string>, now: Date) {
  const venueIds: number[] = [];
  for (const v of demoVenues) {
    const input = venueInput.parse({ name: v.name, organisation: v.organisation, address: v.address, routeNotes: v.routeNotes, accessNotes: "", ...v.access });
    const saved = createVenue(ids.get(v.by)!, input, now.getTime());
    if (!saved.ok) throw new Error(`demo venue ${v.name} was not added`);
    db().$client.prepare("UPDATE sessions SET venue_id = ? WHERE place LIKE ? AND venue_id IS NULL").run(saved.id, v.places);
    venueIds.push(saved.id);
  }
  return venueIds;
}

/**
 * Anna's intervision goes on as a series (issue 14): six evenings every two weeks from two weeks
 * ahead, each at the next organisation's venue, and the fourth one online.
 */
function seedSeries(ids: Map<string, string>, venueIds: number[], now: Date) {
  const anna = ids.get("Anna")!;
  const initiativeId = db().$client.prepare("SELECT id FROM initiatives WHERE title LIKE 'Intervisie wijkteams%'").pluck().get() as number;
  const zone = env().TZ_COMMUNITY;
  const day = toLocalDateTimeInput(new Date(now.getTime() + 14 * 86_400_000), zone).slice(0, 10);
  const series = seriesOccurrences({ startsAt: `${day}T19:30`, endsAt: `${day}T21:30`, repeat: "biweekly", count: 6 }, zone, 52);
  if (!series.ok) throw new Error("the demo series could not be made");
  const picked = venuesById(venueIds.slice(0, 3));
  const venues = venueIds.slice(0, 3).map((id) => picked.get(id)!);
  const [first] = series.occurrences;
  const sessionIds = addSeries(initiativeId, anna, { startsAt: first.startsAt, endsAt: first.endsAt, place: "", hostOrganisation: "", capacity: 12, venues, occurrences: series.occurrences }, now, { newcomerLimit: false });
  db().$client
    .prepare("UPDATE sessions SET mode = 'online', online_url = 'https://meet.jit.si/meedoen-intervisie-lindenveen', venue_id = NULL, place = '' WHERE id = ?")
    .run(sessionIds[3]);
}

/**
 * An open network proposal with a discussion (issue 17): opened three days ago, an objection,
 * a second version that answers it, and members talking it through. Opened by members who have a
 * voice once the demo meetings have been replayed.
 */
function seedProposal(ids: Map<string, string>, now: Date) {
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * day + hours * hour);
  const voices = voiceSnapshot(at(3).getTime()).voices;
  const withVoice = [...ids.entries()].filter(([, id]) => voices.has(id));
  if (withVoice.length < 3) return;
  const [[, opener], [, objector], [, supporter]] = withVoice;
  const by = (name: string) => ids.get(name)!;
  const id = openProposal(
    {
      scope: "network",
      initiativeId: null,
      kind: "consent",
      title: "Elke maand een open intervisie voor het hele netwerk",
      body: "Eén keer per maand een open intervisie, om beurten georganiseerd door een van de organisaties. Iedereen uit het netwerk kan aanschuiven, ook zonder aanmelding vooraf.\n\nWe beginnen na de zomer en kijken na een half jaar of het werkt.",
      days: 7,
      effect: null,
    },
    opener,
    at(3),
  );
  postProposalComment(id, by("Karin"), { body: "Mooi idee. Hoe groot mag een groep worden? Intervisie werkt slecht met meer dan acht mensen." }, at(3, 2));
  postProposalComment(id, by("Esra"), { body: "Zonder aanmelding weet je nooit hoeveel mensen er komen. Misschien een maximum per avond en dan een tweede groep?" }, at(3, 5));
  respond(id, supporter, "consent", "", at(2, 20));
  respond(id, objector, "object", "Zonder aanmelding kunnen we geen ruimte regelen en geen groepen maken; dan wordt het een grote kring waarin weinig mensen aan bod komen.", at(2, 22));
  postProposalComment(id, by("Olga"), { body: "Agree with the objection: a short sign-up form would solve most of it." }, at(2, 23));
  amendProposal(
    id,
    opener,
    {
      title: "Elke maand een open intervisie voor het hele netwerk, met aanmelding",
      body: "Eén keer per maand een open intervisie, om beurten georganiseerd door een van de organisaties. Iedereen uit het netwerk kan zich aanmelden via de agenda; bij meer dan acht aanmeldingen maken we een tweede groep.\n\nWe beginnen na de zomer en kijken na een half jaar of het werkt.",
      rulesText: null,
      answers: "Aanmelding via de agenda, zodat we de ruimte kunnen regelen en groepen van hoogstens acht kunnen maken.",
      version: 1,
    },
    at(2),
  );
  respond(id, objector, "consent", "Met aanmelding werkt het voor mij.", at(1, 3));
  respond(id, supporter, "consent", "", at(1, 5));
  postProposalComment(id, by("Karin"), { body: "Zo is het duidelijker. Wij willen de eerste avond wel organiseren in het wijkcentrum." }, at(1, 6));
}

/**
 * An open date poll (issue 17) on Anna's intervision: three evenings for a return meeting, with
 * answers from three members and one visitor who typed a name.
 */
function seedPoll(ids: Map<string, string>, venueIds: number[], now: Date) {
  const anna = ids.get("Anna")!;
  const initiativeId = db().$client.prepare("SELECT id FROM initiatives WHERE title LIKE 'Intervisie wijkteams%'").pluck().get() as number;
  const zone = env().TZ_COMMUNITY;
  const date = (days: number) => toLocalDateTimeInput(new Date(now.getTime() + days * 86_400_000), zone).slice(0, 10);
  const venue = venuesById([venueIds[0]]).get(venueIds[0])!;
  const at = (days: number, start: string, end: string) => ({ startsAt: parseLocalDateTime(`${date(days)}T${start}`, zone)!, endsAt: parseLocalDateTime(`${date(days)}T${end}`, zone)! });
  const code = createPoll(
    initiativeId,
    anna,
    {
      title: "Terugkomavond intervisie: wanneer?",
      note: "Na de reeks willen we één keer terugkomen om te kijken wat het heeft opgeleverd. Prik wat je past.",
      options: [
        { ...at(40, "19:30", "21:30"), place: [venue.name, venue.address].join(", "), venueId: venue.id, mode: "onsite" },
        { ...at(41, "15:00", "16:30"), place: "Café De Zwaan, Kerkstraat 2, Lindenveen", venueId: null, mode: "onsite" },
        { ...at(43, "19:30", "21:00"), place: "", venueId: null, mode: "online" },
      ],
    },
    now,
  );
  const options = db().$client.prepare("SELECT o.id FROM poll_options o JOIN date_polls p ON p.id = o.poll_id WHERE p.code = ? ORDER BY o.starts_at").pluck().all(code) as number[];
  const answers = (list: PollAnswer[]) => list.map((answer, i) => ({ optionId: options[i], answer }));
  for (const [first, list] of [["Gerrit", ["yes", "no", "maybe"]], ["Yara", ["yes", "yes", "no"]], ["Pieter", ["maybe", "no", "yes"]]] as const) {
    const id = ids.get(first)!;
    const name = db().$client.prepare("SELECT display_name FROM members WHERE id = ?").pluck().get(id) as string;
    answerPoll(code, { memberId: id, displayName: name }, "", answers([...list]), now);
  }
  answerPoll(code, { memberId: null, editCode: null, address: "192.0.2.1" }, "Sanne (wijkverpleging)", answers(["yes", "maybe", "yes"]), now);
}

const firstDemoDaysAgo = Math.max(...demoInitiatives.map((i) => i.daysAgo));

function demoEmails() {
  return demoMembers.map((m) => normaliseEmail(emailOf(m.name)));
}

/**
 * Adds the demo network. Generated initiatives (if any) go in between the members and the demo
 * initiatives and are dated in the year before, so the hand-written ones stay on top of the feed.
 */
async function seedDemoNetwork(now: Date, counts: BulkCounts) {
  const generated = counts.initiatives;
  const passwordHash = await hashPassword(demoPassword);
  const ids = new Map<string, string>();
  const firstActivity = now.getTime() - (firstDemoDaysAgo + 1) * day - (generated ? 365 * day : 0);
  // One transaction: either the whole demo network is there or none of it. The models' own
  // transactions nest inside it as savepoints.
  db().$client.transaction(() => {
    demoMembers.forEach((m, i) => {
      const id = createMember({ email: emailOf(m.name), passwordHash, displayName: m.name, organisation: m.organisation, locale: m.locale ?? null });
      // Members joined before they posted anything.
      db().update(members).set({ createdAt: new Date(firstActivity - 7 * day + i * 3 * hour) }).where(eq(members.id, id)).run();
      ids.set(m.name.split(" ")[0], id);
    });
    // The network's founders (governance.md §1): four people of four organisations who started it.
    for (const first of founders) db().update(members).set({ founderAt: db().select({ at: members.createdAt }).from(members).where(eq(members.id, ids.get(first)!)).get()!.at }).where(eq(members.id, ids.get(first)!)).run();
    seedBulk(counts, firstActivity, now.getTime() - firstDemoDaysAgo * day - day / 2, now.getTime(), passwordHash);
    for (const item of demoInitiatives) {
      const memberId = ids.get(item.by);
      if (!memberId) throw new Error(`unknown demo member ${item.by}`);
      const input = initiativeInput.parse({
        title: item.title,
        summary: item.summary,
        body: item.body,
        kind: item.kind,
        tags: item.tags,
        place: item.place ?? "",
        target: item.target ? String(item.target) : undefined,
      });
      // A different hour of the day each time.
      const at = new Date(now.getTime() - item.daysAgo * day - ((item.daysAgo * 7) % 8) * hour);
      const initiativeId = createInitiative(memberId, input, at);
      seedSessions(initiativeId, item, memberId, [...ids.values()], founders.map((f) => ids.get(f)!), at, now);
    }
    seedProfiles(ids, now);
    const venueIds = seedVenues(ids, now);
    seedSeries(ids, venueIds, now);
    // The record of learning (issue 15): the first evening of the motivational interviewing course
    // counts for three learning hours, and Anna shares her record with a verification link.
    db().$client
      .prepare("UPDATE sessions SET learning_minutes = 180 WHERE id = (SELECT s.id FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE i.title LIKE 'Motiverende gespreksvoering%' ORDER BY s.starts_at LIMIT 1)")
      .run();
    makeLearningLink({ id: ids.get("Anna")!, displayName: demoMembers[0].name }, { scope: "all", name: "" }, now);
    seedMethods(ids, now);
    seedPoll(ids, venueIds, now);
    // What the meetings gave: voices started, held back by the growth brake, the bootstrap's end.
    recordVoiceChanges(now.getTime());
    seedProposal(ids, now);
    // Demo addresses do not exist: never send the mails the demo activity queued.
    db().$client.prepare("DELETE FROM outbox WHERE to_address LIKE ?").run(`%@${demoDomain}`);
  }).immediate();

  const organisations = new Set(demoMembers.map((m) => m.organisation));
  const byKind = (kind: string) => demoInitiatives.filter((i) => i.kind === kind).length;
  console.log(`Demo network added to ${env().databasePath}:`);
  console.log(`  ${demoMembers.length} members from ${organisations.size} organisations`);
  console.log(`  ${demoInitiatives.length} initiatives: ${byKind("course")} courses, ${byKind("activity")} activities, ${byKind("request")} requests`);
  const count = (table: string) => db().$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  console.log(`  ${count("sessions")} sessions with ${count("registrations")} sign-ups`);
  console.log(`  ${count("methods")} working methods, used at ${count("session_methods")} sessions`);
}

async function main() {
  const counts = parseArgs(process.argv.slice(2));
  const generated = Object.values(counts).some(Boolean);
  const now = new Date();
  const started = performance.now();
  try {
    const emails = demoEmails();
    const existing = db().select({ email: members.email }).from(members).where(inArray(members.email, emails)).all();
    if (existing.length && existing.length < emails.length) {
      throw new Error(`Some demo addresses are already taken (${existing.map((e) => e.email).join(", ")}); not seeding a partial network.`);
    }
    if (!existing.length) {
      await seedDemoNetwork(now, counts);
    } else {
      console.log(`The demo network is already there (${env().databasePath}); nothing added to it.`);
      if (generated) {
        // After whatever is there, up to now, so that ids still follow time.
        const latest = db().$client.prepare("SELECT max(created_at) FROM initiatives").pluck().get() as number | null;
        const from = Math.min(now.getTime(), Math.max((latest ?? 0) + 1, now.getTime() - 365 * day));
        const passwordHash = await hashPassword(demoPassword);
        db().$client.transaction(() => seedBulk(counts, from, now.getTime(), now.getTime(), passwordHash)).immediate();
      }
    }
    if (generated) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const parts = Object.entries(counts).filter(([, n]) => n).map(([what, n]) => `${n.toLocaleString("en")} ${what}`);
      console.log(`  generated: ${parts.join(", ")} (${seconds} s in all)`);
    }
    console.log(`Log in as any member, e.g. ${emailOf(demoMembers[0].name)}, with the password "${demoPassword}".`);
  } finally {
    closeDb();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
