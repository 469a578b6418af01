"""The satisfaction survey (Survei Kepuasan Masyarakat, PermenPAN-RB No. 14/2017): its nine
elements with the regulation's wording, and the arithmetic of its index (IKM).

NRR per element = sum of its scores / respondents. The regulation weights each NRR with 0.111;
nine of them make 0.999, which lowers every index by 0.1% and can move it across a grade
boundary, so the index here weights with exactly 1/9 and `regulation_ikm` keeps the 0.111 figure
to show beside it. IKM = weighted sum x 25, shown (and graded) to two decimals.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from shared.i18n import LocalText

SCALE: Final = (1, 2, 3, 4)
REGULATION_WEIGHT: Final = 0.111


@dataclass(frozen=True, slots=True)
class Element:
    """One of the nine elements: its code (U1..U9), name, question and four answers (1..4)."""

    code: str
    name: LocalText
    question: LocalText
    answers: tuple[LocalText, LocalText, LocalText, LocalText]


def _answers(*pairs: tuple[str, str]) -> tuple[LocalText, LocalText, LocalText, LocalText]:
    first, second, third, fourth = (LocalText(i, e) for i, e in pairs)
    return first, second, third, fourth


ELEMENTS: Final = (
    Element(
        "U1",
        LocalText("Persyaratan", "Requirements"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?",
            "How well did the requirements fit the service you received?",
        ),
        _answers(
            ("Tidak sesuai", "Not fitting"),
            ("Kurang sesuai", "Somewhat fitting"),
            ("Sesuai", "Fitting"),
            ("Sangat sesuai", "Very fitting"),
        ),
    ),
    Element(
        "U2",
        LocalText("Sistem, mekanisme dan prosedur", "System, mechanism and procedure"),
        LocalText(
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            "How easy was the procedure of this service?",
        ),
        _answers(
            ("Tidak mudah", "Not easy"),
            ("Kurang mudah", "Somewhat easy"),
            ("Mudah", "Easy"),
            ("Sangat mudah", "Very easy"),
        ),
    ),
    Element(
        "U3",
        LocalText("Waktu penyelesaian", "Completion time"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            "How fast was the service?",
        ),
        _answers(
            ("Tidak cepat", "Not fast"),
            ("Kurang cepat", "Somewhat fast"),
            ("Cepat", "Fast"),
            ("Sangat cepat", "Very fast"),
        ),
    ),
    Element(
        "U4",
        LocalText("Biaya/tarif", "Fee"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            "How fair was the fee of the service?",
        ),
        _answers(
            ("Sangat mahal", "Very expensive"),
            ("Cukup mahal", "Rather expensive"),
            ("Murah", "Cheap"),
            ("Gratis", "Free"),
        ),
    ),
    Element(
        "U5",
        LocalText("Produk spesifikasi jenis pelayanan", "Product of the service"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
            "How well did what you received match the product in the service standard?",
        ),
        _answers(
            ("Tidak sesuai", "Not matching"),
            ("Kurang sesuai", "Somewhat matching"),
            ("Sesuai", "Matching"),
            ("Sangat sesuai", "Fully matching"),
        ),
    ),
    Element(
        "U6",
        LocalText("Kompetensi pelaksana", "Staff competence"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            "How competent were the staff who served you?",
        ),
        _answers(
            ("Tidak kompeten", "Not competent"),
            ("Kurang kompeten", "Somewhat competent"),
            ("Kompeten", "Competent"),
            ("Sangat kompeten", "Very competent"),
        ),
    ),
    Element(
        "U7",
        LocalText("Perilaku pelaksana", "Staff conduct"),
        LocalText(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?",
            "How polite and friendly were the staff?",
        ),
        _answers(
            ("Tidak sopan dan ramah", "Not polite and friendly"),
            ("Kurang sopan dan ramah", "Somewhat polite and friendly"),
            ("Sopan dan ramah", "Polite and friendly"),
            ("Sangat sopan dan ramah", "Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        LocalText("Sarana dan prasarana", "Facilities"),
        LocalText(
            "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            "How good were the facilities?",
        ),
        _answers(
            ("Buruk", "Poor"),
            ("Cukup", "Fair"),
            ("Baik", "Good"),
            ("Sangat baik", "Very good"),
        ),
    ),
    Element(
        "U9",
        LocalText(
            "Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"
        ),
        LocalText(
            "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            "How are complaints from service users handled?",
        ),
        _answers(
            ("Tidak ada", "Not at all"),
            ("Ada tetapi tidak berfungsi", "There, but not working"),
            ("Berfungsi kurang maksimal", "Working, not fully"),
            ("Dikelola dengan baik", "Well managed"),
        ),
    ),
)
CODES: Final = tuple(e.code for e in ELEMENTS)


def questionnaire(wording: Mapping[str, LocalText] | None = None) -> tuple[Element, ...]:
    """The nine elements with a site's own wording of some questions; the elements, their
    answers and the arithmetic stay the regulation's."""
    wording = wording or {}
    return tuple(
        dataclasses.replace(e, question=wording[e.code]) if e.code in wording else e
        for e in ELEMENTS
    )


