"""Every label and fixed sentence the renderers print, in French, Dutch and English: one
table per kind of result, read through :func:`label`, :func:`outcome_label` and
:func:`diff_label`. Texts that belong to the law itself (rule summaries, fact questions)
come from the rulesets, not from here."""

from __future__ import annotations

from disclosure._ir.outcome import Outcome
from disclosure._ir.text import LANGUAGES
from disclosure.errors import DisclosureError

__all__ = [
    "BOOLEANS",
    "COMPARISON_HEADS",
    "CONFIDENCE_LEVELS",
    "CONNECTIVES",
    "DECISION_LABELS",
    "DIFF_LABELS",
    "DUTY_BEARERS",
    "ENGINES",
    "JUDGMENT",
    "KIND_MARK",
    "LONG_DEFECT",
    "OUTCOME_LABELS",
    "REASONS",
    "SHORT_OUTCOME",
    "STATUSES",
    "TIMELINE_LABELS",
    "check_lang",
    "connective",
    "diff_label",
    "label",
    "outcome_label",
    "timeline_label",
]

OUTCOME_LABELS: dict[Outcome, dict[str, str]] = {
    Outcome.OBLIGED: {
        "fr": "OBLIGÉ de communiquer",
        "nl": "VERPLICHT mee te delen",
        "en": "OBLIGED to disclose",
    },
    Outcome.PERMITTED: {
        "fr": "AUTORISÉ à communiquer (sans obligation)",
        "nl": "MAG meedelen (geen plicht)",
        "en": "PERMITTED to disclose (no duty)",
    },
    Outcome.FORBIDDEN: {
        "fr": "INTERDIT : le secret professionnel s'impose",
        "nl": "VERBODEN: het beroepsgeheim geldt",
        "en": "FORBIDDEN: the secret holds",
    },
    Outcome.NOT_APPLICABLE: {
        "fr": "NON APPLICABLE : le secret professionnel n'est pas en jeu",
        "nl": "NIET VAN TOEPASSING: het beroepsgeheim speelt niet",
        "en": "NOT APPLICABLE: professional secrecy is not engaged",
    },
}

DECISION_LABELS: dict[str, dict[str, str]] = {
    "undetermined": {
        "fr": "INDÉTERMINÉ : des faits manquent",
        "nl": "ONBEPAALD: er ontbreken feiten",
        "en": "UNDETERMINED: facts are missing",
    },
    "version": {"fr": "Version", "nl": "Versie", "en": "Version"},
    "duty_bearer": {"fr": "Débiteur de l'obligation", "nl": "Plichtsdrager", "en": "Duty bearer"},
    "addressees": {"fr": "Destinataires", "nl": "Bestemmelingen", "en": "May go to"},
    "basis": {"fr": "Base légale", "nl": "Rechtsgrond", "en": "Legal basis"},
    "sanctions": {"fr": "Sanctions en jeu", "nl": "Sancties", "en": "Sanctions at stake"},
    "side_obligations": {
        "fr": "Obligations accessoires",
        "nl": "Bijkomende plichten",
        "en": "Side obligations",
    },
    "missing": {
        "fr": "Faits encore nécessaires",
        "nl": "Nog nodige feiten",
        "en": "Facts still needed",
    },
    "possible": {"fr": "Issues possibles", "nl": "Mogelijke uitkomsten", "en": "Possible outcomes"},
    "contested": {"fr": "Points controversés", "nl": "Betwiste punten", "en": "Contested points"},
    "reading": {"fr": "lecture retenue", "nl": "gekozen lezing", "en": "reading used"},
    "otherwise": {"fr": "sinon", "nl": "anders", "en": "otherwise"},
    "trace": {"fr": "Trace des règles", "nl": "Spoor van de regels", "en": "Rule trace"},
    "warnings": {"fr": "Avertissements", "nl": "Waarschuwingen", "en": "Warnings"},
    "receipt": {"fr": "Reçu", "nl": "Ontvangstbewijs", "en": "Receipt"},
    "as_enacted": {"fr": "tel qu'adopté", "nl": "zoals aangenomen", "en": "as enacted"},
    "known_on": {"fr": "droit connu au", "nl": "recht gekend op", "en": "law as known on"},
    "undetermined_short": {"fr": "indéterminé", "nl": "onbepaald", "en": "undetermined"},
    "known_then": {
        "fr": "Selon le droit connu le {date}, date des faits",
        "nl": "Volgens het recht zoals gekend op {date}, de datum van de feiten",
        "en": "As the law was known on {date}, the date of the facts",
    },
    "annulled_since": {
        "fr": "annulées depuis, rétroactivement",
        "nl": "sindsdien met terugwerkende kracht vernietigd",
        "en": "annulled since, retroactively",
    },
    "no_sanction": {
        "fr": "Aucune sanction en jeu pour cet acte (voir la base légale).",
        "nl": "Geen sanctie voor deze handeling (zie de rechtsgrond).",
        "en": "No sanction at stake for this act (see the legal basis).",
    },
    "low_confidence": {
        "fr": "Confiance faible",
        "nl": "Lage betrouwbaarheid",
        "en": "Low confidence",
    },
    "version_warning": {
        "fr": "version {name} : confiance {level} : {note}",
        "nl": "versie {name}: betrouwbaarheid {level}: {note}",
        "en": "version {name} is {level}-confidence: {note}",
    },
    "rule_warning": {
        "fr": "règle « {rule} » : confiance {level} : {note}",
        "nl": "regel '{rule}': betrouwbaarheid {level}: {note}",
        "en": "rule {rule} is {level}-confidence: {note}",
    },
    "engine": {"fr": "moteur", "nl": "motor", "en": "engine"},
    "general_knowledge": {
        "fr": "en partie de connaissance générale",
        "nl": "deels algemene kennis",
        "en": "partly general knowledge",
    },
}

