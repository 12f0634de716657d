"""Authlib as a second OpenID Connect client, independent of mod_auth_openidc: it validates the
discovery document as OpenID provider metadata, reads the JWKS, makes the PKCE challenge, and
verifies the ID token (signature against the JWKS, iss, aud, nonce, exp, iat, at_hash when
there) with its own code; the requests themselves go through the test's cookie-jar client, the
person being logged in to the portal first.

Works with Debian's python3-authlib (1.2) and PyPI's 1.x alike.
"""

import base64
import json
import time
import urllib.parse
import warnings

from web import Failure, describe, expect

try:
    import authlib.deprecate  # noqa: F401 - its filter first, so that the one below wins
except ImportError:
    pass
with warnings.catch_warnings():
    # authlib.jose is deprecated in favour of joserfc in recent Authlib, and still works.
    warnings.simplefilter("ignore")
    from authlib.common.security import generate_token
    from authlib.jose import JsonWebKey, jwt
    from authlib.jose.errors import JoseError
    from authlib.oauth2.rfc7636 import create_s256_code_challenge
    from authlib.oidc.core import CodeIDToken
    from authlib.oidc.discovery import OpenIDProviderMetadata

try:
    # Recent Authlib validates claims with joserfc, whose errors are not authlib.jose's.
    from joserfc.errors import JoseError as JoserfcError
    REFUSED = (JoseError, JoserfcError)
except ImportError:
    REFUSED = (JoseError,)
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k")
REDIRECT = "http://127.0.0.1:9/authlib/callback"


def metadata(ctx, document):
    meta = OpenIDProviderMetadata(document)
    try:
        meta.validate()
    except (ValueError, KeyError) as e:
        raise Failure(f"Authlib refuses the discovery document: {e}") from None
    expect(meta["issuer"] == ctx.issuer, f"issuer {ctx.issuer}: {meta['issuer']}")
    for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
              "end_session_endpoint"):
        expect(str(meta.get(k, "")).startswith(ctx.issuer + "/"),
               f"{k} under the issuer: {meta.get(k)!r}")
    methods = meta.get("code_challenge_methods_supported") or []
    expect("S256" in methods, f"code_challenge_methods_supported has S256: {methods}")
    expect("RS256" in meta["id_token_signing_alg_values_supported"],
           "id_token_signing_alg_values_supported has RS256")
    return meta


def key_set(ctx, meta):
    hop = ctx.browser().request("GET", meta["jwks_uri"])
    expect(hop.status == 200, f"GET {meta['jwks_uri']} answered {hop.status}")
    jwks = hop.json()
    keys = jwks.get("keys") or []
    expect(keys, f"the JWKS has keys: {jwks}")
    for k in keys:
        expect(k.get("kid") and k.get("kty"), f"every key has a kid and a kty: {k}")
        leaked = [m for m in PRIVATE_MEMBERS if m in k]
        expect(not leaked, f"the JWKS holds public keys only; {k.get('kid')} has {leaked}")
    expect(any(k.get("kty") == "RSA" for k in keys), "an RSA key for RS256")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return JsonWebKey.import_key_set(jwks), {k["kid"] for k in keys}


def authorize(ctx, b, meta, client_id):
    """The authorization request (PKCE S256, state, nonce) of a person logged in to the portal:
    the code comes back at once. Returns (code, verifier, nonce)."""
    verifier = generate_token(64)
    state, nonce = generate_token(24), generate_token(24)
    q = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
         "scope": "openid profile email", "state": state, "nonce": nonce,
         "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"}
    url = meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(q)
    hop = b.request("GET", url)
    hops = [hop]
    expect(hop.status in (302, 303) and (hop.location or "").startswith(REDIRECT + "?"),
           f"authorize sends the code to the redirect URI at once:\n{describe(hops)}")
    back = {k: v[0] for k, v in urllib.parse.parse_qs(
        urllib.parse.urlsplit(hop.location).query).items()}
    expect(back.get("state") == state and back.get("code"), f"code and state: {hop.location}")
    expect(back.get("iss") == ctx.issuer, f"iss={ctx.issuer} in the response: {hop.location}")
    return back["code"], verifier, nonce


