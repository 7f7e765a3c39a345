"""The approval API: inbox, an approval's detail and history, the actions, delegations and
definitions. Each view validates input, calls one service or selector, renders output."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from accounts.models import Organisation, User
from approvals import services
from approvals.api import serializers as s
from approvals.exceptions import NoSuchDelegate
from approvals.registry import approval_subjects
from approvals.selectors import (
    approval_get,
    delegate_by_username,
    delegations_of,
    events_after,
    flow_definitions,
    inbox,
    inbox_counts,
    is_approvals_admin,
)
from config.exceptions import DomainError, NotAllowed, NotFound
from config.params import int_param


def _user(request: AuthenticatedRequest, username: str) -> User:
    """A person named by an administrator's action. Anyone else is refused before the name is
    looked up, so the answer never tells a non-administrator whether a username exists."""
    if not is_approvals_admin(user=request.user):
        raise NotAllowed(_("Only an administrator may reassign or reroute an approval."))
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("There is no active user %(username)s.") % {"username": username})
    return user


def _instance_output(request: AuthenticatedRequest, pk: int) -> Response:
    instance = approval_get(instance_id=pk, user=request.user)
    subject = instance.subject
    card = {
        "type": instance.subject_type.model,
        "id": instance.subject_id,
        "title": instance.subject_title,
        "url": "",
        "summary": "",
    }
    if subject is not None:
        adapter = approval_subjects.adapter_for_type(instance.subject_type)
        card.update(title=adapter.title(subject), url=adapter.url(subject), summary=adapter.summary(subject))
    return Response(s.InstanceOutput(instance, context={"subject": card}).data)


class InboxView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.InboxOutput, summary="Decisions waiting for me, with counts")
    def get(self, request):
        tasks = list(inbox(user=request.user))
        counts = inbox_counts(user=request.user)
        return Response(s.InboxOutput({**counts.__dict__, "tasks": tasks}, context={"request": request}).data)


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.SubmitInput,
        responses={201: s.InstanceOutput},
        summary="Submit a registered subject for approval (its app's adapter decides who may)",
    )
    def post(self, request):
        data = s.SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        app_label, model = data.validated_data["subject_type"].split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        model_class = content_type.model_class() if content_type else None
        subject = (
            model_class._default_manager.filter(pk=data.validated_data["subject_id"]).first()
            if model_class
            else None
        )
        if subject is None:
            raise NotFound(_("There is no such subject."))
        instance = services.approval_submit(
            subject=subject,
            flow_code=data.validated_data["flow"],
            submitter=request.user,
            comment=data.validated_data["comment"],
        )
        response = _instance_output(request, instance.pk)
        response.status_code = 201
        return response


class InstanceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.InstanceOutput, summary="An approval: its subject and whole path")
    def get(self, request, pk: int):
        return _instance_output(request, pk)


class EventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="only events with a higher sequence number")],
        responses=s.EventOutput(many=True),
        summary="An approval's history (what a reconnecting client missed)",
    )
    def get(self, request, pk: int):
        instance = approval_get(instance_id=pk, user=request.user)
        after = int_param(request.query_params.get("after"), default=0, name="after")
        return Response(s.EventOutput(events_after(instance=instance, after_seq=after), many=True).data)


def _action(service_call, input_serializer, summary: str) -> type[APIView]:
    """A POST endpoint that validates `input_serializer`, calls the service, returns the approval."""

    class Action(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=input_serializer, responses=s.InstanceOutput, summary=summary)
        def post(self, request, pk: int):
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            service_call(request, pk, data.validated_data)
            return _instance_output(request, pk)

    return Action


ApproveView = _action(
    lambda r, pk, d: services.approval_approve(
        instance_id=pk, user=r.user, comment=d["comment"], step_id=d.get("step_id")
    ),
    s.DecisionInput,
    "Approve the current step (own decision or as a delegate)",
)
RejectView = _action(
    lambda r, pk, d: services.approval_reject(
        instance_id=pk, user=r.user, reason=d["reason"], step_id=d.get("step_id")
    ),
    s.RejectInput,
    "Reject: the approval ends and goes back to the submitter",
)
ReturnView = _action(
    lambda r, pk, d: services.approval_return(
        instance_id=pk, user=r.user, to_step_id=d["to_step_id"], reason=d["reason"], step_id=d.get("step_id")
    ),
    s.ReturnInput,
    "Return to an earlier approved step for changes",
)
CommentView = _action(
    lambda r, pk, d: services.approval_comment(instance_id=pk, user=r.user, comment=d["comment"]),
    s.CommentInput,
    "Add a comment to the history",
)
WithdrawView = _action(
    lambda r, pk, d: services.approval_withdraw(instance_id=pk, user=r.user, reason=d["reason"]),
    s.WithdrawInput,
    "Withdraw (the submitter only)",
)
ReassignView = _action(
    lambda r, pk, d: services.approval_reassign(
        instance_id=pk,
        step_id=d["step_id"],
        from_user=_user(r, d["from_user"]),
        to_user=_user(r, d["to_user"]),
        by=r.user,
        reason=d["reason"],
    ),
    s.ReassignInput,
    "Administrator: give a pending decision to someone else",
)
SkipView = _action(
    lambda r, pk, d: services.approval_step_skip(
        instance_id=pk, step_id=d["step_id"], by=r.user, reason=d["reason"]
    ),
    s.SkipInput,
    "Administrator: skip a current or coming step",
)
MoveView = _action(
    lambda r, pk, d: services.approval_step_move(
        instance_id=pk, step_id=d["step_id"], to_position=d["to_position"], by=r.user, reason=d["reason"]
    ),
    s.MoveInput,
    "Administrator: move a coming step to a later position",
)


def _insert(request, pk, data):
    organisation = None
    if data.get("organisation_id"):
        organisation = Organisation.objects.filter(pk=data["organisation_id"]).first()
        if organisation is None:
            raise DomainError(_("There is no such organisation."))
    services.approval_step_insert(
        instance_id=pk,
        by=request.user,
        reason=data["reason"],
        position=data["position"],
        name=data["name"],
        mode=data["mode"],
        person=_user(request, data["person"]) if data.get("person") else None,
        role=data["role"],
        organisation=organisation,
        time_limit_working_days=data.get("time_limit_working_days"),
    )


InsertView = _action(_insert, s.InsertInput, "Administrator: insert a step before a later position")


def _delegate(request: AuthenticatedRequest, username: str) -> User:
    delegate = delegate_by_username(delegator=request.user, username=username)
    if delegate is None:
        raise NoSuchDelegate()
    return delegate


class DelegationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DelegationOutput(many=True), summary="Delegations I gave or received")
    def get(self, request):
        return Response(s.DelegationOutput(delegations_of(user=request.user), many=True).data)

    @extend_schema(
        request=s.DelegationInput, responses={201: s.DelegationOutput}, summary="Delegate my decisions"
    )
    def post(self, request):
        data = s.DelegationInput(data=request.data)
        data.is_valid(raise_exception=True)
        delegation = services.delegation_create(
            delegator=request.user,
            delegate=_delegate(request, data.validated_data["delegate"]),
            starts_at=data.validated_data["starts_at"],
            ends_at=data.validated_data["ends_at"],
            reason=data.validated_data["reason"],
        )
        return Response(s.DelegationOutput(delegation).data, status=201)


class DelegationRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.DelegationOutput, summary="Withdraw a delegation now")
    def post(self, request, pk: int):
        return Response(
            s.DelegationOutput(services.delegation_revoke(delegation_id=pk, user=request.user)).data
        )


class DefinitionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DefinitionOutput(many=True), summary="Flow definitions, every version")
    def get(self, request):
        return Response(s.DefinitionOutput(flow_definitions(), many=True).data)


class DefinitionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DefinitionOutput, summary="One flow definition version")
    def get(self, request, pk: int):
        return Response(s.DefinitionOutput(get_object_or_404(flow_definitions(), pk=pk)).data)
