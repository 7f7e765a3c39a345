"""Who may do what: the declared answer of every page and API operation to every role of the
authorization matrix (tests/security/test_authorization_matrix.py; roles in tests/security/world.py,
the rule machinery in tests/security/matrix.py).

    page("tenders:edit", args=lambda o: {"pk": o["tender_draft"].pk}, default=DENY, ok=TENDER_STAFF, default=HIDDEN, ok=('officer', 'buyer_officer',))
    api("POST /api/tenders/{id}/submit/", args=..., default=DENY, ok=TENDER_STAFF, default=DENY, ok=('officer', 'buyer_officer',))

Answers: OK (served: 2xx, a redirect elsewhere than sign-in, a form's own 400), LOGIN (sent to sign
in: 302 to the login page, 401 from the API), DENY (403), HIDDEN (404: the object does not exist for
this person), NOT_ALLOWED (405). `default` is every signed-in role's answer unless the role is listed
in ok/deny/hidden/login/not_allowed; anonymous gets LOGIN unless the default is OK or `anonymous=`
says otherwise. o["..."] are the objects tests/security/world.py builds."""

from django.core.files.uploadedfile import SimpleUploadedFile

from awards.demo_after import CONTRACT_PDF
from tests.security.matrix import (  # noqa: F401
    API_RULES,
    CITIZENS,
    DENY,
    DEPARTMENTS,
    EXPERTS,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OFFICERS,
    OK,
    PAGE_RULES,
    SIGNED_IN,
    STAFF,
    SUPPLIERS,
    TENDER_STAFF,
    api,
    page,
)


def tender(key):
    return lambda o: {"pk": o[key].pk}


def reference(key):
    return lambda o: {"reference": o[key].reference}


def application(o):
    return {"reference": o["application"].reference}


def service(o):
    return {"code": o["service"].code}