def token(ctx, meta, fields, expect_ok=True):
    """A back-channel POST: a client of its own, no cookies, no Origin."""
    hop = ctx.browser().request("POST", meta["token_endpoint"], fields, origin=False)
    if not expect_ok:
        return hop
    expect(hop.status == 200, f"the token endpoint answered {hop.status}: {hop.body[:300]!r}")
    t = hop.json()
    expect(t.get("access_token") and t.get("id_token") and
           str(t.get("token_type", "")).lower() == "bearer",
           f"an access token, an ID token, token_type Bearer: {sorted(t)}")
    expect("no-store" in hop.headers.get("Cache-Control", ""),
           f"the token answer is not cached (Cache-Control: no-store): "
           f"{hop.headers.get('Cache-Control')!r}")
    return t


def verify_id_token(ctx, keys, kids, id_token, client_id, nonce, access_token):
    header = jwt_header(id_token)
    expect(header.get("alg") == "RS256" and header.get("kid") in kids,
           f"RS256 with a kid of the JWKS: {header}")
    options = {"iss": {"essential": True, "value": ctx.issuer}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            claims = jwt.decode(id_token, keys, claims_cls=CodeIDToken, claims_options=options,
                                claims_params={"nonce": nonce, "client_id": client_id,
                                               "access_token": access_token})
            claims.validate(now=int(time.time()), leeway=120)
        except REFUSED as e:
            raise Failure(f"Authlib refuses the ID token: {e!r}") from None
        # The same token must fail when it is not what was asked for.
        for what, params in (("another nonce", {"nonce": "other", "client_id": client_id}),
                             ("another audience", {"nonce": nonce, "client_id": "other-app"})):
            try:
                c = jwt.decode(id_token, keys, claims_cls=CodeIDToken, claims_options=options,
                               claims_params=params)
                c.validate(now=int(time.time()), leeway=120)
            except REFUSED:
                continue
            raise Failure(f"Authlib accepted the ID token for {what}")
        head, body, sig = id_token.split(".")
        forged = f"{head}.{body}.{sig[:-6]}{'A' if sig[-6] != 'A' else 'B'}{sig[-5:]}"
        try:
            jwt.decode(forged, keys)
        except REFUSED:
            pass
        else:
            raise Failure("Authlib accepted an ID token with a forged signature")
    expect(claims.get("sid"), f"the ID token has a sid: {dict(claims)}")
    return claims


def jwt_header(token):
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def userinfo(ctx, b, meta, access_token):
    hop = b.request("GET", meta["userinfo_endpoint"],
                    headers={"Authorization": f"Bearer {access_token}"})
    expect(hop.status == 200, f"userinfo answered {hop.status}: {hop.body[:300]!r}")
    return hop.json()


def confidential_client(ctx, document, login, client_id, secret, username, role, groups):
    """client_secret_post, PKCE S256; the ID token verified; userinfo agrees; the code once.
    `login(b)` logs the cookie-jar client `b` in to the portal as `username`."""
    meta = metadata(ctx, document)
    keys, kids = key_set(ctx, meta)
    b = ctx.browser()
    login(b)
    code, verifier, nonce = authorize(ctx, b, meta, client_id)
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
              "code_verifier": verifier, "client_id": client_id, "client_secret": secret}
    t = token(ctx, meta, fields)
    claims = verify_id_token(ctx, keys, kids, t["id_token"], client_id, nonce, t["access_token"])
    expect(claims.get("preferred_username") == username,
           f"the ID token's preferred_username {username}: {dict(claims)}")
    info = userinfo(ctx, ctx.browser(), meta, t["access_token"])
    for k in ("sub", "preferred_username", "email", "name"):
        expect(info.get(k) == claims.get(k),
               f"userinfo's {k} {info.get(k)!r} is the ID token's {claims.get(k)!r}")
    for where, c in (("ID token", claims), ("userinfo", info)):
        expect(all(g in (c.get("groups") or []) for g in groups),
               f"the {where}'s groups have {groups}: {c.get('groups')}")
        expect(role in (c.get("roles") or []), f"the {where}'s roles have {role}: "
                                               f"{c.get('roles')}")
    expect(info.get("sub") != username, "the sub is not the username")
    again = token(ctx, meta, fields, expect_ok=False)
    expect(again.status == 400 and again.json().get("error") == "invalid_grant",
           f"the code replayed: 400 invalid_grant, got {again.status} {again.body[:200]!r}")
    bad = userinfo_status(ctx, meta, t["access_token"][:-4] + "AAAA")
    expect(bad == 401, f"userinfo with a forged access token: 401, got {bad}")
    print(f"     ID token for {username}: sub {claims['sub']}, groups {claims.get('groups')}, "
          f"exp in {claims['exp'] - int(time.time())} s")


