"""Writes for dues: payments, payment files, corrections and refunds, changes of wage band, hardship exemptions, arrears brought forward, and lapsing
for arrears after notice (see each module)."""

from commune.dues.services.adjustments import dues_payment_correct, dues_refund_record
from commune.dues.services.bands import wage_band_change_record, wage_bands_moved_record
from commune.dues.services.exemptions import arrears_brought_forward_record, dues_exemption_record
from commune.dues.services.lapsing import (
    DuesRunReport,
    dues_lapse,
    dues_run_due,
    notices_settle,
    voting_standing_bar,
)
from commune.dues.services.payments import DuesImportReport, dues_import, dues_payment_record

__all__ = [
    "DuesImportReport",
    "DuesRunReport",
    "arrears_brought_forward_record",
    "dues_exemption_record",
    "dues_import",
    "dues_lapse",
    "dues_payment_correct",
    "dues_payment_record",
    "dues_refund_record",
    "dues_run_due",
    "notices_settle",
    "voting_standing_bar",
    "wage_band_change_record",
    "wage_bands_moved_record",
]
