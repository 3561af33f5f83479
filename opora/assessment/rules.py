"""Who may do what with results and runs: importing results, methodologies, runs and their
approval are the region's work; reading follows ``selectors.can_see_runs``."""

import rules

from opora.accounts.rules import writes_region

rules.add_perm("assessment.manage_results", writes_region)
