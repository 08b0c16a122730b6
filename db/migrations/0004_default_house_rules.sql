-- The house rules a fresh network starts with (governance.md §6). They change only by an adopted
-- network proposal that carries the full new text; every version stays in this table.
INSERT INTO house_rules (text, proposal_id, adopted_at) VALUES ('Dit zijn onze spelregels. Niemand is de baas van dit netwerk: we houden ons er samen aan, en we veranderen ze samen, met een voorstel.

1. **Het gaat om de mensen voor wie we werken.** Wat we hier doen, moet uiteindelijk iets opleveren voor de mensen die we ondersteunen. Vraag je bij elk initiatief af: wie heeft hier baat bij?
2. **Investeer tijd in het netwerk.** Het netwerk bestaat zolang mensen meedoen. Kom naar bijeenkomsten, trek eens iets, help een ander op weg.
3. **Deel open wat je weet.** Kennis, materiaal, contacten en twijfels: deel ze, ook met mensen van andere organisaties. Wat je hier deelt mag een ander gebruiken.
4. **Afwisselende bijeenkomsten die draaien om doen.** Liever samen iets uitproberen dan alleen praten. Wissel van plek, vorm en gastorganisatie.
5. **Deel wat het opleverde.** Na een bijeenkomst zet iemand de opbrengst online: wat hebben we geleerd, wat gaan we doen?
6. **Vertel waar je nu mee bezig bent.** Zo zien anderen waar ze kunnen aanhaken en ontstaan dwarsverbanden.
7. **Respect en privacy.** We spreken elkaar en anderen met respect aan. Geen reclame, geen spam, en nooit persoonlijke gegevens van cliënten of anderen zonder hun toestemming.', NULL, cast(unixepoch('subsec') * 1000 as integer));
