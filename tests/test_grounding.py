import pytest

from extractor.reading.titles import names_a_role, reads_as_title, sought_roles
from extractor.reconcile.grounding import ground, ground_company, ground_locations, ground_seniority, ground_title
from extractor.record import Location, ModelAnswer, Seniority

TEXT = """Acme Robotics | Senior Backend Engineer | Berlin, Germany | Hybrid | Full-time | €70,000 - €85,000
We build warehouse robots. You bring 3+ years with Go or Python, Postgres and AWS; K8s is a plus.
Stock options for everyone. Apply: https://jobs.ashbyhq.com/acme/backend"""


def answer(**fields):
    defaults = {"title": "Senior Backend Engineer", "company": None, "locations": [], "seniority": None}
    return ModelAnswer(**{**defaults, **fields}, is_job_posting=True)


def test_values_the_text_supports_are_kept():
    grounded = ground(answer(company="Acme Robotics", seniority="senior"), TEXT)
    assert grounded == {
        "title": "Senior Backend Engineer",
        "company": "Acme Robotics",
        "locations": [Location(city="Berlin", country="DE")],  # the header's place field
        "seniority": Seniority.senior,
    }


def test_values_the_text_does_not_support_are_dropped():
    text = "We are hiring a backend engineer to work on our robots. Great team!"
    grounded = ground(answer(title="Backend Engineer", company="Sequoia", locations=[{"city": "Paris", "country": "FR"}],
                             seniority="lead"), text)  # fmt: skip
    assert (grounded["company"], grounded["locations"], grounded["seniority"]) == (None, [], None)


def test_the_title_names_the_level_when_the_text_does_too():
    assert ground_seniority(Seniority.junior, "Senior Backend Engineer", TEXT) == Seniority.senior
    assert ground_seniority(Seniority.junior, "Backend Engineer", TEXT) is None  # "junior" is nowhere
    assert ground_seniority(None, "Summer Intern - Mortgage", "Summer Intern wanted") == Seniority.intern
    assert ground_seniority(None, "Senior Teacher", "Supply teachers wanted") is None  # the model's own word
    assert ground_seniority(None, "Engineer", "we are actively seeking senior and above engineers") == Seniority.senior
    assert ground_seniority(Seniority.manager, "Product Manager", "Product Manager, Chicago") is None
    assert ground_seniority(None, "Engineering Manager", "Engineering Manager, Berlin") == Seniority.manager


def test_the_header_names_the_company_over_a_name_from_the_prose():
    text = "Sesame | Full-time | SF/NYC/Bellevue | On-site\nBacked by Sequoia and a16z."
    assert ground_company("Sequoia", text) == "Sesame"
    assert ground_company(None, text) == "Sesame"
    assert ground_company("Sesame Inc", text) == "Sesame"  # shortened to what the text writes


def test_the_job_board_in_a_url_or_a_place_is_not_the_company():
    assert ground_company("AshbyHQ", "coreflow is hiring\nApply here: https://jobs.ashbyhq.com/coreflow") is None
    assert ground_company("Obie Insurance", "Obie is hiring a Product Manager in Chicago") == "Obie"
    assert ground_company("Croydon, Surrey", "Based in Croydon, Surrey; a hotel chain") is None


def test_the_title_loses_company_and_header_decoration():
    assert ground_title("Rootly - Senior AI Engineer", "Rootly", "") == "Senior AI Engineer"
    assert ground_title("Senior Engineers at WorkWhile", "WorkWhile", "") == "Senior Engineers"
    assert ground_title("AI Agent Infrastructure - $20K/mo + equity", None, "") == "AI Agent Infrastructure"
    assert ground_title("Summer Intern (Remote)", None, "") == "Summer Intern"
    assert (
        ground_title("Full Stack Engineer (Java) - Remote (India) - Full-Time", None, "")
        == "Full Stack Engineer (Java)"
    )
    assert ground_title("Hiring Growth Marketer 🚀", None, "") == "Growth Marketer"
    assert ground_title("Backend Engineer - Platform", None, "") == "Backend Engineer - Platform"


