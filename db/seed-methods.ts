// The demo network's working methods (werkvormen): six methods written for a learning network of
// social workers and volunteers, one improved in a second version (so its history shows a diff),
// some used at the demo's past meetings and named in one of their outcomes.
import { sql } from "drizzle-orm";
import { outcomeMethods } from "./schema";
import { db } from "~/lib/db.server";
import { attachMethod, createMethod, methodInput, updateMethod } from "~/models/methods.server";
import { memberHasVoice } from "~/models/voice.server";

const day = 86_400_000;

type DemoMethod = { by: string; daysAgo: number; fields: Record<string, string> };

const demoMethods: DemoMethod[] = [
  {
    by: "Pieter",
    daysAgo: 40,
    fields: {
      title: "Check-in ronde",
      purpose: "Iedereen komt echt binnen en is één keer gehoord voordat het gesprek begint.",
      groupSize: "4 tot 20 mensen",
      duration: "10 tot 20 minuten",
      materials: "Een voorwerp om door te geven (een steen, een pen)",
      steps: [
        "1. Zet de stoelen in een kring, zonder tafels ertussen.",
        "2. Stel één vraag, bijvoorbeeld: *Waar kom je vandaan, en wat neem je mee?*",
        "3. Geef het voorwerp door. Wie het vasthoudt, praat; de rest luistert.",
        "4. Niemand reageert of stelt vragen: dat komt later.",
        "5. Wie niets wil zeggen, geeft het voorwerp door. Dat is ook een antwoord.",
        "6. Sluit af met wat je opviel, in één zin.",
      ].join("\n"),
      variations: "- **Weer-check-in**: ieder noemt het weer dat bij zijn dag past.\n- **Eén woord**: bij grote groepen, ieder zegt alleen één woord.",
      learned: "Houd de vraag licht bij een eerste bijeenkomst. Een vraag over werkdruk opent veel, maar kost ook veel tijd.",
      tags: "start, kring, luisteren",
    },
  },
  {
    by: "Esra",
    daysAgo: 34,
    fields: {
      title: "1-2-4-allen",
      purpose: "Van ieders eigen idee in korte tijd naar wat de hele groep belangrijk vindt.",
      groupSize: "8 tot 60 mensen",
      duration: "12 tot 20 minuten",
      materials: "Papier en pen voor iedereen, een flap",
      steps: [
        "1. Stel een open vraag: *Welke ideeën heb je om …?*",
        "2. **1** – Iedereen denkt één minuut alleen na en schrijft op.",
        "3. **2** – In tweetallen: twee minuten ideeën delen en aanvullen.",
        "4. **4** – Twee tweetallen samen: vier minuten, wat springt eruit?",
        "5. **Allen** – Elk viertal noemt één idee dat opviel; schrijf het op de flap.",
        "6. Vraag de groep welke ideeën terugkomen.",
      ].join("\n"),
      variations: "Online: gebruik break-out rooms voor de tweetallen en viertallen.",
      learned: "Houd de tijden strak aan, anders blijven de viertallen hangen. Stillere deelnemers komen in de eerste minuut alleen beter op gang.",
      tags: "ideeën, groep, liberating structures",
    },
  },
  {
    by: "Anna",
    daysAgo: 28,
    fields: {
      title: "Intervisie met de incidentmethode",
      purpose: "Samen leren van één concrete situatie uit het werk van een deelnemer.",
      groupSize: "5 tot 8 mensen",
      duration: "60 tot 75 minuten",
      materials: "Een klok, eventueel een flap",
      steps: [
        "1. **Kiezen** (5 min): wie brengt een incident in? Een korte situatie waarin je moest handelen.",
        "2. **Vertellen** (5 min): de inbrenger vertelt het incident tot het moment van de keuze, zonder te zeggen wat hij deed.",
        "3. **Feitenvragen** (10 min): de anderen stellen alleen vragen over feiten.",
        "4. **Wat zou jij doen?** (10 min): ieder schrijft op wat hij zou doen en waarom, en leest het voor.",
        "5. **Wat deed de inbrenger?** (5 min): de inbrenger vertelt wat hij deed en hoe het afliep.",
        "6. **Nabespreken** (15 min): welke principes zitten achter de verschillende keuzes?",
        "7. **Afronden** (5 min): wat neemt ieder mee?",
      ].join("\n"),
      variations: "Met een vaste gespreksleider die de tijd bewaakt, of met een rol die alleen observeert.",
      learned: "De feitenvragen zijn lastig: ze glijden snel af naar adviezen. Benoem dat vooraf en stop het vriendelijk.",
      tags: "intervisie, casus, leren",
    },
  },
  {
    by: "Jamal",
    daysAgo: 21,
    fields: {
      title: "Fishbowl",
      purpose: "Een gesprek met een grote groep voeren, waarin iedereen kan instappen.",
      groupSize: "15 tot 60 mensen",
      duration: "30 tot 60 minuten",
      materials: "Vier of vijf stoelen in het midden, een kring eromheen",
      steps: [
        "1. Zet vier stoelen in het midden en de andere stoelen in een kring eromheen.",
        "2. Drie mensen beginnen het gesprek in het midden; één stoel blijft leeg.",
        "3. Wie wil meepraten, gaat op de lege stoel zitten.",
        "4. Dan verlaat iemand anders uit het midden zijn stoel.",
        "5. De buitenkring luistert en praat niet mee.",
        "6. Sluit af met een ronde: wat hoorde je?",
      ].join("\n"),
      variations: "**Gesloten fishbowl**: een vaste groep praat, de rest luistert en geeft na afloop terug wat ze hoorde.",
      learned: "Leg vooraf uit dat je mag wisselen: anders blijft de lege stoel leeg.",
      tags: "groep, gesprek, dialoog",
    },
  },
  {
    by: "Yara",
    daysAgo: 14,
    fields: {
      title: "Wandelend gesprek",
      purpose: "In tweetallen een persoonlijker gesprek voeren dan aan tafel lukt.",
      groupSize: "Tweetallen, elk aantal",
      duration: "20 tot 40 minuten",
      materials: "Een route rond het gebouw, een kaartje met de vraag",
      steps: [
        "1. Geef iedereen een kaartje met één vraag.",
        "2. Maak tweetallen van mensen die elkaar nog weinig kennen.",
        "3. Loop de helft van de tijd: de één vertelt, de ander luistert en vraagt door.",
        "4. Keer om bij het keerpunt en wissel van rol.",
        "5. Terug binnen: ieder noemt één ding dat hij van de ander leerde.",
      ].join("\n"),
      variations: "Bij slecht weer: een rondje door de gangen of de bibliotheek.",
      learned: "",
      tags: "tweetallen, buiten, ontmoeting",
    },
  },
  {
    by: "Daan",
    daysAgo: 4,
    fields: {
      title: "Afspraken maken met consent",
      purpose: "Samen tot een afspraak komen waar niemand een overwegend bezwaar tegen heeft.",
      groupSize: "4 tot 15 mensen",
      duration: "30 tot 45 minuten",
      materials: "Een flap met het voorstel",
      steps: [
        "1. Iemand brengt een voorstel in, kort en concreet.",
        "2. **Verhelderingsronde**: alleen vragen om het voorstel te begrijpen.",
        "3. **Reactieronde**: ieder zegt wat hij van het voorstel vindt, zonder discussie.",
        "4. De inbrenger mag het voorstel aanpassen.",
        "5. **Bezwaarronde**: heeft iemand een overwegend bezwaar? Dat is een reden waarom het voorstel schade doet.",
        "6. Zoek bij een bezwaar samen een aanpassing die het bezwaar wegneemt.",
        "7. Geen bezwaren meer: de afspraak staat. Schrijf hem op en noem wanneer je hem bekijkt.",
      ].join("\n"),
      variations: "Gebruik voor de bezwaarronde duimen: omhoog, opzij (bedenking) of omlaag (bezwaar).",
      learned: "Een bezwaar is geen veto maar informatie. Dat moet je vaak herhalen.",
      tags: "afspraken, besluiten, consent",
    },
  },
];