CHANNELS: Final = ("phone", "tablet", "paper")

# The optional respondent profile of the regulation's form: key -> (value, label) choices.
PROFILE: Final[dict[str, tuple[tuple[str, LocalText], ...]]] = {
    "age_band": (
        ("<20", LocalText("Di bawah 20 tahun", "Under 20")),
        ("20-29", LocalText("20-29 tahun", "20-29")),
        ("30-39", LocalText("30-39 tahun", "30-39")),
        ("40-49", LocalText("40-49 tahun", "40-49")),
        ("50-59", LocalText("50-59 tahun", "50-59")),
        ("60+", LocalText("60 tahun ke atas", "60 and over")),
    ),
    "sex": (
        ("L", LocalText("Laki-laki", "Male")),
        ("P", LocalText("Perempuan", "Female")),
    ),
    "education": (
        ("SD", LocalText("SD ke bawah", "Primary or less")),
        ("SMP", LocalText("SMP", "Junior secondary")),
        ("SMA", LocalText("SMA/SMK", "Senior secondary")),
        ("D1-D3", LocalText("D1-D3", "Diploma")),
        ("D4-S1", LocalText("D4/S1", "Bachelor")),
        ("S2+", LocalText("S2/S3", "Master or doctorate")),
    ),
    "occupation": (
        ("PNS", LocalText("PNS/ASN", "Civil servant")),
        ("TNI-POLRI", LocalText("TNI/POLRI", "Military or police")),
        ("swasta", LocalText("Pegawai swasta", "Private employee")),
        ("wirausaha", LocalText("Wirausaha", "Self-employed")),
        ("pelajar", LocalText("Pelajar/mahasiswa", "Student")),
        ("lainnya", LocalText("Lainnya", "Other")),
    ),
}
SUGGESTION_LENGTH: Final = 1000


