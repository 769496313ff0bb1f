// lib/keys.js: the bundled test keys (vectors/keys/) of one account, by key
// type. apiKeys are found by matching each private key's public half (or the
// HMAC secret) against registry.json, so nothing here hard-codes a key.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { REPO } = require('./mock');

const KEYS_DIR = path.join(REPO, 'vectors', 'keys');
// key type name -> file holding the private half (alice's keys)
const FILES = { hmac: 'hmac.secret', rsa: 'rsa2048.pem', rsa2048: 'rsa2048.pem',
  rsa4096: 'rsa4096.pem', ed25519: 'ed25519.pem' };

function keysSpki(pem) {
  return crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
}

// keysLoad('hmac'|'rsa'|'rsa2048'|'rsa4096'|'ed25519') ->
//   {type: 'hmac'|'rsa'|'ed25519', name, apiKey, secret | privateKey(PEM)}
function keysLoad(name, registryPath) {
  const file = FILES[name];
  if (!file) throw new Error(`unknown key type '${name}' (known: ${Object.keys(FILES).join(', ')})`);
  const reg = JSON.parse(fs.readFileSync(registryPath || path.join(KEYS_DIR, 'registry.json'), 'utf8'));
  const keys = reg.accounts.flatMap((a) => a.keys);
  const text = fs.readFileSync(path.join(KEYS_DIR, file), 'utf8');
  if (name === 'hmac') {
    const secret = text.replace(/\n$/, '');
    const k = keys.find((x) => x.type === 'HMAC' && x.secret === secret);
    if (!k) throw new Error('HMAC key not in registry');
    return { type: 'hmac', name, apiKey: k.apiKey, secret };
  }
  const spki = keysSpki(text);
  const k = keys.find((x) => x.publicKey && keysSpki(x.publicKey) === spki);
  if (!k) throw new Error(`${file}: public half not in registry`);
  return { type: name.startsWith('rsa') ? 'rsa' : 'ed25519', name, apiKey: k.apiKey, privateKey: text };
}

module.exports = { KEYS_DIR, keysLoad };
