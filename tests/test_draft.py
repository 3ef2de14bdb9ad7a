"""The drafter (draft/): what it links, what it assembles, what it leaves open, and how it is
scored on the held-out articles written before it changed (tests/fixtures/drafts/heldout/ to
heldout-8/). That its drafts, confirmed unchanged, build: tests/test_curate.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eaeu_facts.cli import main
from eaeu_facts.draft.drafter import DRAFTERS, Article
from eaeu_facts.draft.known import Known
from eaeu_facts.draft.link import link, posts_in
from eaeu_facts.draft.score import (
    DEVELOPMENT,
    DEVELOPMENT_3,
    DEVELOPMENT_5,
    DEVELOPMENT_6,
    DEVELOPMENT_7,
    DEVELOPMENT_8,
    DEVELOPMENT_9,
    HELDOUT,
    Report,
    score,
)
from tests.helpers import PACKAGE, REPO, copy_project

DEV = REPO / "tests" / "fixtures" / "drafts" / "dev"
TALKS = (DEV / "01-bishkek-talks.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def known(article: Path) -> Known:
    """What the seed article's package knows, with the gazetteer."""
    return Known.from_package(article / PACKAGE)


def draft(text: str, known: Known, published: dt.date | None = None) -> dict[str, list[dict]]:
    return DRAFTERS["rules"].draft(Article(text, published), known)


def by_amount(rows: list[dict]) -> dict[int, dict]:
    """Drafted figures by their amount: the tests' handle on each."""
    return {row["amount"]: row for row in rows}


# Linking ------------------------------------------------------------------------------------


def test_known_people_and_places_are_linked_with_their_clitics(known: Known) -> None:
    text = "وأكد بيكتينوف ولميشوستين أنهما التقيا بموسكو وفي أستانا."
    linked = {
        (m.entity.kind, m.entity.id, text[m.start : m.end]) for m in link(text, known).mentions
    }
    assert ("person", "person-olzhas-bektenov", "بيكتينوف") in linked
    assert ("person", "person-mikhail-mishustin", "ولميشوستين") in linked
    assert ("place", "place-moscow", "بموسكو") in linked
    assert ("place", "place-astana", "أستانا") in linked


def test_a_new_person_is_read_with_the_post_and_country_printed_before_the_name(
    known: Known,
) -> None:
    linked = link(TALKS, known)
    [new] = linked.new
    assert (new.name_ar, new.country_code) == ("زامير بيكوف", "KG")
    surname = [m for m in linked.mentions if TALKS[m.start : m.end] == "بيكوف"]
    assert surname and surname[0].entity is new  # his surname alone, later, is him


def test_countries_are_read_by_their_adjectives(known: Known) -> None:
    text = "التجارة الروسية البيلاروسية والمستثمرين الكازاخستانيين"
    codes = [m.entity.id for m in link(text, known).mentions if m.entity.kind == "country"]
    assert codes == ["RU", "BY", "KZ"]


# Assembling ----------------------------------------------------------------------------------


def test_talks_are_drafted_whole(known: Known) -> None:
    drafted = draft(TALKS, known)
    [meeting] = drafted["meetings"]
    assert meeting["meeting_type"] == "bilateral_talks"
    assert (meeting["date"], meeting["date_basis"]) == ("2025-02-06", "stated")
    assert (meeting["place_id"], meeting["place_basis"]) == ("place-bishkek", "stated")
    assert meeting["host_country_code"] == "KG"  # "خلال زيارة عمل إلى قيرغيزستان"
    people = {p["person_id"]: (p["post_ar"], p["country_code"]) for p in drafted["participants"]}
    assert people["person-olzhas-bektenov"] == ("رئيس الوزراء الكازاخستاني", "KZ")
    assert ("رئيس مجلس الوزراء القيرغيزي", "KG") in people.values()
    [place] = drafted["places"]
    assert (place["place_id"], place["name_en"], place["country_code"]) == (
        "place-bishkek",
        "Bishkek",
        "KG",
    )
    [quote] = drafted["quotes"]
    assert quote["speaker_person_id"] == "person-olzhas-bektenov"
    assert quote["meeting_id"] == meeting["meeting_id"]
    assert quote["text_en"] is None  # the curator's to write


def test_a_person_named_first_by_surname_is_drafted_from_the_full_name(known: Known) -> None:
    text = (
        "ميرضيائيف يستقبل بيكتينوف\n"
        "استقبل الرئيس الأوزبكي، شوكت ميرضيائيف، في طشقند رئيس الوزراء الكازاخستاني، "
        "أولجاس بيكتينوف.\n"
    )
    drafted = draft(text, known)
    [person] = drafted["people"]
    assert (person["name_ar"], person["country_code"]) == ("شوكت ميرضيائيف", "UZ")
    ids = {p["person_id"] for p in drafted["participants"]}
    assert ids == {person["person_id"], "person-olzhas-bektenov"}


def test_a_draft_never_refers_to_a_person_it_has_no_row_for(known: Known) -> None:
    text = "التقى الرئيس الأوزبكي ميرضيائيف في طشقند رئيس الوزراء الكازاخستاني، أولجاس بيكتينوف.\n"
    drafted = draft(text, known)
    people = {p["person_id"] for p in drafted.get("people", [])} | {"person-olzhas-bektenov"}
    for row in drafted.get("participants", []):
        assert row["person_id"] in people


def test_trade_takes_its_countries_flow_status_hedge_and_period(known: Known) -> None:
    trade = by_amount(draft(TALKS, known, dt.date(2025, 2, 7))["trade"])
    turnover = trade[1_800_000_000]
    assert {turnover["country_a_code"], turnover["country_b_code"]} == {"KZ", "KG"}
    assert (turnover["flow"], turnover["hedge"], turnover["status"]) == (
        "turnover",
        "about",
        "actual",
    )
    assert (turnover["period_start"], turnover["period_end"]) == ("2024-01-01", "2024-12-31")
    assert turnover["period_basis"] == "inferred" and "2025-02-07" in turnover["note_en"]
    exports = trade[1_200_000_000]
    assert (exports["country_a_code"], exports["country_b_code"], exports["flow"]) == (
        "KZ",
        "KG",
        "exports",
    )
    # Set against the pair's turnover in the same sentence: of its period, inferred, saying so.
    assert (exports["hedge"], exports["period_basis"]) == ("more_than", "inferred")
    assert exports["period_start"] == "2024-01-01" and "set against" in exports["note_en"]
    target = trade[3_000_000_000]  # "بين البلدين": the two countries of the talks
    assert {target["country_a_code"], target["country_b_code"]} == {"KZ", "KG"}
    assert (target["status"], target["period_start"]) == ("target", "2030-01-01")
    assert target["quote_id"] and target["stated_by_person_id"] == "person-olzhas-bektenov"


def test_another_spelling_of_a_country_gives_its_adjective_too(known: Known) -> None:
    """«قرغيزستان» is an alias of Kyrgyzstan, so «القرغيزية» is its adjective."""
    text = "وبلغت التجارة الكازاخستانية القرغيزية 1.2 مليار دولار أمريكي في عام 2024.\n"
    [trade] = draft(text, known)["trade"]
    assert {trade["country_a_code"], trade["country_b_code"]} == {"KZ", "KG"}


def test_organisations_are_drafted_by_their_kind_with_their_country(known: Known) -> None:
    text = (
        "أفادت وكالة «نورا» الأرمينية بأن وزارة الصناعة والتجارة الأرمينية ومكتب الإحصاء "
        "الوطني القيرغيزي أعدا تقريرًا، حسبما نقلت وكالة BelTA.\n"
    )
    orgs = {o["name_ar"]: o for o in draft(text, known).get("organizations", [])}
    assert orgs["وكالة «نورا»"]["organization_type"] == "news_agency"
    assert orgs["وكالة «نورا»"]["country_code"] == "AM"
    ministry = orgs["وزارة الصناعة والتجارة الأرمينية"]
    assert (ministry["organization_type"], ministry["country_code"]) == ("government_office", "AM")
    assert orgs["مكتب الإحصاء الوطني القيرغيزي"]["country_code"] == "KG"
    assert not any("BelTA" in name for name in orgs)  # in the dataset: linked, not drafted


def test_an_agency_is_named_with_its_short_name_in_brackets(known: Known) -> None:
    text = "ونقلت وكالة الأنباء الإيرانية (إرنا) عن عارف قوله، فيما ذكرت الأناضول أن ...\n"
    orgs = {o["name_ar"]: o for o in draft(text, known)["organizations"]}
    assert orgs["وكالة الأنباء الإيرانية (إرنا)"]["country_code"] == "IR"
    assert orgs["الأناضول"]["country_code"] == "TR"


def test_a_call_between_a_name_and_his_counterpart_drafts_both_with_their_posts(
    known: Known,
) -> None:
    """A name printed with no comma ends before «ونظيره»; the counterpart, known, takes the
    post printed alone for the only person of his country."""
    text = (
        "بحث الرئيس الأوزبكي شوكت ميرزيوييف ونظيره الكازاخستاني قاسم جومارت توكاييف، أمس، "
        "في اتصال هاتفي سبل تعزيز التعاون.\n"
        "وأعرب الرئيس الكازاخستاني عن استعداد بلاده لزيادة الإمدادات.\n"
    )
    drafted = draft(text, known)
    assert [p["name_ar"] for p in drafted["people"]] == ["شوكت ميرزيوييف"]
    posts = {p["person_id"]: p["post_ar"] for p in drafted["participants"]}
    assert posts["person-kassym-jomart-tokayev"] == "الرئيس الكازاخستاني"
    assert "الرئيس الأوزبكي" in posts.values()


def test_a_post_keeps_where_it_is_held_and_a_second_post_printed_with_it(known: Known) -> None:
    text = (
        "والتقى الرئيس الإيراني مسعود بزشكيان مع نائب رئيس الوزراء وزير الاقتصاد الوطني "
        "الكازاخستاني، سيريك جومانغارين، بحضور السفير الروسي لدى فيتنام، غينادي بيزديتكو.\n"
    )
    posts = {p["post_ar"]: p for p in draft(text, known)["participants"]}
    both = posts["نائب رئيس الوزراء وزير الاقتصاد الوطني الكازاخستاني"]
    assert both["country_code"] == "KZ"
    assert posts["السفير الروسي لدى فيتنام"]["country_code"] == "RU"


def test_a_woman_s_post_and_two_posts_parted_by_a_dash(known: Known) -> None:
    """ "برئاسة نائبة رئيس الوزراء البيلاروسي ناتاليا بيتكيفيتش": her post, not a name ending in
    «نائبة»; "نائب رئيس الوزراء - وزير الاقتصاد الوطني الكازاخستاني": one post, Kazakh."""
    text = (
        "عقد مجلس اللجنة الاقتصادية الأوراسية اجتماعه برئاسة نائبة رئيس الوزراء البيلاروسي "
        "ناتاليا بيتكيفيتش، وبمشاركة نائب رئيس الوزراء - وزير الاقتصاد الوطني الكازاخستاني "
        "سيريك جومانغارين.\n"
    )
    drafted = draft(text, known)
    assert {p["name_ar"] for p in drafted["people"]} == {"ناتاليا بيتكيفيتش", "سيريك جومانغارين"}
    posts = {p["post_ar"]: p["country_code"] for p in drafted["participants"]}
    assert posts == {
        "نائبة رئيس الوزراء البيلاروسي": "BY",
        "نائب رئيس الوزراء - وزير الاقتصاد الوطني الكازاخستاني": "KZ",
    }


def test_people_by_counterpart_title_and_post_after_the_name(known: Known) -> None:
    """ "ونظيره الأذربيجاني إلهام علييف": Azerbaijani; "معالي مراد نورتليو نائب رئيس الوزراء
    وزير الخارجية في جمهورية كازاخستان": a name before its post, the two posts one, of the
    country after «في»; "نائب وزير ... الروسي" is a deputy minister's post."""
    text = (
        "بحث الرئيس الكازاخستاني قاسم جومارت توكاييف ونظيره الأذربيجاني إلهام علييف، في "
        "اتصال هاتفي، سبل تعزيز التعاون.\n"
        "وشارك في المنتدى معالي مراد نورتليو نائب رئيس الوزراء وزير الخارجية في جمهورية "
        "كازاخستان، وأليكسي جروزديف، نائب وزير الصناعة والتجارة الروسي.\n"
    )
    drafted = draft(text, known)
    people = {p["name_ar"]: p["country_code"] for p in drafted["people"]}
    assert people["إلهام علييف"] == "AZ"
    assert people["مراد نورتليو"] == "KZ"
    assert people["أليكسي جروزديف"] == "RU"  # one of a list, parted by commas
    posts = {p.text: p for p in posts_in(text, known)}
    assert posts["نائب رئيس الوزراء وزير الخارجية في جمهورية كازاخستان"].country == "KZ"
    deputy = posts["نائب وزير الصناعة والتجارة الروسي"]
    assert (deputy.post.rank, deputy.country) == ("deputy", "RU")


