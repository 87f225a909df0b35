"""Sign-in: the account page's form (streamlit-authenticator over the demo accounts) under AppTest, and the signed
sign-in cookie the app reads on every page."""

from __future__ import annotations

import time

import jwt
import pytest


def _sign_in(at, username: str, password: str):  # noqa: ANN001, ANN202
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Login").click()
    return at.run()


def test_a_demo_shopper_signs_in_and_out_on_the_account_page(run_page, make_toolbox) -> None:  # noqa: ANN001
    at = run_page("account", make_toolbox(), viewer=None)
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("demo accounts" in str(i.value) for i in at.info)  # the demo shop labels its demo accounts
    at = _sign_in(at, "ava", "ava-demo")
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Account"]
    assert any("Signed in as **Ava (demo shopper)**" in str(m.value) for m in at.markdown)
    assert at.session_state["username"] == "ava"
    next(b for b in at.button if b.label == "Sign out").click()
    at.run()
    assert [t.value for t in at.title] == ["Sign in"] and at.session_state["logout"] is True


def test_a_wrong_password_does_not_sign_in(run_page, make_toolbox) -> None:  # noqa: ANN001
    at = _sign_in(run_page("account", make_toolbox(), viewer=None), "ava", "ben-demo")
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("Wrong username or password" in str(e.value) for e in at.error)
    assert not at.session_state["authentication_status"]


@pytest.mark.parametrize("case", ["valid", "expired", "other key", "unknown user", "garbage"])
def test_the_sign_in_cookie_counts_only_signed_unexpired_and_known(case: str) -> None:
    from ui.auth import _decode

    config = {"cookie": {"key": "k" * 32}, "credentials": {"usernames": {"ava": {}}}}
    claims = {"username": "nobody" if case == "unknown user" else "ava",
              "exp_date": time.time() + (-60 if case == "expired" else 3600)}
    token = "not-a-token" if case == "garbage" else jwt.encode(
        claims, ("x" * 32) if case == "other key" else config["cookie"]["key"], algorithm="HS256")
    decoded = _decode(token, config)
    if case in ("valid", "unknown user"):  # decoding checks the signature and the date; viewer() the account
        assert decoded is not None and decoded["username"] == claims["username"]
    else:
        assert decoded is None