/** Adds the demo methods, a second version of one, and their use at past demo meetings. */
export function seedMethods(ids: Map<string, string>, now: Date) {
  const methodIds = new Map<string, number>();
  for (const item of demoMethods) {
    const memberId = ids.get(item.by);
    if (!memberId) throw new Error(`unknown demo member ${item.by}`);
    methodIds.set(item.fields.title, createMethod(memberId, methodInput.parse(item.fields), new Date(now.getTime() - item.daysAgo * day)));
  }
  // One method improved by someone who used it: its history shows the diff.
  const editedAt = new Date(now.getTime() - 3 * day);
  const editor = [...ids.values()].find((id) => memberHasVoice(id, editedAt.getTime()));
  if (editor) {
    const first = demoMethods[0].fields;
    updateMethod(
      methodIds.get(first.title)!,
      editor,
      methodInput.parse({
        ...first,
        steps: first.steps.replace("4. Niemand reageert of stelt vragen: dat komt later.", "4. Niemand reageert of stelt vragen: dat komt later.\n5. Houd zelf het tempo rustig; stilte mag."),
        learned: `${first.learned} Bij online bijeenkomsten: noem vooraf de volgorde, dan valt niemand over elkaar.`,
      }),
      editedAt,
    );
  }
  // The past meetings used some of them ("we used: …"), added by their hosts.
  const past = db().all<{ id: number; starts_at: number; host: string }>(sql`
    SELECT s.id, s.starts_at, (SELECT member_id FROM hosts h WHERE h.initiative_id = s.initiative_id ORDER BY since LIMIT 1) AS host
    FROM sessions s WHERE s.starts_at < ${now.getTime()} AND s.cancelled_at IS NULL ORDER BY s.starts_at DESC LIMIT 4`);
  const used = [["Check-in ronde", "1-2-4-allen"], ["Intervisie met de incidentmethode"], ["Check-in ronde", "Fishbowl"], ["Wandelend gesprek"]];
  past.forEach((session, i) => {
    if (!session.host) return;
    for (const title of used[i]) attachMethod(session.id, session.host, title, new Date(session.starts_at + 3 * 3_600_000));
  });
  // One demo outcome names the methods of its session.
  const outcome = past[0] && db().get<{ id: number } | undefined>(sql`SELECT id FROM outcomes WHERE session_id = ${past[0].id} ORDER BY id LIMIT 1`);
  if (outcome) {
    for (const title of used[0]) db().insert(outcomeMethods).values({ outcomeId: outcome.id, methodId: methodIds.get(title)! }).onConflictDoNothing().run();
  }
  return methodIds.size;
}
