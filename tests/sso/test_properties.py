"""Property tests of what an attacker controls: group names (a user who can name their own
intranet groups) and the address a request comes from."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvaerk import create_app
from netvaerk.extensions import db
from netvaerk.sso.accounts import SignInRefused, grants_for
from netvaerk.sso.proxy import from_listed_proxy

from ..conftest import _config, _empty_all_tables
from ..factories import make_network

MAPPING = {
    "netvaerk-hedemarken-coordinator": "Hedemarken:coordinator",
    "netvaerk-hedemarken-kiosk": "Hedemarken:kiosk",
}
LISTED = ipaddress.ip_network("10.1.0.0/16")
# One app and network for all examples of a test (grants_for only reads).
RELAXED = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.fixture
def app(_schema, database_url, tmp_path):
    """An app with a group mapping, a listed proxy network and the network Hedemarken."""
    config = _config(database_url, str(tmp_path / "instance"))
    config.update(
        NETVAERK_SSO_GROUP_ROLES=MAPPING,
        NETVAERK_PROXY_ADDRESSES="10.0.0.5, 10.1.0.0/16",
    )
    app = create_app(config)
    with app.app_context():
        network_id = make_network("Hedemarken").id
        app.config["test_network_id"] = network_id
        yield app
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


group_names = st.one_of(
    st.sampled_from([*MAPPING, "all-staff", "netvaerk-", "NETVAERK-hedemarken-coordinator"]),
    st.text(max_size=40),
    st.text(max_size=20).map(lambda text: "netvaerk-" + text),
)


@settings(max_examples=150, **RELAXED)
@given(groups=st.lists(group_names, max_size=6))
def test_groups_give_only_what_the_mapping_says(app, groups):
    try:
        grants = grants_for(groups)
    except SignInRefused:
        # Refused only for a group meant for netvaerk that the mapping does not know.
        assert any(g.startswith("netvaerk-") and g not in MAPPING for g in groups)
        return
    assert set(grants) <= {app.config["test_network_id"]}
    if grants:
        mapped = {MAPPING[g].split(":")[1] for g in groups if g in MAPPING}
        assert grants[app.config["test_network_id"]] in mapped
        # The strongest mapped role wins, never one nobody was given.
        assert grants[app.config["test_network_id"]] == (
            "coordinator" if "coordinator" in mapped else "kiosk"
        )
    else:
        assert not any(g in MAPPING for g in groups)


@settings(max_examples=300, **RELAXED)
@given(address=st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6), st.text(max_size=30)))
def test_only_listed_addresses_count_as_the_proxy(app, address):
    text = str(address)
    expected = False
    try:
        parsed = ipaddress.ip_address(text)
        expected = parsed == ipaddress.ip_address("10.0.0.5") or parsed in LISTED
    except ValueError:
        pass
    assert from_listed_proxy(text) is expected
