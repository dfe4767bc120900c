"""Digital justering: the protocol's PDF/A copy signed by its signatories with advanced
electronic signatures (PAdES, pyHanko), verifiable by anyone.

- `ca`: the installation's own certificate authority and each person's signing key,
  encrypted at rest under that person's password (the built-in signer).
- `pdf`: the signature page and the signing of a PDF, by any `Signer`: the built-in one
  or an outside signing service (`remote`, pyHanko's interrupted signing).
- `verify`: who signed, in which role, when, whether each signature is intact and
  chains to a trusted root.
"""
