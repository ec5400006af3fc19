"""Minimal valid request bodies for the access matrix's write cells: generated from the operation's
schema (required fields only), with hand-made bodies where the schema alone does not make a valid
one. A body that passes validation lets the service reach its ownership check, so another tenant's
object and a missing id are answered from the lookup (404), not from the body (422)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from ipops.clock import district_today
from tests.e2e.access_world import World

BODIES: dict[str, Any] = {
    "pledge_register_bank": lambda w, L: {"id": "bank-mx-new", "name": "New bank"},
    "pledge_create_pool": lambda w, L: {"id": "pool-mx-new", "name": "New pool"},
    "pledge_create_agreement": lambda w, L: {
        "pool_id": f"pool-bank-mx-{L}",
        "bank_id": f"bank-mx-{L}",
        "terms": {"shares": {"pool": "54", "bank": "26", "insurer": "16", "valuer": "4"}},
    },
    "pledge_contribute": lambda w, L: {"source": "district", "amount": "1.00"},
    "pledge_create_enterprise": lambda w, L: {"credit_code": w.values[f"code_{L}"], "name": "Dongli Enterprise"},
    "pledge_create_right": lambda w, L: {
        "kind": "patent",
        "number": w.values[f"patent_{L}"],
        "title": "a patent",
        "owner_credit_code": w.values[f"code_{L}"],
    },
    "pledge_appraise_right": lambda w, L: {"value": "1000.00", "valuer": "Valuers", "appraised_date": "2026-10-01"},
    "pledge_submit_loan": lambda w, L: {
        "enterprise_credit_code": w.values[f"code_{L}"],
        "amount": "1000.00",
        "term_months": 12,
        "right_ids": w.values[f"right_ids_{L}"],
        "other_collateral_value": "0",
    },
    "pledge_file_claim": lambda w, L: {"loss": "1.00"},
    "pledge_record_recovery": lambda w, L: {"amount": "1.00"},
    "pledge_record_repayment": lambda w, L: {"principal": "1.00", "paid_date": "2026-11-01"},
    "pledge_credit_interest": lambda w, L: {"amount": "1.00"},
    "navigation_move_project": lambda w, L: {"move": "complete_phase"},
    "pledge_move_loan": lambda w, L: {"move": "approve"},
    "pledge_update_registration": lambda w, L: {"status": "changed", "registration_number": "Y2026980009999"},
    "trusteeship_register_agency": lambda w, L: {
        "id": "agency-mx-new",
        "name": "New agency",
        "contract_number": "DL-MX-NEW",
        "contract_start_date": "2019-01-01",
        "contract_end_date": "2027-12-31",
        "quota": 1,
    },
    "trusteeship_transfer_enrolment": lambda w, L: {
        "to_agency_id": "agency-mx-b",
        "transfer_date": "2026-11-01",
        "reason": "reassigned",
    },
    "trusteeship_exit_enrolment": lambda w, L: {"end_date": "2026-11-01", "reason": "contract ended"},
    "trusteeship_log_work": lambda w, L: {
        "credit_code": w.values[f"code_{L}"],
        "service_type": "training",
        "work_date": "2025-03-04",
        "hours": "1.0",
        "description": "IP basics",
    },
    "trusteeship_record_payment": lambda w, L: {"amount": "1.00", "paid_date": "2026-11-01"},
    "trusteeship_grant_patent": lambda w, L: {"grant_date": "2024-06-10"},
    "trusteeship_add_patent": lambda w, L: {
        "number": w.values["new_patent"],
        "title": "a",
        "filing_date": "2024-01-10",
    },
    "trusteeship_add_trademark": lambda w, L: {"number": "40730001", "mark": "MATRIX"},
    "gateway_create_client": lambda w, L: {"name": "matrix new", "role": "bank", "tenant_id": "bank-mx-new"},
    "navigation_add_milestone": lambda w, L: {"phase": "analysis", "title": "analysis", "due_date": "2025-06-01"},
    "navigation_create_portfolio": lambda w, L: {
        "credit_code": w.values[f"code_{L}"],
        "enterprise_name": "Matrix Pumps",
        "name": "another",
    },
    "navigation_put_applicant_alias": lambda w, L: {"variants": ["Matrix Applicant"]},
    "navigation_upsert_district_enterprise": lambda w, L: {"name": "Matrix District"},
    "enforcement_assign_handler": lambda w, L: {"handler_id": "handler-mx-new", "name": "New handler"},
    "enforcement_pause_clock": lambda w, L: {"reason": "expert opinion", "started_on": district_today().isoformat()},
    "enforcement_resume_clock": lambda w, L: {"ended_on": (district_today() + timedelta(days=1)).isoformat()},
    "enforcement_declare_calendar_year": lambda w, L: {"notice": "State Council notice"},
    "enforcement_put_calendar_day": lambda w, L: {"kind": "holiday", "name": "National Day"},
    "enforcement_add_document": lambda w, L: {
        "title": "evidence",
        "reference": "doc-1",
        "media_type": "application/pdf",
        "sha256": "0" * 64,
        "size_bytes": 10,
    },
    "enforcement_rate": lambda w, L: {"token": "matrix-made-up-token", "score": 5},
    "pledge_create_policy": lambda w, L: {
        "policy_number": f"PICC-MX-{L}",
        "insurer": "PICC",
        "product_type": "pledge_guarantee",
        "enterprise_credit_code": w.values[f"code_{L}"],
        "premium": "100.00",
        "sum_insured": "10000.00",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    },
    "trusteeship_enrol": lambda w, L: {
        "enterprise": {
            "credit_code": w.values[f"new_code_{L}"],
            "name": f"Matrix Valves {L.upper()} Co.",
            "industry": "high-end equipment",
            "size": "small",
            "address": "No. 2 Matrix Road",
        },
        "start_date": "2025-01-02",
        "reason": "purchase",
    },
    "navigation_create_project": lambda w, L: {
        "kind": "enterprise_operation",
        "title": "Another navigation",
        "industry": "high_end_equipment",
        "undertaking_org_name": "Matrix Agency",
        "budget": "1000.00",
        "start_date": "2025-03-01",
        "planned_end_date": "2025-12-31",
        "summary": "navigation",
        "beneficiary_credit_code": w.values[f"code_{L}"],
        "beneficiary_name": "Matrix Pumps",
    },
    "pledge_restate_disbursement": lambda w, L: {"reason": "matrix"},
    "trusteeship_restore_patent": lambda w, L: {"restored_date": "2026-11-02", "fee_paid": "1.00"},
    "operations_update_agency_profile": lambda w, L: {"business_lines": ["licensing"]},
    "operations_submit_revenue_report": lambda w, L: {"year": 2025, "revenue": "1.00", "evidence": "matrix"},
    "operations_reject_revenue_report": lambda w, L: {"reason": "matrix"},
    "operations_register_transaction": lambda w, L: ops_deal(w, L),
    "operations_rescind_transaction": lambda w, L: {"rescinded_on": "2026-01-02", "reason": "matrix"},
    "operations_report_royalty": lambda w, L: {"year": 2025, "amount": "1.00"},
    "operations_create_pool": lambda w, L: {"name": f"Matrix pool {uuid.uuid4().hex[:8]}", "industry": "other"},
    "operations_add_pool_member": lambda w, L: {
        "credit_code": w.values[f"ops_new_code_{L}"],
        "name": "Matrix member",
        "joined_on": "2025-01-01",
    },
    "operations_pool_member_leaves": lambda w, L: {"left_on": "2026-01-01"},
    "operations_add_pool_patent": lambda w, L: {
        "patent_number": w.values[f"ops_patent_{L}"],
        "owner_credit_code": w.values[f"ops_code_{L}"],
        "added_on": "2025-01-02",
    },
    "operations_publish_pool_terms": lambda w, L: {
        "summary": "matrix",
        "royalty_basis": "1 %",
        "published_on": "2025-01-03",
    },
    "operations_create_alliance": lambda w, L: {
        "name": f"Matrix alliance {uuid.uuid4().hex[:8]}",
        "industry": "other",
        "founded_on": "2025-01-01",
    },
    "operations_join_alliance": lambda w, L: {
        "credit_code": w.values[f"ops_new_code_{L}"],
        "name": "Matrix member",
        "joined_on": "2025-02-01",
    },
    "operations_leave_alliance": lambda w, L: {"left_on": "2026-01-01"},
    "operations_register_overseas_mark": lambda w, L: {
        "ir_number": str(1_600_000 + uuid.uuid4().int % 100_000),
        "basic_mark_number": "20250001",
        "mark": "MATRIX",
        "owner": {"credit_code": w.values[f"ops_code_{L}"], "name": "Matrix member"},
        "nice_classes": [7],
        "ir_date": "2025-01-01",
        "designations": [{"country": "DE"}],
    },
    "operations_change_designation": lambda w, L: {"status": "protected", "effective_on": "2025-06-01"},
    "operations_create_fund": lambda w, L: {
        "name": f"Matrix fund {uuid.uuid4().hex[:8]}",
        "size": "1000.00",
        "established_on": "2025-01-01",
    },
    "operations_invest": lambda w, L: {
        "credit_code": w.values[f"ops_code_{L}"],
        "enterprise_name": "Matrix member",
        "project": "matrix",
        "amount": "1.00",
        "equity_pct": "1",
        "invested_on": "2025-02-01",
    },
    "operations_exit_investment": lambda w, L: {"exited_on": "2026-01-01", "exit_amount": "1.00"},
    "operations_record_training_session": lambda w, L: {
        "held_on": "2025-03-01",
        "topic": "matrix",
        "organiser": "matrix",
        "attendance": 1,
    },
    "operations_register_commissioner": lambda w, L: {
        "name": "Matrix",
        "field": "matrix",
        "registered_on": "2025-03-01",
    },
    "operations_record_milestone": lambda w, L: {
        "goal": 7,
        "title_zh": "矩阵",
        "title_en": "matrix",
        "achieved_on": "2025-03-01",
        "evidence": "matrix",
    },
    "enforcement_open_case": lambda w, L: {
        "case_type": "patent_mediation",
        "channel": "ordinary",
        "title": "Another dispute",
        "parties": [
            {"role": "requester", "kind": "enterprise", "name": "Matrix Pumps", "credit_code": w.values[f"code_{L}"]},
            {"role": "respondent", "kind": "enterprise", "name": "Other Co.", "credit_code": "91110000600037341L"},
        ],
        "patent_numbers": [],
        "trademark_numbers": [],
    },
}


def ops_deal(w: World, letter: str) -> dict[str, Any]:
    """A licence an agency brokered (operations' register); its parties are the world's enterprises."""
    return {
        "kind": "ordinary_licence",
        "right_kind": "patent",
        "right_numbers": [w.values[f"ops_patent_{letter}"]],
        "transferor": {"credit_code": w.values[f"code_{letter}"], "name": "Matrix Pumps"},
        "transferee": {"credit_code": "91110000600037341L", "name": "Other Co."},
        "start_date": "2025-01-01",
        "amount": "1.00",
        "payment_form": "lump_sum",
        "contracted_on": "2025-01-01",
    }


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    return schema


def instance(schema: dict[str, Any], components: dict[str, Any], name: str = "") -> Any:
    """A minimal instance of a JSON schema: required properties only, first enum value, lower bounds."""
    schema = resolve(schema, components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(s, components).get("type") != "null"]
            return instance(options[0], components, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: instance(props[k], components, k) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return [instance(schema.get("items", {}), components, name) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-11-02"
    if schema.get("format") == "date-time":
        return "2026-11-02T08:00:00+08:00"
    return "matrix" if "amount" not in name else "1.00"


def body(op_id: str, operation: dict[str, Any], components: dict[str, Any], w: World, letter: str) -> Any:
    if op_id in BODIES:
        return BODIES[op_id](w, letter)
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return instance(content["application/json"]["schema"], components)
