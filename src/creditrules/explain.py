"""Render a decision for people, in Chinese (default) or English.

Every conclusion is shown with the articles it rests on; the trace can be filtered
to fired rules (default) or all rules considered.
"""

from __future__ import annotations

from typing import Any, Literal

from creditrules.model.decision import Decision

Mapping = dict[str, Any]

Lang = Literal["zh", "en"]

_ZH: Mapping = {
    "status": {
        "active": "有效",
        "expired": "已过有效期",
        "repaired": "已修复",
        "under_objection": "异议处理中",
        "corrected_away": "已更正删除",
        "refused": "不予归集",
    },
    "severity": {"minor": "轻微失信", "general": "一般失信", "serious": "严重失信", None: "未分级"},
    "outcome": {
        "allow": "准予",
        "priority": "优先",
        "restrict": "限制",
        "deny": "禁止",
        None: "无规则",
    },
    "yes": "是",
    "no": "否",
}
#: Chinese names of the stable ids; an id not listed is shown as written.
_ZH_TERMS: dict[str, str] = {
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
    "not_yet_published": "信息尚未公布",
    "publication_ended": "公布期已满，已停止公布",
    "no_tax_pledge": "未提交诚信纳税承诺书",
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


def _term(code: str | None, lang: str) -> str:
    if code is None:
        return "—"
    return _ZH_TERMS.get(code, code) if lang == "zh" else code


_EN: Mapping = {
    "status": {
        k: k.replace("_", " ")
        for k in ("active", "expired", "repaired", "under_objection", "corrected_away", "refused")
    },
    "severity": {
        "minor": "minor",
        "general": "general",
        "serious": "serious",
        None: "unclassified",
    },
    "outcome": {
        "allow": "allow",
        "priority": "priority",
        "restrict": "restrict",
        "deny": "deny",
        None: "no rule",
    },
    "yes": "yes",
    "no": "no",
}
_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "信用决定说明",
        "ruleset": "规则集",
        "layers": "所依上位规则集（按评估日期）",
        "as_of": "评估日期",
        "subject": "信用主体",
        "records": "信用信息",
        "status": "状态",
        "severity": "失信程度",
        "publishable": "可公开",
        "usable": "可作为惩戒依据",
        "publication": "公示期",
        "repair": "信用修复",
        "eligible": "可申请修复",
        "earliest": "最早可申请日",
        "unmet": "未满足条件",
        "never": "不可修复",
        "lists": "名单",
        "active": "有效",
        "since": "自",
        "until": "至",
        "measures": "措施",
        "matters": "事项",
        "deadlines": "期限",
        "due": "届满日",
        "grade": "信用等级",
        "basis": "依据",
        "trace": "适用规则",
        "fired": "已适用",
        "notfired": "未适用",
        "because": "因",
        "none": "无",
        "routes": "修复途径",
        "objection": "异议处理中（不影响公示与应用）",
        "warnings": "输入警告",
    },
    "en": {
        "title": "Credit decision explained",
        "ruleset": "Ruleset",
        "layers": "On (in force on the date)",
        "as_of": "As of",
        "subject": "Subject",
        "records": "Records",
        "status": "status",
        "severity": "severity",
        "publishable": "publishable",
        "usable": "usable for sanction",
        "publication": "publication",
        "repair": "repair",
        "eligible": "may apply for repair",
        "earliest": "earliest on",
        "unmet": "unmet",
        "never": "never repairable",
        "lists": "Lists",
        "active": "active",
        "since": "from",
        "until": "until",
        "measures": "Measures",
        "matters": "Matters",
        "deadlines": "Deadlines",
        "due": "due",
        "grade": "Grade",
        "basis": "basis",
        "trace": "Rules applied",
        "fired": "fired",
        "notfired": "did not fire",
        "because": "because of",
        "none": "none",
        "routes": "repair routes",
        "objection": "under objection (still published and used)",
        "warnings": "Input warnings",
    },
}


