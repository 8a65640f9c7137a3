"""Chinese names of the stable ids a decision uses, and of the explanation's own words.

An id not listed here is shown as written (it is a code, e.g. a list id of a city's own
vocabulary); a test over the bundled rulesets keeps the list complete for them.
"""

from __future__ import annotations

#: Chinese names of the stable ids.
ZH_TERMS: dict[str, str] = {
    # subject types
    "legal_person": "法人",
    "unincorporated_org": "非法人组织",
    "individual_business": "个体工商户",
    "natural_person": "自然人",
    "government_body": "政府部门",
    "civil_servant": "公务员",
    # lists
    "blacklist": "黑名单（严重失信主体名单）",
    "redlist": "红名单",
    "key_attention": "重点关注名单",
    "big_data_warning": "大数据警示名单",
    "court.dishonest_debtor": "失信被执行人名单",
    "tax.major_violation": "重大税收违法失信主体",
    "samr.serious_violation": "市场监督管理严重违法失信名单",
    "procurement.ban": "政府采购禁入",
    "wages.arrears": "拖欠农民工工资失信联合惩戒对象名单",
    "safety.serious": "安全生产严重失信主体名单",
    # matters
    "government_procurement": "政府采购",
    "bidding": "招标投标",
    "fiscal_support": "财政资金支持",
    "award_evaluation": "评优评先",
    "notify_commit_approval": "告知承诺审批",
    "civil_service_promotion": "公务员职务晋升",
    "high_consumption": "高消费",
    # measure kinds and targets
    "sanction": "惩戒",
    "reward": "激励",
    "management": "管理",
    "subject": "信用主体",
    "legal_representative": "法定代表人",
    "principal": "主要负责人",
    "directly_responsible": "直接责任人",
    "actual_controller": "实际控制人",
    # repair findings
    "not_corrected": "尚未纠正失信行为",
    "one_year_since_correction": "自纠正之日起未满1年",
    "same_type_recurred": "纠正后1年内再次发生同类失信行为",
    "same_type_not_established": "未能认定纠正后1年内未再发生同类失信行为（缺少失信行为类别）",
    "no_pledge": "未作出信用承诺",
    "outside_validity": "已不在失信信息使用期限内",
    "already_repaired": "已修复",
    "not_negative_information": "非失信信息",
    "intentional": "属主观故意",
    "intent_not_established": "未认定是否主观故意",
    "not_rectified": "尚未整改到位",
    "corrected_on_objection": "已因异议更正",
    "written_application": "书面申请",
    "court_early_deletion": "履行或纠正后法院提前删除",
    "credit_china": "通过“信用中国”申请",
    "credit_china_free_of_charge": "通过“信用中国”免费申请",
    "tax_bankruptcy_reorganisation": "破产重整、和解中申请提前停止公布",
    "tax_emergency_contribution": "重大突发事件中作出突出贡献申请提前停止公布",
    "credit_commitment": "作出信用承诺",
    "finding_unit_or_platform": "向认定单位或信用平台申请",
    "offline_application": "线下申请",
    "online_application": "线上申请",
    "repair_training": "参加信用修复培训",
    "harm_not_removed": "危害后果和不良影响未消除",
    "information_corrected_away": "信息已更正",
    "listed_less_than_one_year": "列入未满1年",
    "listed_less_than_twelve_months": "列入未满12个月",
    "min_period_not_reached": "未满最短公示期",
    "minimum_publication_not_reached": "未满最短公示期",
    "not_performed_or_corrected": "未履行义务或未纠正",
    "obligations_not_performed": "未履行法定义务",
    "on_serious_violation_list": "仍在严重违法失信名单内",
    "penalty_not_performed": "行政处罚未履行",
    "penalty_term_running": "处罚规定的期限未届满",
    "published_less_than_six_months": "公布未满6个月",
    "severity_not_determined": "失信程度未认定",
    "taxes_not_paid": "税款、滞纳金、罚款未缴清",
    "wait_after_correction": "纠正后等待期未满",
    "volunteer_service": "志愿服务、社会公益服务",
    "provider_decision": "信息提供主体决定",
    # deadlines
    "objection.review": "异议审核",
    "objection.provider_verification": "信息提供单位核实",
    "objection.correction": "异议更正",
    "repair.publicity": "信用修复公示",
    "repair.acceptance": "修复受理",
    "repair.decision": "修复决定",
    "repair.decision_extended": "修复决定（延长）",
    "disclosure.double_publicity": "双公示",
    "list.reporting": "红黑名单报送",
    "court_list.deletion": "失信被执行人名单删除",
    "report.monthly_cases": "联合奖惩案例月报",
    "report.quarterly_progress": "工作进展季报",
    "repair.reply": "“信用中国”反馈修复结果",
    "repair.reorganisation_masking": "重整期间临时屏蔽失信信息",
    "repair.publication_stop": "批准后停止公布",
}

ZH_TERMS.update(
    {
        # record status and severity
        "active": "有效",
        "expired": "已过有效期",
        "repaired": "已修复",
        "under_objection": "异议处理中",
        "corrected_away": "已更正删除",
        "refused": "不予归集",
        "minor": "轻微失信",
        "general": "一般失信",
        "serious": "严重失信",
        # matter outcomes
        "allow": "准予",
        "priority": "优先",
        "restrict": "限制",
        "deny": "禁止",
        # supervision
        "reduced": "降低监管",
        "normal": "常规监管",
        "increased": "加强监管",
        # values a rule may set aside (Decision.displaced[].on)
        "status": "状态",
        "negative": "失信信息认定",
        "publishable": "可否公开",
        "usable_for_sanction": "可否作为惩戒依据",
        "classify:severity": "失信程度",
        "severity": "失信程度",
        "period:validity": "有效期",
        "period:publication_min": "最短公示期",
        "period:publication_max": "最长公示期",
        "period:repair_wait": "修复等待期",
        "period:lookback": "回溯期",
        "grade:": "信用等级",
        "repair:special": "信用修复（名单的特别规定优先）",
        # facts
        "subject": "信用主体",
    }
)

#: English names of the few ids whose code is not already an English word.
EN_TERMS: dict[str, str] = {
    "usable_for_sanction": "usable for sanction",
    "classify:severity": "severity",
    "period:validity": "validity",
    "period:publication_min": "minimum publication",
    "period:publication_max": "maximum publication",
    "period:repair_wait": "repair waiting period",
    "period:lookback": "look-back window",
    "grade:": "grade",
    "repair:special": "repair (the list's special provisions prevail)",
}
