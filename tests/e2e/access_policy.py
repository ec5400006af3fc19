"""Who may call what, as data: the expectations of the access matrix (tests/e2e/test_access_matrix.py).

One `Rule` per operationId of the gateway's merged OpenAPI. A caller is one of six roles: the
anonymous public, the district office (operator), two banks and two agencies. For an operation with
path parameters the object dimension is the caller's own object, another tenant's object and a
well-formed missing id; the world fixture makes, per resource `kind`, one object owned by tenant A
and one by tenant B.

Scopes: None = the role may not call it (403; anonymous 401); "own" = only objects its tenant owns
(another tenant's answers 404, exactly like a missing id); "all" = any object of the kind.
The operator reaches everything unless `operator=False`.

Pledge holds the target policy of issue #15 (banks see only their own rights, loans and claims, their
own bank record, pools they have an agreement with and no other bank's figures; agencies get 403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Scope = Literal["own", "all"] | None
ROLES = ("anonymous", "operator", "bank_a", "bank_b", "agency_a", "agency_b")


@dataclass(frozen=True)
class Rule:
    bank: Scope = None
    agency: Scope = None
    operator: bool = True
    public: bool = False
    kind: str | None = None  # the resource the path parameters name
    fixed: dict[str, Any] = field(default_factory=dict)  # path parameters that are not an object
    query: dict[str, Any] = field(default_factory=dict)
    upsert: bool = False  # PUT creates what is missing / DELETE of what is missing is done: "ok"
    destructive: bool = False  # its own-object write runs last
    access_only: bool = False  # no valid body built: the body is refused (422) before the lookup
    overrides: dict[tuple[str, str], Any] = field(default_factory=dict)  # (role, object) -> expected
    note: str = ""


def op(**kwargs: Any) -> Rule:
    return Rule(**kwargs)


PUBLIC = Rule(public=True, bank="all", agency="all")
OPERATOR = Rule()
BANK_OWN = Rule(bank="own")
BANK_LIST = Rule(bank="all")
AGENCY_OWN = Rule(agency="own")
AGENCY_LIST = Rule(agency="all")


POLICY: dict[str, Rule] = {
    # --- gateway: identity, administration, the public read model -------------------------------
    "gateway_jwks": PUBLIC,
    "gateway_openid_configuration": PUBLIC,
    "gateway_asyncapi": PUBLIC,
    "gateway_healthz": PUBLIC,
    "gateway_readyz": op(
        public=True, overrides={(r, "-"): "up" for r in ROLES}, note="200 or 503 (readiness, not access)"
    ),
    "gateway_issue_token": op(public=True, bank="all", agency="all", note="client credentials of a test client"),
    "public_progress": PUBLIC,
    "public_navigation_projects": PUBLIC,
    "public_enforcement_statistics": PUBLIC,
    "gateway_list_clients": OPERATOR,
    "gateway_create_client": OPERATOR,
    "gateway_disable_client": op(kind="client", destructive=True),
    "gateway_enable_client": op(kind="client"),
    "gateway_rotate_client_secret": op(kind="client", destructive=True),
    "gateway_list_keys": OPERATOR,
    "gateway_rotate_keys": op(destructive=True),
    "gateway_rebuild_read_model": OPERATOR,
    # --- pledge (target policy; agencies refused) -----------------------------------------------
    "pledge_list_banks": BANK_LIST,
    "pledge_register_bank": OPERATOR,
    "pledge_reinstate_bank": op(kind="bank"),
    "pledge_list_claims": BANK_LIST,
    "pledge_get_claim": op(bank="own", kind="claim"),
    "pledge_list_collateral_alerts": BANK_LIST,
    "pledge_recompute_dpd": OPERATOR,
    "pledge_create_enterprise": BANK_LIST,
    "pledge_get_enterprise": op(bank="own", kind="pledge_enterprise"),
    "pledge_list_policies": BANK_LIST,
    "pledge_create_policy": OPERATOR,
    "pledge_list_loans": BANK_LIST,
    "pledge_submit_loan": op(bank="all", operator=False),
    "pledge_get_loan": op(bank="own", kind="loan"),
    "pledge_file_claim": op(bank="own", operator=False, kind="loan"),
    "pledge_loan_history": op(bank="own", kind="loan"),
    "pledge_record_recovery": op(bank="own", operator=False, kind="loan"),
    "pledge_update_registration": op(bank="own", operator=False, kind="loan"),
    "pledge_record_repayment": op(bank="own", operator=False, kind="loan"),
    "pledge_move_loan": op(bank="own", operator=False, kind="loan"),
    "pledge_list_agreements": BANK_LIST,
    "pledge_create_agreement": OPERATOR,
    "pledge_create_pool": OPERATOR,
    "pledge_get_pool": op(bank="own", kind="pool"),
    "pledge_contribute": op(kind="pool"),
    "pledge_credit_interest": op(kind="pool"),
    "pledge_pool_ledger": op(bank="own", kind="pool"),
    "pledge_create_right": BANK_LIST,
    "pledge_get_right": op(bank="own", kind="right"),
    "pledge_appraise_right": op(bank="own", kind="right"),
    "pledge_statistics": BANK_LIST,
    # --- trusteeship ------------------------------------------------------------------------------
    "trusteeship_list_agencies": AGENCY_LIST,
    "trusteeship_register_agency": OPERATOR,
    "trusteeship_get_agency": op(agency="own", kind="agency"),
    "trusteeship_update_agency": op(kind="agency"),
    "trusteeship_docket_window": AGENCY_LIST,
    "trusteeship_run_docket": OPERATOR,
    "trusteeship_list_enrolments": AGENCY_LIST,
    "trusteeship_enrol": AGENCY_LIST,
    "trusteeship_exit_enrolment": op(agency="own", kind="enrolment", destructive=True),
    "trusteeship_transfer_enrolment": op(kind="enrolment", destructive=True),
    "trusteeship_list_enterprises": AGENCY_LIST,
    "trusteeship_enterprise_profile": op(agency="own", kind="enterprise"),
    "trusteeship_update_enterprise": op(agency="own", kind="enterprise"),
    "trusteeship_enterprise_docket": op(agency="own", kind="enterprise"),
    "trusteeship_add_patent": op(agency="own", kind="enterprise"),
    "trusteeship_grant_patent": op(agency="own", kind="patent"),
    "trusteeship_add_trademark": op(agency="own", kind="enterprise"),
    "trusteeship_record_payment": op(agency="own", kind="deadline"),
    "trusteeship_first_patents": AGENCY_LIST,
    "trusteeship_certifications": AGENCY_LIST,
    "trusteeship_coverage": AGENCY_LIST,
    "trusteeship_valid_patents": AGENCY_LIST,
    "trusteeship_work_statistics": AGENCY_LIST,
    "trusteeship_list_work_logs": AGENCY_LIST,
    "trusteeship_log_work": op(agency="all", operator=False),
    "trusteeship_upload_work": op(agency="all", operator=False),
    "trusteeship_work_log_template": AGENCY_LIST,
    "trusteeship_work_queue": AGENCY_LIST,
    "trusteeship_close_queue_item": op(agency="own", kind="queue_item"),
    "trusteeship_zero_patent_enterprises": AGENCY_LIST,
    # --- navigation -------------------------------------------------------------------------------
    "navigation_list_applicant_aliases": OPERATOR,
    "navigation_get_applicant_alias": op(kind="alias"),
    "navigation_put_applicant_alias": op(kind="alias", upsert=True),
    "navigation_delete_applicant_alias": op(kind="alias", destructive=True),
    "navigation_list_district_enterprises": AGENCY_LIST,
    "navigation_upsert_district_enterprise": op(kind="district_enterprise", upsert=True),
    "navigation_landscape_of_records": AGENCY_LIST,
    "navigation_get_dataset": op(agency="own", kind="dataset"),
    "navigation_get_landscape": op(agency="own", kind="dataset"),
    "navigation_get_report": op(agency="own", kind="dataset"),
    "navigation_list_portfolios": AGENCY_LIST,
    "navigation_create_portfolio": AGENCY_LIST,
    "navigation_get_portfolio": op(agency="own", kind="portfolio"),
    "navigation_list_portfolio_patents": op(agency="own", kind="portfolio"),
    "navigation_replace_portfolio_patents": op(agency="own", kind="portfolio"),
    "navigation_list_projects": AGENCY_LIST,
    "navigation_create_project": AGENCY_LIST,
    "navigation_get_project": op(agency="own", kind="project"),
    "navigation_update_project": op(agency="own", kind="project"),
    "navigation_project_history": op(agency="own", kind="project"),
    "navigation_list_datasets": op(agency="own", kind="project"),
    "navigation_upload_dataset": op(agency="own", kind="project"),
    "navigation_list_deliverables": op(agency="own", kind="project"),
    "navigation_submit_deliverable": op(agency="own", kind="project"),
    "navigation_list_milestones": op(agency="own", kind="project"),
    "navigation_add_milestone": op(agency="own", kind="project"),
    "navigation_update_milestone": op(agency="own", kind="milestone"),
    "navigation_move_project": op(agency="own", kind="project"),
    "navigation_statistics": AGENCY_LIST,
    "navigation_list_public_projects": PUBLIC,
    "navigation_public_statistics": PUBLIC,
    # only published projects are public: the world's projects are not published, so every
    # object cell is 404 here, for every caller
    "navigation_get_public_project": op(
        public=True,
        bank="all",
        agency="all",
        kind="project",
        overrides={(r, o): 404 for r in ROLES for o in ("own", "other", "missing")},
        note="unpublished projects: 404 for all",
    ),
    # --- enforcement ------------------------------------------------------------------------------
    "enforcement_calendar": op(public=True, bank="all", agency="all", query={"year": 2026}),
    # any year in range answers (one not declared says so): a public calendar, not an object
    "enforcement_calendar_year": op(public=True, bank="all", agency="all", kind="calendar_year", upsert=True),
    "enforcement_calendar_coverage_report": OPERATOR,
    # a year without holidays entered is refused (422) before anything else
    "enforcement_declare_calendar_year": op(kind="calendar_year", overrides={("operator", "missing"): 422}),
    "enforcement_withdraw_calendar_year": op(kind="calendar_year", destructive=True),
    "enforcement_put_calendar_day": op(kind="calendar_day", upsert=True),
    "enforcement_delete_calendar_day": op(kind="calendar_day", destructive=True, upsert=True),
    "enforcement_list_cases": AGENCY_LIST,
    "enforcement_open_case": AGENCY_LIST,
    "enforcement_get_case": op(agency="own", kind="case"),
    "enforcement_update_case": op(kind="case"),
    "enforcement_open_adjudication_case": op(kind="case"),
    "enforcement_list_documents": op(agency="own", kind="case"),
    "enforcement_add_document": op(agency="own", kind="case"),
    "enforcement_grant_extension": op(kind="case"),
    "enforcement_assign_handler": op(kind="case"),
    "enforcement_release_handler": op(kind="handler", destructive=True),
    "enforcement_pause_clock": op(kind="case"),
    "enforcement_resume_clock": op(kind="pause"),
    "enforcement_timeline": op(agency="own", kind="case"),
    "enforcement_add_note": op(kind="case"),
    "enforcement_move_case": op(kind="case", destructive=True),
    "enforcement_at_risk_cases": OPERATOR,
    "enforcement_overdue_cases": OPERATOR,
    "enforcement_run_overdue_scan": OPERATOR,
    # a rating is given by a member of the public with the one-time token of a closed case
    "enforcement_rate": op(
        public=True,
        bank="all",
        agency="all",
        overrides={(r, "-"): 404 for r in ROLES},
        note="a made-up rating token: 404 for every caller, anonymous included (no 401: public)",
    ),
    "enforcement_statistics": op(fixed={"year": 2026}),
    "enforcement_public_statistics": PUBLIC,
    # --- the indicator system (#12) and the services' corrections of this session ----------------
    # each service's indicators are district aggregates for any token; recounting is the office's
    "pledge_indicator_statistics": op(bank="all", agency="all"),
    "trusteeship_indicator_statistics": op(bank="all", agency="all"),
    "navigation_indicator_statistics": op(bank="all", agency="all"),
    "enforcement_indicator_statistics": op(bank="all", agency="all"),
    "pledge_recount_indicators": OPERATOR,
    "trusteeship_recount_indicators": OPERATOR,
    "navigation_recount_indicators": OPERATOR,
    "enforcement_recount_indicators": OPERATOR,
    "enforcement_list_surveys": op(bank="all", agency="all"),
    "enforcement_record_survey": OPERATOR,
    "enforcement_withdraw_survey": op(
        fixed={"year": 2001}, overrides={("operator", "-"): 404}, note="no survey of 2001: 404 for the office"
    ),
    "pledge_cancel_policy": op(kind="policy", destructive=True),
    "pledge_restate_disbursement": op(bank="own", operator=False, kind="loan"),
    "navigation_withdraw_portfolio": op(agency="own", kind="portfolio", destructive=True),
    "trusteeship_restore_patent": op(agency="own", kind="patent"),
    "public_chart": op(public=True, bank="all", agency="all", fixed={"indicator": "transactions_licensing"}),
    "public_annual_report": op(public=True, bank="all", agency="all", fixed={"year": 2025}, query={"format": "html"}),
    # --- operations (#13): agencies act on their own profile, reports and brokered deals; the
    # registers of pools, alliances, marks, talent are read by agencies and written by the office;
    # the fund is the office's; milestones and the indicators are district facts for any token.
    "operations_list_agencies": AGENCY_LIST,
    "operations_get_agency": op(agency="own", kind="ops_agency"),
    "operations_update_agency_profile": op(agency="own", kind="ops_agency"),
    "operations_submit_revenue_report": op(agency="own", operator=False, kind="ops_agency"),
    "operations_list_revenue_reports": AGENCY_LIST,
    "operations_get_revenue_report": op(agency="own", kind="revenue_report"),
    "operations_verify_revenue_report": op(kind="revenue_report"),
    "operations_reject_revenue_report": op(kind="revenue_report"),
    "operations_register_transaction": AGENCY_LIST,
    "operations_upload_transactions": AGENCY_LIST,
    "operations_transaction_upload_template": AGENCY_LIST,
    "operations_trademark_upload_template": OPERATOR,
    "operations_list_transactions": AGENCY_LIST,
    "operations_get_transaction": op(agency="own", kind="ops_transaction"),
    "operations_rescind_transaction": op(agency="own", kind="ops_transaction", destructive=True),
    "operations_report_royalty": op(agency="own", kind="ops_transaction"),
    "operations_create_pool": OPERATOR,
    "operations_list_pools": AGENCY_LIST,
    "operations_get_pool": op(agency="all", kind="ops_pool"),
    "operations_add_pool_member": op(kind="ops_pool"),
    "operations_pool_member_leaves": op(kind="ops_pool_member", destructive=True),
    "operations_add_pool_patent": op(kind="ops_pool"),
    "operations_publish_pool_terms": op(kind="ops_pool"),
    "operations_create_alliance": OPERATOR,
    "operations_list_alliances": AGENCY_LIST,
    "operations_get_alliance": op(agency="all", kind="ops_alliance"),
    "operations_join_alliance": op(kind="ops_alliance"),
    "operations_leave_alliance": op(kind="ops_alliance_member", destructive=True),
    "operations_register_overseas_mark": OPERATOR,
    "operations_upload_overseas_marks": OPERATOR,
    "operations_list_overseas_marks": AGENCY_LIST,
    "operations_get_overseas_mark": op(agency="all", kind="ops_mark"),
    "operations_change_designation": op(kind="ops_mark", fixed={"country": "US"}),
    "operations_create_fund": OPERATOR,
    "operations_list_funds": OPERATOR,
    "operations_get_fund": op(kind="ops_fund"),
    "operations_invest": op(kind="ops_fund"),
    "operations_list_investments": OPERATOR,
    "operations_exit_investment": op(kind="ops_investment", destructive=True),
    "operations_record_training_session": OPERATOR,
    "operations_list_training_sessions": AGENCY_LIST,
    "operations_register_commissioner": OPERATOR,
    "operations_list_commissioners": AGENCY_LIST,
    "operations_record_milestone": OPERATOR,
    "operations_list_milestones": op(bank="all", agency="all"),
    "operations_indicator_statistics": op(bank="all", agency="all"),
    "operations_year_statistics": op(fixed={"year": 2026}),
}

# Cells (operationId, role, object) that leak today and are being fixed: the test asserts this is
# exactly the set of leaking cells, so it can only shrink.
KNOWN_LEAKS: set[tuple[str, str, str]] = set()


# Path parameters naming a tenant's object by a sequential integer (enumerable, issue #15): none is left
# since every kind moved to random identifiers, and a new one fails the test.
KNOWN_ENUMERABLE: set[str] = set()
NOT_OBJECTS = {"year"}  # integers that are not identifiers


def expected(rule: Rule, role: str, obj: str) -> Any:
    """The outcome a cell must have: "ok", 401, 403 or 404 (or an override)."""
    if (role, obj) in rule.overrides:
        return rule.overrides[(role, obj)]
    if role == "anonymous":
        scope: Scope = "all" if rule.public else None
        if scope is None:
            return 401
    elif role == "operator":
        scope = "all" if rule.operator else None
    else:
        scope = rule.bank if role.startswith("bank") else rule.agency
    if scope is None:
        return 403
    if obj == "missing" and rule.upsert:
        return "ok"
    if obj == "missing" or (obj == "other" and scope == "own"):
        return 422 if rule.access_only else 404
    return "ok"
