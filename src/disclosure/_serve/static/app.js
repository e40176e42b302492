// The intake form of `disclosure serve`. It asks one question at a time: the one the
// answer still depends on (the decision's next_question, from its missing facts; never a
// fixed order), shows the decision as soon as it is determined, and the same situation
// under every version of the law. Everything it shows comes from the service's JSON; it
// writes text with textContent only, loads nothing from elsewhere, and runs under the
// Content-Security-Policy default-src 'self' (no inline script or style).
"use strict";

(function () {
  const TEXTS = {
    title: {
      en: "Professional secrecy: may, must or must not you disclose?",
      fr: "Secret professionnel : pouvez-vous, devez-vous ou ne pouvez-vous pas communiquer ?",
      nl: "Beroepsgeheim: mag, moet of mag u niet meedelen?",
    },
    intro: {
      en: "One question at a time, only those the answer still depends on. A question left unanswered stays unknown, never “no”.",
      fr: "Une question à la fois, seulement celles dont la réponse dépend encore. Une question sans réponse reste inconnue, jamais « non ».",
      nl: "Eén vraag tegelijk, alleen die waarvan het antwoord nog afhangt. Een onbeantwoorde vraag blijft onbekend, nooit ‘nee’.",
    },
    skip: { en: "Go to the question", fr: "Aller à la question", nl: "Naar de vraag" },
    language: { en: "Language", fr: "Langue", nl: "Taal" },
    token_title: { en: "Access token", fr: "Jeton d'accès", nl: "Toegangstoken" },
    token_label: {
      en: "This service needs an access token; ask its administrator.",
      fr: "Ce service demande un jeton d'accès ; demandez-le à son administrateur.",
      nl: "Deze dienst vraagt een toegangstoken; vraag het aan de beheerder.",
    },
    token_use: { en: "Use this token", fr: "Utiliser ce jeton", nl: "Dit token gebruiken" },
    situation: { en: "The situation", fr: "La situation", nl: "De situatie" },
    date: {
      en: "Date of the request, hearing or disclosure",
      fr: "Date de la demande, de l'audition ou de la communication",
      nl: "Datum van het verzoek, het verhoor of de mededeling",
    },
    date_help: {
      en: "It selects the version of the law in force; today when left empty.",
      fr: "Elle détermine la version de la loi en vigueur ; aujourd'hui si elle reste vide.",
      nl: "Zij bepaalt welke versie van de wet geldt; vandaag als zij leeg blijft.",
    },
    known_on_field: { en: "The law as known on", fr: "Le droit tel que connu le", nl: "Het recht zoals gekend op" },
    known_on_help: {
      en: "Today when left empty. An earlier date shows the law as it was then understood, before a later annulment.",
      fr: "Aujourd'hui si vide. Une date antérieure montre le droit tel qu'on le comprenait alors, avant une annulation ultérieure.",
      nl: "Vandaag als leeg. Een vroegere datum toont het recht zoals het toen begrepen werd, vóór een latere vernietiging.",
    },
    no_answers: { en: "No fact given yet.", fr: "Aucun fait donné pour l'instant.", nl: "Nog geen feit gegeven." },
    unknown: { en: "unknown", fr: "inconnu", nl: "onbekend" },
    yes: { en: "yes", fr: "oui", nl: "ja" },
    no: { en: "no", fr: "non", nl: "nee" },
    change: { en: "Change", fr: "Modifier", nl: "Wijzigen" },
    change_label: { en: "Change the answer to: ", fr: "Modifier la réponse à : ", nl: "Het antwoord wijzigen op: " },
    restart: { en: "Start again", fr: "Recommencer", nl: "Opnieuw beginnen" },
    question: { en: "Question", fr: "Question", nl: "Vraag" },
    answer: { en: "Answer", fr: "Répondre", nl: "Antwoorden" },
    dont_know: { en: "I don't know", fr: "Je ne sais pas", nl: "Ik weet het niet" },
    why: { en: "The answer depends on it through: ", fr: "La réponse en dépend par : ", nl: "Het antwoord hangt ervan af via: " },
    done: {
      en: "No other question can change the answer.",
      fr: "Aucune autre question ne peut changer la réponse.",
      nl: "Geen andere vraag kan het antwoord nog veranderen.",
    },
    stuck: {
      en: "The answer still depends on facts left unknown: ",
      fr: "La réponse dépend encore de faits laissés inconnus : ",
      nl: "Het antwoord hangt nog af van onbekend gelaten feiten: ",
    },
    decision: { en: "The answer", fr: "La réponse", nl: "Het antwoord" },
    "outcome.obliged": { en: "Obliged to disclose", fr: "Obligé de communiquer", nl: "Verplicht mee te delen" },
    "outcome.permitted": {
      en: "Permitted to disclose (no duty)",
      fr: "Autorisé à communiquer (sans obligation)",
      nl: "Mag meedelen (geen plicht)",
    },
    "outcome.forbidden": {
      en: "Forbidden: the secret holds",
      fr: "Interdit : le secret professionnel s'impose",
      nl: "Verboden: het beroepsgeheim geldt",
    },
    "outcome.not_applicable": {
      en: "Not applicable: professional secrecy is not engaged",
      fr: "Non applicable : le secret professionnel n'est pas en jeu",
      nl: "Niet van toepassing: het beroepsgeheim speelt niet",
    },
    "outcome.undetermined": {
      en: "Undetermined: the answer depends on facts not given yet",
      fr: "Indéterminé : la réponse dépend de faits pas encore donnés",
      nl: "Onbepaald: het antwoord hangt af van nog niet gegeven feiten",
    },
    "short.obliged": { en: "obliged", fr: "obligé", nl: "verplicht" },
    "short.permitted": { en: "permitted", fr: "autorisé", nl: "toegestaan" },
    "short.forbidden": { en: "forbidden", fr: "interdit", nl: "verboden" },
    "short.not_applicable": { en: "not applicable", fr: "non applicable", nl: "niet van toepassing" },
    "short.undetermined": { en: "undetermined", fr: "indéterminé", nl: "onbepaald" },
    possible: { en: "Still possible", fr: "Encore possible", nl: "Nog mogelijk" },
    version: { en: "Version of the law", fr: "Version de la loi", nl: "Versie van de wet" },
    known_on: { en: "as known on", fr: "telle que connue le", nl: "zoals gekend op" },
    as_enacted: { en: "as enacted", fr: "telle qu'adoptée", nl: "zoals aangenomen" },
    basis: { en: "Legal basis", fr: "Base légale", nl: "Rechtsgrond" },
    duty_bearer: { en: "Who bears the duty", fr: "Qui porte l'obligation", nl: "Wie de plicht draagt" },
    "bearer.institution": { en: "the institution", fr: "l'institution", nl: "de instelling" },
    "bearer.staff_member": { en: "the staff member", fr: "le membre du personnel", nl: "het personeelslid" },
    "bearer.holder": { en: "whoever holds the secret", fr: "le dépositaire du secret", nl: "wie het geheim bewaart" },
    addressees: { en: "May go to", fr: "Peut être communiqué à", nl: "Mag gaan naar" },
    sanctions: { en: "Sanctions at stake", fr: "Sanctions en jeu", nl: "Sancties die op het spel staan" },
    side_obligations: { en: "Side obligations", fr: "Obligations accessoires", nl: "Bijkomende plichten" },
    contested: { en: "Contested points", fr: "Points controversés", nl: "Betwiste punten" },
    contested_help: {
      en: "The answer depends on a point the law leaves open. Choose a reading: the answer follows it, and may ask again.",
      fr: "La réponse dépend d'un point que la loi laisse ouvert. Choisissez une lecture : la réponse la suit, et peut reposer des questions.",
      nl: "Het antwoord hangt af van een punt dat de wet openlaat. Kies een lezing: het antwoord volgt haar en kan opnieuw vragen stellen.",
    },
    default_reading: { en: "default", fr: "par défaut", nl: "standaard" },
    gives: { en: "This reading gives: ", fr: "Cette lecture donne : ", nl: "Deze lezing geeft: " },
    warnings: { en: "Warnings", fr: "Avertissements", nl: "Waarschuwingen" },
    comparison: {
      en: "The same situation under every version of the law",
      fr: "La même situation sous chaque version de la loi",
      nl: "Dezelfde situatie onder elke versie van de wet",
    },
    col_version: { en: "Version", fr: "Version", nl: "Versie" },
    col_period: { en: "In force", fr: "En vigueur", nl: "Van kracht" },
    col_outcome: { en: "Outcome", fr: "Issue", nl: "Uitkomst" },
    col_basis: { en: "Legal basis", fr: "Base légale", nl: "Rechtsgrond" },
    in_force: { en: "the version of the date", fr: "la version de la date", nl: "de versie van de datum" },
    open_end: { en: "open", fr: "ouvert", nl: "open" },
    needs: { en: "facts still needed: ", fr: "faits encore nécessaires : ", nl: "nog nodige feiten: " },
    diff: {
      en: "What changed between two versions",
      fr: "Ce qui a changé entre deux versions",
      nl: "Wat veranderde tussen twee versies",
    },
    diff_from: { en: "From", fr: "De", nl: "Van" },
    diff_to: { en: "To", fr: "À", nl: "Naar" },
    diff_link: { en: "Open the report", fr: "Ouvrir le rapport", nl: "Het rapport openen" },
    disclaimer: {
      en: "What the library says, not legal advice.",
      fr: "Ce que dit la bibliothèque, pas un avis juridique.",
      nl: "Wat de bibliotheek zegt, geen juridisch advies.",
    },
    api: { en: "HTTP API (OpenAPI)", fr: "API HTTP (OpenAPI)", nl: "HTTP-API (OpenAPI)" },
    page_title: {
      en: "disclosure: professional secrecy",
      fr: "disclosure : secret professionnel",
      nl: "disclosure: beroepsgeheim",
    },
    failed: { en: "The service did not answer: ", fr: "Le service n'a pas répondu : ", nl: "De dienst antwoordde niet: " },
  };

  const LANGUAGES = ["fr", "nl", "en"];
  const state = {
    lang: "en",
    token: null,
    vocabulary: null,
    facts: {}, // fact name -> value, in the order answered
    skipped: [], // facts the user does not know (they stay unknown)
    readings: {},
    decision: null,
    comparison: null,
    versions: [],
    asked: null, // the fact of the question on screen
    diffChosen: false, // whether the user chose the two versions of the diff
    generation: 0,
  };

  const $ = (id) => document.getElementById(id);
  const t = (key) => (TEXTS[key] ? TEXTS[key][state.lang] : key);
  const text = (value) => (value && typeof value === "object" ? value[state.lang] : String(value));

  function element(tag, options, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(options || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  // -- talking to the service -------------------------------------------------------------

  async function api(path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
    let data = null;
    try {
      data = await response.json();
    } catch (ignored) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error.message : response.status + " " + response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function showError(error) {
    const box = $("error");
    if (!error) {
      box.hidden = true;
      box.textContent = "";
      return;
    }
    if (error.status === 401) {
      $("token-box").hidden = false;
      $("token").focus();
    }
    box.textContent = error.status ? error.message : t("failed") + error.message;
    box.hidden = false;
  }

  // -- the vocabulary ---------------------------------------------------------------------

  function fact(name) {
    return state.vocabulary.facts.find((item) => item.name === name);
  }

  function valueLabel(name, value) {
    const item = fact(name);
    const found = item && item.values.find((entry) => entry.value === value);
    if (found && found.meaning) return text(found.meaning);
    if (typeof value === "boolean") return t(value ? "yes" : "no");
    return String(value).replace(/_/g, " ");
  }

  function point(id) {
    return state.vocabulary.contested.find((item) => item.id === id);
  }

  function citationLabel(citation) {
    const article = /^[0-9]/.test(citation.article) ? "art. " + citation.article : citation.article;
    return citation.act + ", " + article + (citation.paragraph ? " " + citation.paragraph : "");
  }

  function citationNode(citation) {
    const label = citationLabel(citation);
    if (citation.url) {
      return element("a", { href: citation.url, rel: "noopener noreferrer", target: "_blank", className: "citation", text: label });
    }
    return element("span", { className: "citation", text: label });
  }

  function versionName(id) {
    const found = state.versions.find((v) => v.id === id);
    return found && found.aliases.length ? found.aliases[0] : id;
  }

  // -- asking -----------------------------------------------------------------------------

  function request() {
    const facts = Object.assign({}, state.facts);
    const day = $("date").value;
    if (day) facts.date = day;
    const body = { facts: facts, readings: Object.assign({}, state.readings) };
    if ($("known-on").value) body.known_on = $("known-on").value;
    return body;
  }

  async function refresh(focusQuestion) {
    const generation = ++state.generation;
    $("main").setAttribute("aria-busy", "true");
    try {
      const body = request();
      const decision = await api("/v1/evaluate", body);
      // every version as the law is known on the decision's date of knowledge (today by
      // default), so that the version of the date shows the decision's own answer
      const known = decision.receipt.known_on || body.known_on;
      const compare = { facts: body.facts, readings: body.readings };
      if (known) {
        compare.known_on = known;
        // only the versions that existed as the law was known then
        compare.versions = state.versions.filter((v) => v.known_from <= known).map((v) => v.id);
      }
      const comparison = await api("/v1/compare", compare);
      if (generation !== state.generation) return true;
      state.decision = decision;
      state.comparison = comparison;
      showError(null);
      render();
      if (focusQuestion && !$("question-form").hidden) {
        const first = $("question-values").querySelector("input");
        if (first) first.focus();
      }
      return true;
    } catch (error) {
      if (generation === state.generation) showError(error);
      return false;
    } finally {
      if (generation === state.generation) $("main").removeAttribute("aria-busy");
    }
  }

  async function answer(name, value) {
    const before = Object.assign({}, state.facts);
    delete state.facts[name];
    state.facts[name] = value;
    state.skipped = state.skipped.filter((item) => item !== name);
    if (!(await refresh(true))) {
      state.facts = before; // refused (e.g. an impossible combination): keep what was
      render();
    }
  }

  function forget(name) {
    delete state.facts[name];
    state.skipped = state.skipped.filter((item) => item !== name);
    refresh(true);
  }

  // -- drawing ----------------------------------------------------------------------------

  function translatePage() {
    document.documentElement.lang = state.lang;
    document.title = t("page_title");
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.getAttribute("data-i18n"));
    }
  }

  function render() {
    translatePage();
    if (!state.vocabulary) return;
    renderAnswers();
    if (!state.decision) return;
    renderQuestion();
    renderDecision();
    renderComparison();
    renderDiffLink();
  }

  function renderAnswers() {
    const list = $("answers");
    list.replaceChildren();
    const names = Object.keys(state.facts).concat(state.skipped);
    $("no-answers").hidden = names.length > 0;
    for (const name of names) {
      const known = Object.prototype.hasOwnProperty.call(state.facts, name);
      const question = text(fact(name).meaning);
      const button = element("button", {
        type: "button",
        className: "secondary",
        "aria-label": t("change_label") + question,
        text: t("change"),
      });
      button.addEventListener("click", () => forget(name));
      list.append(
        element("li", { "data-fact": name }, [
          element("span", { className: "fact", text: question }),
          element("span", { className: "value", text: known ? valueLabel(name, state.facts[name]) : t("unknown") }),
          button,
        ])
      );
    }
  }

  function pendingFact() {
    const decision = state.decision;
    if (decision.determined) return null;
    return decision.missing_facts.find((name) => !state.skipped.includes(name)) || null;
  }

  function renderQuestion() {
    const decision = state.decision;
    const name = pendingFact();
    const form = $("question-form");
    const done = $("question-done");
    state.asked = name;
    if (name === null) {
      form.hidden = true;
      done.hidden = false;
      done.textContent = decision.determined
        ? t("done")
        : t("stuck") + decision.missing_facts.map((item) => text(fact(item).meaning)).join(" · ");
      return;
    }
    form.hidden = false;
    done.hidden = true;
    const item = fact(name);
    form.setAttribute("data-fact", name);
    $("question-text").textContent = text(item.meaning);
    const choices = $("question-values");
    choices.replaceChildren();
    item.values.forEach((entry, index) => {
      const id = "value-" + index;
      const input = element("input", { type: "radio", name: "value", id: id, value: JSON.stringify(entry.value), required: true });
      choices.append(element("div", { className: "choice" }, [input, element("label", { for: id, text: valueLabel(name, entry.value) })]));
    });
    const waiting = decision.trace.filter((entry) => entry.status === "unknown" && entry.missing.includes(name));
    $("question-why").textContent = waiting.length
      ? t("why") + waiting.map((entry) => citationLabel(entry.citation)).filter((v, i, all) => all.indexOf(v) === i).join("; ")
      : "";
  }

  function renderDecision() {
    const decision = state.decision;
    const outcome = $("outcome");
    const key = decision.outcome || "undetermined";
    outcome.className = "outcome " + key;
    outcome.textContent = t("outcome." + key);
    outcome.setAttribute("data-outcome", key);
    const details = $("decision-details");
    details.replaceChildren();
    const add = (label, ...nodes) => {
      details.append(element("dt", { text: label }));
      details.append(element("dd", {}, nodes));
    };
    const receipt = decision.receipt;
    add(
      t("version"),
      document.createTextNode(
        versionName(receipt.version) + " (" + receipt.version + "), " + (receipt.known_on ? t("known_on") + " " + receipt.known_on : t("as_enacted"))
      )
    );
    if (!decision.determined) {
      add(t("possible"), document.createTextNode(decision.possible_outcomes.map((o) => t("short." + o)).join(", ")));
    }
    if (decision.determined && decision.basis.length) {
      const applied = decision.trace.filter((entry) => entry.status === "applied");
      add(
        t("basis"),
        element(
          "ul",
          { className: "basis" },
          applied.map((entry) => element("li", {}, [citationNode(entry.citation), document.createTextNode(": " + text(entry.summary))]))
        )
      );
    }
    if (decision.duty_bearer) add(t("duty_bearer"), document.createTextNode(t("bearer." + decision.duty_bearer)));
    if (decision.addressees.length) {
      add(t("addressees"), document.createTextNode(decision.addressees.map((a) => valueLabel("authority", a)).join("; ")));
    }
    if (decision.sanctions.length) {
      add(
        t("sanctions"),
        element(
          "ul",
          {},
          decision.sanctions.map((s) =>
            element("li", {}, [
              document.createTextNode(text(s.summary) + (s.penalty ? " (" + text(s.penalty) + ")" : "") + " — "),
              citationNode(s.citation),
            ])
          )
        )
      );
    }
    if (decision.side_obligations.length) {
      add(
        t("side_obligations"),
        element(
          "ul",
          {},
          decision.side_obligations.map((o) => element("li", {}, [document.createTextNode(text(o.summary) + " — "), citationNode(o.citation)]))
        )
      );
    }
    if (decision.warnings.length) {
      add(t("warnings"), element("ul", {}, decision.warnings.map((w) => element("li", { text: w }))));
    }
    renderContested();
  }

  function renderContested() {
    const box = $("contested");
    box.replaceChildren();
    const decision = state.decision;
    if (!decision.contested.length) return;
    box.append(element("h3", { text: t("contested") }));
    box.append(element("p", { className: "help", text: t("contested_help") }));
    for (const dependency of decision.contested) {
      const info = point(dependency.point);
      const fieldset = element("fieldset", { className: "contested-point", "data-point": dependency.point });
      fieldset.append(element("legend", { text: text(dependency.question) }));
      const choices = element("div", { className: "choices" });
      info.readings.forEach((reading, index) => {
        const id = "reading-" + dependency.point + "-" + index;
        const input = element("input", {
          type: "radio",
          name: "reading-" + dependency.point,
          id: id,
          value: reading.id,
          checked: reading.id === dependency.reading,
        });
        input.addEventListener("change", () => {
          state.readings[dependency.point] = reading.id;
          refresh(true);
        });
        const gives = reading.id === dependency.reading ? decision.outcome : dependency.alternatives[reading.id];
        const label = element("label", { for: id }, [
          element("strong", { text: reading.id + (reading.id === info.default ? " (" + t("default_reading") + ")" : "") }),
          document.createTextNode(": " + text(reading.summary)),
          element("span", { className: "gives", text: t("gives") + t("short." + (gives || "undetermined")) }),
        ]);
        choices.append(element("div", { className: "choice" }, [input, label]));
      });
      fieldset.append(choices);
      box.append(fieldset);
    }
  }

  function period(version) {
    const end = version.valid_until || t("open_end");
    return [element("span", { text: version.valid_from }), document.createTextNode(" – "), element("span", { text: end })];
  }

  function renderComparison() {
    const body = $("comparison-table").querySelector("tbody");
    body.replaceChildren();
    const inForce = state.decision.receipt.version;
    for (const side of state.comparison.sides) {
      const decision = side.decision;
      const id = decision.receipt.version;
      const version = state.versions.find((v) => v.id === id);
      const key = decision.outcome || "undetermined";
      const basis = decision.determined
        ? decision.basis.map(citationLabel).join("; ")
        : t("needs") + decision.missing_facts.length;
      const row = element("tr", { "data-version": id, className: id === inForce ? "in-force" : "" }, [
        element("th", { scope: "row" }, [
          document.createTextNode(versionName(id)),
          id === inForce ? element("span", { className: "small", text: " — " + t("in_force") }) : null,
        ]),
        element("td", { className: "period" }, version ? period(version) : []),
        element("td", {}, [element("span", { className: "tag " + key, "data-outcome": key, text: t("short." + key) })]),
        element("td", { className: decision.determined ? "" : "small", text: basis }),
      ]);
      body.append(row);
    }
  }

  function fillDiffChoices() {
    const a = $("diff-a");
    const b = $("diff-b");
    for (const select of [a, b]) {
      select.replaceChildren();
      for (const version of state.versions) {
        const name = version.aliases.length ? version.aliases[0] : version.id;
        select.append(element("option", { value: name, text: name + " (" + version.id + ")" }));
      }
    }
    const count = state.versions.length;
    if (count >= 2) {
      a.selectedIndex = count - 2;
      b.selectedIndex = count - 1;
    }
  }

  function renderDiffLink() {
    if (!state.diffChosen) {
      // by default: the version of the date against the one before it
      const index = state.versions.findIndex((v) => v.id === state.decision.receipt.version);
      if (index >= 0) {
        $("diff-a").selectedIndex = Math.max(0, index - 1);
        $("diff-b").selectedIndex = Math.max(1, index);
      }
    }
    const query = new URLSearchParams({ a: $("diff-a").value, b: $("diff-b").value, format: "html", lang: state.lang });
    if ($("known-on").value) query.set("known_on", $("known-on").value); // both sides as then known
    $("diff-link").href = "/v1/diff?" + query.toString();
  }

  async function openDiffWithToken(event) {
    if (!state.token) return; // a plain link: the browser opens the report
    event.preventDefault(); // a link cannot carry the token: fetch it, save it as a file
    try {
      const response = await fetch($("diff-link").href, { headers: { Authorization: "Bearer " + state.token } });
      if (!response.ok) throw Object.assign(new Error(response.status + " " + response.statusText), { status: response.status });
      const blob = await response.blob();
      const link = element("a", { href: URL.createObjectURL(blob), download: "diff-" + $("diff-a").value + "-" + $("diff-b").value + ".html" });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      showError(error);
    }
  }

  // -- start ------------------------------------------------------------------------------

  function chooseLanguage() {
    const asked = new URLSearchParams(window.location.search).get("lang");
    let stored = null;
    try {
      stored = window.localStorage.getItem("disclosure-lang");
    } catch (ignored) {
      stored = null;
    }
    const browser = (navigator.language || "en").slice(0, 2);
    return [asked, stored, browser].find((lang) => LANGUAGES.includes(lang)) || "en";
  }

  async function start() {
    try {
      state.token = window.sessionStorage.getItem("disclosure-token");
    } catch (ignored) {
      state.token = null;
    }
    state.lang = chooseLanguage();
    $("lang").value = state.lang;
    translatePage();
    try {
      const [vocabulary, versions] = await Promise.all([api("/v1/vocabulary"), api("/v1/versions")]);
      state.vocabulary = vocabulary;
      state.versions = versions;
      fillDiffChoices();
      await refresh(false);
    } catch (error) {
      showError(error);
    }
  }

  function bind() {
    $("lang").addEventListener("change", () => {
      state.lang = $("lang").value;
      try {
        window.localStorage.setItem("disclosure-lang", state.lang);
      } catch (ignored) {
        // private browsing: the choice lasts for the page
      }
      render();
    });
    $("question-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = $("question-values").querySelector("input:checked");
      if (!chosen || !state.asked) return;
      answer(state.asked, JSON.parse(chosen.value));
    });
    $("skip-button").addEventListener("click", () => {
      if (!state.asked) return;
      state.skipped.push(state.asked);
      render();
      const first = $("question-values").querySelector("input");
      if (first && !$("question-form").hidden) first.focus();
    });
    $("restart").addEventListener("click", () => {
      state.facts = {};
      state.skipped = [];
      state.readings = {};
      $("date").value = "";
      $("known-on").value = "";
      refresh(true);
    });
    for (const id of ["date", "known-on"]) {
      $(id).addEventListener("change", () => {
        const value = $(id).value;
        if (value && Number(value.slice(0, 4)) < 1900) return; // a year still being typed
        refresh(false);
      });
    }
    for (const id of ["diff-a", "diff-b"]) {
      $(id).addEventListener("change", () => {
        state.diffChosen = true;
        renderDiffLink();
      });
    }
    $("diff-link").addEventListener("click", openDiffWithToken);
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.token = $("token").value.trim();
      try {
        window.sessionStorage.setItem("disclosure-token", state.token);
      } catch (ignored) {
        // the token lasts for the page
      }
      $("token-box").hidden = true;
      start();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    bind();
    start();
  });
})();
