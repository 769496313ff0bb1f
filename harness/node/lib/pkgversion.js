// lib/pkgversion.js: the installed version of an npm package, read from its
// package.json on disk (packages whose "exports" hide ./package.json).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function pkgVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
}

module.exports = { pkgVersion };
