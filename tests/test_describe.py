"""Validation errors in the words of a file's author (checker/errors.py `describe`): fields by
name, a list's items counted from 1, a mapping's keys named, an error of the whole in Chinese —
never pydantic's own locations (`status.0`, `[key]`)."""
import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from typing import Literal

from checker.errors import describe, location


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    part: int


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: list[Literal["absent", "embedded"]] = []
    when: dict[Literal["measures", "plan"], list[str]] = {}
    pairs: list[Inner] = []
    rows: list[list[int]] = []
    count: int = Field(1, ge=0)

    @model_validator(mode="after")
    def _whole(self):
        if self.count == 7:
            raise ValueError("七不可用")
        return self


def _said(data, prefix=""):
    with pytest.raises(ValidationError) as e:
        Shape.model_validate(data)
    return describe(e.value, prefix=prefix)


@pytest.mark.parametrize("data,prefix,said", [
    ({"status": ["absent", "nope"]}, "params", "字段 params.status 第 2 个：取值 'nope' 无效，应为 'absent'、'embedded'"),
    ({"when": {"foo": []}}, "params", "字段 params.when.foo：取值 'foo' 无效，应为 'measures'、'plan'"),
    ({"when": {"plan": "x"}}, "", "字段 when.plan：应为列表"),
    ({"pairs": [{"part": 1}, {"part": "x"}]}, "params", "字段 params.pairs 第 2 个的 part：应为整数"),
    ({"rows": [[1], [2, "y"]]}, "", "字段 rows 第 2 个 第 2 个：应为整数"),
    ({"count": -3}, "params", "字段 params.count：取值 -3 超出范围，应不小于 0"),
    ({"count": 7}, "params", "字段 params：七不可用"),
    ({"count": 7}, "", "七不可用"),
    ("x", "", "应为映射（键: 值）"),
])
def test_locations_read_as_the_author_wrote_them(data, prefix, said):
    got = _said(data, prefix)
    assert got == said
    assert "[key]" not in got and "整体" not in got and ".0" not in got


def test_location_counts_items_from_one():
    assert location(("status", 0)) == "status 第 1 个"
    assert location((0, "part")) == "第 1 个的 part"
    assert location(("when", "foo", "[key]"), "params") == "params.when.foo"
    assert location((), "params") == "params" and location(()) == ""