def userinfo_status(ctx, meta, access_token):
    return ctx.browser().request("GET", meta["userinfo_endpoint"], headers={
        "Authorization": f"Bearer {access_token}"}).status


def public_client(ctx, document, login, client_id, username):
    """No secret: PKCE is the proof; a wrong verifier or none, no token."""
    meta = metadata(ctx, document)
    keys, kids = key_set(ctx, meta)
    b = ctx.browser()
    login(b)
    base = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "client_id": client_id}
    code, verifier, nonce = authorize(ctx, b, meta, client_id)
    bad = token(ctx, meta, dict(base, code=code, code_verifier=generate_token(64)),
                expect_ok=False)
    expect(bad.status == 400 and bad.json().get("error") == "invalid_grant",
           f"a wrong verifier: 400 invalid_grant, got {bad.status} {bad.body[:200]!r}")
    code, _, _ = authorize(ctx, b, meta, client_id)
    bad = token(ctx, meta, dict(base, code=code), expect_ok=False)
    expect(bad.status == 400 and bad.json().get("error") in ("invalid_grant", "invalid_request"),
           f"a public client's code without a verifier: 400, got {bad.status} "
           f"{bad.body[:200]!r}")
    # A failed try may have spent its code (single use): a new one for the real exchange.
    code, verifier, nonce = authorize(ctx, b, meta, client_id)
    t = token(ctx, meta, dict(base, code=code, code_verifier=verifier))
    claims = verify_id_token(ctx, keys, kids, t["id_token"], client_id, nonce, t["access_token"])
    expect(claims.get("preferred_username") == username,
           f"the ID token's preferred_username {username}: {dict(claims)}")


def refresh_then_logout(ctx, document, login, logout, client_id, secret):
    """A refresh token trades for new tokens; once the person logs out of the portal, neither
    the refresh token nor the access token works any more (the session's grants are gone).
    `logout(b)` logs the client `b` out at the portal."""
    meta = metadata(ctx, document)
    b = ctx.browser()
    login(b)
    code, verifier, _ = authorize(ctx, b, meta, client_id)
    auth = {"client_id": client_id, "client_secret": secret}
    t = token(ctx, meta, dict(auth, grant_type="authorization_code", code=code,
                              redirect_uri=REDIRECT, code_verifier=verifier))
    expect(t.get("refresh_token"), f"a refresh token with the tokens: {sorted(t)}")
    t2 = token(ctx, meta, dict(auth, grant_type="refresh_token", refresh_token=t["refresh_token"]))
    expect(userinfo_status(ctx, meta, t2["access_token"]) == 200,
           "userinfo answers the refreshed access token")
    refresh = t2.get("refresh_token") or t["refresh_token"]
    logout(b)
    status = userinfo_status(ctx, meta, t2["access_token"])
    expect(status == 401, f"userinfo after the logout at the portal: 401, got {status}")
    hop = token(ctx, meta, dict(auth, grant_type="refresh_token", refresh_token=refresh),
                expect_ok=False)
    expect(hop.status == 400 and hop.json().get("error") == "invalid_grant",
           f"the refresh token after the logout: 400 invalid_grant, got {hop.status} "
           f"{hop.body[:200]!r}")