def test_an_official_of_a_place_or_body_is_of_its_country(known: Known) -> None:
    """ "حاكم ولاية أنديجان، X": of Andijan's country; "المتحدث باسم الخارجية الروسية، Y": of
    the adjective's; a spokesperson of a body the words give no country for is no row."""
    text = (
        "استقبل حاكم ولاية أنديجان، شوخرات بيك عبد الرحمانوف، رئيس بلدية مدينة أوش، جنيش بيك "
        "توكتورباييف.\n"
        "وقال المتحدث باسم الخارجية الروسية، أندريه لافروف، إن ... وقال المتحدث باسم الإدارة "
        "العامة للجمارك، لو دا ليانغ، إن ...\n"
    )
    people = {p["name_ar"]: p["country_code"] for p in draft(text, known)["people"]}
    assert people == {
        "شوخرات بيك عبد الرحمانوف": "UZ",
        "جنيش بيك توكتورباييف": "KG",
        "أندريه لافروف": "RU",
    }


def test_a_list_of_posts_and_names_with_no_commas_and_who_also_took_part(known: Known) -> None:
    """ "بحضور ... والرئيس القيرغيزي صادر جاباروف ورئيس الوزراء الأرميني نيكول باشينيان": each
    name ends where the next post begins; «كما شارك ... كل من» adds the observers."""
    text = (
        "انطلقت في العاصمة البيلاروسية مينسك يوم الثلاثاء 27 أيار 2025 أعمال اجتماع المجلس "
        "الاقتصادي الأوراسي الأعلى.\n"
        "وترأس الاجتماع الرئيس الروسي فلاديمير بوتين، بحضور الرئيس القيرغيزي صادر جاباروف "
        "ورئيس الوزراء الأرميني نيكول باشينيان.\n"
        "كما شارك في أعمال القمة بصفة مراقب كل من رئيس الوزراء الأوزبكي عبد الله أريبوف "
        "ونائب الرئيس الكوبي سلفادور فالديس ميسا.\n"
    )
    drafted = draft(text, known)
    names = {p["name_ar"]: p["country_code"] for p in drafted["people"]}
    assert names == {
        "صادر جاباروف": "KG",
        "نيكول باشينيان": "AM",
        "عبد الله أريبوف": "UZ",
        "سلفادور فالديس ميسا": "CU",
        "فلاديمير بوتين": "RU",
    }
    summit = drafted["meetings"][0]["meeting_id"]
    posts = {p["post_ar"] for p in drafted["participants"] if p["meeting_id"] == summit}
    assert {"رئيس الوزراء الأوزبكي", "نائب الرئيس الكوبي", "الرئيس القيرغيزي"} <= posts


def test_a_post_glossed_in_brackets_is_one_post(known: Known) -> None:
    """ "أكيم (حاكم) مقاطعة جامبيل الكازاخستانية، يربول كاراشوكييف،": the akim, of Kazakhstan;
    the gloss is not a second post."""
    text = (
        "عقد أكيم (حاكم) مقاطعة جامبيل الكازاخستانية، يربول كاراشوكييف، أمس محادثات مع رئيس "
        "بلدية العاصمة القيرغيزية بيشكيك، أيبيك جونوشالييف.\n"
    )
    posts = posts_in(text, known)
    assert posts[0].text == "أكيم (حاكم) مقاطعة جامبيل الكازاخستانية"
    people = {p["name_ar"]: p["country_code"] for p in draft(text, known)["people"]}
    assert people == {"يربول كاراشوكييف": "KZ", "أيبيك جونوشالييف": "KG"}


def test_what_a_review_found_the_new_rules_misread(known: Known) -> None:
    """Words the rules of this round read as facts before a review: «الرئيسة» (main), a
    delegation before «برئاسة», «حفل افتتاح أعمال», adjectives after «بلدة/مدينة», a
    commission's name across a comma, a minister's name before «في أوزبكستان», a meeting on a
    topic «مع روسيا», a comparison «عن الفترة نفسها», growth of a sector, a stock «منذ»."""
    text = (
        "وأكد أن الشركات الرئيسة الروسية غازبروم ولوك أويل، ستستثمر في المنطقة.\n"
        "واستقبل رئيس الوزراء الأرميني وفدا رسميا برئاسة وزير الخارجية الروسي سيرغي لافروف.\n"
        "وحضر وزير الاقتصاد الأرميني حفل افتتاح أعمال المنتدى الاقتصادي الأوراسي الرابع.\n"
        "وسيقام المصنع في بلدة حدودية روسية، وآخر في مدينة أستانا العاصمة الكازاخستانية.\n"
        "واجتمعت اللجنة الحكومية المشتركة للتعاون الاقتصادي، الأربعاء، في موسكو.\n"
        "وقال وزير الطاقة بوريس ميخايلوف في أوزبكستان إن العمل مستمر.\n"
    )
    drafted = draft(text, known)
    assert {p["name_ar"] for p in drafted["people"]} == {"سيرغي لافروف"}
    assert "وزير الطاقة" in [p.text for p in posts_in(text, known)]  # not up to «أوزبكستان»
    assert not drafted.get("places")
    (body,) = drafted["organizations"]
    assert body["name_ar"] == "اللجنة الحكومية المشتركة للتعاون الاقتصادي"
    text = (
        "عقد نائب رئيس الوزراء الأوزبكي جمشيد خوجاييف اجتماعا لمناقشة خطط التعاون مع روسيا.\n"
        "وبلغت صادرات روسيا إلى أوزبكستان في الربع الأول من عام 2025 نحو 2 مليار دولار، "
        "بزيادة 20% عن الفترة نفسها من العام الماضي.\n"
        "ونما الناتج المحلي الإجمالي للاتحاد الاقتصادي الأوراسي بنسبة 4.1%.\n"
        "وسجلت أرمينيا أعلى نمو في قطاع البناء بلغ 25%.\n"
        "وبحسب البيانات، بلغ إجمالي الاستثمارات الروسية المتراكمة في أوزبكستان منذ الاستقلال "
        "12 مليار دولار.\n"
    )
    drafted = draft(text, known)
    assert not drafted.get("meetings")
    exports = by_amount(drafted["trade"])[2_000_000_000]
    assert (exports["period_start"], exports["period_end"]) == ("2025-01-01", "2025-03-31")
    assert [r["value_pct"] for r in drafted["indicators"]] == [4.1]
    (stock,) = drafted["investment"]
    assert "period_start" not in stock


def test_what_a_review_found_this_round_s_rules_misread(known: Known) -> None:
    """A review's invented examples, before the sixth held-out set was scored: a wire filing
    from abroad, a deputy's portfolio, «ما يعادل» alone, «المرتقبة», the digital economy,
    «نعمل على أن تكون», a headline figure no body figure restates, «بين دول الاتحاد» in an
    aside, a deficit reduced, «بعدما» after a forecast, a base naming its flow, a flow «بنهاية»
    a quarter, a one-country commission, figures presented at the meeting."""
    text = (
        "عنوان\n"
        "موسكو في 12 مايو /أ ش أ/ التقى وزير الخارجية والهجرة بدر عبد العاطي اليوم وزير "
        "الخارجية الروسي سيرغي لافروف في موسكو.\n"
        "وأعلن نائب رئيس الوزراء لشؤون التكامل أن الاستثمارات الروسية في أوزبكستان بلغت ما "
        "يعادل 3 مليارات دولار خلال عام 2024.\n"
        "وقال لافروف، قبيل القمة المرتقبة، إن حجم التبادل التجاري بين روسيا وأرمينيا بلغ 7.3 "
        "مليار دولار في عام 2024.\n"
        "وفي كازاخستان، سجل الاقتصاد الرقمي نموًا بنسبة 15% خلال عام 2024.\n"
    )
    drafted = draft(text, known, dt.date(2025, 5, 12))
    assert {p["name_ar"] for p in drafted.get("people", [])} == {"سيرغي لافروف"}
    assert [r["amount"] for r in drafted["investment"]] == [3_000_000_000]
    assert [r["status"] for r in drafted["trade"]] == ["actual"]
    assert not drafted.get("indicators")
    text = (
        "التبادل التجاري بين كازاخستان وبيلاروس يبلغ مليار دولار\n"
        "وبلغت صادرات كازاخستان إلى بيلاروس 1.4 مليار دولار خلال عام 2024.\n"
        "وقال الوزير إن التبادل بين روسيا وبيلاروس، أكبر شريكين تجاريين بين دول الاتحاد، بلغ "
        "50 مليار دولار في عام 2024.\n"
        "وبفضل تقليص العجز التجاري، بلغت صادرات أرمينيا إلى روسيا 3.5 مليار دولار في عام 2024.\n"
        "وتوقع الوزير أن يبلغ التبادل التجاري بين قيرغيزستان وأوزبكستان 3 مليارات دولار في "
        "2025، بعدما بلغ 1.5 مليار دولار في 2024.\n"
        "وبلغت صادرات بيلاروس إلى أوزبكستان 600 مليون دولار في عام 2024، مقابل 250 مليون دولار "
        "للواردات.\n"
        "وبلغ التبادل التجاري بين روسيا وكازاخستان بنهاية الربع الأول من العام الجاري 6.3 مليار "
        "دولار.\n"
    )
    rows = by_amount(draft(text, known, dt.date(2025, 5, 12))["trade"])
    assert {1_000_000_000, 50_000_000_000, 3_500_000_000} <= set(rows)
    assert (rows[1_500_000_000]["status"], rows[1_500_000_000]["period_start"]) == (
        "actual",
        "2024-01-01",
    )
    assert rows[250_000_000]["flow"] == "imports"
    assert rows[6_300_000_000]["period_start"] == "2025-01-01"
    text = (
        "عنوان\n"
        "موسكو – سبوتنيك. عقدت اللجنة الحكومية الروسية المعنية بالتنمية الصناعية اجتماعها.\n"
        "وبحث رئيس الوزراء الروسي ميخائيل ميشوستين مع رئيس الوزراء الكازاخستاني أولجاس "
        "بيكتينوف في موسكو يوم 12 مايو 2025 تعزيز التعاون.\n"
        "ووفقا للتقديرات التي قدمها الجانب الكازاخستاني في الاجتماع، بلغت الاستثمارات الروسية "
        "في كازاخستان 1.5 مليار دولار في عام 2024.\n"
    )
    drafted = draft(text, known)
    assert all(o["organization_type"] != "intergovernmental_body" for o in drafted["organizations"])
    (talks,) = drafted["meetings"]
    assert drafted["investment"][0]["meeting_id"] == talks["meeting_id"]


def test_what_a_second_review_found_the_mends_still_misread(known: Known) -> None:
    """A second review's invented examples: a country after «بجمهورية»/«لـ», a minister quoted
    later in a home wire, a name after a joint commission, a commission with no purpose, «بعدما
    تجاوزت», «من المرتقب أن», a deficit, «نعمل على أن نصل», a stock «بنهاية عام», an
    equivalent in brackets, a portfolio «والبنية التحتية» before the name."""
    text = (
        "عنوان\n"
        "أبوظبي في 9 يوليو / وام / التقى وزير الطاقة والبنية التحتية سهيل المزروعي نائب رئيس "
        "الوزراء الروسي ألكسندر نوفاك في أبوظبي.\n"
        "وقال وزير التجارة والتكامل بجمهورية كازاخستان أرمان شاكالييف إن التبادل التجاري بين "
        "روسيا وكازاخستان بلغ 27.8 مليار دولار في عام 2024.\n"
        "وقال النائب الأول لرئيس الوزراء دينيس مانتوروف إن روسيا مستعدة للتعاون.\n"
        "وترأس الجانب الروسي في اللجنة الحكومية الروسية الأوزبكية للتعاون الاقتصادي أليكسي "
        "أوفرتشوك نائب رئيس الوزراء الروسي.\n"
        "وعقدت اللجنة الحكومية الكازاخستانية القيرغيزية اجتماعها الدوري في بيشكك.\n"
    )
    drafted = draft(text, known, dt.date(2025, 7, 9))
    people = {p["name_ar"]: p.get("country_code") for p in drafted["people"]}
    assert people == {
        "سهيل المزروعي": "AE",
        "ألكسندر نوفاك": "RU",
        "أرمان شاكالييف": "KZ",
    }
    bodies = {o["name_ar"] for o in drafted["organizations"]}
    assert "اللجنة الحكومية الروسية الأوزبكية للتعاون الاقتصادي" in bodies
    assert "اللجنة الحكومية الكازاخستانية القيرغيزية" in bodies
    text = (
        "عنوان\n"
        "وتوقع الوزير أن تبلغ الصادرات الروسية إلى كازاخستان 20 مليار دولار في عام 2025، بعدما "
        "تجاوزت 18 مليار دولار في عام 2024.\n"
        "وقال إنه من المرتقب أن يصل التبادل التجاري بين روسيا وأرمينيا إلى 10 مليارات دولار في "
        "عام 2025.\n"
        "وارتفع العجز في تجارة كازاخستان مع روسيا إلى 8 مليارات دولار في عام 2024.\n"
        "وأضاف: «نعمل على أن نصل بحجم التبادل التجاري بين روسيا وأرمينيا إلى 15 مليار دولار».\n"
        "وبلغت الاستثمارات الروسية المتراكمة في أرمينيا 5 مليارات دولار بنهاية عام 2024.\n"
        "وبلغت الصادرات الروسية إلى أوزبكستان 500 مليار روبل (ما يعادل 5.5 مليار دولار) في عام "
        "2024.\n"
    )
    drafted = draft(text, known)
    rows = by_amount(drafted["trade"])
    assert set(rows) == {20e9, 18e9, 10e9, 15e9, 500e9}
    assert (rows[18e9]["flow"], rows[18e9]["status"], rows[18e9]["period_start"]) == (
        "exports",
        "actual",
        "2024-01-01",
    )
    assert (rows[10e9]["status"], rows[15e9]["status"]) == ("forecast", "target")
    (stock,) = drafted["investment"]
    assert ("period_start" not in stock, stock["period_end"]) == (True, "2024-12-31")


