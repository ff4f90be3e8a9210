"""The words postings use for each value of the record's keyword fields, by language.

One table per field: value -> language (ISO 639-1) -> phrases, written folded (lower case, no
accents), as ``extractor.reading.matching.mentions`` compares them. A check of whether the text supports a
value uses every language, since postings mix them ("Remote" in a German text); a reader that
picks a value from the text uses the text's own language and English only, so a word that means
something else in English ("stage", "interim", "saison") reads as a type only where it is one.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractor.record import EmploymentType, Period, Seniority, WorkplaceType

Table = dict[object, dict[str, tuple[str, ...]]]

WORKPLACE: Table = {
    WorkplaceType.remote: {
        "en": ("remote", "remotely", "work from home", "wfh", "home office", "telecommute", "distributed team"),
        "de": ("homeoffice", "home office", "fernarbeit", "remote", "mobiles arbeiten"),
        "fr": ("teletravail", "a distance", "full remote"),
        "es": ("teletrabajo", "remoto", "a distancia", "desde casa"),
        "pt": ("trabalho remoto", "remoto", "home office"),
        "nl": ("thuiswerken", "op afstand", "remote"),
        "it": ("da remoto", "smart working", "telelavoro", "full remote"),
        "pl": ("zdalna", "zdalnie", "praca zdalna"),
        "sv": ("distans", "pa distans", "distansarbete", "fjarrarbete", "hemifran"),
        "zh": ("远程", "遠程", "遠端", "居家办公", "居家辦公"),
        "ja": ("リモート", "在宅", "テレワーク"),
    },
    WorkplaceType.hybrid: {
        "en": ("hybrid", "days a week in the office", "days per week in the office"),
        "de": ("hybrid", "hybrides arbeiten"),
        "fr": ("hybride", "teletravail partiel"),
        "es": ("hibrido", "hibrida"),
        "pt": ("hibrido", "hibrida"),
        "nl": ("hybride",),
        "it": ("ibrido", "ibrida"),
        "pl": ("hybrydowa", "hybrydowo", "hybrydowy"),
        "sv": ("hybrid", "hybridarbete", "hybridlosning"),
        "zh": ("混合办公", "混合辦公"),
        "ja": ("ハイブリッド",),
    },
    WorkplaceType.onsite: {
        "en": ("onsite", "on site", "on-site", "in office", "in-office", "in person", "in-person", "office based"),
        "de": ("vor ort", "prasenz"),
        "fr": ("presentiel", "sur site"),
        "es": ("presencial", "presencialmente"),
        "pt": ("presencial",),
        "nl": ("op locatie", "op kantoor"),
        "it": ("in sede", "in presenza"),
        "pl": ("stacjonarna", "stacjonarnie"),
        "zh": ("现场", "驻场", "坐班"),
        "ja": ("出社",),
    },
}
EMPLOYMENT: Table = {
    EmploymentType.full_time: {
        "en": ("full time", "full-time", "fulltime", "permanent"),
        "de": ("vollzeit", "unbefristet", "festanstellung"),
        "fr": ("temps plein", "temps complet", "cdi"),
        "es": ("tiempo completo", "jornada completa", "indefinido"),
        "pt": ("tempo integral", "clt", "efetivo", "periodo integral"),
        "nl": ("voltijd", "fulltime", "vast contract", "vaste baan", "vast dienstverband", "vaste aanstelling"),
        "it": ("tempo pieno", "indeterminato", "full time"),
        "pl": ("pelny etat", "pelen etat", "umowa o prace", "uop"),
        "sv": ("heltid", "heltidsanstallning", "tillsvidare", "tillsvidareanstallning", "fast anstallning",
               "tillsvidaretjanst"),
        "zh": ("全职", "全職"),
        "ja": ("正社員", "フルタイム"),
    },
    EmploymentType.part_time: {
        "en": ("part time", "part-time", "parttime"),
        "de": ("teilzeit", "minijob"),
        "fr": ("temps partiel",),
        "es": ("medio tiempo", "media jornada", "tiempo parcial"),
        "pt": ("meio periodo", "meio expediente"),
        "nl": ("deeltijd", "parttime"),
        "it": ("tempo parziale", "part time"),
        "pl": ("niepelny etat", "pol etatu"),
        "sv": ("deltid", "deltidsanstallning", "deltidstjanst"),
        "zh": ("兼职", "兼職"),
        "ja": ("パート", "アルバイト"),
    },
    EmploymentType.contract: {
        # Not "contractor": "a Federal Contractor" is the employer, "contractors" are hires.
        "en": ("contract", "contractors", "freelance", "freelancer", "day rate", "daily rate"),
        "de": ("freiberuflich", "freelancer", "werkvertrag", "interim", "honorarbasis", "tagessatz"),
        "fr": ("freelance", "independant", "portage salarial", "tjm"),
        "es": ("autonomo", "por proyecto", "freelance", "contrato por servicios"),
        "pt": ("pj", "pessoa juridica", "freelancer"),
        "nl": ("zzp", "freelance", "zzp'er"),
        "it": ("partita iva", "collaborazione", "freelance"),
        "pl": ("b2b", "kontrakt", "umowa zlecenie", "umowa o dzielo"),
        "sv": ("konsultuppdrag", "frilans", "frilansare", "uppdragsanstallning"),
        "zh": ("外包", "合同工"),
        "ja": ("業務委託", "契約社員"),
    },
    EmploymentType.internship: {
        "en": ("intern", "internship"),
        "de": ("praktikum", "praktikant", "praktikantin", "werkstudent"),
        "fr": ("stage", "stagiaire", "alternance", "apprenti", "apprentissage"),
        "es": ("practicas profesionales", "becario", "becaria", "pasantia", "practicante"),
        "pt": ("vaga de estagio", "programa de estagio", "estagiario", "estagiaria"),
        "nl": ("stage", "stagiair"),
        "it": ("tirocinio", "stagista", "stage"),
        "pl": ("staz", "praktyki", "stazysta", "praktykant"),
        "sv": ("praktik", "praktikant", "praktikplats", "sommarpraktik"),
        "zh": ("实习",),
        "ja": ("インターン",),
    },
    EmploymentType.temporary: {
        "en": ("temporary", "temp", "fixed term", "fixed-term", "seasonal", "locum", "maternity cover", "per diem",
               "supply teacher", "supply work", "relief"),
        "de": ("befristet", "aushilfe", "saisonkraft", "zeitarbeit", "vertretung", "interim"),
        "fr": ("cdd", "interim", "interimaire", "saisonnier", "mission d'interim"),
        "es": ("temporal", "eventual", "sustitucion", "reemplazo", "suplencia"),
        "pt": ("temporario", "temporaria"),
        "nl": ("tijdelijk", "bepaalde tijd", "uitzend"),
        "it": ("tempo determinato", "a termine", "somministrazione"),
        "pl": ("czas okreslony", "tymczasowa", "tymczasowej", "sezonowa"),
        "sv": ("visstid", "visstidsanstallning", "tidsbegransad", "tidsbegransad anstallning", "vikariat",
               "sasongsanstallning", "sasongsarbete", "sommarjobb", "sommarvikariat", "behovsanstallning"),
        "zh": ("临时", "臨時"),
        "ja": ("派遣", "期間"),
    },
}
SENIORITY: Table = {
    Seniority.intern: {
        "en": ("intern", "internship", "trainee"),
        "de": ("praktikant", "praktikantin", "werkstudent"),
        "fr": ("stagiaire",),
        "es": ("becario", "practicante"),
        "pt": ("estagiario", "estagiaria"),
        "it": ("stagista",),
        "pl": ("stazysta", "praktykant"),
        "zh": ("实习",),
        "ja": ("インターン",),
    },
    Seniority.junior: {
        "en": ("junior", "jr", "entry level", "entry-level", "graduate", "early career", "early-career"),
        "de": ("junior", "berufseinsteiger", "auszubildende", "azubi"),
        "fr": ("junior", "debutant"),
        "es": ("junior", "principiante"),
        "pt": ("junior",),
        "zh": ("初级",),
        "ja": ("新卒",),
    },
    Seniority.mid: {
        "en": ("mid", "mid-level", "mid level", "intermediate"),
        "es": ("semi senior", "semisenior", "ssr"),
        "pt": ("pleno",),
        "nl": ("medior",),
        "pl": ("regular", "mid"),
        "zh": ("中级",),
    },
    Seniority.senior: {"en": ("senior", "sr"), "pt": ("senior",), "zh": ("高级", "资深"), "ja": ("シニア",)},
    Seniority.staff: {"en": ("staff",)},
    Seniority.principal: {"en": ("principal",)},
    Seniority.lead: {
        "en": ("lead", "tech lead", "team lead"),
        "de": ("teamleiter", "teamleitung"),
        "fr": ("chef d'equipe",),
        "es": ("lider",),
        "it": ("capo", "caposquadra"),
        "zh": ("主管", "组长"),
        "ja": ("リーダー",),
    },
    Seniority.manager: {
        "en": ("manager", "head of"),
        "de": ("leiter", "leiterin", "leitung"),
        "fr": ("responsable",),
        "es": ("gerente", "jefe", "jefa"),
        "it": ("responsabile",),
        "pl": ("kierownik",),
        "zh": ("经理",),
        "ja": ("マネージャー",),
    },
    Seniority.director: {
        "en": ("director",),
        "de": ("direktor",),
        "fr": ("directeur", "directrice"),
        "es": ("director", "directora"),
        "it": ("direttore",),
        "pl": ("dyrektor",),
        "zh": ("总监",),
        "ja": ("ディレクター",),
    },
    Seniority.executive: {
        "en": ("chief", "ceo", "cto", "cfo", "coo", "cmo", "vp", "vice president", "executive", "co-founder",
               "cofounder", "founding"),
        "de": ("geschaftsfuhrer", "geschaftsfuhrerin"),
        "fr": ("pdg",),
    },
}
EQUITY: dict[str, tuple[str, ...]] = {
    "en": ("equity", "stock options", "stock option", "share options", "esop", "esops", "rsu", "rsus", "sars"),
    "de": ("aktienoptionen", "mitarbeiterbeteiligung", "virtuelle anteile", "vsop", "esop"),
    "fr": ("bspce", "actions gratuites", "stock-options"),
    "es": ("participaciones", "opciones sobre acciones", "stock options"),
    "pt": ("participacao", "stock options", "equity"),
    "nl": ("aandelenopties",),
    "it": ("stock option", "azioni"),
    "pl": ("opcje", "akcje"),
    "sv": ("aktieoptioner", "personaloptioner", "teckningsoptioner"),
    "zh": ("股权", "期权"),
    "ja": ("ストックオプション",),
}
PERIOD: Table = {
    Period.hour: {
        "en": ("hour", "hourly", "hr", "h", "per hour"),
        "de": ("stunde", "std", "stundenlohn", "h"),
        "fr": ("heure", "horaire", "h"),
        "es": ("hora", "h"),
        "pt": ("hora", "h"),
        "nl": ("uur",),
        "it": ("ora", "orario"),
        "pl": ("godz", "godzine", "h"),
        "sv": ("timme", "timmen", "timlon", "kr tim"),
        "zh": ("时薪", "/小时", "元/小时"),
        "ja": ("時給",),
    },
    Period.day: {
        "en": ("day", "daily", "per day"),
        "de": ("tag", "tagessatz"),
        "fr": ("jour", "journalier", "tjm"),
        "es": ("dia", "diario"),
        "pt": ("dia", "diaria"),
        "nl": ("dag",),
        "it": ("giorno", "giornaliero"),
        "pl": ("dzien",),
        "sv": ("dag", "per dag", "dagsarvode"),
        "zh": ("日薪", "/天", "元/天"),
        "ja": ("日給",),
    },
    Period.week: {
        "en": ("week", "weekly", "wk"),
        "de": ("woche",),
        "fr": ("semaine",),
        "es": ("semana", "semanal"),
        "pt": ("semana", "semanal"),
        "nl": ("week",),
        "it": ("settimana", "settimanale"),
        "pl": ("tydzien",),
        "sv": ("vecka", "veckan", "veckolon"),
        "zh": ("周薪",),
        "ja": ("週給",),
    },
    Period.month: {
        "en": ("month", "monthly", "mo"),
        "de": ("monat", "monatlich", "monatsgehalt"),
        "fr": ("mois", "mensuel", "mensuelle"),
        "es": ("mes", "mensual", "mensuales"),
        "pt": ("mes", "mensal", "mensais"),
        "nl": ("maand", "maandsalaris"),
        "it": ("mese", "mensile", "mensilita", "mensili"),
        "pl": ("miesiac", "miesiecznie"),
        "sv": ("manad", "manaden", "manadslon", "kr man"),
        "zh": ("月薪", "/月", "每月", "元/月"),
        "ja": ("月給",),
    },
    Period.year: {
        "en": ("year", "yearly", "annual", "annually", "annum", "pa", "p a", "lpa", "ctc"),
        "de": ("jahr", "jahrlich", "jahresgehalt", "p a"),
        "fr": ("an", "annuel", "annuelle"),
        "es": ("ano", "anual", "anuales"),
        "pt": ("ano", "anual"),
        "nl": ("jaar",),
        "it": ("anno", "annuo", "annui", "ral", "lordi annui"),
        "pl": ("rok", "rocznie"),
        "sv": ("per ar", "arslon"),
        "zh": ("年薪", "/年"),
        "ja": ("年収",),
    },
}
LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "zh", "ja")


def phrases(by_language: dict[str, tuple[str, ...]], languages: Iterable[str] | None = None) -> tuple[str, ...]:
    """The phrases of the given languages (every language when None), each once."""
    chosen = by_language.keys() if languages is None else [language for language in languages if language]
    return tuple(dict.fromkeys(phrase for language in chosen for phrase in by_language.get(language, ())))


def in_every_language(table: Table) -> dict[object, tuple[str, ...]]:
    """Value -> its phrases in every language: what supports a value, since postings mix languages."""
    return {value: phrases(by_language) for value, by_language in table.items()}

# The nouns English job titles are made of, and stems that take a person's ending ("develop"-er,
# "pharmac"-ist), matched as whole words: "Engineering" is a department.
ROLE_NOUNS = (
    "engineer", "develop", "programm", "manager", "designer", "scientist", "analyst", "intern", "lead", "head of",
    "director", "consultant", "specialist", "architect", "officer", "founder", "marketer", "recruit", "teacher",
    "nurse", "chef", "cook", "assistant", "associate", "representative", "executive", "coordinator", "administrat",
    "technician", "writer", "editor", "accountant", "advisor", "agent", "operator", "driver", "counsel", "paralegal",
    "pharmac", "surveyor", "cutter", "helper", "worker", "clerk", "cashier", "trainee", "instructor", "trainer",
    "coach", "carer", "caregiver", "sales", "account", "partner", "expert", "student",
)
# Stems of the nouns job titles are made of in the other languages above (matched inside words,
# since German, Dutch and Polish titles are compounds: "Pflegefachkraft", "Magazijnmedewerker").
ROLE_STEMS = (
    # de
    "entwickl", "ingenieur", "berater", "leiter", "techniker", "mechani", "mechatron", "kraft", "mitarbeit", "disponent",
    "angestellt", "kaufm", "kauff", "fachwirt", "buchhalt", "fahrer", "zähler", "helfer", "praktik", "werkstudent",
    "azubi", "ausbild", "lehrer", "erzieh", "pflege", "verkäuf", "controller", "referent", "sachbearbeit",
    # fr
    "développeu", "ingénieu", "technicien", "responsable", "assistant", "vendeu", "conseill", "comptab", "chauffeur",
    "plongeu", "serveu", "cuisinier", "infirmi", "soignant", "enseignant", "stagiaire", "alternan", "opérat",
    "rectifieu", "adjoint", "chargé", "gestionnaire", "agent",
    # es / pt
    "desarroll", "ingenier", "asesor", "auxiliar", "vendedor", "contad", "operari", "ejecutiv", "técnic", "tecnic",
    "enferm", "profesor", "cajer", "chofer", "conductor", "becari", "desenvolv", "analista", "assistente", "estagi",
    "professor", "motorista", "coordenad", "gerente", "jefe", "encargad", "cuidador", "repartid", "promotor",
    # nl / it
    "medewerk", "ontwikkel", "beheerder", "adviseur", "monteur", "chauffeur", "verpleeg", "docent", "sviluppat",
    "tecnico", "addett", "impiegat", "cuoco", "operaio", "tornit", "istrutt", "allenat", "insegnant", "contabil",
    "commess", "magazzin", "responsabile",
    # pl
    "programist", "specjalist", "pracowni", "magazyn", "kierowc", "monter", "sprzedaw", "księgow", "pielęgn",
    "operator", "kierowni",
    # sv
    "utvecklare", "ingenjör", "tekniker", "säljare", "ledare", "chef", "arbetare", "medarbetare", "sköterska",
    "chaufför", "förare", "handläggare", "administratör", "assistent", "konsult", "lärare", "pedagog", "montör",
    "snickare", "elektriker", "mekaniker", "koordinator", "samordnare", "rådgivare", "analytiker", "kock",
    "biträde", "vårdare", "skötare",
    # zh / ja
    "工程师", "工程師", "经理", "經理", "设计师", "設計師", "专员", "專員", "教师", "老师", "销售", "開發", "开发",
    "助理", "主管", "总监", "司机", "会计", "负责人", "实习生", "研究员", "运营", "エンジニア", "デザイナー",
    "マネージャー", "スタッフ",
)