#: title, 'what differs', 'rules that make it differ', 'same', per language
COMPARISON_HEADS: dict[str, tuple[str, str, str, str]] = {
    "en": ("Situation under {n} versions", "What differs", "Rules that make it differ", "same"),
    "fr": (
        "Situation sous {n} versions",
        "Ce qui change",
        "Règles qui font la différence",
        "identique",
    ),
    "nl": (
        "Situatie onder {n} versies",
        "Wat verschilt",
        "Regels die het verschil maken",
        "gelijk",
    ),
}

DIFF_LABELS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Difference between two versions of the law",
        "fr": "Différence entre deux versions du droit",
        "nl": "Verschil tussen twee versies van het recht",
    },
    "versions": {"en": "Versions", "fr": "Versions", "nl": "Versies"},
    "side": {"en": "side", "fr": "côté", "nl": "kant"},
    "version": {"en": "version", "fr": "version", "nl": "versie"},
    "aliases": {"en": "aliases", "fr": "alias", "nl": "aliassen"},
    "version_title": {"en": "title", "fr": "intitulé", "nl": "titel"},
    "governs": {"en": "governs", "fr": "en vigueur", "nl": "van kracht"},
    "known_from": {"en": "known from", "fr": "connue depuis", "nl": "gekend sinds"},
    "law_as": {"en": "law taken", "fr": "droit pris", "nl": "recht genomen"},
    "as_enacted": {"en": "as enacted", "fr": "tel qu'adopté", "nl": "zoals aangenomen"},
    "as_known_on": {"en": "as known on", "fr": "tel que connu le", "nl": "zoals gekend op"},
    "confidence": {"en": "confidence", "fr": "confiance", "nl": "betrouwbaarheid"},
    "readings": {"en": "readings", "fr": "lectures", "nl": "lezingen"},
    "default_readings": {
        "en": "default readings",
        "fr": "lectures par défaut",
        "nl": "standaardlezingen",
    },
    "not_default": {
        "en": "not the default",
        "fr": "pas la lecture par défaut",
        "nl": "niet standaard",
    },
    "annulled_rules": {"en": "annulled rules", "fr": "règles annulées", "nl": "vernietigde regels"},
    "content_hash": {"en": "content hash", "fr": "empreinte", "nl": "inhoudshash"},
    "open": {"en": "open", "fr": "sans fin", "nl": "open"},
    "none": {"en": "none", "fr": "aucune", "nl": "geen"},
    "summary": {
        "en": "{changed} of {compared} possible situations ({share}) change outcome, in {regions}.",
        "fr": "{changed} des {compared} situations possibles ({share}) changent d'issue, "
        "en {regions}.",
        "nl": "{changed} van de {compared} mogelijke situaties ({share}) veranderen van "
        "uitkomst, in {regions}.",
    },
    "no_change": {
        "en": "No possible situation changes outcome ({compared} compared).",
        "fr": "Aucune situation possible ne change d'issue ({compared} comparées).",
        "nl": "Geen enkele mogelijke situatie verandert van uitkomst ({compared} vergeleken).",
    },
    "restricted": {
        "en": "Only situations where",
        "fr": "Seulement les situations où",
        "nl": "Alleen situaties waarin",
    },
    "seconds": {"en": "computed in {s} s", "fr": "calculé en {s} s", "nl": "berekend in {s} s"},
    "totals": {
        "en": "Changed outcomes",
        "fr": "Issues qui changent",
        "nl": "Gewijzigde uitkomsten",
    },
    "situations": {"en": "situations", "fr": "situations", "nl": "situaties"},
    "share": {"en": "of compared", "fr": "des comparées", "nl": "van vergeleken"},
    "total": {"en": "total", "fr": "total", "nl": "totaal"},
    "regions": {"en": "Regions", "fr": "Régions", "nl": "Gebieden"},
    "regions_note": {
        "en": "Each region is a set of situations, described by conditions (a fact not named "
        "may have any value), where the two versions answer differently. Together the "
        "regions cover exactly the situations that change; regions of one pair may overlap.",
        "fr": "Chaque région est un ensemble de situations, décrit par des conditions (un fait "
        "non nommé peut prendre toute valeur), où les deux versions répondent différemment. "
        "Ensemble, les régions couvrent exactement les situations qui changent; celles d'une "
        "même paire peuvent se recouvrir.",
        "nl": "Elk gebied is een verzameling situaties, beschreven door voorwaarden (een niet "
        "genoemd feit mag elke waarde hebben), waarin de twee versies verschillend antwoorden. "
        "Samen dekken de gebieden precies de situaties die veranderen; gebieden van één paar "
        "kunnen overlappen.",
    },
    "region": {"en": "region", "fr": "région", "nl": "gebied"},
    "region_plural": {"en": "regions", "fr": "régions", "nl": "gebieden"},
    "situation": {"en": "situation", "fr": "situation", "nl": "situatie"},
    "conditions": {"en": "conditions", "fr": "conditions", "nl": "voorwaarden"},
    "size": {"en": "situations", "fr": "situations", "nl": "situaties"},
    "example": {"en": "example", "fr": "exemple", "nl": "voorbeeld"},
    "when": {"en": "when", "fr": "quand", "nl": "wanneer"},
    "everywhere": {"en": "every situation", "fr": "toute situation", "nl": "elke situatie"},
    "basis": {"en": "basis", "fr": "base", "nl": "grondslag"},
    "no_rule": {"en": "no rule wins", "fr": "aucune règle ne l'emporte", "nl": "geen regel wint"},
    "structure": {
        "en": "Changes to the rules",
        "fr": "Changements des règles",
        "nl": "Wijzigingen van de regels",
    },
    "no_rule_change": {
        "en": "No rule changed.",
        "fr": "Aucune règle n'a changé.",
        "nl": "Geen regel gewijzigd.",
    },
    "metadata": {
        "en": "Version metadata",
        "fr": "Métadonnées de la version",
        "nl": "Metagegevens van de versie",
    },
    "provisions": {
        "en": "Sanctions and side obligations",
        "fr": "Sanctions et obligations accessoires",
        "nl": "Sancties en bijkomende plichten",
    },
    "field": {"en": "field", "fr": "champ", "nl": "veld"},
    "change": {"en": "change", "fr": "changement", "nl": "wijziging"},
    "rule": {"en": "rule", "fr": "règle", "nl": "regel"},
    "citation": {"en": "citation", "fr": "citation", "nl": "bron"},
    "what": {"en": "what", "fr": "quoi", "nl": "wat"},
    "meaning_same": {
        "en": "same meaning",
        "fr": "même sens",
        "nl": "zelfde betekenis",
    },
    "meaning_changed": {
        "en": "changes what the rule decides",
        "fr": "change ce que la règle décide",
        "nl": "verandert wat de regel beslist",
    },
    "was": {"en": "was", "fr": "auparavant", "nl": "voorheen"},
    "annulled_on": {"en": "annulled on side", "fr": "annulée du côté", "nl": "vernietigd aan kant"},
    "decided_on": {"en": "decided on", "fr": "décidé le", "nl": "beslist op"},
    "timeline": {"en": "Timeline", "fr": "Chronologie", "nl": "Tijdlijn"},
    "timeline_caption": {
        "en": "The two versions on the timeline of the rule family (not to scale).",
        "fr": "Les deux versions sur la chronologie de la famille de règles (pas à l'échelle).",
        "nl": "De twee versies op de tijdlijn van de regelfamilie (niet op schaal).",
    },
    "generated": {
        "en": "Generated by disclosure {v} (layout {schema}). Not legal advice.",
        "fr": "Produit par disclosure {v} (format {schema}). Ceci n'est pas un avis juridique.",
        "nl": "Gemaakt door disclosure {v} (formaat {schema}). Geen juridisch advies.",
    },
    "sanction": {"en": "sanction", "fr": "sanction", "nl": "sanctie"},
    "side_obligation": {
        "en": "side obligation",
        "fr": "obligation accessoire",
        "nl": "bijkomende plicht",
    },
    "added": {"en": "added", "fr": "ajoutée", "nl": "toegevoegd"},
    "removed": {"en": "removed", "fr": "supprimée", "nl": "verwijderd"},
    "changed": {"en": "changed", "fr": "modifiée", "nl": "gewijzigd"},
    "renamed": {"en": "renamed", "fr": "renommée", "nl": "hernoemd"},
    "reworded": {"en": "reworded", "fr": "reformulée", "nl": "herschreven"},
    "annulled": {"en": "annulled", "fr": "annulée", "nl": "vernietigd"},
}


