"""newsie: who is in the news and what they did to each other.

Python bindings of the newsie Rust library: a transformer named-entity model
(people, organisations, places) plus rule-based relations (who met whom, who
sanctioned whom), returned as plain dicts with the same shape as
``extract --format json``::

    import newsie
    ex = newsie.Extractor()
    doc = ex.extract("Kerry met Lavrov in Rome.")
    doc["relations"][0]["kind"]   # 'meeting'

``Extractor.pipe`` streams many texts in batches, in input order, like spaCy's
``nlp.pipe``; ``to_displacy`` gives displaCy's manual format; ``to_html`` gives
a self-contained page.
"""

from __future__ import annotations

import json
import os
import threading
from itertools import islice
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Union

from ._newsie import Engine as _Engine
from ._newsie import NewsieError, __version__

__all__ = ["Extractor", "NewsieError", "shared_extractor", "to_displacy", "__version__"]

# A model folder bundled inside the installed package (see python/README.md).
_BUNDLED_MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model")


def _default_model() -> Optional[str]:
    """The model when none is given: $NEWSIE_MODEL (read by the library), else
    the model bundled in the wheel, else the library's own default."""
    if os.environ.get("NEWSIE_MODEL", "").strip():
        return None
    if os.path.isfile(os.path.join(_BUNDLED_MODEL, "config.json")):
        return _BUNDLED_MODEL
    return None


class Extractor:
    """Reads news text and returns its entities and relations.

    One ``Extractor`` loads the model once; share it across threads (the model
    runs without the GIL, so threads really run side by side).

    Args:
        model: a model folder or a registered model name; default: the shipped
            model (or ``$NEWSIE_MODEL``).
        threads: inference threads (default: all cores).
        relations: also extract relations (default ``True``).
        batch_size: windows per model call (default 16).
        rules: a relation rule file (TOML) instead of the built-in rules.
        aggregation: ``"first"``, ``"average"`` or ``"max"`` (subword to word).
        precision: ``"f32"`` (default), ``"int8"`` or ``"bf16"``: the model's
            dense layers in reduced precision, faster on CPUs with AMX (int8
            also with AVX-512 VNNI); see the README's Speed section.
        words: also list every word of the text under ``"words"`` (``text``,
            ``start``, ``end``, and its part of speech ``pos`` and chunk tag
            ``chunk`` when the model has syntax heads, as the shipped one does).
        lexicon: the names whose spans and types correct the model's: a file
            of ``TYPE<TAB>name`` lines, a path, or ``False`` for none; default:
            the built-in lexicon (armed groups, parties, international bodies,
            companies as ORG; products and brands as MISC). Where a listed name occurs and the model tagged words
            inside it, they become one entity of the listed type; the lexicon
            never adds an entity the model did not see.
        consistent_types: one document names a person with one type
            throughout (default ``True``): "Starmer" after "Keir Starmer" is
            the person even where the model alone reads a company.

    Raises:
        NewsieError: the model or the rules cannot be loaded; the message says
            what is missing and how to get it.
        ValueError: a setting is out of range.
    """

    def __init__(
        self,
        model: Optional[str] = None,
        threads: Optional[int] = None,
        relations: bool = True,
        batch_size: Optional[int] = None,
        rules: Optional[str] = None,
        aggregation: Optional[str] = None,
        precision: Optional[str] = None,
        words: bool = False,
        lexicon: Union[str, "os.PathLike[str]", bool, None] = None,
        consistent_types: bool = True,
    ) -> None:
        for name, value in (("threads", threads), ("batch_size", batch_size)):
            if value is not None:
                _check_positive(name, value)
        if model is None:
            model = _default_model()
        self._engine = _Engine(
            model=None if model is None else os.fspath(model),
            threads=threads,
            relations=bool(relations),
            batch_size=batch_size,
            rules=None if rules is None else os.fspath(rules),
            aggregation=aggregation,
            precision=precision,
            words=bool(words),
            lexicon=None if lexicon is None or isinstance(lexicon, bool) else os.fspath(lexicon),
            use_lexicon=lexicon is not False,
            consistent_types=bool(consistent_types),
        )

    @property
    def model_dir(self) -> str:
        """The folder the model was loaded from."""
        return self._engine.model_dir

    def extract(self, text: str) -> Dict[str, Any]:
        """Entities and relations of one text, as a dict::

            {"entities": [{"text", "label", "start", "end", "char_start",
                           "char_end", "score", "entity"}, ...],
             "relations": [{"kind", "source", "target", "negated", "modality",
                            "trigger", "sentence", "location"}, ...]}

        ``start``/``end`` are UTF-8 byte offsets, ``char_start``/``char_end``
        are offsets into the Python string. Any string is accepted; long texts
        are windowed, never truncated.
        """
        _check_text(text, 0)
        return json.loads(self._engine.extract_json(text))

    def pipe(
        self,
        texts: Iterable[str],
        batch_size: int = 64,
        progress: Optional[Callable[[int], None]] = None,
    ) -> Iterator[Dict[str, Any]]:
        """Extracts many texts, yielding one document per text, in input order.

        Texts are taken ``batch_size`` at a time and each batch runs as one
        pooled model call (much faster than ``extract`` per text). ``texts`` may
        be any iterable, including a generator or ``tqdm(texts)``; it is read
        lazily, so memory stays bounded. ``progress``, if given, is called
        with the number of texts done after each batch.
        """
        _check_positive("batch_size", batch_size)
        if isinstance(texts, str):
            raise TypeError("pipe() takes an iterable of texts; for one text use extract()")
        it = iter(texts)
        done = 0
        while True:
            batch: List[str] = list(islice(it, batch_size))
            if not batch:
                return
            for i, t in enumerate(batch):
                _check_text(t, done + i)
            for doc in self._engine.extract_batch_json(batch):
                yield json.loads(doc)
            done += len(batch)
            if progress is not None:
                progress(done)

    def to_html(self, text: str, doc: Optional[Dict[str, Any]] = None, title: str = "newsie") -> str:
        """A self-contained HTML page (no scripts, fonts or network): the text
        with entities highlighted, the relations as a list and a graph. ``doc``
        defaults to ``self.extract(text)``."""
        _check_text(text, 0)
        if doc is None:
            doc = self.extract(text)
        return self._engine.render_html(text, json.dumps(doc), str(title))

    def __repr__(self) -> str:
        return f"newsie.Extractor(model_dir={self.model_dir!r})"


