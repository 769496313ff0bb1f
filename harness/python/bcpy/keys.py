"""bcpy/keys.py: the bundled test keys (vectors/keys/) of alice by key type,
apiKey found by matching the secret / the public half against registry.json."""
import json
import os

from cryptography.hazmat.primitives import serialization

REPO = os.environ.get('BC_SOURCE_DIR') or os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
KEYS_DIR = os.path.join(REPO, 'vectors', 'keys')
FILES = {'hmac': 'hmac.secret', 'rsa': 'rsa2048.pem', 'rsa2048': 'rsa2048.pem',
         'rsa4096': 'rsa4096.pem', 'ed25519': 'ed25519.pem'}


def _spki(pub):
    return pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def keys_load(name):
    """-> {'type': 'hmac'|'rsa'|'ed25519', 'name', 'apiKey', 'secret' | 'privateKeyPem'}"""
    with open(os.path.join(KEYS_DIR, 'registry.json')) as f:
        keys = [k for a in json.load(f)['accounts'] for k in a['keys']]
    with open(os.path.join(KEYS_DIR, FILES[name])) as f:
        text = f.read()
    if name == 'hmac':
        secret = text.rstrip('\n')
        k = next(k for k in keys if k['type'] == 'HMAC' and k.get('secret') == secret)
        return {'type': 'hmac', 'name': name, 'apiKey': k['apiKey'], 'secret': secret}
    mine = _spki(serialization.load_pem_private_key(text.encode(), None).public_key())
    k = next(k for k in keys if k.get('publicKey')
             and _spki(serialization.load_pem_public_key(k['publicKey'].encode())) == mine)
    return {'type': 'rsa' if name.startswith('rsa') else 'ed25519', 'name': name,
            'apiKey': k['apiKey'], 'privateKeyPem': text}
