"""Word meaning for the grader: GloVe neighbours and WordNet synonyms and antonyms.

The tables in bot/grading/data are built by `bot.grading.build_tables` (see its docstring)
and keyed by the grader's own token keys, so a stem found in an answer looks up directly.
They are read once, on first use, and kept for the life of the process; importing this
module reads nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


# numpy is imported where the tables are read, not here: importing the grader stays cheap
# for commands that never grade.
DATA_DIR = Path(__file__).parent / "data"
# Vectors are stored as int8: the unit vector times this scale.
QUANT_SCALE = 127
# Prefixes that turn a word into its opposite: "supervised" / "unsupervised",
# "overfit" / "underfit". Applied to table keys at build time and to any pair at run time.
# ("in-", "im-" and "dis-" are left out: "input", "import" and "display" are no opposites.)
OPPOSITE_PREFIXES = (
    ("un", ""),
    ("non", ""),
    ("over", "under"),
    ("under", "over"),
)
# Rank given to a key GloVe does not list among its frequent words: rare, so informative.
UNSEEN_RANK = 200_000
# Numbers are not in the tables; a number in a reference is often a worked example, so
# it counts like a word of middling frequency.
NUMBER_RANK = 2_000


@dataclass(slots=True)
class Lexicon:
    """The loaded tables: a row per key, its frequency rank, synonyms and antonyms.

    Vectors stay int8 in memory (3 MB); `rows_matrix` turns the few rows one answer or
    rubric needs into float32 unit vectors.
    """

    rows: dict[str, int]
    ranks: np.ndarray  # uint32, frequency rank per row
    quantized: np.ndarray  # int8, unit vector x QUANT_SCALE per row
    _synonyms: dict[str, str]  # key -> space-separated keys (split on first use)
    _antonyms: dict[str, str]
    keys: list[str]  # row -> key
    load_seconds: float = 0.0

    @property
    def nbytes(self) -> int:
        return int(self.quantized.nbytes + self.ranks.nbytes)

    def rows_matrix(self, rows: Sequence[int]) -> np.ndarray:
        """Unit vectors (float32, one per row index given)."""
        import numpy as np

        return self.quantized[list(rows)].astype(np.float32) * (1.0 / QUANT_SCALE)

    def rank(self, key: str) -> int:
        row = self.rows.get(key)
        if row is not None:
            return int(self.ranks[row])
        return NUMBER_RANK if key[:1].isdigit() else UNSEEN_RANK

    def information(self, key: str) -> float:
        """How much a word says: the log of its frequency rank (Zipf), about 4 to 12."""
        return math.log(self.rank(key) + 50.0)

    def similarity(self, a: str, b: str) -> float:
        """Cosine of two keys' vectors; 1 for the same key, 0 when either is unknown."""
        if a == b:
            return 1.0
        ra, rb = self.rows.get(a), self.rows.get(b)
        if ra is None or rb is None:
            return 0.0
        va, vb = self.rows_matrix([ra, rb])
        return float(va @ vb)

    def synonyms(self, key: str) -> frozenset[str]:
        return _split(self._synonyms, key)

    def antonyms(self, key: str) -> frozenset[str]:
        return _split(self._antonyms, key)

    def are_synonyms(self, a: str, b: str) -> bool:
        return b in self.synonyms(a)

    def are_opposites(self, a: str, b: str) -> bool:
        return b in self.antonyms(a) or prefix_opposites(a, b)


_split_cache: dict[tuple[int, str], frozenset[str]] = {}
_EMPTY: frozenset[str] = frozenset()


def _split(table: dict[str, str], key: str) -> frozenset[str]:
    raw = table.get(key)
    if raw is None:
        return _EMPTY
    cache_key = (id(table), key)
    found = _split_cache.get(cache_key)
    if found is None:
        found = _split_cache[cache_key] = frozenset(raw.split())
    return found


def prefix_opposites(a: str, b: str) -> bool:
    """Whether one key is the other with a negating prefix ("unlabel" / "label")."""
    if len(a) < len(b):
        a, b = b, a
    for prefix, replacement in OPPOSITE_PREFIXES:
        if a.startswith(prefix) and len(a) - len(prefix) > 2:
            rest = a[len(prefix) :]
            if replacement + rest == b or (replacement and b == rest):
                return True
    return False


_lock = threading.Lock()
_loaded: Lexicon | None = None


def lexicon() -> Lexicon:
    """The tables, read on first call and cached for the process."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load(DATA_DIR)
    return _loaded


def load(directory: Path) -> Lexicon:
    import numpy as np

    start = time.perf_counter()
    keys = (directory / "words.txt").read_text(encoding="utf-8").split("\n")
    if keys and not keys[-1]:
        keys.pop()
    quantized = np.load(directory / "vectors.npy", allow_pickle=False)
    ranks = np.load(directory / "ranks.npy", allow_pickle=False)
    if not quantized.shape[0] == ranks.shape[0] == len(keys):
        raise ValueError(f"{directory}: {quantized.shape[0]} vectors for {len(keys)} words")
    lexicon = Lexicon(
        rows=dict(zip(keys, range(len(keys)), strict=True)),
        ranks=ranks,
        quantized=quantized,
        _synonyms=_read_map(directory / "synonyms.txt"),
        _antonyms=_read_map(directory / "antonyms.txt"),
        keys=keys,
    )
    lexicon.load_seconds = time.perf_counter() - start
    return lexicon


def _read_map(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return dict(line.split("\t", 1) for line in lines if line)


def meta(directory: Path = DATA_DIR) -> dict:
    return json.loads((directory / "meta.json").read_text(encoding="utf-8"))


# Words whose stems the fingerprint probes, so a different stemmer version shows too.
_PROBE_WORDS = (
    "generalises",
    "generalization",
    "overfitting",
    "reduces",
    "variance",
    "computational",
    "smallest",
    "minimum",
    "regularisation",
    "optimisation",
    "normalized",
    "colour",
    "analyses",
    "labelled",
    "behaviour",
)


def tokenizer_fingerprint() -> str:
    """A hash of everything in the tokenizer that decides table keys."""
    from bot.grading import text

    parts = [
        sorted(text.STOPWORDS),
        sorted(text.NEGATIONS),
        sorted((k, list(v)) for k, v in text.ML_TERMS.items()),
        sorted((k, list(v)) for k, v in text._CONCEPT_WORDS.items()),
        [(p.pattern, r) for p, r in text._SPELLING_RULES],
        sorted(text.GREEK.items()),
        [text.stem_word(w) for w in _PROBE_WORDS],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]
