"""Stable vocabularies of CONTRACT.md v1 (plus additive extensions, marked).

These ids are part of the public contract: never rename or reuse one.
"""

from __future__ import annotations

from typing import Literal, get_args

SubjectType = Literal[
    "legal_person",
    "unincorporated_org",
    "individual_business",
    "natural_person",
    "government_body",
    "civil_servant",
]
Role = Literal["legal_representative", "principal", "directly_responsible", "actual_controller"]
Category = Literal["basic", "positive", "negative", "other"]
SeverityName = Literal["minor", "general", "serious"]
# Extension (additive): disciplinary_sanction and accountability, the 政务失信 bases of
# 通政发〔2018〕25号《南通市加强政务诚信建设实施方案》二(二).
BasisType = Literal[
    "court_judgment",
    "arbitral_award",
    "admin_penalty",
    "admin_ruling",
    "admin_decision",
    "commitment_breach",
    "disciplinary_sanction",
    "accountability",
    "other",
]
Procedure = Literal["ordinary", "simple"]
Penalty = Literal[
    "warning",
    "public_criticism",
    "fine_small",
    "fine_large",
    "fine_huge",
    "confiscation",
    "license_suspension",
    "qualification_downgrade",
    "license_revocation",
    "business_restriction",
    "production_suspension",
    "closure",
    "occupation_ban",
    "detention",
]
RecordStatus = Literal[
    "active", "expired", "repaired", "under_objection", "corrected_away", "refused"
]
ListId = Literal[
    "blacklist",
    "redlist",
    "key_attention",
    "big_data_warning",
    "court.dishonest_debtor",
    "tax.major_violation",
    "samr.serious_violation",
    "procurement.ban",
    "wages.arrears",
    "safety.serious",
]
Matter = Literal[
    "government_procurement",
    "bidding",
    "fiscal_support",
    "award_evaluation",
    "notify_commit_approval",
    "civil_service_promotion",
    "high_consumption",
]
Outcome = Literal["allow", "priority", "restrict", "deny"]
# Extensions (additive): objection_upheld / objection_rejected (the provider's answer, 通政发
# 〔2018〕25号 第三十二条), repair_granted (修复决定), volunteer_service (通知 三).
EventType = Literal[
    "objection_filed",
    "objection_forwarded",
    "objection_upheld",
    "objection_rejected",
    "repair_applied",
    "repair_pushed",
    "repair_accepted",
    "repair_granted",
    "penalty_decided",
    "license_decided",
    "list_decided",
    "obligation_performed",
    "volunteer_service",
    # 令36号 第二十条: a company in reorganisation or settlement applies with the court ruling.
    "reorganisation_applied",
]
DeadlineProcedure = Literal[
    "objection.review",
    "objection.provider_verification",
    "objection.correction",
    "repair.publicity",
    "repair.acceptance",
    "repair.decision",
    "repair.decision_extended",
    "disclosure.double_publicity",
    "list.reporting",
    "court_list.deletion",
    # Extensions (additive): Huangshi's periodic reports (黄信用办〔2017〕5号).
    "report.monthly_cases",
    "report.quarterly_progress",
    # 令36号 第十六条第一款 (信用中国's reply), 第二十条 (masking during reorganisation);
    # 令54号 第二十三条 (publication stops after an approved early stop).
    "repair.reply",
    "repair.reorganisation_masking",
    "repair.publication_stop",
]
# Extension (additive): the disclosure classes of 通政发〔2018〕25号 第十九条.
Disclosure = Literal["public", "government_shared", "authorised_query"]
MeasureKind = Literal["sanction", "reward", "management"]
MeasureTarget = Literal[
    "subject",
    "legal_representative",
    "principal",
    "directly_responsible",
    "actual_controller",
]
Supervision = Literal["reduced", "normal", "increased"]


def values(lit: object) -> tuple[str, ...]:
    """The allowed values of a Literal vocabulary, in declaration order."""
    return tuple(str(v) for v in get_args(lit))


ORDER_OF_OUTCOMES: tuple[str, ...] = ("priority", "allow", "restrict", "deny")
