"""Every write of pledge campaigns: launching one (``launch``), and pledging, withdrawing, meeting the
condition and closing at the deadline (``pledging``). See ``docs/collective-action.md``."""

from commune.pledges.services.launch import pledge_campaign_launch
from commune.pledges.services.pledging import (
    PledgeRunReport,
    pledge_made,
    pledge_make,
    pledge_withdraw,
    pledges_run_due,
)

__all__ = [
    "PledgeRunReport",
    "pledge_campaign_launch",
    "pledge_made",
    "pledge_make",
    "pledge_withdraw",
    "pledges_run_due",
]