# ----- portal: the citizens' one-stop portal ------------------------------------------------------
page("home")
page("portal:catalogue")
page("portal:guide", args=service)
page("portal:blank_form", args=service)
page("portal:sample_form", args=service)
page("portal:service_save", args=service, method="POST", default=OK, anonymous=LOGIN)
page("portal:apply", args=service, method="POST", default=OK, anonymous=LOGIN)
page(
    "portal:application",
    args=application,
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
page(
    "portal:application_progress",
    args=application,
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
page(
    "portal:application_pay",
    args=application,
    method="POST",
    default=HIDDEN,
    ok=("citizen",),
    deny=("department_staff",),
)
page(
    "portal:application_withdraw",
    args=application,
    method="POST",
    default=HIDDEN,
    ok=("citizen",),
    deny=("department_staff",),
)
page(
    "portal:attachment",
    args=lambda o: {"reference": o["application"].reference, "pk": o["attachment"].pk},
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
page(
    "portal:sandbox_checkout",
    args=lambda o: {"order_id": o["payment"].order_id},
    default=HIDDEN,
    ok=("citizen",),
)
page("portal:payment_notify", args=lambda o: {"provider_name": "sandbox"}, method="POST")
page("portal:refund_notify", args=lambda o: {"provider_name": "sandbox"}, method="POST")
page(
    "portal:staff",
    default=DENY,
    ok=(
        "approver",
        "supervisor",
        "department_staff",
        "department_other",
    ),
)
page(
    "portal:staff_application",
    args=application,
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
page("portal:staff_service_edit", args=service, default=DENY, ok=("department_staff",))
page(
    "portal:staff_enquiry",
    args=lambda o: {"number": o["enquiry"].tracking_number},
    default=DENY,
    ok=("department_staff",),
)
page("portal:enquiry_new")
page("portal:enquiry_lookup")
page("portal:qa")
page("portal:statistics")
page("portal:commitments")
page("portal:form_downloads")
page("portal:sitemap")
page("portal:subscribe")
page("portal:subscription_confirm", args=lambda o: {"token": o["portal_subscription"].token})
page("portal:subscription_cancel", args=lambda o: {"token": o["portal_subscription"].token})
page("portal:feed", args=lambda o: {"slug": "news"})
page("portal:article", args=lambda o: {"slug": o["article"].slug})
page("portal:privacy")
page("portal:accessibility")
page("portal:help")
page("portal:articles", args=lambda o: {"kind": "news"})
page("portal:my", default=OK, anonymous=LOGIN)
page("portal:my_messages", default=OK, anonymous=LOGIN)
page("portal:my_applications", default=OK, anonymous=LOGIN)
page("portal:my_preferences", default=OK, anonymous=LOGIN)
page("portal:display_toggle", method="POST", default=HIDDEN, anonymous=HIDDEN)
page("portal:sso_demo")
page("portal:sso_demo_callback")

# ----- accounts -----------------------------------------------------------------------------------
page("accounts:login")
page("accounts:logout", method="POST")
page("accounts:register")
page("accounts:home", default=OK, anonymous=LOGIN)
page(
    "accounts:audit",
    default=DENY,
    ok=(
        "supervisor",
        "admin",
    ),
)
page("accounts:second_factor", default=OK, anonymous=LOGIN)
page("accounts:second_factor_setup", default=OK, anonymous=LOGIN)
page("accounts:recovery_codes_renew", default=NOT_ALLOWED, anonymous=NOT_ALLOWED)
page("accounts:password_change", default=OK, anonymous=LOGIN)
page("accounts:password_change_done", default=OK, anonymous=LOGIN)
page("accounts:password_reset")
page("accounts:password_reset_done")
page("accounts:password_reset_confirm", args=lambda o: {"uidb64": "MQ", "token": "set-password"})
page("accounts:password_reset_complete")

# ----- suppliers ----------------------------------------------------------------------------------
page("suppliers:register", default=OK, anonymous=LOGIN)
page(
    "suppliers:profile",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page(
    "suppliers:resubmit",
    method="POST",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page(
    "suppliers:qualifications",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page(
    "suppliers:qualification_file",
    args=lambda o: {"pk": o["qualification"].pk},
    default=HIDDEN,
    ok=(
        "supplier_a",
        "officer",
        "buyer_officer",
        "officer_other",
        "admin",
    ),
)
page(
    "suppliers:staff",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page(
    "suppliers:staff_remove",
    args=lambda o: {"membership_id": o["membership_supplier_a"].pk},
    method="POST",
    default=HIDDEN,
    deny=("supplier_a",),
)
page(
    "suppliers:certificates",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
        "custodian",
    ),
)
page("suppliers:certificate_download", args=lambda o: {"fingerprint": o["certificate"].fingerprint})
page(
    "suppliers:certificate_revoke",
    args=lambda o: {"fingerprint": o["certificate"].fingerprint},
    method="POST",
    default=DENY,
    ok=(
        "custodian",
        "admin",
    ),
)
page("suppliers:crl")
page("suppliers:ca_chain")
page("suppliers:custodian_keys", default=OK, anonymous=LOGIN)
page("suppliers:custodian_key", args=reference("tender_published"), default=HIDDEN, ok=("custodian",))
page(
    "suppliers:verification_queue",
    default=DENY,
    ok=(
        "officer",
        "buyer_officer",
        "officer_other",
        "admin",
    ),
)
page(
    "suppliers:verification",
    args=lambda o: {"pk": o["supplier_a"].pk},
    default=DENY,
    ok=(
        "officer",
        "buyer_officer",
        "officer_other",
        "admin",
    ),
)
page("suppliers:lookup")

# ----- public notices -----------------------------------------------------------------------------
page("notices:index")
page("notices:feed")
page("notices:subscribe")
page("notices:unsubscribe", args=lambda o: {"token": o["notice_subscription"].token})
page("notices:subscription-confirm", args=lambda o: {"token": o["notice_subscription"].token})
page("notices:detail", args=reference("tender_published"))
page(
    "notices:download",
    args=lambda o: {"reference": o["tender_published"].reference, "version_id": o["document_version"].pk},
    default=OK,
    anonymous=LOGIN,
)
page(
    "notices:check",
    args=lambda o: {
        "reference": o["tender_awarded"].reference,
        "sequence": o["tender_awarded"].announcements.exclude(ledger_index=None).last().sequence,
    },
)
page(
    "notices:check",
    args=lambda o: {"reference": o["tender_draft"].reference, "sequence": 1},
    variant="draft",
    default=HIDDEN,
    anonymous=HIDDEN,
)
page("notices:ask", args=reference("tender_published"), method="POST", default=OK, anonymous=LOGIN)

# ----- tenders (officers' pages) ------------------------------------------------------------------
page("tenders:list", default=OK, anonymous=LOGIN)
page(
    "tenders:new",
    default=DENY,
    ok=(
        "officer",
        "buyer_officer",
        "officer_other",
    ),
)
page(
    "tenders:edit",
    args=tender("tender_draft"),
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page(
    "tenders:document-upload",
    args=tender("tender_draft"),
    method="POST",
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page(
    "tenders:submit",
    args=tender("tender_draft"),
    method="POST",
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page(
    "tenders:questions",
    args=tender("tender_published"),
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page(
    "tenders:amend",
    args=tender("tender_published"),
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page(
    "tenders:cancel",
    args=tender("tender_published"),
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page("tenders:failure-notice", args=tender("tender_published"), default=HIDDEN)
page(
    "tenders:rerun",
    args=tender("tender_published"),
    method="POST",
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)

# ----- approvals ----------------------------------------------------------------------------------
approval = tender("approval")
page("approvals:inbox", default=OK, anonymous=LOGIN)
page(
    "approvals:detail",
    args=approval,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
page(
    "approvals:timeline",
    args=approval,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
page(
    "approvals:history",
    args=approval,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
page(
    "approvals:act",
    args=approval,
    method="POST",
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
page(
    "approvals:reroute",
    args=approval,
    method="POST",
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
page("approvals:delegations", default=OK, anonymous=LOGIN)
page(
    "approvals:delegation-revoke",
    args=tender("delegation"),
    method="POST",
    default=DENY,
    ok=(
        "approver",
        "admin",
    ),
)

# ----- ledger, calendar ---------------------------------------------------------------------------
page("ledger:overview")
page("ledger:keys")
page("workdays:years", default=DENY, ok=("admin",))
page("workdays:import", default=DENY, ok=("admin",))
page("workdays:year", args=lambda o: {"year": 2026}, default=DENY, hidden=("admin",))
page("workdays:confirm", args=lambda o: {"year": 2026}, method="POST", default=DENY, hidden=("admin",))

# ----- bidding and the opening --------------------------------------------------------------------
page(
    "bidding:mine",
    default=DENY,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page("bidding:verify")
page(
    "bidding:bid",
    args=reference("tender_published"),
    default=DENY,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
page(
    "bidding:receipt_pdf",
    args=lambda o: {"bid": o["bid_a"].bid},
    default=DENY,
    ok=("supplier_a",),
    hidden=("supplier_b",),
)
page(
    "ceremony:room",
    args=reference("tender_evaluated"),
    default=OK,
    deny=(
        "expert_on",
        "expert_off",
    ),
)
page("ceremony:record", args=reference("tender_evaluated"))

# ----- evaluation ---------------------------------------------------------------------------------
evaluated = reference("tender_evaluated")
page("evaluation:overview", default=OK, anonymous=LOGIN)
page(
    "evaluation:respond",
    args=lambda o: {"member_id": o["member_invited"].pk},
    method="POST",
    default=OK,
    anonymous=LOGIN,
)
page("evaluation:pool", default=HIDDEN, ok=("supervisor",))
page(
    "evaluation:declarations",
    default=HIDDEN,
    ok=(
        "expert_on",
        "expert_off",
    ),
)
page(
    "evaluation:committee",
    args=evaluated,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "supervisor",
        "expert_on",
    ),
)
page(
    "evaluation:settings",
    args=evaluated,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
page("evaluation:draw", args=evaluated, method="POST", default=OK, anonymous=LOGIN)
page(
    "evaluation:replay",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "sequence": o["draw"].sequence},
)
page(
    "evaluation:workspace",
    args=evaluated,
    default=DENY,
    ok=(
        "supervisor",
        "expert_on",
    ),
)
page(
    "evaluation:workspace-action",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "action": "finding"},
    method="POST",
    default=OK,
    anonymous=LOGIN,
)
page(
    "evaluation:bid",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "opening_id": o["opening"].pk},
    default=DENY,
    ok=(
        "supervisor",
        "expert_on",
    ),
)
page(
    "evaluation:attachment",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "opening_id": o["opening"].pk, "index": 0},
    default=DENY,
    hidden=(
        "supervisor",
        "expert_on",
    ),
)

# ----- i18n, OIDC provider, signed documents, API docs --------------------------------------------
page("set_language", method="POST", data={"language": "en", "next": "/"})
oauth_app = lambda o: {"pk": o["oauth_application"].pk}  # noqa: E731
page("oauth2_provider:authorize", default=OK, anonymous=LOGIN)
page("oauth2_provider:token", method="POST")
page("oauth2_provider:revoke-token", method="POST")
page("oauth2_provider:introspect", default=DENY, anonymous=DENY)
page("oauth2_provider:list", default=DENY, ok=("admin",))
page("oauth2_provider:register", default=DENY, ok=("admin",))
page("oauth2_provider:detail", args=oauth_app, default=DENY, ok=("admin",))
page("oauth2_provider:delete", args=oauth_app, default=DENY, ok=("admin",))
page("oauth2_provider:update", args=oauth_app, default=DENY, ok=("admin",))
page("oauth2_provider:authorized-token-list", default=OK, anonymous=LOGIN)
page("oauth2_provider:authorized-token-delete", args=lambda o: {"pk": 1}, default=HIDDEN)
page("oauth2_provider:oidc-connect-discovery-info")
page("oauth2_provider:jwks-info")
page("oauth2_provider:user-info", default=LOGIN)
page("oauth2_provider:rp-initiated-logout", default=HIDDEN, anonymous=HIDDEN)
page("reports:verify", args=lambda o: {"token": o["signed_document"].token})
page("reports:download", args=lambda o: {"token": o["signed_document"].token})
page("api-schema")
page("api-docs")
page("api-docs-try")

# ----- API ----------------------------------------------------------------------------------------
draft_id = lambda o: {"id": o["tender_draft"].pk}  # noqa: E731
published_id = lambda o: {"id": o["tender_published"].pk}  # noqa: E731
approval_id = lambda o: {"id": o["approval"].pk}  # noqa: E731
published_ref = reference("tender_published")
evaluated_ref = reference("tender_evaluated")
fingerprint = lambda o: {"fingerprint": o["certificate"].fingerprint}  # noqa: E731
bid_a = lambda o: {"bid": o["bid_a"].bid}  # noqa: E731

api("GET /api/accounts/me/", default=OK, anonymous=LOGIN)
api("POST /api/accounts/token/")
api("GET /api/approvals/definitions/", default=OK, anonymous=LOGIN)
api(
    "GET /api/approvals/definitions/{id}/",
    args=lambda o: {"id": o["flow_definition"].pk},
    default=OK,
    anonymous=LOGIN,
)
api("GET /api/approvals/delegations/", default=OK, anonymous=LOGIN)
api("POST /api/approvals/delegations/", default=OK, anonymous=LOGIN)
api(
    "POST /api/approvals/delegations/{id}/revoke/",
    args=lambda o: {"id": o["delegation"].pk},
    default=DENY,
    ok=(
        "approver",
        "admin",
    ),
)
api("GET /api/approvals/inbox/", default=OK, anonymous=LOGIN)
api("POST /api/approvals/instances/", default=OK, anonymous=LOGIN)
api(
    "GET /api/approvals/instances/{id}/",
    args=approval_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
# The participants of the tender's approval: its submitter (the agency's officer), the buyer's
# officer, the approver whose step it is, the regulator's supervisor, the administrator.
PARTICIPANTS = ("officer", "buyer_officer", "approver", "supervisor", "admin")
# Bodies that pass validation, so that the answer is the authorization's, not the serializer's.
APPROVAL_ACTIONS = {
    "approve": ({"comment": "同意"}, dict(default=DENY, ok=("approver",))),
    "reject": ({"reason": "不符合要求"}, dict(default=DENY, ok=("approver",))),
    "return": ({"to_step_id": "STEP", "reason": "退回修改"}, dict(default=DENY, ok=("approver",))),
    "comment": ({"comment": "请补充预算说明"}, dict(default=HIDDEN, ok=PARTICIPANTS)),
    "withdraw": ({"reason": "撤回"}, dict(default=DENY, ok=("officer",))),  # the submitter only
    # Rerouting a running approval: the platform administrator only.
    "insert": (
        {"position": 2, "name": "会签", "person": "approver", "reason": "需会签"},
        dict(default=DENY, ok=("admin",)),
    ),
    "move": ({"step_id": "STEP", "to_position": 2, "reason": "调整顺序"}, dict(default=DENY, ok=("admin",))),
    "reassign": (
        {"step_id": "STEP", "from_user": "director", "to_user": "approver", "reason": "出差"},
        dict(default=DENY, ok=("admin",)),
    ),
    "skip": ({"step_id": "STEP", "reason": "无需审批"}, dict(default=DENY, ok=("admin",))),
}


def _approval_body(body):
    def build(o):
        step = o["approval"].steps.order_by("position", "pk").first().pk
        return {key: step if value == "STEP" else value for key, value in body.items()}

    return build


for action, (body, answers) in APPROVAL_ACTIONS.items():
    api(
        f"POST /api/approvals/instances/{{id}}/{action}/",
        args=approval_id,
        data=_approval_body(body),
        **answers,
    )
api(
    "GET /api/approvals/instances/{id}/events/",
    args=approval_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "approver",
        "supervisor",
        "admin",
    ),
)
api("POST /api/bidding/receipts/verify/")
api("GET /api/bidding/tenders/{reference}/", args=published_ref)
api(
    "GET /api/bidding/tenders/{reference}/my-bids/",
    args=published_ref,
    default=DENY,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
api("GET /api/bidding/tenders/{reference}/seal/", args=published_ref)
api("POST /api/bidding/uploads/", default=OK, anonymous=LOGIN)
api("GET /api/bidding/uploads/{bid}/", args=bid_a, default=HIDDEN, ok=("supplier_a",))
api(
    "PUT /api/bidding/uploads/{bid}/files/{file}/chunks/{index}/",
    args=lambda o: {"bid": o["bid_a"].bid, "file": 0, "index": 0},
    default=OK,
    anonymous=LOGIN,
)
api("POST /api/bidding/uploads/{bid}/finalize/", args=bid_a, default=OK, anonymous=LOGIN)
api("POST /api/bidding/withdrawals/", default=DENY)
api(
    "POST /api/evaluation/invitations/{member_id}/respond/",
    args=lambda o: {"member_id": o["member_invited"].pk},
    default=OK,
    anonymous=LOGIN,
)
api(
    "GET /api/evaluation/tenders/{reference}/bids/{opening_id}/form/",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "opening_id": o["opening"].pk},
    default=DENY,
    ok=(
        "supervisor",
        "expert_on",
    ),
)
api(
    "GET /api/evaluation/tenders/{reference}/draws/{sequence}/",
    args=lambda o: {"reference": o["tender_evaluated"].reference, "sequence": o["draw"].sequence},
)
api("POST /api/evaluation/tenders/{reference}/findings/", args=evaluated_ref, default=OK, anonymous=LOGIN)
api(
    "GET /api/evaluation/tenders/{reference}/progress/",
    args=evaluated_ref,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
        "supervisor",
        "expert_on",
    ),
)
api("GET /api/evaluation/tenders/{reference}/scores/", args=evaluated_ref, default=DENY, ok=("expert_on",))
api("POST /api/evaluation/tenders/{reference}/scores/", args=evaluated_ref, default=OK, anonymous=LOGIN)
api("GET /api/ledger/entries/")
api("GET /api/ledger/entries/{index}/", args=lambda o: {"index": 0})
api("GET /api/ledger/entries/range/", query="?start=0&end=1")
api("GET /api/ledger/keys/")
api("GET /api/ledger/proofs/consistency/", query="?first=1&second=2")
api("GET /api/ledger/proofs/inclusion/", query="?index=0&size=2")
api("GET /api/ledger/tree-head/")
api("POST /api/opening/{reference}/shares/", args=evaluated_ref, default=OK, anonymous=LOGIN)
api("GET /api/opening/{reference}/slots/", args=evaluated_ref, default=DENY)
api("GET /api/portal/applications/", default=OK, anonymous=LOGIN)
api("POST /api/portal/applications/", default=OK, anonymous=LOGIN)
api(
    "GET /api/portal/applications/{reference}/",
    args=application,
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
api(
    "POST /api/portal/applications/{reference}/check/",
    args=application,
    default=HIDDEN,
    ok=(
        "citizen",
        "department_staff",
    ),
)
api("GET /api/portal/services/")
api("GET /api/portal/services/{code}/", args=service)
api("GET /api/procurement/methods/")
api("GET /api/procurement/plans/", default=OK, anonymous=LOGIN)
api("POST /api/procurement/plans/", default=OK, anonymous=LOGIN)
api(
    "POST /api/procurement/plans/{id}/submit/",
    args=lambda o: {"id": o["plan"].pk},
    default=DENY,
    ok=("buyer_officer",),
)
api("GET /api/suppliers/ca/chain/")
api("GET /api/suppliers/ca/crl/")
api("GET /api/suppliers/certificates/", default=OK, anonymous=LOGIN)
api("POST /api/suppliers/certificates/", default=OK, anonymous=LOGIN)
api("GET /api/suppliers/certificates/{fingerprint}/", args=fingerprint)
api("GET /api/suppliers/certificates/{fingerprint}/der/", args=fingerprint)
api(
    "POST /api/suppliers/certificates/{fingerprint}/revoke/",
    args=fingerprint,
    default=DENY,
    ok=(
        "custodian",
        "admin",
    ),
)
api("GET /api/suppliers/certificates/{fingerprint}/status/", args=fingerprint)
api("POST /api/suppliers/certificates/challenge/", default=OK, anonymous=LOGIN)
api("GET /api/suppliers/custodian-keys/{reference}/", args=published_ref, default=HIDDEN, ok=("custodian",))
api("POST /api/suppliers/custodian-keys/{reference}/", args=published_ref, default=OK, anonymous=LOGIN)
api(
    "POST /api/suppliers/custodian-keys/{reference}/confirm/", args=published_ref, default=OK, anonymous=LOGIN
)
api(
    "POST /api/suppliers/custodian-keys/{reference}/replace/", args=published_ref, default=OK, anonymous=LOGIN
)
api("GET /api/suppliers/lookup/", query="?q=华东")
api(
    "GET /api/suppliers/me/",
    default=HIDDEN,
    ok=(
        "supplier_a",
        "supplier_b",
    ),
)
api("POST /api/suppliers/register/", default=OK, anonymous=LOGIN)
api("GET /api/tenders/", default=OK, anonymous=LOGIN)
api("POST /api/tenders/", default=OK, anonymous=LOGIN)
api(
    "GET /api/tenders/{id}/",
    args=draft_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api(
    "PATCH /api/tenders/{id}/",
    args=draft_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api("POST /api/tenders/{id}/amend/", args=published_id, default=OK, anonymous=LOGIN)
api("POST /api/tenders/{id}/cancel/", args=published_id, default=OK, anonymous=LOGIN)
api("PUT /api/tenders/{id}/criteria/", args=draft_id, default=OK, anonymous=LOGIN)
api("PUT /api/tenders/{id}/custodians/", args=draft_id, default=OK, anonymous=LOGIN)
api("POST /api/tenders/{id}/documents/", args=draft_id, default=OK, anonymous=LOGIN)
api("PUT /api/tenders/{id}/lots/", args=draft_id, default=OK, anonymous=LOGIN)
api(
    "GET /api/tenders/{id}/problems/",
    args=draft_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api(
    "GET /api/tenders/{id}/questions/",
    args=published_id,
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api(
    "POST /api/tenders/{id}/submit/",
    args=draft_id,
    default=DENY,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api("GET /api/tenders/notices/")
api("GET /api/tenders/notices/{reference}/", args=published_ref)
api("GET /api/tenders/notices/{reference}/questions/", args=published_ref, default=OK, anonymous=LOGIN)
api("POST /api/tenders/notices/{reference}/questions/", args=published_ref, default=OK, anonymous=LOGIN)
api(
    "POST /api/tenders/questions/{question_id}/answer/",
    args=lambda o: {"question_id": o["question"].pk},
    default=HIDDEN,
    ok=(
        "officer",
        "buyer_officer",
    ),
)
api("POST /api/tenders/subscriptions/")


# ----- portal: signed-in landing, ratings, tracking, appointments, licence wallet -----------------
page("portal:signed_in", default=OK, anonymous=LOGIN)
page("portal:favicon")
page("portal:my_licences", default=OK, anonymous=LOGIN)
page(
    "portal:application_rate",
    args=application,
    method="POST",
    data={"grade": 5},
    default=HIDDEN,
    ok=("citizen", "department_staff"),
    why="the deciding department sees the application; its rating is refused by the service (a form "
    "error, 400: only the applicant rates), the applicant's own too (rated already in world.py)",
)
page("portal:staff_ratings", default=OK, anonymous=LOGIN)
page("portal:staff_rating", args=lambda o: {"pk": o["rating"].pk}, default=HIDDEN, ok=("department_staff",))
page("portal:track", method="POST", data={"reference": "X", "identity": "13800138000"})
page("portal:offices")
page("portal:office", args=lambda o: {"code": o["office"].code})
page("portal:my_appointments", default=OK, anonymous=LOGIN)
page(
    "portal:appointment_cancel",
    args=lambda o: {"number": o["appointment"].number},
    method="POST",
    default=HIDDEN,
    ok=("citizen",),
)

# ----- awards: decisions, publicity, results, after the award -------------------------------------
awarded = reference("tender_awarded")
challenged = reference("tender_challenged")
page("awards:overview", default=OK, anonymous=LOGIN)
page("awards:results")
# The tender's officers and the supervisors follow the award; a bidder is sent to its own result.
page("awards:manage", args=awarded, default=DENY, ok=TENDER_STAFF + ("supervisor",) + SUPPLIERS)
page("awards:publicity", args=awarded, method="POST", default=OK, anonymous=LOGIN)
page("awards:decide", args=awarded, method="POST", default=OK, anonymous=LOGIN)
page("awards:announce", args=awarded, method="POST", default=OK, anonymous=LOGIN)
page(
    "awards:answer",
    args=lambda o: {"reference": o["tender_awarded"].reference, "objection_id": o["objection"].pk},
    method="POST",
    data={"answer": "已答复"},
    default=OK,
    anonymous=LOGIN,
)
page("awards:mine", args=awarded, default=DENY, ok=SUPPLIERS)
page("awards:object", args=awarded, method="POST", data={"text": "异议"}, default=OK, anonymous=LOGIN)
page("awards:after", args=awarded, default=OK, anonymous=LOGIN)
page("awards:after", args=reference("tender_draft"), variant="draft", default=HIDDEN, ok=TENDER_STAFF)
page(
    "awards:manage",
    args=reference("tender_draft"),
    variant="draft",
    default=DENY,
    ok=TENDER_STAFF + ("supervisor",),
)
page("awards:mine", args=reference("tender_published"), variant="no bid", default=DENY)
page(
    "awards:after-action",
    args=lambda o: {"reference": o["tender_challenged"].reference, "action": "challenge"},
    method="POST",
    default=OK,
    anonymous=LOGIN,
)
page(
    "awards:after-act",
    args=lambda o: {
        "reference": o["tender_challenged"].reference,
        "action": "answer",
        "pk": o["challenge"].pk,
    },
    method="POST",
    data={"upheld": "", "answer": "已答复"},
    default=OK,
    anonymous=LOGIN,
)
# A redirect to the tender's after-award page (which needs signing in), for anyone.
page("awards:challenge", args=lambda o: {"reference": o["challenge"].reference})
page("awards:complaint-decisions")

decision_id = lambda o: {"decision_id": o["award_decision"].pk}  # noqa: E731
contract_id = lambda o: {"contract_id": o["contract"].pk}  # noqa: E731
challenge_id = lambda o: {"challenge_id": o["challenge"].pk}  # noqa: E731
complaint_id = lambda o: {"complaint_id": o["complaint"].pk}  # noqa: E731
api("GET /api/awards/results/")
api("GET /api/awards/tenders/{reference}/", args=awarded, default=DENY, ok=TENDER_STAFF + ("supervisor",))
api("GET /api/awards/tenders/{reference}/mine/", args=awarded, default=DENY, ok=SUPPLIERS)
api("POST /api/awards/tenders/{reference}/publicity/", args=awarded, default=DENY, ok=TENDER_STAFF)
api(
    "POST /api/awards/tenders/{reference}/objections/",
    args=awarded,
    data={"text": "异议"},
    default=DENY,
    ok=SUPPLIERS,
)
api(
    "POST /api/awards/objections/{objection_id}/answer/",
    args=lambda o: {"objection_id": o["objection"].pk},
    data={"answer": "已答复"},
    default=DENY,
    ok=TENDER_STAFF,
)
api(
    "POST /api/awards/tenders/{reference}/decision/",
    args=awarded,
    data=lambda o: {"opening": o["award_decision"].opening_id},
    default=DENY,
    ok=TENDER_STAFF,
)
api(
    "POST /api/awards/decisions/{decision_id}/announce/",
    args=decision_id,
    data={"main_items": [{"name": "录播主机", "unit_price": "128000.00"}], "agency_fee": "5200.00"},
    default=DENY,
    ok=TENDER_STAFF,
)
api("GET /api/awards/tenders/{reference}/after/", args=awarded, default=OK, anonymous=LOGIN)
api(
    "POST /api/awards/tenders/{reference}/challenges/",
    args=challenged,
    data=lambda o: {"subject": "documents", "known_on": "2026-10-08", "reasons": "参数具有倾向性"},
    default=DENY,
    ok=SUPPLIERS,  # both obtained the documents
)
# The answer is the tender officer's who holds the answer step of its approval (the agency's).
api(
    "POST /api/awards/challenges/{challenge_id}/answer/",
    args=challenge_id,
    data={"upheld": False, "answer": "已答复"},
    default=DENY,
    ok=("officer",),
)
# Only the challenger (supplier A's pending challenge: refused for its state, 400) may complain.
api(
    "POST /api/awards/challenges/{challenge_id}/complaint/",
    args=challenge_id,
    data={"reasons": "答复不当"},
    default=DENY,
    ok=("supplier_a",),
)
api("GET /api/awards/complaints/")
# The finance department (the regulator's supervisor) handles complaints.
api(
    "POST /api/awards/complaints/{complaint_id}/status/",
    args=complaint_id,
    data={"status": "accepted"},
    default=DENY,
    ok=("supervisor",),
)
api(
    "POST /api/awards/complaints/{complaint_id}/decision/",
    args=complaint_id,
    data={"outcome": "dismissed", "decision": "投诉缺乏事实依据，驳回。"},
    default=DENY,
    ok=("supervisor",),
)
api(
    "POST /api/awards/decisions/{decision_id}/contract/",
    args=decision_id,
    data={"title": "合同", "amount": "100000.00"},
    default=DENY,
    ok=TENDER_STAFF,
)
api(
    "POST /api/awards/contracts/{contract_id}/performance-security/",
    args=contract_id,
    data={"received_on": "2026-10-08"},
    default=DENY,
    ok=TENDER_STAFF,
)
api(
    "POST /api/awards/contracts/{contract_id}/sign/",
    args=contract_id,
    data=lambda o: {"signed_on": "2026-10-08", "document": SimpleUploadedFile("contract.pdf", CONTRACT_PDF)},
    multipart=True,
    default=DENY,
    ok=TENDER_STAFF,  # the demo's contract is signed already: refused for its state (400)
)
api("POST /api/awards/contracts/{contract_id}/notice/", args=contract_id, default=DENY, ok=TENDER_STAFF)
api(
    "POST /api/awards/contracts/{contract_id}/acceptance/",
    args=contract_id,
    data={"accepted_on": "2026-10-08", "passed": True, "report": "验收合格"},
    default=DENY,
    ok=TENDER_STAFF,
)
api(
    "POST /api/awards/securities/{release_id}/release/",
    args=lambda o: {"release_id": o["security_release"].pk},
    default=DENY,
    ok=TENDER_STAFF,
)

# ----- reports: statistics, exports, open data ----------------------------------------------------
page("statistics:dashboard")
# Officers see their own organisations' figures (officer_other: its own, empty); supervisors all.
page("statistics:officer", default=DENY, ok=OFFICERS + ("supervisor",))
page("statistics:services")
# The staff's queue as a file: whoever has the staff page (portal:staff), each its own departments'.
page(
    "exports:list",
    args=lambda o: {"name": "staff-applications", "fmt": "csv"},
    default=DENY,
    ok=("approver", "supervisor") + DEPARTMENTS,
)
for name, answers in {
    "notices": dict(default=OK),
    "services": dict(default=OK),
    "my-applications": dict(default=OK, anonymous=LOGIN),
    "officer-tenders": dict(default=DENY, ok=OFFICERS),
    "results": dict(default=OK),
}.items():
    page(
        "exports:list",
        args=lambda o, name=name: {"name": name, "fmt": "xlsx"},
        variant=name,
        **answers,
    )
page(
    "exports:notice_pdf",
    args=lambda o: {"reference": o["tender_draft"].reference, "sequence": 1},
    variant="draft",
    default=HIDDEN,
    anonymous=HIDDEN,
    why="a tender not published has no public notice, not even for its own officers",
)
page(
    "exports:notice_pdf",
    args=lambda o: {
        "reference": o["tender_awarded"].reference,
        "sequence": o["announcement_result"].sequence,
    },
)
page("open-data:index")
page("open-data:bulk", args=lambda o: {"pk": o["bulk_file"].pk})
page("open-data:extension", args=lambda o: {"name": "extension.json"})
api("GET /api/ocds/releases/")
api("GET /api/ocds/records/")
api("GET /api/ocds/records/{ocid}/", args=lambda o: {"ocid": o["ocid"]})


# ----- the Django admin (PREFIX_RULES in matrix.py covers every admin/ page; a sample is asked) -----
for name in ("admin:index", "admin:accounts_user_changelist", "admin:evaluation_score_changelist"):
    page(name, default=LOGIN, ok=("admin",))

ALL_RULES = {
    **{f"page {k}": v for k, v in PAGE_RULES.items()},
    **{f"api {k}": v for k, v in API_RULES.items()},
}