def _layer_lines(d: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The versions the ruleset was evaluated on (``ruleset.layers``), when there are any."""
    layers = d["ruleset"].get("layers") or []
    if not layers:
        return []
    shown = ", ".join(f"{x['id']}@{x['version']} ({x['sha256'][:12]})" for x in layers)
    return [f"{labels['layers']}: {shown}"]


#: The mark shown before each cited text: the instrument's words or the project's summary.
_KIND_MARK = {
    "zh": {"quote": "〔原文〕", "summary": "〔摘要〕"},
    "en": {"quote": "[quote]", "summary": "[summary]"},
}
_UNVERIFIED = {"zh": "〔未核实：{}〕", "en": "[unverified: {}]"}
_NO_NUMBER = {"zh": "无文号：{}", "en": "no document number: {}"}


def _cites(basis: list[dict[str, Any]], indent: str, lang: Lang = "zh") -> list[str]:
    out = []
    seen: set[tuple[str, str]] = set()
    for c in basis:
        key = (c.get("number") or c["document"], c["article"])
        if key in seen:
            continue
        seen.add(key)
        num = f"{c['number']} " if c.get("number") else ""
        # Decisions made before citations carried a kind: say nothing rather than guess.
        mark = _KIND_MARK[lang].get(c.get("kind") or "", "")
        if c.get("unverified"):
            mark += _UNVERIFIED[lang].format(c["unverified"])
        line = f"{indent}- {c['document']}（{num}{c['article']}）{mark}：{c['text']}"
        if not c.get("number") and c.get("no_number_reason"):
            line += f"（{_NO_NUMBER[lang].format(c['no_number_reason'])}）"
        out.append(line)
    return out


def explain(
    decision: Decision | dict[str, Any], *, lang: Lang = "zh", all_rules: bool = False
) -> str:
    """A plain-text account of a decision and the law behind each conclusion.

    Args:
        decision: a Decision or its JSON document.
        lang: ``zh`` (the default) or ``en``.
        all_rules: show every rule considered, not only those that fired.

    Returns:
        The text ``creditrules explain`` prints.
    """
    d = (
        decision.model_dump(mode="json", by_alias=True)
        if isinstance(decision, Decision)
        else decision
    )
    L = _LABELS[lang]
    V = _ZH if lang == "zh" else _EN

    def yn(b: object) -> str:
        return str(V["yes"] if b else V["no"])

    rs = d["ruleset"]
    lines: list[str] = [
        f"# {L['title']}",
        f"{L['ruleset']}: {rs['id']}@{rs['version']} ({rs['sha256'][:12]})",
        *_layer_lines(d, L),
        f"{L['as_of']}: {d['as_of']}",
        f"{L['subject']}: {d['subject']['id']} ({_term(d['subject']['type'], lang)})",
    ]
    if d.get("warnings"):
        lines += ["", f"## {L['warnings']}"]
        lines += [f"- {w['field']}: {w[lang]} [{w['code']}]" for w in d["warnings"]]
    lines += ["", f"## {L['records']}"]
    for r in d["records"]:
        pub = r["publication"]
        rep = r["repair"]
        lines += [
            f"### {r['id']}: {V['status'][r['status']]} / {V['severity'].get(r['severity'], r['severity'])}",
            f"  {L['publishable']}: {yn(r['publishable'])}; {L['usable']}: {yn(r['usable_for_sanction'])}"
            + (f"; {L['objection']}" if r.get("under_objection") else ""),
            f"  {L['publication']}: {pub['from'] or '—'} → {pub['max_until'] or '—'}"
            + (f" (min {pub['min_until']})" if pub["min_until"] else ""),
            f"  {L['repair']}: {L['eligible']}: {yn(rep['eligible'])}"
            + (f"; {L['earliest']}: {rep['earliest_on']}" if rep["earliest_on"] else "")
            + (
                f"; {L['unmet']}: {', '.join(_term(u, lang) for u in rep['unmet'])}"
                if rep["unmet"]
                else ""
            )
            + (f"; {L['never']}" if rep["never"] else "")
            + (
                f"; {L['routes']}: {', '.join(_term(u, lang) for u in rep['routes'])}"
                if rep.get("routes")
                else ""
            ),
            f"  {L['basis']}:",
        ]
        lines += _cites(r["basis"] + pub["basis"] + rep["basis"], "    ", lang)
    lines += ["", f"## {L['lists']}"]
    for e in d["lists"] or []:
        lines.append(
            f"- {_term(e['list'], lang)}: {L['active']}: {yn(e['active'])}; {L['since']} {e['since']} {L['until']} {e['until'] or '—'}; {L['because']} {', '.join(e['because']) or '—'}"
        )
        lines += _cites(e["basis"], "    ", lang)
    if not d["lists"]:
        lines.append(f"- {L['none']}")
    lines += ["", f"## {L['measures']}"]
    for m in d["measures"] or []:
        who = _term(m["target"], lang) + (f" {m['person']}" if m.get("person") else "")
        lines.append(
            f"- {m['title']}（{_term(m['kind'], lang)}，{who}）{L['until']} {m['until'] or '—'}; {L['because']} {', '.join(m['because']) or '—'}"
        )
        lines += _cites(m["basis"], "    ", lang)
    if not d["measures"]:
        lines.append(f"- {L['none']}")
    lines += ["", f"## {L['matters']}"]
    for m in d["matters"] or []:
        lines.append(
            f"- {_term(m['matter'], lang)}: {V['outcome'][m['outcome']]}"
            + (f" ({m['reason']})" if m.get("reason") else "")
        )
        lines += _cites(m["basis"], "    ", lang)
    if not d["matters"]:
        lines.append(f"- {L['none']}")
    lines += ["", f"## {L['deadlines']}"]
    for dl in d["deadlines"] or []:
        due = dl["due"] or f"— ({dl['error']})"
        lines.append(
            f"- {_term(dl['procedure'], lang)}: {dl['from']} + {dl['duration']} → {L['due']} {due}"
        )
        lines += _cites(dl["basis"], "    ", lang)
    if not d["deadlines"]:
        lines.append(f"- {L['none']}")
    if d.get("grade"):
        g = d["grade"]
        lines += ["", f"## {L['grade']}", f"- {g['code']} {g['title']} ({g['supervision']})"]
        lines += _cites(g["basis"], "    ", lang)
    lines += ["", f"## {L['trace']}"]
    for t in d["trace"]:
        if t["fired"]:
            lines.append(
                f"- [{L['fired']}] {t['rule']} @ {t['fact']}: {t['effect']}"
                + (
                    f" (overridden by {', '.join(t['overridden_by'])})"
                    if t["overridden_by"]
                    else ""
                )
            )
        elif all_rules:
            lines.append(f"- [{L['notfired']}] {t['rule']} @ {t['fact']}: {t['why_not']}")
    return "\n".join(lines) + "\n"
