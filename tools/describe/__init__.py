"""Product copy generation: grounded in the catalog's facts and review snippets, checked claim by claim.

``describe_product(request, endpoint, catalog, engine)`` for one product; ``describe_batch`` for many.
"""

from tools.describe.batch import BatchReport, describe_batch
from tools.describe.claims import ClaimChecker
from tools.describe.facts import NoAttributesError, SourceFacts
from tools.describe.models import Claim, DescribeRequest, DescribeResult, ProductCopy
from tools.search.models import ReviewSnippet
from tools.describe.pipeline import Describer, InvalidCopyError, describe_product

__all__ = [
    "BatchReport", "Claim", "ClaimChecker", "DescribeRequest", "DescribeResult", "Describer", "InvalidCopyError",
    "NoAttributesError", "ProductCopy", "ReviewSnippet", "SourceFacts", "describe_batch", "describe_product",
]