def test_the_title_is_the_header_field_the_model_took_part_of_or_ran_on_from():
    header = "Evercred | Remote (US) | Technical Co-Founder - AI Agent Infrastructure | $20K/mo\nWe build agents."
    assert (
        ground_title("AI Agent Infrastructure", "Evercred", header) == "Technical Co-Founder - AI Agent Infrastructure"
    )
    header = "MDalgorithms – Hiring Growth Marketer – Remote – $80K-$140K\nGrowth Marketer for a fast startup"
    assert ground_title("Growth Marketer for a fast startup", "MDalgorithms", header) == "Growth Marketer"
    header = "Obie | Chicago | Product Manager; Technical Project Manager (TPM) | Full-time"
    assert ground_title("Product Manager Technical Project Manager (TPM)", "Obie", header) == "Product Manager"


def test_a_country_written_as_region_becomes_its_own_place():
    places = ground_locations([Location(region="United States", country="CA")], "Open to Canada and United States")
    assert [(p.country, p.region) for p in places] == [("CA", None), ("US", None)]


def test_country_codes_match_only_as_written():
    assert ground_locations([Location(country="US")], "Come and join us!") == []
    assert ground_locations([Location(country="US")], "Remote (US)") == [Location(country="US")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Wir suchen für unser Servicecenter einen engagierten KFZ-Mechatroniker (m/w/d).", "KFZ-Mechatroniker"),
        ("Acme | Multiple Roles | Berlin\nOpen roles:\n- Senior AI Engineer — agents\n- Designer", "Senior AI Engineer"),
        ("Poste : Chef de rang (H/F)\nSaison d'hiver", "Chef de rang"),
        ("招聘初中计算机教师\n应聘条件", "初中计算机教师"),
    ],
)
def test_a_title_the_model_did_not_find_is_taken_where_the_posting_states_it(text, title):
    assert ground_title("Multiple Roles", None, text) == title


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Trattoria Sole, a Bergamo, cerca un Cuoco Capopartita motivato per la stagione.", "Cuoco Capopartita"),
        ("InterimPlus recherche pour un client deux ASSISTANTS COMMERCIAUX DES VENTES pour mars.", "ASSISTANTS COMMERCIAUX DES VENTES"),
        ("Our partner firm is seeking a Corporate/M&A Associate for its deals team.", "Corporate/M&A Associate"),
        ("We are looking for a senior backend engineer to join us.", "senior backend engineer"),
        ("Hospital Sur busca enfermera para turnos de noche.", "enfermera"),
    ],
)  # fmt: skip
def test_a_seeking_sentence_names_its_role_with_the_words_beside_it_in_its_case(text, role):
    assert sought_roles(text) == [role]


def test_a_seeking_sentence_without_a_job_noun_names_no_role():
    assert sought_roles("We are looking for people who love bread and early mornings.") == []


@pytest.mark.parametrize(
    ("candidate", "is_title"),
    [("Fresatore CNC", True), ("Sr. Engineer, Payments Platform Inc.", True), ("Registered Nurse (RN)", True),
     ("Esperienza nella saldatura a filo;", False), ("Masz doświadczenie w spawaniu?", False),
     ("Experience with welding and assembly of components is required.", False),
     ("Vous êtes une personne organisée qui aime le travail en équipe et les horaires du soir", False)],
)  # fmt: skip
def test_a_title_is_a_few_words_that_do_not_end_as_a_sentence(candidate, is_title):
    assert reads_as_title(candidate) is is_title


def test_a_sentence_the_model_gives_as_title_gives_way_to_the_role_the_text_seeks():
    text = "Officina Rossi, azienda meccanica di Lecco, ricerca per un cliente un OPERAIO CNC.\nRequisiti:\n· Esperienza come operaio CNC;"
    assert ground_title("Esperienza come operaio CNC;", None, text) == "OPERAIO CNC"


@pytest.mark.parametrize(
    ("model_title", "title"),
    [("Säljare - Snittlön 45.000 kr / mån", "Säljare"), ("Lastbilschaufför med C-kort i Göteborg", "Lastbilschaufför med C-kort"),
     ("Paralegal Contract", "Paralegal"), ("=== 1. Tax Associate | Austin, TX | $90K ===", "Tax Associate"),
     ("Night Nurse", "Night Nurse")],
)  # fmt: skip
def test_pay_a_place_a_type_and_list_numbering_are_no_part_of_a_title(model_title, title):
    text = f"{model_title}\nWe offer a 12-month Paralegal Contract with Night Nurses and Tax Associate roles."
    assert ground_title(model_title, None, text) == title