CONNECTIVES: dict[str, dict[str, str]] = {
    "is": {"en": "is", "fr": "est", "nl": "is"},
    "one_of": {"en": "is one of", "fr": "est l'un de", "nl": "is een van"},
    "is_not": {"en": "is not", "fr": "n'est pas", "nl": "is niet"},
    "none_of": {"en": "is none of", "fr": "n'est aucun de", "nl": "is geen van"},
    "and": {"en": "and", "fr": "et", "nl": "en"},
    "or": {"en": "or", "fr": "ou", "nl": "of"},
    "not": {"en": "not", "fr": "non", "nl": "niet"},
    "always": {"en": "always", "fr": "toujours", "nl": "altijd"},
    "never": {"en": "never", "fr": "jamais", "nl": "nooit"},
}


SHORT_OUTCOME: dict[str, dict[str, str]] = {
    "obliged": {"en": "obliged", "fr": "obligé", "nl": "verplicht"},
    "permitted": {"en": "permitted", "fr": "autorisé", "nl": "toegelaten"},
    "forbidden": {"en": "forbidden", "fr": "interdit", "nl": "verboden"},
    "not_applicable": {"en": "not applicable", "fr": "non applicable", "nl": "niet van toepassing"},
    "undetermined": {"en": "undetermined", "fr": "indéterminé", "nl": "onbepaald"},
    "gap": {"en": "gap (no rule)", "fr": "lacune (aucune règle)", "nl": "leemte (geen regel)"},
    "conflict": {"en": "conflict", "fr": "conflit", "nl": "conflict"},
}


