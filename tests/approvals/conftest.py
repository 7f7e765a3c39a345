import pytest

from accounts.models import Organisation
from approvals.registry import approval_subjects
from tests.approvals.factories import OrganisationSubject


@pytest.fixture
def subject_adapter():
    adapter = OrganisationSubject()
    previous = approval_subjects.register(Organisation, adapter)
    yield adapter
    if previous is None:
        approval_subjects.unregister(Organisation)
    else:
        approval_subjects.register(Organisation, previous)


@pytest.fixture
def orgs(demo):
    return demo.orgs


@pytest.fixture
def people(demo):
    return demo.users
