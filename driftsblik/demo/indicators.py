"""The demo's indicator set: about 40 activity and result indicators a director recognises, read from files.

Two files in `driftsblik/demo/data/` hold it:

- `indicators.yaml`: the definitions in the indicators contract (docs/data-contracts.md), the file
  `driftsblik indicators define` loads, in the order of the pages (`sort_order`);
- `indicator_recipes.csv`: how the demo makes each indicator's synthetic monthly figures, one row
  per code (columns in `RECIPE_COLUMNS`): which operational units report it (`domains`, `*` for
  every operational unit, several separated by `|`), the model of its figures, its level per unit,
  seasonality, trend and spread between units. The six register indicators of DESIGN.md have the
  model `register`: their figures come from the register engine, not from a recipe.

The order of the definitions is the order the figures are drawn in, so reordering them changes
every figure of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from driftsblik.core.tabular import ImportRejected, Problem, Row, read_table

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFINITIONS_FILE = DATA_DIR / "indicators.yaml"
RECIPES_FILE = DATA_DIR / "indicator_recipes.csv"
MODELS = ("count", "share", "ratio", "staff", "fte", "register")


@dataclass(frozen=True)
class DemoIndicator:
    """An indicator definition and the recipe for its demo figures.

    model: "count" (numerator only), "share" (numerator of a denominator, value 100 * n / d),
    "ratio" (a mean: sum of e.g. days over the number of cases), "staff" (a share of planned
    workdays, the denominator follows the unit's staff), "fte" (the unit's staff, a random walk),
    "register" (figures from the engine).
    level: a count's monthly mean (flows) or level (stocks) per unit of load 1, or the monthly
    denominator of shares and ratios. rate: the share (0..1) or the mean of a ratio.
    trend: relative change per year (counts, ratios) or change of the share per year.
    per_staff: the level is per full-time employee of the unit rather than per unit of load.
    spread: how much units differ (relative for counts and ratios, absolute for shares).
    """

    code: str
    name: str
    description: str
    kind: str
    measure: str
    temporal: str
    direction: str
    unit_label: str
    tolerance_pct: float
    task_area: str
    source: str
    owner: str
    domains: tuple[str, ...] = ()
    model: str = "count"
    level: float = 0.0
    rate: float = 0.0
    season: str = "flat"
    trend: float = 0.0
    spread: float = 0.1
    decimals: int = 0
    per_staff: bool = False
    person_based: bool = False
    key: bool = False


DEFINITION_FIELDS = ("code", "name", "description", "kind", "measure", "temporal", "direction", "unit_label")
DEFINITION_FIELDS += ("tolerance_pct", "task_area", "source", "owner", "person_based", "key")
RECIPE_COLUMNS = ("code", "domains", "model", "level", "rate", "season", "trend", "spread", "decimals", "per_staff")
_DEFAULTS = {f.name: f.default for f in fields(DemoIndicator)}


def _recipe(row: Row, problems: list[Problem]) -> dict[str, Any]:
    """One recipe row as DemoIndicator fields; what is wrong goes to `problems`."""
    recipe: dict[str, Any] = {"domains": tuple((row.get("domains") or "").split("|"))}
    model = row.get("model")
    if model not in MODELS:
        problems.append(row.problem("model", f"{model!r} is not one of {', '.join(MODELS)}"))
    recipe["model"] = model
    recipe["season"] = row.get("season") or "flat"
    for column, kind in (("level", float), ("rate", float), ("trend", float), ("spread", float), ("decimals", int)):
        try:
            recipe[column] = kind(row.get(column))
        except (TypeError, ValueError):
            problems.append(row.problem(column, f"{row.get(column)!r} is not a {kind.__name__}"))
    per_staff = row.get("per_staff")
    if per_staff not in ("true", "false"):
        problems.append(row.problem("per_staff", f"{per_staff!r} is not true or false"))
    recipe["per_staff"] = per_staff == "true"
    return recipe


def load_indicators(definitions: Path = DEFINITIONS_FILE, recipes: Path = RECIPES_FILE) -> tuple[DemoIndicator, ...]:
    """The definitions joined with their recipes, in the definitions' order.

    Refused (ImportRejected, naming file, row and column) when a recipe is malformed or a code has
    a definition without a recipe or a recipe without a definition.
    """
    records = yaml.safe_load(definitions.read_text(encoding="utf-8"))["indicators"]
    table = read_table(recipes)
    table.require_columns(RECIPE_COLUMNS)
    problems: list[Problem] = []
    by_code = {}
    for row in table.rows:
        by_code[row.get("code")] = _recipe(row, problems)
    codes = [record["code"] for record in records]
    for code in sorted(set(by_code) - set(codes)):
        problems.append(Problem(recipes.name, None, "code", f"{code!r} has a recipe but no definition"))
    for number, code in enumerate(codes, start=1):
        if code not in by_code:
            problems.append(Problem(definitions.name, number, "code", f"{code!r} has no recipe in {recipes.name}"))
    if problems:
        raise ImportRejected(problems)
    return tuple(
        DemoIndicator(**{f: record.get(f, _DEFAULTS.get(f)) for f in DEFINITION_FIELDS}, **by_code[record["code"]])
        for record in records
    )


INDICATORS = load_indicators()
REGISTER_CODES = tuple(i.code for i in INDICATORS if i.model == "register")
OFF_TARGET_CANDIDATES = (
    ("sickness_absence", "nursing_home"),
    ("school_absence", "school"),
    ("days_to_first_interview", "jobcenter"),
    ("homecare_delivered_share", "homecare"),
    ("building_permit_days", "building"),
)
"""Where the demo places a unit that is clearly off target (one unit per pair, chosen by the seed)."""