LONG_DEFECT: dict[str, dict[str, str]] = {
    "gap": {
        "en": "GAP: no rule applies (a defect of the ruleset)",
        "fr": "LACUNE : aucune règle ne s'applique (un défaut du jeu de règles)",
        "nl": "LEEMTE: geen enkele regel is van toepassing (een gebrek van de regelset)",
    },
    "conflict": {
        "en": "CONFLICT between rules (a defect of the ruleset)",
        "fr": "CONFLIT entre règles (un défaut du jeu de règles)",
        "nl": "CONFLICT tussen regels (een gebrek van de regelset)",
    },
}


KIND_MARK = {
    "added": "+",
    "removed": "-",
    "changed": "~",
    "renamed": ">",
    "reworded": "=",
    "annulled": "x",
}


#: the timeline's words; ``{...}`` are filled in by the renderer
TIMELINE_LABELS: dict[str, dict[str, str]] = {
    "versions_one": {"en": "1 version", "fr": "1 version", "nl": "1 versie"},
    "versions_many": {"en": "{n} versions", "fr": "{n} versions", "nl": "{n} versies"},
    "rules_one": {"en": "1 rule", "fr": "1 règle", "nl": "1 regel"},
    "rules_many": {"en": "{n} rules", "fr": "{n} règles", "nl": "{n} regels"},
    "open": {"en": "open", "fr": "sans fin", "nl": "open"},
    "open_end": {"en": "open end", "fr": "sans date de fin", "nl": "zonder einddatum"},
    "from_to": {
        "en": "{start} to {end}",
        "fr": "du {start} au {end}",
        "nl": "van {start} tot {end}",
    },
    "to": {"en": "to {end}", "fr": "au {end}", "nl": "tot {end}"},
    "not_shown": {
        "en": "not shown: {names}",
        "fr": "non affichées : {names}",
        "nl": "niet getoond: {names}",
    },
    "between_not_shown": {
        "en": "versions between, not shown: {names}",
        "fr": "versions intermédiaires non affichées : {names}",
        "nl": "tussenliggende versies, niet getoond: {names}",
    },
    "confidence_high": {
        "en": "high confidence",
        "fr": "confiance élevée",
        "nl": "hoge betrouwbaarheid",
    },
    "confidence_medium": {
        "en": "medium confidence",
        "fr": "confiance moyenne",
        "nl": "gemiddelde betrouwbaarheid",
    },
    "confidence_low": {
        "en": "low confidence",
        "fr": "confiance faible",
        "nl": "lage betrouwbaarheid",
    },
    "known_from": {
        "en": "known from {date}",
        "fr": "connue depuis le {date}",
        "nl": "gekend sinds {date}",
    },
    "note": {"en": "note", "fr": "note", "nl": "noot"},
    "first_no_rules": {
        "en": "first version, no rules",
        "fr": "première version, aucune règle",
        "nl": "eerste versie, geen regels",
    },
    "first_rules": {
        "en": "first version: {rules}",
        "fr": "première version : {rules}",
        "nl": "eerste versie: {rules}",
    },
    "first_rules_list": {
        "en": "first version, {rules}:",
        "fr": "première version, {rules} :",
        "nl": "eerste versie, {rules}:",
    },
    "annulled": {"en": "annulled", "fr": "annulée", "nl": "vernietigd"},
    "annulled_on": {
        "en": "annulled on {date}",
        "fr": "annulée le {date}",
        "nl": "vernietigd op {date}",
    },
    "added": {"en": "added", "fr": "ajoutées", "nl": "toegevoegd"},
    "replaced": {"en": "replaced", "fr": "remplacées", "nl": "vervangen"},
    "repealed": {"en": "repealed", "fr": "abrogées", "nl": "opgeheven"},
    "annulled_retroactively": {
        "en": "{rules} annulled retroactively on {date} ({source}): as known from that day "
        "they never applied; as known before, they did",
        "fr": "{rules} : annulation rétroactive le {date} ({source}) ; selon le droit connu "
        "depuis ce jour, ces règles ne se sont jamais appliquées ; selon le droit connu "
        "avant, elles s'appliquaient",
        "nl": "{rules}: met terugwerkende kracht vernietigd op {date} ({source}); volgens het "
        "recht zoals gekend vanaf die dag golden die regels nooit; zoals gekend daarvoor wel",
    },
    "annulled_from": {
        "en": "{rules} annulled from {date} ({source})",
        "fr": "{rules} : annulation à partir du {date} ({source})",
        "nl": "{rules}: vernietigd vanaf {date} ({source})",
    },
    "struck": {
        "en": "struck through: annulled on {date} ({source})",
        "fr": "barrées : annulées le {date} ({source})",
        "nl": "doorgestreept: vernietigd op {date} ({source})",
    },
    "struck_retroactively": {
        "en": "struck through: annulled retroactively on {date} ({source}); as known before "
        "that day, they applied",
        "fr": "barrées : annulées rétroactivement le {date} ({source}) ; selon le droit connu "
        "avant ce jour, elles s'appliquaient",
        "nl": "doorgestreept: met terugwerkende kracht vernietigd op {date} ({source}); "
        "zoals gekend vóór die dag, golden ze",
    },
    "title": {
        "en": "Versions of the law: {title}",
        "fr": "Versions du droit : {title}",
        "nl": "Versies van het recht: {title}",
    },
    "subtitle": {
        "en": "In date order, not to scale; dates are inclusive. Hover for citations.",
        "fr": "Par ordre de date, pas à l'échelle ; dates incluses. Survolez pour les sources.",
        "nl": "In volgorde van datum, niet op schaal; data inbegrepen. "
        "Beweeg erover voor de bronnen.",
    },
    "legend_added": {"en": "+ added", "fr": "+ ajoutée", "nl": "+ toegevoegd"},
    "legend_replaced": {"en": "~ replaced", "fr": "~ remplacée", "nl": "~ vervangen"},
    "legend_repealed": {"en": "- repealed", "fr": "- abrogée", "nl": "- opgeheven"},
    "legend_annulled": {
        "en": "struck through, ⟲ and red arrow: annulled by a court",
        "fr": "barrée, ⟲ et flèche rouge : annulée par une juridiction",
        "nl": "doorgestreept, ⟲ en rode pijl: vernietigd door een rechtscollege",
    },
    "legend_low": {
        "en": "hatched: low confidence",
        "fr": "hachurée : confiance faible",
        "nl": "gearceerd: lage betrouwbaarheid",
    },
}

