"""The rule engine's kinds: one module per kind, each with a Params model and check(doc, params).

A new rule of an existing kind is a YAML entry in rules/checks/; a new kind is one module here
and one line in REGISTRY."""
from . import (cleaned, closing, concrete, consistency, contradiction, coverage, cut, dates, deadline, genre,
               indicator, meta, numbering, order, outline, pattern, problems, quote, repeated, terms, years)

REGISTRY = {
    "outline": outline,
    "order": order,
    "numbering": numbering,
    "consistency": consistency,
    "pattern": pattern,
    "closing": closing,
    "meta": meta,
    "years": years,
    "dates": dates,
    "deadline": deadline,
    "cleaned": cleaned,
    "terms": terms,
    "quote": quote,
    "indicator": indicator,
    "contradiction": contradiction,
    "problems": problems,
    "concrete": concrete,
    "coverage": coverage,
    "cut": cut,
    "genre": genre,
    "repeated": repeated,
}