_SHARED: Dict[tuple, "Extractor"] = {}
_SHARED_LOCK = threading.Lock()


def shared_extractor(**settings: Any) -> Extractor:
    """One ``Extractor`` per process and settings, made on first use and then
    reused: what a Spark executor's Python worker or a web server's worker
    wants, so the model loads once per process, not once per task or request.
    ``settings`` are ``Extractor``'s keyword arguments."""
    key = tuple(sorted(settings.items()))
    with _SHARED_LOCK:
        ex = _SHARED.get(key)
        if ex is None:
            ex = _SHARED[key] = Extractor(**settings)
        return ex


def _check_positive(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def _check_text(text: Any, index: int) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text {index} is {type(text).__name__}, not str")


def to_displacy(doc: Dict[str, Any], text: Optional[str] = None) -> Dict[str, Any]:
    """A document in displaCy's manual format, with character offsets::

        {"text": text, "ents": [{"start", "end", "label"}, ...], "title": id}

    ``text`` is the input the document was read from (displaCy shows it);
    without it, ``doc["text"]`` is used if the caller stored it there. Render
    with ``spacy.displacy.render(to_displacy(doc, text), style="ent",
    manual=True)``.

    Raises:
        ValueError: no text given and none in ``doc``, or an entity whose
            offsets do not fit the text.
    """
    if text is None:
        text = doc.get("text")
    if not isinstance(text, str):
        raise ValueError("to_displacy needs the text: to_displacy(doc, text)")
    ents = []
    for e in doc.get("entities", []):
        start, end = e["char_start"], e["char_end"]
        if not (0 <= start < end <= len(text)) or text[start:end] != e["text"]:
            raise ValueError(f"entity {e['text']!r} at {start}..{end} is not in this text")
        ents.append({"start": start, "end": end, "label": e["label"]})
    return {"text": text, "ents": ents, "title": doc.get("id")}