#: who bears the duty, as a decision says it
DUTY_BEARERS: dict[str, dict[str, str]] = {
    "institution": {
        "fr": "l'institution (par son directeur ou son président)",
        "nl": "de instelling (via haar directeur of voorzitter)",
        "en": "the institution (through its director or president)",
    },
    "staff_member": {
        "fr": "le membre du personnel",
        "nl": "het personeelslid",
        "en": "the staff member",
    },
    "holder": {
        "fr": "le détenteur du secret",
        "nl": "de houder van het geheim",
        "en": "the holder of the secret",
    },
}

#: what became of a rule, as the trace says it
STATUSES: dict[str, dict[str, str]] = {
    "applied": {"fr": "appliquée", "nl": "toegepast", "en": "applied"},
    "overridden": {"fr": "écartée", "nl": "opzijgezet", "en": "overridden"},
    "not_applicable": {"fr": "inapplicable", "nl": "niet van toepassing", "en": "not_applicable"},
    "unknown": {"fr": "ouverte", "nl": "open", "en": "unknown"},
    "other_reading": {"fr": "autre lecture", "nl": "andere lezing", "en": "other_reading"},
    "annulled": {"fr": "annulée", "nl": "vernietigd", "en": "annulled"},
    "absent": {"fr": "absente", "nl": "afwezig", "en": "absent"},
}