def test_a_name_is_never_a_group_or_a_verb(known: Known) -> None:
    text = (
        "استقبل الرئيس المصري وزير الصناعة والتجارة الروسي والوفد المرافق له.\n"
        "والتقى الرئيسان في سمرقند، كشف خلالها الرئيس الأوزبكي عن خطط جديدة.\n"
    )
    assert not draft(text, known).get("people")


def test_a_title_of_address_a_clause_after_a_post_and_a_board_someone_chairs(
    known: Known,
) -> None:
    """«الدكتور» stands between a post and a name; «، واتفق الجانبان» and «غدًا» are no name;
    «رئيس مجلس إدارة ...» is a post, not a new body."""
    text = (
        "والتقى وزير الصناعة الأرميني الدكتور غيفورغ بابويان نظيره الروسي أنطون عليخانوف.\n"
        "كما التقى بيكتينوف رئيس الوزراء الأوزبكي، واتفق الجانبان على خطة جديدة.\n"
        "ومن المنتظر أن يزور الرئيس الأرميني غدًا مصنع يريفان للساعات.\n"
        "وحضر رئيس مجلس إدارة اللجنة الاقتصادية الأوراسية الاجتماع.\n"
    )
    drafted = draft(text, known)
    assert {p["name_ar"] for p in drafted["people"]} == {"غيفورغ بابويان", "أنطون عليخانوف"}
    assert [o["name_ar"] for o in drafted["organizations"]] == ["اللجنة الاقتصادية الأوراسية"]


def test_a_home_wire_s_officials_are_of_its_dateline_s_country(known: Known) -> None:
    """ "القاهرة في 18 فبراير /أ ش أ/": a government post with no country is Egypt's (said in
    a note), two posts with a portfolio between are one, «الوزير» is no surname to link by;
    a post of a body («وزير التجارة في اللجنة الاقتصادية الأوراسية») is not Egypt's."""
    text = (
        "مصر وروسيا تبحثان التعاون الصناعي\n"
        "القاهرة في 18 فبراير /أ ش أ/ استقبل الفريق كامل الوزير، نائب رئيس الوزراء للتنمية "
        "الصناعية وزير الصناعة والنقل، اليوم بالقاهرة، أليكسي جروزديف نائب وزير الصناعة "
        "والتجارة الروسي، بحضور وزير التجارة في اللجنة الاقتصادية الأوراسية، أندريه سليبنيف.\n"
        "وأشار نائب الوزير الروسي إلى أن الصادرات الروسية إلى مصر بلغت 7 مليارات دولار في عام "
        "2024.\n"
    )
    drafted = draft(text, known, dt.date(2025, 2, 18))
    people = {p["name_ar"]: p for p in drafted["people"]}
    assert people["كامل الوزير"]["country_code"] == "EG"
    assert "أندريه سليبنيف" not in people  # the text does not give his country
    (host,) = [p for p in drafted["participants"] if p["country_code"] == "EG"]
    assert host["post_ar"] == "نائب رئيس الوزراء للتنمية الصناعية وزير الصناعة والنقل"
    assert "dateline" in host["note_en"]
    (exports,) = drafted["trade"]
    assert exports.get("stated_by_person_id") != people["كامل الوزير"]["person_id"]


def test_an_agency_by_the_short_name_a_wire_prints(known: Known) -> None:
    """ "(كونا)", "أبوظبي - وام": the agency, where a wire prints its short name; its full
    name with the short one in brackets stays one mention."""
    text = (
        "أبوظبي - وام\n"
        "دوشنبه - 18 - 2 (كونا) -- قال وزير الاقتصاد الطاجيكي إن التعاون ينمو، حسبما أفادت "
        "وكالة الأنباء الإيرانية (إرنا).\n"
    )
    orgs = {o["name_ar"]: o["organization_id"] for o in draft(text, known)["organizations"]}
    assert orgs["وام"] == "org-wam" and orgs["كونا"] == "org-kuna"
    assert orgs["وكالة الأنباء الإيرانية (إرنا)"] == "org-irna"


def test_an_office_is_read_with_the_country_it_is_of(known: Known) -> None:
    text = (
        "وذكرت اللجنة الوطنية للإحصاء في بيلاروس (بيلستات) أن الصادرات البيلاروسية نمت.\n"
        "وذكرت اللجنة أن الصادرات البيلاروسية نمت.\n"
    )
    orgs = [o["name_ar"] for o in draft(text, known)["organizations"]]
    assert orgs == ["اللجنة الوطنية للإحصاء في بيلاروس (بيلستات)"]
    text = (
        "وذكرت اللجنة الوطنية للإحصاء في قيرغيزستان أن ...، حسبما أفادت الخدمة الصحفية "
        "للرئاسة الأوزبكية.\n"
    )
    orgs = {o["name_ar"]: o for o in draft(text, known)["organizations"]}
    assert orgs["اللجنة الوطنية للإحصاء في قيرغيزستان"]["country_code"] == "KG"
    assert orgs["الخدمة الصحفية للرئاسة الأوزبكية"]["country_code"] == "UZ"


def test_a_quotation_is_by_the_speaker_the_sentence_before_it_introduces(known: Known) -> None:
    """By name ("وشدد بيكتينوف في كلمته على أن") or by title on the line before it; and a
    meeting of two days is dated by its first."""
    text = (
        "عُقد بألماتي، يومي 27 و28 أيلول/سبتمبر 2024، اجتماع المجلس الحكومي الأوراسي بمشاركة "
        "رئيس الوزراء الكازاخستاني، أولجاس بيكتينوف، ونائب رئيس الوزراء الروسي، أليكسي "
        "أوفرتشوك.\n"
        'وشدد بيكتينوف في كلمته الافتتاحية على أن "السوق المشتركة لن تكتمل ما دامت الحواجز '
        'قائمة أمام منتجينا".\n'
        "وأضاف نائب رئيس الوزراء الروسي أن بلاده مستعدة للتعاون، قائلًا:\n"
        '"نحن مستعدون لفتح مراكز للخدمة والصيانة في جميع المناطق"\n'
    )
    drafted = draft(text, known)
    [meeting] = drafted["meetings"]
    assert (meeting["date"], meeting["date_basis"]) == ("2024-09-27", "stated")
    people = {p["person_id"]: p["name_ar"] for p in drafted["people"]}
    people["person-olzhas-bektenov"] = "أولجاس بيكتينوف"
    speakers = [people[q["speaker_person_id"]] for q in drafted["quotes"]]
    assert speakers == ["أولجاس بيكتينوف", "أليكسي أوفرتشوك"]


def test_our_companies_invest_from_the_speaker_s_country_into_the_other_at_the_talks(
    known: Known,
) -> None:
    text = (
        "أجرى رئيس الوزراء الروسي، ميخائيل ميشوستين، محادثات في دوشنبه مع رئيس الوزراء "
        "الطاجيكي، قاهر رسول زاده.\n"
        'وقال ميشوستين: "منذ بداية العام الجاري وحده ضخّت شركاتنا نحو 90 مليون دولار في '
        'مشاريع جديدة للطاقة والتعدين"\n'
    )
    [investment] = draft(text, known, dt.date(2025, 5, 1))["investment"]
    assert (investment["investor_country_code"], investment["recipient_country_code"]) == (
        "RU",
        "TJ",
    )
    assert "the speaker's country" in investment["note_en"]
    # The word that says "ours" is what the investors are printed as (a required field).
    assert investment["investor_as_printed_ar"] == "شركاتنا"
    assert investment["investor_en"].startswith("Companies from")


def test_a_town_the_dataset_lacks_is_new_of_the_country_its_adjective_names(
    known: Known,
) -> None:
    """ "في بلدة كورداي الكازاخستانية": a new place of Kazakhstan, linked where named again;
    "في مدينة التجارة" is no town."""
    text = (
        "وعقد الجانبان اجتماعًا في بلدة كورداي الكازاخستانية الحدودية.\n"
        "وتعبر 1500 شاحنة منفذ كورداي يوميًا، وافتتح مركز في مدينة التجارة الروسية.\n"
    )
    (place,) = draft(text, known)["places"]
    assert (place["name_ar"], place["country_code"]) == ("كورداي", "KZ")
    assert place["name_en"] and place["place_id"].startswith("place-")


def test_a_meeting_held_with_someone_is_talks_in_the_town_it_names(known: Known) -> None:
    """ "عقد X ... اجتماعًا في بلدة كورداي الكازاخستانية ... مع Y": talks of the two, there."""
    text = (
        "عقد أكيم مقاطعة جامبيل الكازاخستانية، يربول كاراشوكييف، أمس الأربعاء، اجتماعًا في "
        "بلدة كورداي الكازاخستانية الحدودية مع رئيس بلدية العاصمة القيرغيزية بيشكيك، أيبيك "
        "جونوشالييف.\n"
    )
    drafted = draft(text, known)
    (meeting,) = drafted["meetings"]
    (place,) = [p for p in drafted["places"] if p["name_ar"] == "كورداي"]
    assert meeting["meeting_type"] == "bilateral_talks"
    assert (meeting["place_id"], meeting["place_basis"]) == (place["place_id"], "stated")
    assert meeting["country_code"] == "KZ" and len(drafted["participants"]) == 2


def test_a_joint_commission_s_session_is_talks_of_its_two_countries(known: Known) -> None:
    """ "عقدت اللجنة الحكومية المشتركة ... اجتماعها ... برئاسة X وY": a new intergovernmental
    body, the talks its session, their turnover "بين البلدين" the two co-chairs' countries,
    given by whoever "عرضها"."""
    text = (
        "عقدت اللجنة الحكومية المشتركة للتعاون الاقتصادي بين كازاخستان وأوزبكستان اجتماعها "
        "الدوري في مدينة تركستان، يوم 21 نوفمبر 2024، برئاسة النائب الأول لرئيس الوزراء "
        "الكازاخستاني، رومان سكليار، ونائب رئيس الوزراء الأوزبكي، جمشيد خوجاييف.\n"
        "وبحسب المعطيات التي عرضها خوجاييف، بلغ حجم التبادل التجاري بين البلدين خلال العام "
        "الماضي 3.6 مليار دولار أمريكي.\n"
    )
    drafted = draft(text, known)
    (body,) = drafted["organizations"]
    assert body["organization_type"] == "intergovernmental_body"
    assert body["name_ar"].endswith("بين كازاخستان وأوزبكستان")
    (meeting,) = drafted["meetings"]
    assert meeting["meeting_type"] == "bilateral_talks"
    assert meeting["organization_id"] == body["organization_id"]
    (trade,) = drafted["trade"]
    assert {trade["country_a_code"], trade["country_b_code"]} == {"KZ", "UZ"}
    khodjaev = next(p["person_id"] for p in drafted["people"] if p["name_ar"] == "جمشيد خوجاييف")
    assert trade["stated_by_person_id"] == khodjaev


def test_an_intergovernmental_commission_of_two_adjectives_and_a_body_s_act(
    known: Known,
) -> None:
    """ "اللجنة الحكومية الكازاخستانية الأذربيجانية للتعاون ..." is a joint commission with no
    «المشتركة»; "أن تعقد اللجنة اجتماعها المقبل في روسيا" names no office."""
    text = (
        "عقدت اللجنة الحكومية الكازاخستانية الأذربيجانية للتعاون الاقتصادي اجتماعها في باكو، "
        "برئاسة نائب رئيس الوزراء الكازاخستاني، سيريك جومانغارين، ونائب رئيس الوزراء "
        "الأذربيجاني، شاهين مصطفاييف.\n"
        "واتفق الطرفان على أن تعقد اللجنة اجتماعها المقبل في كازاخستان.\n"
    )
    drafted = draft(text, known)
    (body,) = drafted["organizations"]
    assert body["name_ar"] == "اللجنة الحكومية الكازاخستانية الأذربيجانية للتعاون الاقتصادي"
    assert body["organization_type"] == "intergovernmental_body"
    (meeting,) = drafted["meetings"]
    assert meeting["organization_id"] == body["organization_id"]


def test_talks_during_a_visit_are_in_the_country_visited(known: Known) -> None:
    text = (
        "أجرى رئيس الوزراء الكازاخستاني، أولجاس بيكتينوف، الذي يقوم بزيارة رسمية إلى "
        "أوزبكستان، محادثات مع الرئيس الأوزبكي، شوكت ميرزيوييف.\n"
        "كما أجرى بيكتينوف خلال زيارته محادثات مع رئيس الوزراء الأوزبكي، عبد الله أريبوف.\n"
    )
    first, second = draft(text, known)["meetings"]
    assert first["host_country_code"] == "UZ"
    assert (second["country_code"], second["host_country_code"]) == ("UZ", "UZ")
    text = (
        "بحث نائب رئيس الوزراء الروسي ألكسندر نوفاك مع النائب الأول للرئيس الإيراني محمد رضا "
        "عارف، أمس في طهران، سبل التعاون، وذلك خلال زيارة عمل يقوم بها نوفاك إلى إيران.\n"
    )
    (talks,) = draft(text, known)["meetings"]
    assert talks["host_country_code"] == "IR"


