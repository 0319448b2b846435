"""Type stubs of the compiled module ``newsie._newsie`` (see ``python/rust/lib.rs``)."""

from typing import List, Optional

__version__: str

class NewsieError(Exception):
    """An error reported by newsie (model, rules or input)."""

class Engine:
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
        lexicon: Optional[str] = None,
        use_lexicon: bool = True,
        consistent_types: bool = True,
    ) -> None: ...
    @property
    def model_dir(self) -> str: ...
    def extract_json(self, text: str) -> str: ...
    def extract_batch_json(self, texts: List[str]) -> List[str]: ...
    def render_html(self, text: str, doc_json: str, title: str) -> str: ...