#: why, as the trace says it; ``{...}`` are filled in
REASONS: dict[str, dict[str, str]] = {
    "applied": {
        "fr": "s'applique : {outcome}",
        "nl": "van toepassing: {outcome}",
        "en": "applies: {outcome}",
    },
    "overridden": {
        "fr": "s'applique mais est écartée par « {rule} »",
        "nl": "van toepassing maar opzijgezet door '{rule}'",
        "en": "applies but is set aside by {rule}",
    },
    "not_applicable": {
        "fr": "ne s'applique pas : {failed}",
        "nl": "niet van toepassing: {failed}",
        "en": "does not apply: {failed}",
    },
    "not_applicable_bare": {
        "fr": "ne s'applique pas",
        "nl": "niet van toepassing",
        "en": "does not apply",
    },
    "unknown": {
        "fr": "ouverte : dépend de {facts}",
        "nl": "open: hangt af van {facts}",
        "en": "open: depends on {facts}",
    },
    "other_reading": {
        "fr": "relève d'une autre lecture du point « {point} »",
        "nl": "hoort bij een andere lezing van het punt '{point}'",
        "en": "belongs to another reading of {point}",
    },
    "annulled": {
        "fr": "annulée (réputée n'avoir jamais existé, selon le droit connu à la date retenue)",
        "nl": "vernietigd (geacht nooit te hebben bestaan, volgens het recht zoals gekend op "
        "de gekozen datum)",
        "en": "annulled (deemed never to have existed, as known on the decision's date)",
    },
    "failed_one": {
        "fr": "{fact} : {actual} ; la règle exige : {values}",
        "nl": "{fact}: {actual}; de regel vereist: {values}",
        "en": "{fact} is {actual}, the rule needs {values}",
    },
    "failed_many": {
        "fr": "{fact} : {actual} ; la règle exige l'une des valeurs : {values}",
        "nl": "{fact}: {actual}; de regel vereist een van: {values}",
        "en": "{fact} is {actual}, the rule needs one of {values}",
    },
    "failed_negated": {
        "fr": "{fact} : {actual}, ce que la règle exclut ({values})",
        "nl": "{fact}: {actual}, wat de regel uitsluit ({values})",
        "en": "{fact} is {actual}, which the rule excludes ({values})",
    },
}

