#!/usr/bin/env python3
"""repin.py: re-pin expected/<lib>.json after a deliberate change (new cases,
a new library version in requirements.lock, a grading change): runs
binance-conform with each adapter and rewrites the expected file from the
report; the reason of each non-PASS case comes from notes/<lib>.json (longest
case-id prefix wins) or else the runner's own reason. Review the diff
(git diff harness/python/expected) before committing it.
Usage: .venv/bin/python repin.py [--conform PATH] [--mock PATH] [lib ...]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
LIBS = ['python_binance', 'binance_sdk_spot', 'binance_connector', 'ccxt']


def expect_from_report(report, notes):
    out = {'client': '%s %s (PyPI)' % (report['adapter']['hello']['library'], report['adapter']['hello']['version']),
           'default': 'PASS', 'cases': {}}
    for c in report['cases']:
        if c['verdict'] == 'PASS':
            continue
        keys = sorted((k for k in notes if c['id'].startswith(k)), key=len, reverse=True)
        out['cases'][c['id']] = {'verdict': c['verdict'], 'reason': notes[keys[0]] if keys else c.get('reason', '')}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--conform', default=os.path.join(REPO, 'build', 'bin', 'binance-conform'))
    ap.add_argument('--mock')
    ap.add_argument('libs', nargs='*')
    a = ap.parse_args()
    env = dict(os.environ)
    env.setdefault('BINANCE_MOCK', a.mock or os.path.join(os.path.dirname(a.conform), 'binance-mock'))
    for lib in a.libs or LIBS:
        d = tempfile.mkdtemp(prefix='repin-%s-' % lib)
        subprocess.run([a.conform, '--adapter', '%s %s' % (sys.executable, os.path.join(HERE, 'adapters', lib + '.py')),
                        '--report', d], env=env, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, 'report.json')) as f:
            report = json.load(f)
        notes_file = os.path.join(HERE, 'notes', lib + '.json')
        notes = json.load(open(notes_file)) if os.path.exists(notes_file) else {}
        exp = expect_from_report(report, notes)
        with open(os.path.join(HERE, 'expected', lib + '.json'), 'w') as f:
            f.write(json.dumps(exp, indent=2, ensure_ascii=False) + '\n')
        print('%s: expected/%s.json written (%d non-PASS cases; report in %s)' % (lib, lib, len(exp['cases']), d))


if __name__ == '__main__':
    main()