def test_a_title_the_text_writes_in_the_plural_is_kept():
    assert ground_title("Primary Teacher", None, "Supply work for Primary Teachers across Leeds.") == "Primary Teacher"


def test_a_title_the_text_writes_and_that_names_a_role_is_kept():
    text = "Acme is hiring a Senior Sample Cutter in London."
    assert ground_title("Senior Sample Cutter", None, text) == "Senior Sample Cutter"
    assert ground_title("Lead Sample Cutter", None, text) == "Sample Cutter"  # the level the text does not write
    assert ground_title("Pflegefachkraft (m/w/d)", None, "Pflegefachkraft (m/w/d) in Teilzeit") == "Pflegefachkraft"


def test_a_swedish_title_loses_the_clause_after_it():
    text = "Vi söker Lagerarbetare till vårt lager i Borås\n\nElektriker sökes för uppdrag hos kund"
    assert ground_title("Vi söker Lagerarbetare till vårt lager i Borås", None, text) == "Lagerarbetare"
    assert ground_title("Elektriker sökes för uppdrag hos kund", None, text) == "Elektriker"

def test_a_cjk_title_is_kept_where_the_text_writes_it_without_spaces_or_in_full_width_brackets():
    text = "# 深圳 招数据工程师\n\n岗位职责：搭建数据平台。\n\n## 前端工程師（React）\n\n负责前端开发。"
    assert ground_title("数据工程师", None, text) == "数据工程师"
    assert ground_title("前端工程師（React）", None, text) == "前端工程師（React）"


def test_role_nouns_count_in_compounds_but_a_department_is_no_role():
    assert names_a_role("Pflegefachkraft") and names_a_role("Magazijnmedewerker") and names_a_role("后端工程师")
    assert not names_a_role("Engineering Square") and not names_a_role("Multiple Roles")


@pytest.mark.parametrize(
    ("phrase", "is_role"),
    [("Software Developer", True), ("Programmer", True), ("Recruiter", True), ("Pharmacist", True),
     ("Systems Administrator", True), ("Engineers", True), ("Engineering", False), ("Internal audit", False)],
)  # fmt: skip
def test_a_stem_names_a_role_with_a_persons_ending_only(phrase, is_role):
    assert names_a_role(phrase) is is_role


def test_the_company_the_text_names_as_its_employer_beats_the_models():
    text = "Forklift Driver\nAbout Dunmore Logistics\nDunmore Logistics runs depots in Ohio and at Akron Ports."
    assert ground(answer(title="Forklift Driver", company="Akron Ports"), text)["company"] == "Dunmore Logistics"
    assert ground(answer(title="Forklift Driver", company=None), text)["company"] == "Dunmore Logistics"


def test_a_hiring_verbs_subject_fills_only_a_company_the_model_did_not_give():
    text = "Harlow Bakery is hiring a baker. Hours 5-13. Pay at Ridge Mill rates."
    assert ground(answer(title="Baker", company=None), text)["company"] == "Harlow Bakery"
    assert ground(answer(title="Baker", company="Ridge Mill"), text)["company"] == "Ridge Mill"


def test_the_prose_names_the_place_only_when_the_model_named_places_the_text_does_not():
    text = "Wij zitten in Groningen. Je werkt in Groningen of vanuit huis, in een klein team."
    invented = [Location(country="US")]
    assert ground(answer(title="Magazijnmedewerker", locations=invented), text)["locations"] == [
        Location(city="Groningen", country="NL")
    ]
    assert ground(answer(title="Magazijnmedewerker", locations=[]), text)["locations"] == []


def test_a_list_item_glued_to_its_bullet_is_read_for_a_title():
    text = "Pay: up to $4,000\n·A registered nurse with the national board\n·Rotating weekends"
    assert ground_title("Senior nursing officer", None, text) == "registered nurse"