#: true and false, as a value of a fact
BOOLEANS: dict[bool, dict[str, str]] = {
    True: {"fr": "oui", "nl": "ja", "en": "yes"},
    False: {"fr": "non", "nl": "nee", "en": "no"},
}

#: a court's judgment, as a citation names it (``arrêt 44/2019``)
JUDGMENT: dict[str, str] = {"fr": "arrêt", "nl": "arrest", "en": "judgment"}

#: the engines, as a receipt names them
ENGINES: dict[str, dict[str, str]] = {
    "compiled": {"fr": "évaluateur compilé", "nl": "gecompileerde evaluator", "en": "compiled"},
    "durable": {"fr": "durable_rules", "nl": "durable_rules", "en": "durable"},
}

#: a version's or a rule's confidence
CONFIDENCE_LEVELS: dict[str, dict[str, str]] = {
    "high": {"fr": "élevée", "nl": "hoog", "en": "high"},
    "medium": {"fr": "moyenne", "nl": "gemiddeld", "en": "medium"},
    "low": {"fr": "faible", "nl": "laag", "en": "low"},
}


def timeline_label(key: str, lang: str, **values: object) -> str:
    """A word or sentence of the timeline, with its blanks filled."""
    text = TIMELINE_LABELS[key][lang]
    return text.format(**values) if values else text


def connective(key: str, lang: str) -> str:
    """A word that joins conditions or values (``and``, ``is one of``...)."""
    return CONNECTIVES[key][lang]


def check_lang(lang: str) -> None:
    """Refuse a language the renderers do not speak."""
    if lang not in LANGUAGES:
        raise DisclosureError(f"unknown language {lang!r}; expected one of fr, nl, en")


def label(key: str, lang: str) -> str:
    """A label of the decision text."""
    return DECISION_LABELS[key][lang]


def outcome_label(outcome: Outcome | None, lang: str) -> str:
    """An outcome as a headline (``None``: undetermined)."""
    if outcome is None:
        return DECISION_LABELS["undetermined"][lang]
    return OUTCOME_LABELS[outcome][lang]


def diff_label(key: str, lang: str) -> str:
    """A label of the diff documents."""
    return DIFF_LABELS[key][lang]