def test_a_council_of_a_known_body_is_a_new_body_holding_the_meeting(known: Known) -> None:
    text = (
        "عقد مجلس وزراء دولة الاتحاد اجتماعه الدوري في مينسك، برئاسة رئيس الوزراء الروسي، "
        "ميخائيل ميشوستين.\n"
    )
    drafted = draft(text, known)
    orgs = {o["name_ar"]: o for o in drafted["organizations"]}
    council = orgs["مجلس وزراء دولة الاتحاد"]
    assert council["organization_type"] == "intergovernmental_body"
    assert council["parent_organization_id"] == orgs["دولة الاتحاد"]["organization_id"]
    [meeting] = drafted["meetings"]
    assert meeting["organization_id"] == council["organization_id"]
    assert meeting["meeting_type"] == "intergovernmental_council"


def test_a_minister_is_read_with_a_portfolio_the_gazetteer_lacks(known: Known) -> None:
    text = "التقى وزير الطاقة والموارد المائية الطاجيكي، دالير جمعة، في دوشنبه نظيره.\n"
    [person] = draft(text, known)["people"]
    assert (person["name_ar"], person["country_code"]) == ("دالير جمعة", "TJ")


def test_hedges_periods_and_status_come_from_the_figure_s_own_clause(known: Known) -> None:
    text = (
        "وقال بيكتينوف إن التجارة بين كازاخستان وروسيا بلغت منذ بداية العام 20 مليار دولار "
        "أمريكي، بزيادة 5% على أساس سنوي، في حين لم تتجاوز صادرات كازاخستان إلى أرمينيا "
        "40 مليون دولار أمريكي خلال الفترة نفسها، ونتوقع أن تصل التجارة مع أرمينيا إلى "
        "100 مليون دولار أمريكي بنهاية العام الجاري.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2025, 6, 1))["trade"])
    turnover = trade[20_000_000_000]
    assert (turnover["status"], turnover["hedge"]) == ("actual", "exactly")
    assert (turnover["period_start"], turnover.get("period_end")) == ("2025-01-01", None)
    exports = trade[40_000_000]
    assert (exports["hedge"], exports["hedge_as_printed_ar"]) == ("at_most", "لم تتجاوز")
    assert (exports["period_start"], exports["period_basis"]) == ("2025-01-01", "inferred")
    assert (exports["country_a_code"], exports["country_b_code"]) == ("KZ", "AM")


def test_a_clause_set_against_the_same_pair_is_of_its_period_and_its_side(known: Known) -> None:
    """ "صادرات بلاده إلى أوزبكستان ... العام الماضي، بينما بلغت وارداتها من السوق
    الأوزبكية ...": Belarus's imports from Uzbekistan, of last year, inferred. Set against
    another pair, the period stays open."""
    text = (
        "وأوضح الوزير البيلاروسي أن صادرات بيلاروس إلى أوزبكستان بلغت العام الماضي 860 مليون "
        "دولار أمريكي، بينما بلغت وارداتها من السوق الأوزبكية 440 مليون دولار أمريكي.\n"
        "وبلغت التجارة بين كازاخستان وقيرغيزستان في عام 2024 نحو 1.1 مليار دولار أمريكي، "
        "في حين تجاوزت صادرات كازاخستان إلى أرمينيا 40 مليون دولار أمريكي.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2025, 6, 1))["trade"])
    imports = trade[440_000_000]
    assert (imports["flow"], imports["country_a_code"], imports["country_b_code"]) == (
        "imports",
        "BY",
        "UZ",
    )
    assert (imports["period_start"], imports["period_basis"]) == ("2024-01-01", "inferred")
    assert "set against" in imports["note_en"] and "period_as_printed_ar" not in imports
    other = trade[40_000_000]
    assert other["period_basis"] == "open" and "period_start" not in other


def test_the_same_period_of_one_statement_is_not_the_next_statement_s(known: Known) -> None:
    """ "تجاوزت خلال الفترة نفسها ...، مشيرًا إلى أن الاستثمارات ... بلغت ...": the words of
    the period belong to the exports; the investment, a statement of its own, prints none."""
    text = (
        "وأوضح أن التبادل التجاري بين بيلاروس وأرمينيا بلغ منذ مطلع العام 118 مليون دولار "
        "أمريكي.\n"
        "وأفاد باشينيان بأن صادرات أرمينيا إلى بيلاروس تجاوزت خلال الفترة نفسها 46 مليون "
        "دولار، مشيرًا إلى أن الاستثمارات البيلاروسية في الاقتصاد الأرميني بلغت نحو 31 مليون "
        "دولار.\n"
    )
    drafted = draft(text, known, dt.date(2025, 10, 15))
    exports = by_amount(drafted["trade"])[46_000_000]
    assert (exports["period_start"], exports["period_basis"]) == ("2025-01-01", "inferred")
    invested = by_amount(drafted["investment"])[31_000_000]
    assert invested["period_basis"] == "open" and "period_start" not in invested


def test_trade_with_one_country_set_against_a_pair_is_with_the_pair_s_first(
    known: Known,
) -> None:
    text = (
        "وسجل التبادل التجاري الكازاخستاني الأوزبكي نحو 3.1 مليار دولار أمريكي في عام 2024، "
        "في حين تجاوزت التجارة مع قيرغيزستان 1.3 مليار دولار أمريكي.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2025, 6, 1))["trade"])
    kyrgyz = trade[1_300_000_000]
    assert {kyrgyz["country_a_code"], kyrgyz["country_b_code"]} == {"KZ", "KG"}
    assert "whose figure the sentence gives before" in kyrgyz["note_en"]


def test_gdp_of_the_union_is_the_union_s_whoever_reports_it(known: Known) -> None:
    text = (
        "انعقد المجلس الحكومي الدولي للاتحاد الاقتصادي الأوراسي في ألماتي.\n"
        "وعرضت اللجنة الاقتصادية الأوراسية تقريرًا أفاد بأن الناتج المحلي الإجمالي للاتحاد "
        "نما بنسبة 4.1% خلال عام 2024.\n"
    )
    [growth] = draft(text, known)["indicators"]
    assert growth["area_organization_id"] == "org-eaeu"
    # "لدول الاتحاد" after the body that reports it; "بين دول الاتحاد" is among them, no area
    text = (
        "انعقد المجلس الحكومي الدولي للاتحاد الاقتصادي الأوراسي في ألماتي.\n"
        "وأفادت اللجنة الاقتصادية الأوراسية في تقرير بأن الناتج المحلي الإجمالي لدول الاتحاد "
        "نما بنسبة 4.3 بالمئة العام الماضي، وأن أرمينيا سجلت أعلى معدل نمو اقتصادي بين دول "
        "الاتحاد بلغ 6.1%.\n"
    )
    rows = draft(text, known)["indicators"]
    areas = {r["value_pct"]: r.get("area_organization_id") or r["area_country_code"] for r in rows}
    assert areas == {4.3: "org-eaeu", 6.1: "AM"}


def test_the_growth_of_a_member_after_the_union_s(known: Known) -> None:
    """ "سجلت قيرغيزستان أعلى وتيرة نمو ... بلغت 9.1%، وحلّت أرمينيا ... بنمو قدره 5.8%"
    after the union's GDP growth: each country's; "فيما سجلت أرمينيا ..." set against a
    preliminary estimate is one, of its period; a growth of exports is none."""
    text = (
        "نما الناتج المحلي الإجمالي للاتحاد الاقتصادي الأوراسي في الأشهر التسعة الأولى من عام "
        "2024 بنسبة 4.6%.\n"
        "وبحسب التقرير، سجلت قيرغيزستان أعلى وتيرة نمو بين الدول الأعضاء بلغت 9.1%، وحلّت "
        "أرمينيا في المرتبة الثانية بنمو قدره 5.8%، وسجلت صادرات كازاخستان نموا بلغ 3%.\n"
        "وبحسب التقديرات الأولية، نما الناتج المحلي الإجمالي للاتحاد في النصف الأول من عام "
        "2025 بنسبة 2.1 في المائة، فيما سجلت أرمينيا أعلى وتيرة نمو بلغت 5.9 في المائة.\n"
    )
    rows = draft(text, known)["indicators"]
    growth = {(r.get("area_country_code"), r["value_pct"]): r for r in rows}
    assert {("KG", 9.1), ("AM", 5.8), ("AM", 5.9)} <= set(growth)
    assert not any(r["value_pct"] == 3 for r in rows)
    later = growth[("AM", 5.9)]
    assert (later["status"], later["period_start"], later["period_end"]) == (
        "preliminary_estimate",
        "2025-01-01",
        "2025-06-30",
    )


def test_growth_forecast_by_likelihood_and_a_headline_s_growth_given_again(
    known: Known,
) -> None:
    """«رجّح», «يُرتقب» forecast; «أن يسجل الاقتصاد الأرميني نموًا» is GDP growth; the
    headline's figure that the body gives again is drafted once, from the body."""
    text = (
        "البنك الدولي يتوقع نمو اقتصاد أرمينيا 4.8%\n"
        "رجّح البنك الدولي أن ينمو اقتصاد أرمينيا في العام الجاري بنسبة 4.8%، في حين يُرتقب "
        "أن يتباطأ نمو الاقتصاد الجورجي إلى 3.1%.\n"
        "وتوقع التقرير أن يسجل الاقتصاد الكازاخستاني نموًا بنسبة 4.4% خلال العام الجاري.\n"
    )
    rows = draft(text, known, dt.date(2025, 4, 2))["indicators"]
    assert sorted(r["value_pct"] for r in rows) == [3.1, 4.4, 4.8]
    assert {r["status"] for r in rows} == {"forecast"}
    assert [r.get("area_country_code") for r in rows if r["value_pct"] == 4.4] == ["KZ"]


def test_the_nine_months_are_the_first_nine_but_the_last_nine_are_relative(
    known: Known,
) -> None:
    """ "في الأشهر التسعة" (definite, no "الأولى") is read as the first nine months of the
    year, inferred, saying so; "الأشهر التسعة الماضية" and "تسعة أشهر" are not."""
    text = (
        "بلغت التجارة بين كازاخستان وأوزبكستان في الأشهر التسعة 3.1 مليار دولار أمريكي.\n"
        "وبلغت التجارة بين كازاخستان وروسيا خلال الأشهر التسعة الماضية 19 مليار دولار أمريكي.\n"
        "وبلغت التجارة بين كازاخستان والصين خلال تسعة أشهر 22 مليار دولار أمريكي.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2024, 10, 17))["trade"])
    first = trade[3_100_000_000]
    assert (first["period_start"], first["period_end"]) == ("2024-01-01", "2024-09-30")
    assert first["period_basis"] == "inferred" and 'not "the first"' in first["note_en"]
    assert trade[19_000_000_000]["period_basis"] == "relative"
    assert trade[22_000_000_000]["period_basis"] == "open"


def test_the_same_period_is_that_of_the_last_figure_of_its_status(known: Known) -> None:
    """ "خلال الفترة نفسها" after a target is the period of the last actual figure; after a
    relative period it stays relative, its words kept."""
    text = (
        "وبيّن بابويان أن التجارة بين أرمينيا وإيران بلغت خلال العام الماضي 720 مليون دولار "
        "أمريكي، وأضاف أن الجانبين اتفقا على العمل لرفع التجارة إلى 3 مليارات دولار أمريكي خلال "
        "السنوات الخمس المقبلة.\n"
        "وأفاد أتابك بأن صادرات إيران إلى أرمينيا تجاوزت 480 مليون دولار أمريكي خلال الفترة "
        "نفسها.\n"
        "وبلغت التجارة بين قيرغيزستان وأوزبكستان خلال الأشهر الستة الماضية 780 مليون دولار "
        "أمريكي، فيما وصلت صادرات قيرغيزستان إلى أوزبكستان إلى 310 ملايين دولار أمريكي خلال "
        "الفترة نفسها.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2025, 2, 15))["trade"])
    after_target = trade[480_000_000]
    assert after_target["period_start"] == "2024-01-01"
    assert after_target["period_basis"] == "inferred"
    relative = trade[310_000_000]
    assert (relative["period_basis"], relative["period_as_printed_ar"]) == (
        "relative",
        "خلال الفترة نفسها",
    )


def test_growth_continued_in_a_clause_and_after_an_earlier_growth(known: Known) -> None:
    """ "نما بنسبة 3.8% العام الماضي، وبنحو 4% في الأشهر التسعة": two figures of the union's
    growth; "نموًا بنحو 5.8% في العام الجاري، بعد نمو بلغ 5.9% في عام 2024": a forecast,
    then what was, of its own year; "اقتصاد قيرغيزستان حقق نموًا بلغ": growth too."""
    text = (
        "وقال بوتين إن الناتج المحلي الإجمالي لدول الاتحاد نما بنسبة 3.8% العام الماضي، "
        "وبنحو 4% في الأشهر التسعة الأولى من العام الجاري، خلال قمة الاتحاد الاقتصادي "
        "الأوراسي.\n"
        "وتوقع باشينيان أن يسجل الناتج المحلي الإجمالي لأرمينيا نموًا بنحو 5.8% في العام "
        "الجاري، بعد نمو بلغ 5.9% في عام 2024.\n"
        "وأكد قاسمالييف أن اقتصاد قيرغيزستان حقق نموًا بلغ 11.7% في الأشهر الأربعة الأولى من "
        "العام.\n"
    )
    growth = {i["value_pct"]: i for i in draft(text, known, dt.date(2025, 10, 1))["indicators"]}
    assert growth[3.8]["area_organization_id"] == growth[4]["area_organization_id"] == "org-eaeu"
    assert (growth[3.8]["period_start"], growth[4]["period_end"]) == ("2024-01-01", "2025-09-30")
    assert (growth[5.8]["status"], growth[5.8]["period_start"]) == ("forecast", "2025-01-01")
    assert (growth[5.9]["status"], growth[5.9]["period_start"]) == ("actual", "2024-01-01")
    assert growth[11.7]["area_country_code"] == "KG"


def test_the_same_period_of_another_year_and_hedges_at_the_clause_s_start(known: Known) -> None:
    """ "إذ تجاوز التبادل ... في النصف الأول من العام 4.3 مليار، مقابل 3.9 مليار في الفترة
    ذاتها من عام 2023": the first more than, of 2024's first half; the second exactly, of
    2023's. "في حين لم تتجاوز الواردات من الصين خلال الربع نفسه": at most."""
    text = (
        "وحلّت الصين ثانية، إذ تجاوز التبادل التجاري البيلاروسي الصيني في النصف الأول من العام "
        "4.3 مليار دولار، مقابل 3.9 مليار دولار في الفترة ذاتها من عام 2023.\n"
        "وارتفعت الصادرات البيلاروسية إلى الصين في الربع الثاني وحده إلى 580 مليون دولار، في "
        "حين لم تتجاوز الواردات من الصين خلال الربع نفسه 1.6 مليار دولار.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2024, 8, 1))["trade"])
    first, then = trade[4_300_000_000], trade[3_900_000_000]
    assert (first["hedge"], first["period_start"], first["period_end"]) == (
        "more_than",
        "2024-01-01",
        "2024-06-30",
    )
    assert (then["hedge"], then["period_start"], then["period_end"]) == (
        "exactly",
        "2023-01-01",
        "2023-06-30",
    )
    assert then["period_basis"] == "inferred"
    assert trade[1_600_000_000]["hedge"] == "at_most"


def test_the_same_period_of_last_year_but_not_the_base_of_a_comparison(known: Known) -> None:
    """ "مقابل 21.4 مليار في الفترة ذاتها من العام الماضي": the months before, a year earlier;
    "بزيادة 68.5% مقارنة بالفترة نفسها من العام الماضي" is what the figure is compared with,
    not its period."""
    text = (
        "بلغ التبادل التجاري الكازاخستاني الروسي في الأشهر العشرة الأولى من عام 2024 نحو 20.9 "
        "مليار دولار أمريكي، مقابل 21.4 مليار دولار أمريكي في الفترة ذاتها من العام الماضي.\n"
        "وبلغ التبادل التجاري بين أرمينيا وروسيا في الفترة من كانون الثاني/يناير إلى أيلول/سبتمبر "
        "2024 نحو 11.8 مليار دولار، بزيادة قدرها 68.5% مقارنة بالفترة نفسها من العام الماضي.\n"
    )
    trade = by_amount(draft(text, known)["trade"])
    then = trade[21_400_000_000]
    assert (then["period_start"], then["period_end"], then["period_basis"]) == (
        "2023-01-01",
        "2023-10-31",
        "inferred",
    )
    compared = trade[11_800_000_000]
    assert (compared["period_start"], compared["period_end"]) == ("2024-01-01", "2024-09-30")


def test_trade_with_one_country_in_a_report_is_with_the_reporting_side(known: Known) -> None:
    """A customs report: "التجارة بين الصين وكازاخستان ...", then "سجلت التجارة مع أوزبكستان
    ...": China's, said so in a note."""
    text = (
        "بكين 20 مايو 2025 (شينخوا) أظهرت بيانات الجمارك الصينية أن حجم التجارة بين الصين "
        "وكازاخستان بلغ 101.6 مليار يوان خلال الأشهر الأربعة الأولى من العام الجاري.\n"
        "وبحسب البيانات، سجلت التجارة مع أوزبكستان خلال الفترة ذاتها 4.3 مليار دولار أمريكي.\n"
    )
    trade = by_amount(draft(text, known)["trade"])[4_300_000_000]
    assert (trade["country_a_code"], trade["country_b_code"]) == ("CN", "UZ")
    assert "the first side of the figure the report gives before" in trade["note_en"]


def test_imports_from_it_then_a_balance_are_the_reporter_s_and_no_flow(known: Known) -> None:
    """ "الصادرات الأرمينية إلى إيران ...، بينما سجلت الواردات منها ...، ليبلغ العجز ... مع
    إيران": the imports are Armenia's from Iran (the clause ends at «ليبلغ»), the deficit is
    no flow, and the trade «مع» a third country after them is Armenia's."""
    text = (
        "وبلغت الصادرات الأرمينية إلى إيران خلال عام 2024 نحو 300 مليون دولار، بينما سجلت "
        "الواردات منها 500 مليون دولار، ليبلغ العجز في الميزان التجاري مع إيران 200 مليون "
        "دولار.\n"
        "وعلى صعيد الشركاء الآخرين، بلغ حجم التجارة مع جورجيا 900 مليون دولار.\n"
    )
    rows = by_amount(draft(text, known)["trade"])
    assert set(rows) == {300_000_000, 500_000_000, 900_000_000}
    sides = {k: (r["country_a_code"], r["country_b_code"], r["flow"]) for k, r in rows.items()}
    assert sides[500_000_000] == ("AM", "IR", "imports")
    assert sides[900_000_000] == ("AM", "GE", "turnover")


def test_a_headline_s_rounded_figure_and_the_two_countries_the_sentence_names(
    known: Known,
) -> None:
    """A headline's «يتجاوز 5 مليارات» is the body's 5.3 billion, rounded: drafted once; «بين
    البلدين» after «، إذ» are the two countries the sentence names before."""
    text = (
        "التبادل التجاري بين أرمينيا وإيران يتجاوز 5 مليارات دولار\n"
        "وحافظت إيران على موقع الشريك التجاري الثالث لأرمينيا، إذ بلغ حجم التبادل التجاري بين "
        "البلدين في عام 2024 نحو 5.3 مليار دولار.\n"
    )
    (row,) = draft(text, known)["trade"]
    assert row["amount"] == 5_300_000_000
    assert {row["country_a_code"], row["country_b_code"]} == {"AM", "IR"}


def test_a_hedging_verb_with_a_clitic_or_a_quote_mark_and_a_target_worked_for(
    known: Known,
) -> None:
    """«لتتجاوز 390 مليون» and «"تجاوزت ... 800 مليون» are «more than»; «بعدما بلغ» after a
    target is actual; «نعمل على أن تبلغ» is a target."""
    text = (
        "وارتفعت صادرات أرمينيا إلى إيران في عام 2024 بنسبة 12% لتتجاوز 390 مليون دولار.\n"
        'وقال باشينيان: "تجاوزت الصادرات الأرمينية إلى جورجيا في عام 2024 مبلغ 800 مليون '
        'دولار".\n'
        "واتفق الجانبان على رفع التبادل التجاري بين أرمينيا وإيران إلى 3 مليارات دولار بحلول "
        "عام 2030، بعدما بلغ 700 مليون دولار في عام 2024.\n"
        "وأضاف: «ونعمل على أن تبلغ صادرات أرمينيا إلى إيران مليار دولار في عام 2027».\n"
    )
    rows = by_amount(draft(text, known)["trade"])
    assert rows[390_000_000]["hedge"] == "more_than"
    assert rows[800_000_000]["hedge"] == "more_than"
    assert (rows[3_000_000_000]["status"], rows[700_000_000]["status"]) == ("target", "actual")
    assert rows[1_000_000_000]["status"] == "target"


def test_no_figure_takes_the_hedge_of_another_before_it(known: Known) -> None:
    text = (
        "وأوضح رئيس الحكومة أن تجارة أرمينيا مع إيران بلغت خلال عام 2024 نحو 3.9 مليار "
        "دولار، أي ما يعادل 38% من إجمالي تجارتها، استحوذت الصادرات على 3.1 مليار دولار منها.\n"
    )
    rows = by_amount(draft(text, known)["trade"])
    assert (rows[3_900_000_000]["hedge"], rows[3_100_000_000]["hedge"]) == ("about", "exactly")


def test_a_post_of_the_republic_of_a_country_and_a_counterpart_after_a_comma(
    known: Known,
) -> None:
    """«رئيس وزراء جمهورية كازاخستان» is a post of Kazakhstan; the known counterpart named
    after «نظيره الكازاخستاني،» is at the talks with it."""
    text = (
        "أجرى رئيس الوزراء الأرميني، نيكول باشينيان، يوم 3 مارس 2025 في أستانا، محادثات مع "
        "نظيره الكازاخستاني، أولجاس بيكتينوف، في إطار زيارة رسمية.\n"
        "«إن العلاقات بين بلدينا تتطور بثبات»\n"
        "أولجاس بيكتينوف، رئيس وزراء جمهورية كازاخستان\n"
    )
    drafted = draft(text, known)
    posts = {p["person_id"]: p["post_ar"] for p in drafted["participants"]}
    assert posts["person-olzhas-bektenov"] == "رئيس وزراء جمهورية كازاخستان"
    assert [q["speaker_person_id"] for q in drafted["quotes"]] == ["person-olzhas-bektenov"]


def test_the_figures_of_the_data_go_on_in_its_period(known: Known) -> None:
    """ "وبحسب البيانات، بلغت صادرات ...، في حين بلغت وارداتها ...": the period of the data the
    report gave before, inferred, for both; a sentence that does not go on with it, open."""
    text = (
        "وأفاد المكتب بأن التبادل التجاري الكازاخستاني الصيني بلغ في الفترة من كانون الثاني/"
        "يناير إلى أيلول/سبتمبر ٢٠٢٤ نحو ٢٢٫١ مليار دولار.\n"
        "وبحسب البيانات، بلغت صادرات كازاخستان إلى الصين ١١٫٤ مليار دولار، في حين بلغت "
        "وارداتها منها ١٠٫٧ مليار دولار.\n"
        "وبلغت صادرات كازاخستان إلى روسيا ٩ مليارات دولار.\n"
    )
    trade = by_amount(draft(text, known)["trade"])
    for amount in (11_400_000_000, 10_700_000_000):
        row = trade[amount]
        assert (row["period_start"], row["period_end"], row["period_basis"]) == (
            "2024-01-01",
            "2024-09-30",
            "inferred",
        )
    assert "the data the report gives figures of before" in trade[11_400_000_000]["note_en"]
    assert trade[9_000_000_000]["period_basis"] == "open"


def test_the_two_countries_with_no_meeting_are_those_of_the_figure_before(known: Known) -> None:
    text = (
        "أظهرت بيانات الجمارك الصينية أن حجم التجارة بين الصين وروسيا بلغ 565.2 مليار يوان "
        "خلال الأشهر الأربعة الأولى من العام الجاري.\n"
        "وفي الشهر الماضي وحده، سجل حجم التبادل التجاري بين البلدين نحو 19.8 مليار دولار "
        "أمريكي.\n"
    )
    trade = by_amount(draft(text, known, dt.date(2025, 5, 9))["trade"])
    april = trade[19_800_000_000]
    assert {april["country_a_code"], april["country_b_code"]} == {"CN", "RU"}
    assert "the figure before it" in april["note_en"]


def test_trade_with_one_country_is_that_of_whoever_gives_the_figure(known: Known) -> None:
    """ "لم يتجاوز التبادل التجاري مع كازاخستان", said by Iran's first vice president: Iran's;
    "التجارة مع قيرغيزستان" in a release of Kazakhstan's bureau: Kazakhstan's."""
    text = (
        "التقى النائب الأول للرئيس الإيراني، محمد رضا عارف، في طهران وزير الاقتصاد "
        "الكازاخستاني.\n"
        "وقال عارف إن التبادل التجاري مع كازاخستان لم يتجاوز 420 مليون دولار أمريكي في عام 2024.\n"
    )
    [trade] = draft(text, known)["trade"]
    assert {trade["country_a_code"], trade["country_b_code"]} == {"IR", "KZ"}
    assert "the one who gives the figure" in trade["note_en"]
    text = (
        "وأعلن مكتب الإحصاء الوطني الكازاخستاني أن التجارة مع قيرغيزستان بلغت 1.3 مليار دولار "
        "أمريكي في عام 2024.\n"
    )
    [trade] = draft(text, known)["trade"]
    assert {trade["country_a_code"], trade["country_b_code"]} == {"KZ", "KG"}


def test_a_deal_s_worth_and_trade_with_a_bloc_are_no_pair_s_figures(known: Known) -> None:
    """ "مشاريع جديدة في كازاخستان بقيمة تتخطى 3 مليارات": what projects are worth;
    "تجارة أرمينيا مع دول الاتحاد ... 3.9 مليار": with a bloc; "استحوذت روسيا وحدها على 3.1
    مليار منها": Armenia's trade with Russia."""
    text = (
        "وأشار إلى أن صناديق الاستثمار الإماراتية تدرس مشاريع جديدة في كازاخستان بقيمة تتخطى "
        "3 مليارات دولار أمريكي.\n"
        "وأوضح أن تجارة أرمينيا مع دول الاتحاد الاقتصادي الأوراسي بلغت في عام 2024 نحو 3.9 "
        "مليار دولار أمريكي، استحوذت روسيا وحدها على 3.1 مليار دولار أمريكي منها.\n"
    )
    drafted = draft(text, known)
    assert not drafted.get("investment")
    [russia] = drafted["trade"]
    assert (russia["amount"], {russia["country_a_code"], russia["country_b_code"]}) == (
        3_100_000_000,
        {"AM", "RU"},
    )


def test_an_equivalent_a_bloc_s_partner_and_a_base_of_comparison(known: Known) -> None:
    """«أي ما يعادل» restates the figure before; «بين دول الاتحاد وفيتنام» is a bloc's trade;
    a clause set against a figure and its base («مقابل ... في الفترة نفسها من العام الماضي»)
    is of the figure's period, not the base's."""
    text = (
        "وبلغ التبادل التجاري بين أرمينيا وروسيا في الأشهر التسعة الأولى من عام 2024 نحو "
        "4.6 تريليون درام، أي ما يعادل قرابة 11.8 مليار دولار.\n"
        "وبلغ حجم التبادل التجاري بين دول الاتحاد وفيتنام في عام 2024 نحو 8 مليارات دولار، "
        "تستحوذ روسيا على الحصة الأكبر منه.\n"
        "وبلغ التبادل التجاري بين أرمينيا وبيلاروس في الأشهر التسعة الأولى من عام 2024 نحو 74 "
        "مليار درام، مقابل 61 مليار درام في الفترة نفسها من العام الماضي، في حين لم تتجاوز "
        "التجارة مع كازاخستان 29 مليار درام.\n"
    )
    rows = by_amount(draft(text, known)["trade"])
    assert set(rows) == {4_600_000_000_000, 74_000_000_000, 61_000_000_000, 29_000_000_000}
    assert rows[61_000_000_000]["period_start"] == "2023-01-01"
    kz = rows[29_000_000_000]
    assert (kz["period_start"], kz["period_end"]) == ("2024-01-01", "2024-09-30")


def test_another_body_s_data_is_of_no_meeting_and_a_base_keeps_the_flow(known: Known) -> None:
    """At talks, «وبحسب بيانات الجمارك الصينية، ...» is the customs' figure, not the talks';
    «ترتفع صادرات أرمينيا إلى إيران إلى ...، مقابل 340 مليونًا» compares exports with exports."""
    text = (
        "أجرى رئيس الوزراء الأرميني نيكول باشينيان يوم 3 مارس 2025 في يريفان محادثات مع "
        "النائب الأول للرئيس الإيراني محمد رضا عارف.\n"
        "وبحسب بيانات الإدارة العامة للجمارك الإيرانية، بلغ حجم التجارة بين أرمينيا وإيران في "
        "عام 2024 نحو 700 مليون دولار.\n"
        "وقال باشينيان إن الهدف أن ترتفع صادرات أرمينيا إلى إيران إلى مليار دولار بحلول عام "
        "2028، مقابل 340 مليون دولار في عام 2024.\n"
    )
    drafted = draft(text, known)
    rows = by_amount(drafted["trade"])
    assert "meeting_id" not in rows[700_000_000]
    assert rows[1_000_000_000]["meeting_id"] == drafted["meetings"][0]["meeting_id"]
    assert (rows[340_000_000]["flow"], rows[340_000_000]["country_a_code"]) == ("exports", "AM")


def test_investment_said_by_the_country_it_went_into(known: Known) -> None:
    """A Tajik minister: "الاستثمارات الروسية المتراكمة في اقتصاد بلاده" and "الشركات الروسية
    ضخت ... 1.9 مليار سوموني": both into Tajikistan, saying why."""
    text = (
        "قال وزير التنمية الاقتصادية والتجارة الطاجيكي زوقي زوقي زاده إن حجم الاستثمارات "
        "الروسية المتراكمة في اقتصاد بلاده منذ عام 2007 تجاوز 3.2 مليار دولار أمريكي.\n"
        "وأضاف زوقي زاده أن الشركات الروسية ضخت خلال العام الماضي وحده ما يزيد على 1.9 مليار "
        "سوموني.\n"
    )
    rows = {r["amount"]: r for r in draft(text, known, dt.date(2025, 2, 18))["investment"]}
    for amount in (3_200_000_000, 1_900_000_000):
        row = rows[amount]
        assert (row["investor_country_code"], row["recipient_country_code"]) == ("RU", "TJ")
    assert '"his country"' in rows[3_200_000_000]["note_en"]
    assert "the one who says it" in rows[1_900_000_000]["note_en"]


def test_the_official_of_a_country_is_the_one_person_of_it(known: Known) -> None:
    text = (
        "استقبل حاكم ولاية أنديجان، شوخرات بيك عبد الرحمانوف، رئيس بلدية مدينة أوش، جنيش بيك "
        "توكتورباييف.\n"
        "وقال المسؤول الأوزبكي إن التجارة بين أوزبكستان وقيرغيزستان بلغت 840 مليون دولار "
        "أمريكي في عام 2024.\n"
    )
    drafted = draft(text, known)
    people = {p["person_id"]: p["name_ar"] for p in drafted["people"]}
    [trade] = drafted["trade"]
    assert people[trade["stated_by_person_id"]] == "شوخرات بيك عبد الرحمانوف"


def test_up_to_the_end_of_last_year_has_an_end_and_no_start(known: Known) -> None:
    text = (
        "وقال إن الاستثمارات الصينية المتراكمة في كازاخستان بلغت حتى نهاية العام الماضي 25 "
        "مليار دولار أمريكي.\n"
    )
    [row] = draft(text, known, dt.date(2025, 6, 18))["investment"]
    assert (row.get("period_start"), row["period_end"]) == (None, "2024-12-31")
    assert row["period_basis"] == "inferred" and "does not say from when" in row["note_en"]


def test_a_stock_takes_no_period_it_does_not_print_and_lends_none(known: Known) -> None:
    """A stock as of the end of a span has an end and no start; a part of it («منها») has its
    own period and hedge; a clause set against a stock or a figure «منذ» a year is open."""
    text = (
        "وبلغت الاستثمارات الروسية المتراكمة في أرمينيا بنهاية النصف الأول من العام الجاري "
        "نحو 3 مليارات دولار، فيما تجاوزت الاستثمارات الأرمينية في روسيا 200 مليون دولار.\n"
        "وبلغت الاستثمارات الصينية المتراكمة في كازاخستان قرابة 20 مليار دولار، ضُخ منها "
        "5 مليارات دولار خلال العام الماضي.\n"
        "وبلغت الاستثمارات البيلاروسية في أوزبكستان منذ عام 2016 نحو 90 مليون دولار، "
        "فيما لم تتجاوز الاستثمارات الأوزبكية في بيلاروس 10 ملايين دولار.\n"
    )
    rows = by_amount(draft(text, known, dt.date(2025, 9, 1))["investment"])
    stock = rows[3_000_000_000]
    assert ("period_start" not in stock, stock["period_end"]) == (True, "2025-06-30")
    assert stock["period_as_printed_ar"] == "بنهاية النصف الأول من العام الجاري"
    for open_ in (200_000_000, 20_000_000_000, 10_000_000):
        assert (rows[open_]["period_basis"], rows[open_].get("period_start")) == ("open", None)
    part = rows[5_000_000_000]
    assert (part["period_start"], part["hedge"]) == ("2024-01-01", "exactly")
    assert rows[20_000_000_000]["hedge"] == "about"


def test_a_figure_in_the_future_tense_is_a_forecast_of_its_own_period(known: Known) -> None:
    """ "سينمو ... العام المقبل بنحو 2.5%، بعد أن يتجاوز 3.9% في العام الجاري": two figures,
    two periods; the clause of the first ends at «بعد أن». «قدّرت» is an estimate."""
    text = (
        "وقال بيكتينوف إن الناتج المحلي الإجمالي لكازاخستان سينمو في العام المقبل بنحو 2.5%، "
        "بعد أن يتجاوز 3.9% في العام الجاري.\n"
        "وقدّرت الوزارة صادرات كازاخستان إلى روسيا بنحو 9 مليارات دولار أمريكي في عام 2024.\n"
    )
    drafted = draft(text, known, dt.date(2025, 6, 1))
    growth = {i["value_pct"]: i for i in drafted["indicators"]}
    assert (growth[2.5]["status"], growth[2.5]["period_start"]) == ("forecast", "2026-01-01")
    assert growth[3.9]["period_start"] == "2025-01-01"
    [exports] = drafted["trade"]
    assert exports["status"] == "estimate"


def test_a_sentence_that_opens_with_a_verb_of_speech_continues_the_last_speaker(
    known: Known,
) -> None:
    text = (
        "التجارة بين كازاخستان وروسيا تبلغ 30 مليار دولار أمريكي\n"
        "أجرى رئيس الوزراء الكازاخستاني، أولجاس بيكتينوف، محادثات بموسكو مع رئيس الوزراء "
        "الروسي، ميخائيل ميشوستين.\n"
        "وأكد بيكتينوف أن الاستثمارات الروسية في الاقتصاد الكازاخستاني تجاوزت 10 مليارات "
        "دولار أمريكي.\n"
        "وأضاف أن التجارة بين كازاخستان وروسيا بلغت 30 مليار دولار أمريكي.\n"
        "ومن المقرر أن يلتقي ميشوستين رئيس الوزراء القيرغيزي، عادل بيك قاسمالييف، الشهر المقبل.\n"
    )
    drafted = draft(text, known)
    [trade] = drafted["trade"]  # the headline's figure is the body's
    assert trade["evidence"].startswith("وأضاف أن")
    assert trade["stated_by_person_id"] == "person-olzhas-bektenov"
    assert len(drafted["meetings"]) == 1  # talks still to come are no meeting


def test_the_figures_of_a_minister_s_interview_are_his(known: Known) -> None:
    """ "قال وزير ... والتجارة في طاجيكستان، زافقي زاده، إن ...، مشيرًا إلى أن ...", then
    "وأوضح الوزير، في مقابلة ...، أن ..." and "وأضاف أن ...": all three figures his."""
    text = (
        "دوشنبه 15 أبريل 2025 (شينخوا) قال وزير التنمية الاقتصادية والتجارة في طاجيكستان، "
        "زافقي زافقي زاده، إن الصين أكبر مستثمر، مشيرًا إلى أن حجم الاستثمارات الصينية في "
        "طاجيكستان تجاوز 3.9 مليار دولار أمريكي.\n"
        "وأوضح الوزير، في مقابلة خاصة مع وكالة أنباء شينخوا، أن الشركات الصينية ضخت خلال "
        "العام الماضي نحو 4.6 مليار سوموني في طاجيكستان.\n"
        "وأضاف أن حجم التبادل التجاري بين طاجيكستان والصين بلغ 3.8 مليار دولار أمريكي.\n"
    )
    drafted = draft(text, known)
    (person,) = drafted["people"]
    assert person["country_code"] == "TJ"
    rows = [*drafted["investment"], *drafted["trade"]]
    assert len(rows) == 3
    assert {row.get("stated_by_person_id") for row in rows} == {person["person_id"]}


def test_a_speaker_named_by_title_alone_is_the_last_person_with_that_post(
    known: Known,
) -> None:
    """ "وأوضح الوزير البيلاروسي أن" is the Belarusian minister named before, not the Uzbek
    one named last; "وأضاف أن" after it continues him."""
    text = (
        "أجرى وزير الاقتصاد البيلاروسي، يوري تشيبوتار، محادثات في طشقند مع وزير الاستثمار "
        "الأوزبكي، لازيز قدراتوف.\n"
        "وأوضح الوزير البيلاروسي أن صادرات بلاده إلى أوزبكستان بلغت 860 مليون دولار أمريكي.\n"
        "وأضاف أن الاستثمارات البيلاروسية في أوزبكستان بلغت 90 مليون دولار أمريكي.\n"
        "وأوضح السفير أن التجارة بين البلدين بلغت مليار دولار أمريكي.\n"
    )
    drafted = draft(text, known)
    people = {p["person_id"]: p["name_ar"] for p in drafted["people"]}
    [trade, no_one] = drafted["trade"]
    [investment] = drafted["investment"]
    assert people[trade["stated_by_person_id"]] == "يوري تشيبوتار"
    assert people[investment["stated_by_person_id"]] == "يوري تشيبوتار"
    assert no_one.get("stated_by_person_id") is None  # no ambassador was named


def test_a_forum_with_people_is_a_meeting_and_margins_keep_an_open_place(known: Known) -> None:
    text = (
        "انطلقت في العاصمة القيرغيزية بيشكيك أعمال منتدى الاستثمار، بمشاركة رئيس الوزراء "
        "الكازاخستاني، أولجاس بيكتينوف.\n"
        "وعلى هامش المنتدى، عقد بيكتينوف لقاءً مع رئيس الوزراء الروسي، ميخائيل ميشوستين، "
        "بحثا خلاله بناء محطة في أوزبكستان.\n"
    )
    forum, talks = draft(text, known)["meetings"]
    assert (forum["meeting_type"], forum["place_id"]) == ("forum", "place-bishkek")
    assert talks["parent_meeting_id"] == forum["meeting_id"]
    assert (talks["place_basis"], talks.get("country_code")) == ("open", None)


def test_two_talks_on_the_margins_in_one_sentence_with_a_counterpart_and_a_post(
    known: Known,
) -> None:
    """ "بحث X مع نظيره القيرغيزي ...، فيما التقى Y رئيس الوزراء الكوبي": two talks, both on
    the margins; the counterpart and the post are the people the article named so before."""
    text = (
        "وعقد المجلس الحكومي الأوراسي اجتماعه في تشولبون آتا، بمشاركة رئيس مجلس الوزراء "
        "القيرغيزي، أكيلبيك جاباروف، ورئيس الحكومة الروسية، ميخائيل ميشوستين، ورئيس الوزراء "
        "الكازاخستاني، أولجاس بيكتينوف، ورئيس الوزراء الكوبي، مانويل ماريرو كروز.\n"
        "وعلى هامش الاجتماع، بحث ميشوستين مع نظيره القيرغيزي إمدادات الحبوب، فيما التقى "
        "بيكتينوف رئيس الوزراء الكوبي وناقشا التعاون الدوائي.\n"
    )
    drafted = draft(text, known, dt.date(2024, 10, 3))
    council, first, second = drafted["meetings"]
    assert first["parent_meeting_id"] == second["parent_meeting_id"] == council["meeting_id"]
    people = {p["person_id"]: p["name_ar"] for p in drafted["people"]}
    people.update({"person-mikhail-mishustin": "ميخائيل ميشوستين"})
    people.update({"person-olzhas-bektenov": "أولجاس بيكتينوف"})

    def at(meeting: dict) -> set[str]:
        return {
            people[p["person_id"]]
            for p in drafted["participants"]
            if p["meeting_id"] == meeting["meeting_id"]
        }

    assert at(first) == {"ميخائيل ميشوستين", "أكيلبيك جاباروف"}
    assert at(second) == {"أولجاس بيكتينوف", "مانويل ماريرو كروز"}


def test_talks_added_with_also_after_talks_on_the_margins_are_on_them_too(known: Known) -> None:
    """ "وعلى هامش الاجتماع، بحث ..." then "كما عقد بيكتينوف لقاءً مع أريبوف": on the margins
    too, with an open date and place; talks after a council, not on its margins, are not."""
    council = (
        "وعقد المجلس الحكومي الأوراسي اجتماعه في مينسك، بمشاركة رئيس الحكومة الروسية، ميخائيل "
        "ميشوستين، ورئيس الوزراء الكازاخستاني، أولجاس بيكتينوف، ورئيس الوزراء الأوزبكي، عبد "
        "الله أريبوف.\n"
    )
    text = council + (
        "وعلى هامش الاجتماع، بحث ميشوستين مع بيكتينوف إمدادات الحبوب.\n"
        "كما عقد بيكتينوف لقاءً مع أريبوف، تناول مشاريع الطاقة.\n"
    )
    meeting, first, second = draft(text, known, dt.date(2025, 9, 19))["meetings"]
    assert first["parent_meeting_id"] == second["parent_meeting_id"] == meeting["meeting_id"]
    assert (second["date_basis"], second["place_basis"]) == ("open", "open")
    text = council + "كما عقد بيكتينوف لقاءً مع أريبوف، تناول مشاريع الطاقة.\n"
    _, talks = draft(text, known, dt.date(2025, 9, 19))["meetings"]
    assert "parent_meeting_id" not in talks


def test_talks_the_same_day_and_a_quote_of_the_talks_its_speaker_was_at(known: Known) -> None:
    text = (
        "استقبل رئيس الوزراء الأرميني، نيكول باشينيان، الأربعاء الماضي في يريفان، النائب "
        "الأول للرئيس الإيراني، محمد رضا عارف.\n"
        "وفي اليوم ذاته، استضافت يريفان جولة مباحثات بين وزير الاقتصاد الأرميني، غيفورغ "
        "بابويان، ووزير الصناعة والتجارة الإيراني، محمد أتابك.\n"
        'وقال عارف: "إن الجمهورية الإسلامية ترى في أرمينيا جارًا موثوقًا وشريكًا مهمًا"\n'
    )
    drafted = draft(text, known, dt.date(2025, 2, 15))
    first, second = drafted["meetings"]
    assert first["date"] == second["date"] == "2025-02-12"
    assert (second["date_basis"], second["date_as_printed_ar"]) == ("inferred", "في اليوم ذاته")
    [quote] = drafted["quotes"]
    assert quote["meeting_id"] == first["meeting_id"]
    at_second = [p for p in drafted["participants"] if p["meeting_id"] == second["meeting_id"]]
    assert "inferred" not in {p["participation_basis"] for p in at_second}


def test_a_press_conference_is_no_forum(known: Known) -> None:
    text = (
        "دوشنبه - 18 - 2 (كونا) -- قال وزير التنمية الاقتصادية والتجارة الطاجيكي زوقي زوقي "
        "زاده في مؤتمر صحفي مشترك مع وزير الاقتصاد والتجارة القيرغيزي إن التعاون ينمو.\n"
    )
    assert not draft(text, known).get("meetings")


def test_his_country_is_the_speaker_s_and_a_currency_is_no_party(known: Known) -> None:
    """ "وقال المسؤول الأوزبكي إن ...، موضحًا أن صادرات بلاده إلى قيرغيزستان": Uzbek
    exports; "دولار أمريكي" names the currency, not a country of the trade."""
    text = (
        "وقال المسؤول الأوزبكي إن التجارة بين أوزبكستان وقيرغيزستان بلغت 840 مليون دولار "
        "أمريكي، موضحًا أن صادرات بلاده إلى قيرغيزستان بلغت 512 مليون دولار أمريكي.\n"
    )
    trade = by_amount(draft(text, known)["trade"])
    exports = trade[512_000_000]
    assert (exports["flow"], exports["country_a_code"], exports["country_b_code"]) == (
        "exports",
        "UZ",
        "KG",
    )


def test_a_speech_before_the_forum_is_at_the_forum_reported_already(known: Known) -> None:
    text = (
        "انطلقت يوم الخميس 24 تشرين الأول/أكتوبر في مدينة سمرقند الأوزبكية أعمال المنتدى "
        "الإقليمي للاستثمار، بمشاركة وزير الصناعة والتجارة الروسي، أنطون عليخانوف.\n"
        "وأوضح عليخانوف في كلمته أمام المنتدى أن الاستثمارات الروسية في الاقتصاد الأوزبكي "
        "بلغت 14 مليار دولار أمريكي.\n"
    )
    drafted = draft(text, known, dt.date(2024, 10, 24))
    [forum] = drafted["meetings"]
    [investment] = drafted["investment"]
    assert investment["meeting_id"] == forum["meeting_id"]


def test_a_relative_period_is_never_resolved_against_the_clock(known: Known) -> None:
    text = TALKS.replace("يوم الخميس 6 فبراير 2025، ", "")
    [turnover] = [t for t in draft(text, known)["trade"] if t["amount"] == 1_800_000_000]
    assert turnover["period_basis"] == "relative"
    assert turnover["period_as_printed_ar"] == "العام الماضي"
    assert "period_start" not in turnover and "period_end" not in turnover


def test_distractors_are_waived_with_why(known: Known) -> None:
    waivers = {w["evidence"]: w["reason"] for w in draft(TALKS, known)["waivers"]}
    assert "length" in waivers["250"]
    assert "count of projects" in waivers["40"]


def test_an_article_with_nothing_to_draft_gets_a_facts_file_saying_so(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", REPO / "seeds")
    text = tmp_path / "note.txt"
    text.write_text("خبر قصير بلا أرقام ولا أسماء.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(text), "--root", str(root)])
    assert result.exit_code == 0, result.output
    facts = next((root / "seeds" / "facts").glob("001_*.yaml")).read_text(encoding="utf-8")
    assert facts.startswith("# Nothing is drafted")
    assert yaml.safe_load(facts) == {"source_id": yaml.safe_load(facts)["source_id"]}


def test_the_record_takes_what_the_curator_gives_up_front(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", REPO / "seeds")
    text = tmp_path / "talks.txt"
    text.write_text(TALKS, encoding="utf-8")
    args = ["--published", "2025-02-07", "--publisher", "org-tv-brics", "--title", "Talks"]
    result = CliRunner().invoke(main, ["new", str(text), "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    record = yaml.safe_load(next((root / "seeds" / "sources").glob("001_*.yaml")).read_text())
    assert record["published_date"] == "2025-02-07"
    assert record["published_date_basis"] == "inferred" and record["published_date_note_en"]
    assert (record["publisher_organization_id"], record["publisher_en"]) == (
        "org-tv-brics",
        "TV BRICS",
    )
    assert record["title_en"] == "Talks"


@pytest.mark.parametrize("hedge", ["يقترب من", "ما يقترب من", "تقترب من"])
def test_nearing_is_a_hedge(known: Known, hedge: str) -> None:
    text = f"وقال ميشوستين إن التبادل التجاري بين روسيا وبيلاروس {hedge} 60 مليار دولار في 2024."
    (row,) = draft(text, known)["trade"]
    assert (row["amount"], row["hedge"]) == (60_000_000_000, "about")


def test_financial_is_not_mali(known: Known) -> None:
    """«المالية» is "financial" far more often than Mali's adjective: a ministry of finance
    named with its own country's adjective is of that country."""
    text = "وأعلنت وزارة المالية القيرغيزية أن الدعم المالي ودعم مالي آخر بلغا 5 ملايين دولار."
    d = draft(text, known)
    codes = {m.entity.id for m in link(text, known).mentions if m.entity.kind == "country"}
    assert "ML" not in codes
    assert [(r["name_ar"], r["country_code"]) for r in d["organizations"]] == [
        ("وزارة المالية القيرغيزية", "KG")
    ]


def test_the_first_two_months_in_the_dual(known: Known) -> None:
    text = (
        "وقال ميشوستين إن التبادل التجاري بين روسيا وبيلاروس ارتفع خلال الشهرين الأولين من "
        "العام الجاري إلى 8 مليارات دولار."
    )
    (row,) = draft(text, known, dt.date(2025, 3, 20))["trade"]
    assert (row["period_start"], row["period_end"]) == ("2025-01-01", "2025-02-28")
    assert row["period_as_printed_ar"] == "خلال الشهرين الأولين من العام الجاري"
    # of next year, the year after the record's date; two months not the first, no period
    (row,) = draft(text.replace("الجاري", "المقبل"), known, dt.date(2025, 3, 20))["trade"]
    assert (row["period_start"], row["period_end"]) == ("2026-01-01", "2026-02-28")
    # of the year after one the article names: of no year the record's date gives
    (row,) = draft(text.replace("الجاري", "التالي"), known, dt.date(2025, 3, 20))["trade"]
    assert row["period_basis"] == "relative"
    # the first months of something else than a year: of no year
    for words in ("الشهرين الأولين من تطبيق الاتفاقية", "الأشهر الستة الأولى من تطبيق الاتفاقية"):
        other = text.replace("الشهرين الأولين من العام الجاري", words)
        (row,) = draft(other, known, dt.date(2025, 3, 20))["trade"]
        assert row["period_basis"] == "relative", words
    later = text.replace("الأولين من العام الجاري", "التاليين لتوقيع الاتفاقية")
    (row,) = draft(later, known, dt.date(2025, 3, 20))["trade"]
    assert "period_start" not in row


def test_the_country_after_exports_is_the_exporter(known: Known) -> None:
    """«صادرات كازاخستان إلى المملكة»: Kazakhstan's exports, though a Saudi adjective comes
    first in the sentence."""
    text = (
        "وأكد الوزير أن بلاده بوابة للشركات السعودية إلى سوق الاتحاد، داعيًا إلى زيادة صادرات "
        "كازاخستان إلى المملكة، التي بلغت العام الماضي 95 مليون دولار."
    )
    (row,) = draft(text, known, dt.date(2025, 9, 19))["trade"]
    assert (row["country_a_code"], row["country_b_code"], row["flow"]) == ("KZ", "SA", "exports")
    # not in the construct: «الواردات الإماراتية إلى المملكة» are the Kingdom's imports
    text = "وأعلنت السعودية أن الواردات الإماراتية إلى المملكة بلغت 5 مليارات دولار في 2024."
    (row,) = draft(text, known)["trade"]
    assert (row["country_a_code"], row["country_b_code"], row["flow"]) == ("SA", "AE", "imports")


def test_a_minister_of_state_with_his_portfolio(known: Known) -> None:
    """«وزير الدولة» and its «لل...» portfolio; the indefinite «وزير دولة» is no post of its
    own (it runs into a second post: «وزير دولة ووزير الخارجية الروسي»)."""
    text = (
        "وشهد المنتدى في أبوظبي حضور معالي الدكتور ثاني بن أحمد الزيودي وزير دولة للتجارة "
        "الخارجية، ووزير الدولة للتجارة الخارجية الإماراتي، ثاني بن أحمد الزيودي."
    )
    printed = [(p.text, p.country) for p in posts_in(text, known)]
    assert printed == [("وزير الدولة للتجارة الخارجية الإماراتي", "AE")]
    # a portfolio ends before someone named after it, whose country is not the minister's
    for other in ("وسعادة السفير الروسي", "والوفد الروسي", "والمستثمرين الأتراك"):
        posts = posts_in(f"التقى وزير التنمية المحلية {other} هشام آمنة.", known)
        assert (posts[0].text, posts[0].country) == ("وزير التنمية", None)
    # what was said after the post and its comma is no one's name
    said = (
        "وأكد وزير الاقتصاد الأرميني غيفورغ بابويان، خلال لقائه وزير الدولة القطري، أهمية التعاون."
    )
    assert [r["name_ar"] for r in draft(said, known)["people"]] == ["غيفورغ بابويان"]


@pytest.mark.parametrize(
    "post",
    [
        "رئيس مجلس إدارة اللجنة الاقتصادية الأوراسية",
        "رئيس مجلس إدارة الهيئة الاقتصادية الأوراسية",
        "رئيس اللجنة الاقتصادية الأوراسية",
    ],
)
def test_the_commission_chairman_as_printed(known: Known, post: str) -> None:
    (printed,) = posts_in(f"وقال {post}، باكيتجان ساغينتاييف، إن التجارة تنمو.", known)
    assert (printed.text, printed.post.rank) == (post, "head_of_body")


def test_a_minister_of_a_long_portfolio_the_gazetteer_lacks(known: Known) -> None:
    text = (
        "وقال وزير التنمية الرقمية والابتكارات والصناعة الجوفضائية الكازاخستاني جاسلان مادييف "
        "إن التعاون ينمو."
    )
    (post,) = posts_in(text, known)
    assert (post.text, post.country) == (
        "وزير التنمية الرقمية والابتكارات والصناعة الجوفضائية الكازاخستاني",
        "KZ",
    )
    assert [(r["name_ar"], r["country_code"]) for r in draft(text, known)["people"]] == [
        ("جاسلان مادييف", "KZ")
    ]


@pytest.mark.parametrize("words", ["ومن المقرر", "ومن المنتظر", "ومن المتوقع", "ومن المرتقب"])
def test_a_meeting_still_to_come_is_no_meeting(known: Known, words: str) -> None:
    text = (
        f"{words} أن يلتقي الرئيس الروسي فلاديمير بوتين الرئيس الكازاخستاني قاسم جومارت "
        "توكاييف في موسكو."
    )
    assert "meetings" not in draft(text, known)


def test_growth_recorded_and_a_first_estimate(known: Known) -> None:
    """«قد سجل نموًا» is growth recorded, «قد يسجل» only what may be; «في تقديرها الأولي» a
    preliminary estimate, unless the words forecast."""
    text = (
        "وكان الاقتصاد الروسي قد سجل نموًا بنسبة 4.3% في عام 2024.\n"
        "وتوقعت الوزارة، في تقديرها الأولي، أن ينمو الاقتصاد الروسي 2.5% في 2026.\n"
        "وقالت الهيئة في تقديرها الأولي إن الاقتصاد الروسي نما 1.1% في الربع الثاني من 2025.\n"
        "وقال الخبير إن الاقتصاد الروسي قد يسجل نموا بنسبة 0.5% فقط في 2025.\n"
    )
    rows = draft(text, known, dt.date(2025, 8, 13))["indicators"]
    assert [(r["value_pct"], r["area_country_code"], r["status"]) for r in rows] == [
        (4.3, "RU", "actual"),
        (2.5, "RU", "forecast"),
        (1.1, "RU", "preliminary_estimate"),
    ]


# Scored ------------------------------------------------------------------------------------------


def test_the_score_counts_values_right_wrong_and_missed() -> None:
    text = "بلغت التجارة 5 مليارات دولار في عام 2024."
    evidence = "بلغت التجارة 5 مليارات دولار في عام 2024"
    want = {
        "trade": [
            {
                "amount": 5_000_000_000,
                "period_start": "2024-01-01",
                "hedge": "exactly",
                "evidence": evidence,
            }
        ]
    }
    got = {
        "trade": [
            {
                "amount": 5_000_000_000,
                "period_start": "2025-01-01",
                "status": "actual",
                "evidence": evidence,
            }
        ]
    }
    report = Report()
    score(text, got, want, report)
    amount, start = report.fields[("trade", "amount")], report.fields[("trade", "period_start")]
    assert (amount.recall, amount.precision) == (1.0, 1.0)
    assert (start.recall, start.precision) == (0.0, 0.0)
    assert report.fields[("trade", "hedge")].recall == 0.0  # expected, not drafted
    assert report.fields[("trade", "status")].drafted == 1  # drafted, not expected
    assert report.fields[("trade", "status")].precision == 0.0


@pytest.mark.parametrize(
    ("folder", "commit"),
    [
        (DEVELOPMENT, "dcf3a20"),
        (DEVELOPMENT_3, "92c3404"),
        (DEVELOPMENT_5, "f548671"),
        (DEVELOPMENT_6, "fa25133"),
        (DEVELOPMENT_7, "171492d"),
        (DEVELOPMENT_8, "63f4f17"),
        (DEVELOPMENT_9, "0ec2f62"),
        (HELDOUT, "04e1f40"),
    ],
)
def test_the_held_out_sets_are_as_they_were_committed(folder: Path, commit: str) -> None:
    """Never edited to suit the drafter: its files are those of the commit that added it."""
    import subprocess

    changed = subprocess.run(
        ["git", "diff", "--stat", commit, "--", str(folder)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if changed.returncode != 0:
        pytest.skip("no git history here")
    assert changed.stdout == ""


def test_an_arab_name_with_its_lineage(known: Known) -> None:
    """«بن» and «آل» do not count towards a name's four words; after a lineage a name goes on
    only by another or by a family name in «ال», not by a verb or an adverb; a headline's
    present-tense verb ends a name; a state is printed with its style («دولة الكويت»)."""
    text = (
        "وزراء خليجيون يلتقون نظراءهم\n"
        "وحضر اللقاء وزير التجارة والصناعة القطري، الشيخ محمد بن حمد بن قاسم آل ثاني، ووزير "
        "الاقتصاد العماني سلطان بن سالم الحبسي، ووزير الدولة للتجارة الخارجية الإماراتي ثاني "
        "بن أحمد الزيودي، ورئيس وزراء دولة الكويت أحمد عبدالله الأحمد الصباح.\n"
    )
    people = {(r["name_ar"], r["country_code"]) for r in draft(text, known)["people"]}
    assert people == {
        ("محمد بن حمد بن قاسم آل ثاني", "QA"),
        ("سلطان بن سالم الحبسي", "OM"),
        ("ثاني بن أحمد الزيودي", "AE"),
        ("أحمد عبدالله الأحمد الصباح", "KW"),
    }
    # five names with no lineage between them are no one's name
    five = "استقبل وزير الخارجية الروسي أمس عمر خالد سعيد أحمد حسن في موسكو."
    assert not draft(five, known).get("people")
    head = "وزير الخارجية السعودي فيصل بن فرحان بن عبدالله يبحث مع نوفاك التعاون"
    assert [r["name_ar"] for r in draft(head, known)["people"]] == ["فيصل بن فرحان بن عبدالله"]
    for tail in ("يصل إلى موسكو", "هاتفيا مع نظيره الروسي"):
        head = f"وزير الخارجية السعودي فيصل بن فرحان بن عبدالله {tail}"
        names = [r["name_ar"] for r in draft(head, known).get("people", [])]
        assert not any(tail.split()[0] in name for name in names), tail


def test_a_speaker_by_title_after_on_his_part(known: Known) -> None:
    """«من جهته، أشار الوزير القرغيزي إلى أن», and «الوزير» alone: «إلى» is no adjective."""
    text = (
        "عنوان\n"
        "التقى وزير الطاقة السعودي عبدالعزيز بن سلمان ووزير الاقتصاد القرغيزي دانيار "
        "أمانغيلدييف في الرياض.\n"
        "وأوضح الوزير السعودي أن التبادل التجاري بين السعودية وقيرغيزستان بلغ العام الماضي "
        "40 مليون دولار.\n"
        "من جهته، أشار الوزير القرغيزي إلى أن صادرات قيرغيزستان إلى السعودية بلغت العام "
        "الماضي 12 مليون دولار.\n"
    )
    for words in ("الوزير القرغيزي", "الوزير"):
        d = draft(text.replace("الوزير القرغيزي إلى", f"{words} إلى"), known, dt.date(2025, 5, 13))
        ids = {r["name_ar"]: r["person_id"] for r in d["people"]}
        rows = by_amount(d["trade"])
        assert rows[12_000_000]["stated_by_person_id"] == ids["دانيار أمانغيلدييف"], words


def test_an_equivalent_in_brackets(known: Known) -> None:
    """An amount alone in brackets right after another is the same figure restated;
    «(مقابل ... في 2023)» is another, and so is one in brackets after no amount."""
    text = (
        "وقال نوفاك إن التبادل التجاري بين روسيا والسعودية بلغ 1.2 مليار ريال (320 مليون "
        "دولار) في عام 2024."
    )
    assert list(by_amount(draft(text, known)["trade"])) == [1_200_000_000]
    text = (
        "وقال نوفاك إن التبادل التجاري بين روسيا ومصر بلغ 6.6 مليار دولار في عام 2024 "
        "(مقابل 4.8 مليار دولار في عام 2023)."
    )
    assert sorted(by_amount(draft(text, known)["trade"])) == [4_800_000_000, 6_600_000_000]
    text = "وقال نوفاك إن التبادل التجاري بين روسيا ومصر بلغ في عام 2024 (8 مليارات دولار)."
    assert list(by_amount(draft(text, known)["trade"])) == [8_000_000_000]


def test_a_central_bank_and_a_name_line_that_opens_with_a_title(known: Known) -> None:
    """«البنك المركزي الروسي» is an office of Russia; no other bank is, nor a central bank
    with no country right after it; a quotation's name line may open with a title of address
    («الأمير عبد العزيز بن سلمان وزير الطاقة السعودي»), and only a name line may."""
    text = (
        "عنوان\n"
        "وأفاد البنك المركزي الروسي بأن التعاون مستمر.\n"
        "والتقى نائب رئيس الوزراء الروسي ألكسندر نوفاك في الرياض اليوم وزير الطاقة السعودي.\n"
        '"نرى فرصًا واعدة لتوسيع استثماراتنا المشتركة"\n'
        "الأمير عبد العزيز بن سلمان وزير الطاقة السعودي\n"
    )
    d = draft(text, known)
    offices = {(r["name_ar"], r["country_code"]) for r in d["organizations"]}
    assert offices == {("البنك المركزي الروسي", "RU")}
    ids = {r["name_ar"]: r["person_id"] for r in d["people"]}
    (quote,) = d["quotes"]
    assert quote["speaker_person_id"] == ids["عبد العزيز بن سلمان"]
    for other in (
        "وأعلن البنك الوطني الكويتي أن قروضه لكازاخستان بلغت 100 مليون دولار.",
        "وكشف البنك المركزي عن ارتفاع الصادرات المصرية إلى روسيا.",
    ):
        assert not draft(other, known).get("organizations"), other
    # a paragraph that opens with a title and a name is no name line
    said = text.replace(
        '"نرى فرصًا واعدة لتوسيع استثماراتنا المشتركة"\n',
        'وقال نوفاك: "نرى فرصًا واعدة لتوسيع استثماراتنا المشتركة"\n',
    ).replace(
        "الأمير عبد العزيز بن سلمان وزير الطاقة السعودي\n",
        "معالي خالد الفالح، وزير الاستثمار السعودي، أكد من جهته أهمية التعاون.\n",
    )
    d = draft(said, known)
    ids = {r["name_ar"]: r["person_id"] for r in d["people"]}
    (quote,) = d["quotes"]
    assert quote["speaker_person_id"] == ids["ألكسندر نوفاك"]
    # nor is a headline with a verb between the name and the post
    for headline in (
        "سمو الشيخ عبدالله بن زايد آل نهيان يستقبل وزير الخارجية الروسي",
        "مصطفى مدبولي يستقبل رئيس الوزراء الأوزبكي",
        "سمو رئيس الدولة ونائبه يستقبلان الرئيس الكازاخستاني",
    ):
        assert not draft(f"{headline}\nنص.\n", known).get("people"), headline


def test_a_post_ending_a_headline_is_no_post_of_the_dateline_s_country(known: Known) -> None:
    """«... من الرئيس الكازاخستاني» ends the headline and «الكويت» opens the dateline: the
    post is no country's there, and no country is drafted as a person (found by the eighth
    set's confirm-and-build: a draft the build refused)."""
    text = (REPO / HELDOUT / "10-kuwait-emir-tokayev-phone-call.txt").read_text(encoding="utf-8")
    d = draft(text, known)
    people = {r["person_id"] for r in d.get("participants", [])}
    for table in ("trade", "investment"):
        people |= {r.get("stated_by_person_id") for r in d.get(table, [])} - {None}
    assert people and all(str(p).startswith("person-") for p in people), people
