"""Issue similarity from a static embedding model (model2vec, distilled from all-MiniLM-L6-v2).

The fallback for statements whose words name no issue: the nearest issue by its example
phrases in the taxonomy, kept only above a similarity floor. Loads in milliseconds and needs
no torch; see models_data/embeddings/README.md for how the model was made.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from redline.coding.issues import OTHER, Taxonomy

BUNDLED = "models_data/embeddings"
CACHE_SIZE = 100_000  # texts whose vectors are kept (128 float32s each: ~50 MB at most)


def bundled_path() -> Path:
    return Path(str(resources.files("redline").joinpath(BUNDLED)))


class IssueEmbedder:
    """Nearest issue to a text by cosine similarity with each issue's example phrases."""

    def __init__(self, taxonomy: Taxonomy, path: Path, *, floor: float = 0.65) -> None:
        from model2vec import StaticModel  # imported here: only coding with embeddings needs it

        self.model = StaticModel.from_pretrained(str(path))
        self._cache: dict[str, np.ndarray] = {}
        self.floor = floor
        self.ids: list[str] = []
        rows: list[np.ndarray] = []
        for issue in taxonomy.issues.values():
            if issue.id == OTHER or not issue.examples:
                continue
            vecs = self._unit(self.model.encode(issue.examples))
            self.ids.extend([issue.id] * len(vecs))
            rows.append(vecs)
        self.matrix = np.vstack(rows) if rows else np.zeros((0, 1))

    @staticmethod
    def _unit(vecs: np.ndarray) -> np.ndarray:
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms == 0, 1, norms)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts. Linking compares each claim with dozens of others, so
        a text's vector is computed once and kept."""
        return float(self._vector(a) @ self._vector(b))

    def _vector(self, text: str) -> np.ndarray:
        vec = self._cache.get(text)
        if vec is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            vec = self._cache[text] = self._unit(self.model.encode([text]))[0]
        return vec

    def nearest(self, text: str) -> tuple[str, float] | None:
        """The closest issue and its similarity, or None below the floor."""
        if not self.ids or not text.strip():
            return None
        sims = self.matrix @ self._unit(self.model.encode([text]))[0]
        best = int(np.argmax(sims))
        score = float(sims[best])
        return (self.ids[best], score) if score >= self.floor else None