def valid_profile(profile: dict[str, str | None]) -> str | None:
    """The first key of a respondent profile whose value is not one of its choices, else None."""
    for key, value in profile.items():
        if key not in PROFILE or (value and value not in {v for v, _ in PROFILE[key]}):
            return key
    return None


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade of the index: its letter, the lowest IKM it starts at, and the service quality
    words (mutu pelayanan) of the regulation."""

    letter: str
    lowest: float
    quality: LocalText


GRADES: Final = (  # from the best down: the first whose lowest the (rounded) IKM reaches
    Grade("A", 88.31, LocalText("Sangat Baik", "Very good")),
    Grade("B", 76.61, LocalText("Baik", "Good")),
    Grade("C", 65.00, LocalText("Kurang Baik", "Poor")),
    Grade("D", 25.00, LocalText("Tidak Baik", "Very poor")),
)


def grade_of(ikm: float) -> Grade:
    """The grade of an IKM as shown (two decimals); 25 is the lowest an index can be."""
    shown = round(ikm, 2)
    return next((g for g in GRADES if shown >= g.lowest), GRADES[-1])


def valid_answers(answers: Sequence[int]) -> bool:
    """Nine answers, each 1..4."""
    return len(answers) == len(ELEMENTS) and all(isinstance(a, int) and a in SCALE for a in answers)


@dataclass(frozen=True, slots=True)
class SkmResult:
    """The index of a set of responses."""

    respondents: int
    nrr: tuple[float, ...]  # per element, U1..U9 (0 without respondents)
    ikm: float  # exactly 1/9 each, x 25
    regulation_ikm: float  # the regulation's 0.111 each, x 25 (0.1% lower)

    @property
    def grade(self) -> Grade | None:
        return grade_of(self.ikm) if self.respondents else None

    def lowest(self, count: int = 3) -> tuple[str, ...]:
        """The codes of the weakest elements, the first places to improve."""
        if not self.respondents:
            return ()
        ranked = sorted(range(len(self.nrr)), key=lambda i: (self.nrr[i], i))
        return tuple(CODES[i] for i in ranked[:count])


def summarise(responses: Sequence[Sequence[int]]) -> SkmResult:
    """NRR, IKM and grade of the responses (each nine answers of 1..4)."""
    return from_sums(len(responses), [sum(r[i] for r in responses) for i in range(len(ELEMENTS))])


def from_sums(respondents: int, sums: Sequence[int]) -> SkmResult:
    """The same from each element's sum of scores (what a database aggregates)."""
    if respondents == 0:
        return SkmResult(0, (0.0,) * len(ELEMENTS), 0.0, 0.0)
    nrr = tuple(total / respondents for total in sums)
    return SkmResult(
        respondents,
        nrr,
        sum(nrr) / len(nrr) * 25,
        sum(n * REGULATION_WEIGHT for n in nrr) * 25,
    )


def minimum_sample(population: int) -> int:
    """Krejcie and Morgan's minimum sample for a population (chi-square 3.841 for one degree of
    freedom at 95%, P = 0.5, margin 0.05), rounded to the nearest as their table is."""
    if population <= 0:
        return 0
    chi, p, d = 3.841, 0.5, 0.05
    size = chi * population * p * (1 - p) / (d * d * (population - 1) + chi * p * (1 - p))
    return min(population, math.floor(size + 0.5))


@dataclass(frozen=True, slots=True)
class SkmGroup:
    """The index of one service, agency, counter or staff member."""

    code: str
    name: LocalText
    result: SkmResult


@dataclass(frozen=True, slots=True)
class SkmReport:
    """The survey over a period: the index, per group, against the visits it samples."""

    start: date
    end: date
    by: str  # element (overall only), service, agency, counter, staff
    overall: SkmResult
    groups: tuple[SkmGroup, ...]
    served: int  # the visits finished in the period: the population the sample stands for
    channels: dict[str, int]

    @property
    def minimum(self) -> int:
        return minimum_sample(self.served)

    @property
    def too_few(self) -> bool:
        """Fewer respondents than Krejcie-Morgan ask for the period's visits."""
        return self.overall.respondents < self.minimum


@dataclass(frozen=True, slots=True)
class Response:
    """One questionnaire as the report's recapitulation lists it (no name: SKM is anonymous)."""

    day: date
    service: str
    channel: str
    answers: tuple[int, ...]
    profile: Mapping[str, str | None]
    suggestion: str | None = None


def profile_counts(responses: Sequence[Response]) -> dict[str, dict[str, int]]:
    """How many respondents gave each profile answer ("" for not given), per profile key."""
    counts: dict[str, dict[str, int]] = {key: {} for key in PROFILE}
    for response in responses:
        for key in PROFILE:
            value = response.profile.get(key) or ""
            counts[key][value] = counts[key].get(value, 0) + 1
    return counts
